import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import { runKubectl } from "../../../src/kubectl/index.ts";
import { parseManifests, strictDecode } from "../../../src/kubectl/manifest.ts";
import { tokenize } from "../../../src/scenario/tokenize.ts";

const k = (sim: ReturnType<typeof createSimulation>, line: string, stdin?: string) => runKubectl(sim, tokenize(line), stdin);

describe("manifest reading", () => {
  it.each([
    { name: "mapping value in a scalar", text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b: c\n", want: "yaml: line 6: mapping values are not allowed in this context" },
    { name: "over-indented key continues a scalar", text: "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: nginx\n     ports: []\n", want: "yaml: line 7: mapping values are not allowed in this context" },
    { name: "tab indentation", text: "a:\n\t- b\n", want: "yaml: line 2: found character that cannot start any token" },
    { name: "line numbers are per document", text: "a: 1\n---\nb: 2\nc: d: e\n", want: "yaml: line 2: mapping values are not allowed in this context" },
  ])("$name", ({ text, want }) => {
    expect(parseManifests(text).error).toBe(`error: error parsing STDIN: error converting YAML to JSON: ${want}`);
  });
  it.each([
    { name: "unknown field", obj: { apiVersion: "apps/v1", kind: "Deployment", spec: { replica: 3 } }, want: 'strict decoding error: unknown field "spec.replica"' },
    { name: "unknown fields in lists, all reported", obj: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", imagee: "x" }], foo: 1 } }, want: 'strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.foo"' },
    { name: "wrong scalar type", obj: { apiVersion: "apps/v1", kind: "Deployment", spec: { replicas: "3" } }, want: "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32" },
    { name: "labels are free-form maps", obj: { apiVersion: "v1", kind: "ConfigMap", metadata: { labels: { anything: "x" } }, data: { k: "v" } }, want: undefined },
  ])("strict decoding: $name", ({ obj, want }) => {
    expect(strictDecode(obj as Record<string, unknown>, obj.kind)).toBe(want);
  });
});

describe("kubectl apply / delete", () => {
  it("removed apiVersion is refused with a hint; nothing changes", () => {
    const sim = createSimulation();
    const r = k(sim, "apply -f -", "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: nightly\n");
    expect(r.err).toBe('error: resource mapping not found for name: "nightly" namespace: "" from "STDIN": no matches for kind "CronJob" in version "batch/v1beta1"\nensure CRDs are installed first\nhint: CronJob batch/v1beta1 was removed from Kubernetes; use apiVersion: batch/v1\n');
    expect(sim.store.count("CronJob")).toBe(0);
  });
  it("created → unchanged → configured, status untouched", () => {
    const sim = createSimulation();
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: "${v}"\n`;
    expect(k(sim, "apply -f -", cm("1")).out).toBe("configmap/c created\n");
    expect(k(sim, "apply -f -", cm("1")).out).toBe("configmap/c unchanged\n");
    expect(k(sim, "apply -f -", cm("2")).out).toBe("configmap/c configured\n");
    expect(sim.store.get("ConfigMap", "default", "c")!.data).toEqual({ k: "2" });
  });
  it("namespace mismatch is refused like kubectl", () => {
    const sim = createSimulation();
    const r = k(sim, "apply -n kube-system -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n");
    expect(r.err).toContain(`the namespace from the provided object "default" does not match the namespace "kube-system"`);
  });
  it.each([
    { line: "delete cm", want: "error: resource(s) were provided, but no name was specified\n" },
    { line: "delete cm nope", want: 'Error from server (NotFound): configmaps "nope" not found\n' },
    { line: "delete cm --cascade=sideways --all", want: 'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan".\n' },
    { line: "get cm x -l a=b", want: "error: when specifying a name, a selector (-l) cannot be used\n" },
    { line: "scale deploy web", want: 'error: required flag(s) "replicas" not set\n' },
    { line: "frob", want: 'error: unknown command "frob" for "kubectl"\n' },
  ])("errors: kubectl $line", ({ line, want }) => {
    expect(k(createSimulation(), line).err).toBe(want);
  });
});
