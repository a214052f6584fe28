/**
 * Properties of the pure Deployment planning steps over random states (fast-check):
 * P5 never pushes the total above replicas+surge nor the available count below replicas−unavailable;
 * P7 proportional scaling lands exactly on the allowed size and never makes an RS negative.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { planRollingStep, planScale, resolveFenceposts, type RsView } from "../../../src/controllers/deployment/util.ts";

const intOrPct = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`));

const state = fc.record({
  replicas: fc.integer({ min: 1, max: 30 }),
  maxSurge: intOrPct,
  maxUnavailable: intOrPct,
  olds: fc.array(fc.record({ spec: fc.integer({ min: 0, max: 20 }), unavailable: fc.integer({ min: 0, max: 20 }) }), { minLength: 1, maxLength: 4 }),
  newSpec: fc.integer({ min: 0, max: 30 }),
  newUnavailable: fc.integer({ min: 0, max: 30 }),
}).filter((s) => !(s.maxSurge === 0 || s.maxSurge === "0%") || !(s.maxUnavailable === 0 || s.maxUnavailable === "0%"));

const view = (name: string, created: number, spec: number, unavailable: number): RsView =>
  ({ name, created, spec, replicas: spec, available: Math.max(0, spec - unavailable) });

describe("P5 rolling step properties", () => {
  it("P5 one step keeps Σspec ≤ max(replicas+surge, before) and Σavailable ≥ min(before, replicas−unavailable)", () => {
    fc.assert(fc.property(state, (s) => {
      const olds = s.olds.map((o, i) => view(`old${i}`, i, o.spec, o.unavailable));
      const newRS = view("new", 100, Math.min(s.newSpec, s.replicas), s.newUnavailable);
      const { surge, unavailable } = resolveFenceposts(s.maxSurge, s.maxUnavailable, s.replicas);
      const all = [...olds, newRS];
      const totalBefore = all.reduce((t, r) => t + r.spec, 0);
      const availBefore = all.reduce((t, r) => t + r.available, 0);
      const ops = planRollingStep({ replicas: s.replicas, maxSurge: s.maxSurge, maxUnavailable: s.maxUnavailable }, newRS, olds);
      const after = new Map(all.map((r) => [r.name, { ...r }]));
      for (const o of ops) {
        const r = after.get(o.name)!;
        expect(o.from).toBe(r.spec);
        expect(o.to).toBeGreaterThanOrEqual(0);
        // scaling down removes unavailable replicas first (the RS controller's R2 ranking)
        if (o.to < r.spec) {
          const removed = r.spec - o.to;
          const unavail = r.spec - r.available;
          r.available -= Math.max(0, removed - unavail);
        }
        r.spec = o.to;
      }
      const totalAfter = [...after.values()].reduce((t, r) => t + r.spec, 0);
      const availAfter = [...after.values()].reduce((t, r) => t + r.available, 0);
      expect(totalAfter).toBeLessThanOrEqual(Math.max(s.replicas + surge, totalBefore));
      expect(availAfter).toBeGreaterThanOrEqual(Math.min(availBefore, s.replicas - Math.min(unavailable, s.replicas)));
      // an op never both scales up the new RS and scales down old ones in the same step
      const up = ops.some((o) => o.name === "new" && o.to > o.from);
      if (up) expect(ops).toHaveLength(1);
    }), { numRuns: 2000 });
  });
});

describe("P7 proportional scaling properties", () => {
  it("P7 two or more active RSes end exactly at replicas+surge (or 0), none negative", () => {
    const st = fc.record({
      replicas: fc.integer({ min: 0, max: 40 }),
      slack: fc.integer({ min: 0, max: 10 }),
      sizes: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 2, maxLength: 4 }),
    });
    // consistent states: the sizes were set when max-replicas was at least their sum
    fc.assert(fc.property(st, ({ replicas, slack, sizes }) => {
      const before = sizes.reduce((a, b) => a + b, 0) + slack;
      const surge = resolveFenceposts("25%", "25%", replicas).surge;
      const rss = sizes.map((n, i) => ({ ...view(`rs${i}`, i, n, n), maxReplicasAnnotation: before }));
      const newRS = rss.at(-1)!;
      const olds = rss.slice(0, -1);
      const plan = planScale({ replicas, maxSurge: "25%", maxUnavailable: "25%", rolling: true, statusReplicas: before }, newRS, olds);
      const final = new Map(rss.map((r) => [r.name, r.spec]));
      for (const o of plan.ops) final.set(o.name, o.to);
      for (const v of final.values()) expect(v).toBeGreaterThanOrEqual(0);
      const total = [...final.values()].reduce((a, b) => a + b, 0);
      expect(total).toBe(replicas > 0 ? replicas + surge : 0);
    }), { numRuns: 2000 });
  });
});
