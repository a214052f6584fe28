/**
 * Events live for kube-apiserver's --event-ttl (default 1h) after their last write: etcd's lease runs out and
 * `kubectl get events` no longer lists them. An aggregated Event (count > 1) gets a fresh hour at each update.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

function names(s: Session): string[] {
  return s.sim.store.list("Event").map((e) => `${e.reason}:${e.involvedObject?.name}`);
}

describe("Event TTL (kube-apiserver --event-ttl 1h)", () => {
  it("an Event is listed for an hour after its last write, then gone", () => {
    const s = new Session();
    s.exec("sim node add w1");
    s.exec("kubectl run p --image=nginx");
    s.exec("sim advance 10s");
    expect(names(s)).toContain("Scheduled:p");
    s.exec("sim advance 59m");
    expect(names(s)).toContain("Scheduled:p");
    s.exec("sim advance 1m");
    expect(names(s)).not.toContain("Scheduled:p");
    expect(s.exec("kubectl get events --field-selector involvedObject.name=p").err).toBe("No resources found in default namespace.\n");
  });

  it("an aggregated Event lives an hour past its latest repeat", () => {
    const s = new Session();
    s.exec("sim node add w1");
    s.exec("kubectl apply -f - <<EOF", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [\"sh\", \"-c\", \"exit 1\"]\n");
    s.exec("sim advance 50m");
    const backoff = () => s.sim.store.list("Event").find((e) => e.reason === "BackOff" && e.involvedObject?.name === "bad");
    const last = backoff()!.lastTimestamp;
    expect(backoff()!.count).toBeGreaterThan(1);
    s.exec("kubectl delete pod bad --grace-period=0 --force");
    const lastMs = Date.parse(last);
    s.sim.advanceTo(lastMs + 3_600_000 - 1000);
    expect(backoff()?.lastTimestamp).toBe(last); // kept: an hour after its latest repeat, not its first
    expect(Date.parse(backoff()!.firstTimestamp) + 3_600_000).toBeLessThan(s.sim.clock.now);
    s.exec("sim advance 2s");
    expect(backoff()).toBeUndefined();
  });
});
