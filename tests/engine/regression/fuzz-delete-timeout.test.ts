/**
 * (regression) found by the kubectl fuzzer (seeds 64 #163, 68 #715): `kubectl delete pods web-0 --timeout 1`
 * printed the duration error after the pod had been deleted. kubectl parses its flags before it sends
 * anything: a bad --timeout deletes nothing.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

describe("(regression) fuzz: kubectl delete with a bad --timeout", () => {
  it.each([
    ["kubectl delete pod p --timeout 1", 'error: time: missing unit in duration "1"\n'],
    ["kubectl delete pod p --timeout --cascade=foreground", 'error: time: invalid duration "--cascade=foreground"\n'],
  ])("(regression) %s deletes nothing", (cmd, err) => {
    const s = new Session();
    s.exec("sim node add w1");
    s.exec("kubectl run p --image=nginx");
    s.exec("sim advance 10s");
    const rv = s.sim.store.resourceVersion;
    expect(s.exec(cmd)).toEqual({ out: "", err, code: 1 });
    expect(s.sim.store.resourceVersion).toBe(rv);
    expect(s.sim.store.get("Pod", "default", "p")?.metadata.deletionTimestamp).toBeUndefined();
  });
});
