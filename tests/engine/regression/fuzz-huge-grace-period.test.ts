/**
 * (regression) found by the YAML fuzzer (tests/fuzz, target yaml, chunk seed 109 #158): a pod whose
 * terminationGracePeriodSeconds is huge but finite (valid int64, e.g. 999999999999999).
 *
 * Expected: `kubectl delete pod q` succeeds (`pod "q" deleted`); the pod gets a deletionTimestamp and is
 * Terminating (upstream computes now + grace; the engine should clamp what it cannot represent).
 * Actual: ObjectStore.delete builds `rfc3339(now + grace * 1000)` past JavaScript's Date range and throws
 * `RangeError: Invalid time value`: kubectl prints `error: Invalid time value`, the pod is not deleted, and
 * when the garbage collector deletes such a pod the RangeError escapes Simulation.settle.
 *
 * Fixed: ObjectStore.delete clamps the deadline to 9999-12-31T23:59:59Z (graceDeadline).
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

describe("(regression) fuzz: huge terminationGracePeriodSeconds", () => {
  // BUG (api/store.ts ObjectStore.delete): deletionTimestamp overflows the Date range.
  it("(regression) deleting a pod with terminationGracePeriodSeconds 999999999999999", () => {
    const s = new Session();
    s.exec("sim node add w1");
    s.exec("kubectl apply -f - <<EOF", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  terminationGracePeriodSeconds: 999999999999999\n  containers:\n  - name: c\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n");
    s.exec("sim advance 5s");
    const r = s.exec("kubectl delete pod q --wait=false");
    expect(r).toEqual({ out: 'pod "q" deleted\n', err: "", code: 0 });
    // sleep as PID 1 ignores SIGTERM, so the pod stays Terminating until the (clamped) deadline.
    expect(s.sim.store.get("Pod", "default", "q")?.metadata.deletionTimestamp).toBe("9999-12-31T23:59:59Z");
    expect(s.exec("kubectl get pod q").out).toContain("Terminating");
  });
});
