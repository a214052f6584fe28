/**
 * sameStatus (P8) answers jsonEqual(statusObject(st, cur), cur) without building the status. Differential on
 * random stored statuses (fields in any order and subset, odd values, conditions equal or not) and computed
 * ones, near misses (other conditions, one other count, ±Infinity, which JSON prints as null): "same" only
 * where the built status equals the stored one, "differs" only where it does not, and
 * "same" for the status written from the same calculation (the sync that changes nothing).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sameStatus, statusObject } from "../../../src/controllers/deployment/controller.ts";
import type { DeploymentCondition, DeploymentStatusCalc } from "../../../src/controllers/deployment/util.ts";
import { jsonEqual } from "../../../src/util/jsonEqual.ts";

const n = fc.constantFrom(0, 1, 2, 3);
const condition: fc.Arbitrary<DeploymentCondition> = fc.record({
  type: fc.constantFrom("Available", "Progressing"), status: fc.constantFrom("True", "False") as fc.Arbitrary<"True" | "False">,
  lastUpdateTime: fc.constant("2026-01-01T00:00:00Z"), lastTransitionTime: fc.constant("2026-01-01T00:00:00Z"),
  reason: fc.constantFrom("A", "B"), message: fc.constant("m"),
});
const calc: fc.Arbitrary<DeploymentStatusCalc> = fc.record({
  observedGeneration: fc.constantFrom(1, 2, Number.POSITIVE_INFINITY), replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n, unavailableReplicas: n,
  conditions: fc.array(condition, { maxLength: 2 }), collisionCount: fc.constantFrom(undefined, 0, 1),
}, { requiredKeys: ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas", "conditions"] });
const field = fc.constantFrom("observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas", "conditions", "collisionCount", "extra");
const value = fc.oneof(n, fc.constant(undefined), fc.constant("1"), fc.constant(Number.NaN), fc.constant(Number.NEGATIVE_INFINITY), fc.array(condition, { maxLength: 2 }));

describe("sameStatus against jsonEqual(statusObject)", () => {
  it("never says same or differs where jsonEqual says otherwise", () => {
    const random = fc.array(fc.tuple(field, value), { maxLength: 8 }).map((kv) => Object.fromEntries(kv) as Record<string, unknown>);
    // a status written from another (often equal) calculation, maybe reordered
    const written = fc.tuple(calc, fc.boolean()).map(([c, reverse]) => {
      const o = statusObject(c, {});
      return reverse ? Object.fromEntries(Object.entries(o).reverse()) : o;
    });
    fc.assert(fc.property(fc.oneof(random, written), calc, (cur, st) => {
      const cmp = sameStatus(cur, st);
      if (cmp !== "unsure") expect(jsonEqual(statusObject(st, cur), cur)).toBe(cmp === "same");
    }), { numRuns: 5000, seed: 20261123 });
    // near misses: the stored status of a calculation, against it with other conditions or one other count
    const nearMiss = fc.tuple(calc, fc.array(condition, { maxLength: 2 }), fc.constantFrom("conditions", "readyReplicas", "observedGeneration", "none"), fc.oneof(n, fc.constant(Number.NEGATIVE_INFINITY)));
    fc.assert(fc.property(nearMiss, ([c, conds, change, x]) => {
      const cur = statusObject(c, {});
      const st = change === "conditions" ? { ...c, conditions: conds } : change === "none" ? c : { ...c, [change]: x };
      const cmp = sameStatus(cur, st);
      if (cmp !== "unsure") expect(jsonEqual(statusObject(st, cur), cur)).toBe(cmp === "same");
    }), { numRuns: 5000, seed: 20261123 });
  });

  it("says same for the status written from the same calculation", () => {
    fc.assert(fc.property(calc, (st) => {
      const cur = statusObject(st, {});
      expect(sameStatus(cur, { ...st, conditions: cur.conditions as DeploymentCondition[] ?? st.conditions })).toBe("same");
    }), { numRuns: 2000, seed: 20261123 });
  });
});
