/**
 * (regression) found by the fuzzers:
 *  - kubectl seed 29 #37: `kubectl create namespace cj --record -o xml` printed the printer error yet had
 *    created the namespace. kubectl builds its printer before sending anything: nothing is created.
 *  - yaml seed 52 #222: `name: !!binary aGVsbG8=` reached an error message as "[object Object]". go-yaml
 *    decodes !!binary into the bytes as a string ("hello"); !!set / !!omap read as mappings.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

describe("(regression) fuzz: create -o before anything is sent; YAML 1.1 binary/set/omap", () => {
  it.each([
    ["kubectl create namespace cj -o xml", "Namespace"],
    ["kubectl create configmap c --from-literal=a=b -o xml", "ConfigMap"],
    ["kubectl create deployment d --image=nginx -o xml", "Deployment"],
  ])("(regression) %s fails and creates nothing", (cmd, kind) => {
    const s = new Session();
    const n = s.sim.store.list(kind).length;
    const r = s.exec(cmd);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: unable to match a printer suitable for the output format "xml"/);
    expect(s.sim.store.list(kind).length).toBe(n);
  });

  it("(regression) !!binary is its bytes as a string; !!omap is a mapping", () => {
    const s = new Session();
    expect(s.exec("kubectl apply -f - <<EOF", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!binary aGVsbG8=\n  labels: !!omap [{a: b}]\n").out).toBe("configmap/hello created\n");
    expect(s.sim.store.get("ConfigMap", "default", "hello")?.metadata.labels).toEqual({ a: "b" });
  });
});
