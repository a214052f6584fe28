/**
 * Simulation.settle as a controller-manager workqueue: a sync error is logged and the key requeued with
 * rate-limited backoff (client-go ItemExponentialFailureRateLimiter: 5 ms doubling, cap 1000 s), and the
 * rest of the queue goes on; a key that re-triggers itself endlessly at one instant is backed off the
 * same way instead of freezing the page.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../../src/simulation.ts";
import type { ControllerDef } from "../../../src/controllers/types.ts";

const cm = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: {} }) as never;

function sim(behaviour: "throw" | "loop") {
  const seen: Array<[number, string]> = [];
  const c: ControllerDef = {
    name: "test",
    watches: [{ kind: "ConfigMap" }],
    reconcile(ctx, key) {
      seen.push([ctx.now(), key]);
      if (!key.endsWith("/bad")) return;
      if (behaviour === "throw") throw new Error("boom");
      ctx.enqueue("test", key); // re-triggers itself at the same instant
    },
  };
  const s = new Simulation({ controllers: [c] });
  return { s, seen };
}

describe("settle: sync errors and hot loops back off (workqueue rate limiter)", () => {
  it.each([["throw"], ["loop"]] as const)("%s: other keys still sync; the bad key is retried at 5, 10, 20, 40 ms…", (b) => {
    const { s, seen } = sim(b);
    const t0 = s.clock.now;
    s.store.create(cm("bad"));
    s.store.create(cm("good"));
    s.settle();
    expect(seen.some(([, k]) => k === "default/good")).toBe(true);
    s.advance(100);
    const retries = [...new Set(seen.filter(([, k]) => k === "default/bad").map(([t]) => t - t0))];
    expect(retries).toEqual([0, 5, 15, 35, 75]);
    expect(s.controllerErrors[0]).toMatchObject({ controller: "test", key: "default/bad", message: b === "throw" ? "boom" : "reconciled 1000 times without settling" });
  });

  it("the backoff is capped at 1000 s and the simulation keeps moving", () => {
    const { s } = sim("throw");
    s.store.create(cm("bad"));
    s.advance(30 * 3600_000);
    expect(s.controllerErrors.length).toBe(100); // the last 100 kept
    const at = s.controllerErrors.map((e) => e.at);
    expect(at[at.length - 1]! - at[at.length - 2]!).toBe(1_000_000);
  });
});
