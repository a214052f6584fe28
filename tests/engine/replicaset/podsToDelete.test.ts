import { describe, expect, it } from "vitest";
import { podsToDelete, deletionCost } from "../../../src/controllers/replicaset/podsToDelete.ts";
import { pod, T0 } from "./builders.ts";

const NOW = T0 + 3_600_000;
const names = (ps: { metadata: { name: string } }[]) => ps.map((p) => p.metadata.name);

describe("R2 deletion ranking (ActivePodsWithRanks.Less)", () => {
  const cases = [
    {
      name: "R2.1 unscheduled before scheduled",
      pods: [pod({ name: "a", node: "n1", phase: "Running", ready: true }), pod({ name: "b", phase: "Pending" })],
      related: [], diff: 1, want: ["b"],
    },
    {
      name: "R2.2 Pending < Unknown < Running",
      pods: [pod({ name: "run", node: "n1", phase: "Running" }), pod({ name: "unk", node: "n1", phase: "Unknown" }), pod({ name: "pend", node: "n1", phase: "Pending" })],
      related: [], diff: 2, want: ["pend", "unk"],
    },
    {
      name: "R2.3 not ready before ready",
      pods: [pod({ name: "r", node: "n1", phase: "Running", ready: true }), pod({ name: "nr", node: "n1", phase: "Running", ready: false })],
      related: [], diff: 1, want: ["nr"],
    },
    {
      name: "R2.4 lower pod-deletion-cost first",
      pods: [pod({ name: "c10", node: "n1", phase: "Running", ready: true, cost: 10 }), pod({ name: "cm5", node: "n1", phase: "Running", ready: true, cost: -5 }), pod({ name: "c0", node: "n1", phase: "Running", ready: true })],
      related: [], diff: 2, want: ["cm5", "c0"],
    },
    {
      name: "R2.5 more related pods on the node first",
      pods: [pod({ name: "x1", node: "n1", phase: "Running", ready: true }), pod({ name: "x2", node: "n2", phase: "Running", ready: true })],
      related: [pod({ name: "x1", node: "n1" }), pod({ name: "x2", node: "n2" }), pod({ name: "o1", node: "n2" }), pod({ name: "o2", node: "n2" })],
      diff: 1, want: ["x2"],
    },
    {
      name: "R2.5 inactive related pods do not count",
      pods: [pod({ name: "x1", node: "n1", phase: "Running", ready: true, created: 0 }), pod({ name: "x2", node: "n2", phase: "Running", ready: true, created: 0 })],
      related: [pod({ name: "x1", node: "n1" }), pod({ name: "x2", node: "n2" }), pod({ name: "done", node: "n2", phase: "Succeeded" }), pod({ name: "o1", node: "n1" })],
      diff: 1, want: ["x1"],
    },
    {
      name: "R2.6 ready for a shorter time first (different log2 buckets)",
      pods: [pod({ name: "old", node: "n1", phase: "Running", ready: true, readyAt: 0 }), pod({ name: "new", node: "n1", phase: "Running", ready: true, readyAt: 3_590_000 })],
      related: [], diff: 1, want: ["new"],
    },
    {
      name: "R2.7 more restarts first",
      pods: [pod({ name: "calm", node: "n1", phase: "Running", restarts: 0 }), pod({ name: "crashy", node: "n1", phase: "Running", restarts: 4 })],
      related: [], diff: 1, want: ["crashy"],
    },
    {
      name: "R2.8 newer first (different log2 buckets)",
      pods: [pod({ name: "old", node: "n1", phase: "Running", created: 0 }), pod({ name: "new", node: "n1", phase: "Running", created: 3_599_000 })],
      related: [], diff: 1, want: ["new"],
    },
    {
      name: "R2.8 same bucket falls back to uid order",
      pods: [pod({ name: "a", uid: "b-uid", node: "n1", phase: "Running", created: 1000 }), pod({ name: "b", uid: "a-uid", node: "n1", phase: "Running", created: 2000 })],
      related: [], diff: 1, want: ["b"],
    },
    {
      name: "R1 diff >= len deletes everything",
      pods: [pod({ name: "a" }), pod({ name: "b" })], related: [], diff: 5, want: ["a", "b"],
    },
  ];
  it.each(cases)("$name", ({ pods, related, diff, want }) => {
    expect(names(podsToDelete(pods, related, diff, NOW))).toEqual(want);
  });

  it.each([["10", 10], ["-3", -3], ["abc", 0], ["99999999999", 0], [undefined, 0]] as const)("R2.4 deletion cost %s → %i", (v, want) => {
    const p = pod({ name: "x" });
    if (v !== undefined) p.metadata.annotations = { "controller.kubernetes.io/pod-deletion-cost": v };
    expect(deletionCost(p)).toBe(want);
  });
});
