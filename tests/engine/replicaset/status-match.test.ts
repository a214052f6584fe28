/**
 * statusMatches (R3) decides "the status statusFromCounts would write is the stored one" without building
 * it. Differential: on random stored statuses (fields in any order and subset, odd values, with and without a
 * ReplicaFailure condition) it may only say "same" where statusEqual(stored, statusFromCounts(…)) is true and
 * "differs" where it is false, and it must say "same" for a status the controller itself wrote from the same
 * counts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { ReplicaSet } from "../../../src/api/types.ts";
import { statusEqual, statusFromCounts, statusMatches, type ManageError, type PodCounts } from "../../../src/controllers/replicaset/status.ts";

const count = fc.constantFrom(0, 1, 2, 3);
const counts: fc.Arbitrary<PodCounts> = fc.record({ replicas: count, fully: count, ready: count, available: count });
const err: fc.Arbitrary<ManageError | undefined> = fc.constantFrom(undefined, { reason: "FailedCreate", message: "quota" });
const condition = fc.constantFrom(
  { type: "ReplicaFailure", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z", reason: "FailedCreate", message: "x" },
  { type: "Other", status: "False" },
);
const field = fc.constantFrom("replicas", "fullyLabeledReplicas", "observedGeneration", "readyReplicas", "availableReplicas", "conditions", "extra");
const value = fc.oneof(count, fc.constant(undefined), fc.constant("1"), fc.constant(Number.NaN), fc.array(condition, { maxLength: 2 }));

function rsWith(status: Record<string, unknown> | undefined, generation: number | undefined): ReplicaSet {
  return { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r", namespace: "default", generation }, spec: {}, status } as unknown as ReplicaSet;
}

describe("statusMatches (R3) against statusEqual(statusFromCounts)", () => {
  it("never says same or differs where statusEqual says otherwise", () => {
    const gen = fc.constantFrom(undefined, 0, 1, 2);
    // random fields, or what a sync wrote from other (often the same) counts, error and conditions, maybe reordered
    const random = fc.array(fc.tuple(field, value), { maxLength: 7 }).map((kv) => Object.fromEntries(kv));
    const written = fc.tuple(fc.array(condition, { maxLength: 2 }), gen, counts, err, fc.boolean()).map(([conds, g, c, e, reverse]) => {
      const st = statusFromCounts(rsWith(conds.length ? { replicas: 0, conditions: conds } : undefined, g), c, e, 0) as Record<string, unknown>;
      return reverse ? Object.fromEntries(Object.entries(st).reverse()) : st;
    });
    const stored = fc.option(fc.oneof(random, written), { nil: undefined });
    fc.assert(fc.property(stored, gen, counts, err, (status, g, c, e) => {
      const rs = rsWith(status, g);
      const cmp = statusMatches(rs, c, e);
      if (cmp !== "unsure") expect(statusEqual(rs.status, statusFromCounts(rs, c, e, 0))).toBe(cmp === "same");
    }), { numRuns: 5000, seed: 20261123 });
  });

  it("says true for the status written from the same counts (the sync that changes nothing)", () => {
    const prior = fc.array(condition, { maxLength: 2 });
    fc.assert(fc.property(prior, fc.constantFrom(undefined, 0, 1, 2), counts, err, (conds, gen, c, e) => {
      const written = statusFromCounts(rsWith(conds.length ? { replicas: 9, conditions: conds } : undefined, gen), c, e, 0);
      const rs = rsWith(written as Record<string, unknown>, gen);
      expect(statusEqual(rs.status, statusFromCounts(rs, c, e, 0))).toBe(true);
      expect(statusMatches(rs, c, e)).toBe("same");
    }), { numRuns: 2000, seed: 20261123 });
  });
});
