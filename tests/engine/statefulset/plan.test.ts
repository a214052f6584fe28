import { describe, expect, it } from "vitest";
import { parentAndOrdinal, planStatefulSet, type StsPlanInput, type StsPodView } from "../../../src/controllers/statefulset/plan.ts";

const ready = (ordinal: number, revision = "web-new"): StsPodView =>
  ({ name: `web-${ordinal}`, ordinal, revision, phase: "Running", runningAndReady: true, available: true, terminating: false });
const pending = (ordinal: number, revision = "web-new"): StsPodView =>
  ({ name: `web-${ordinal}`, ordinal, revision, phase: "Pending", runningAndReady: false, available: false, terminating: false });
const terminating = (ordinal: number, revision = "web-new"): StsPodView => ({ ...ready(ordinal, revision), terminating: true });
const failed = (ordinal: number): StsPodView => ({ ...pending(ordinal), phase: "Failed" });

const base = (over: Partial<StsPlanInput>): StsPlanInput => ({
  replicas: 3, startOrdinal: 0, monotonic: true, updateStrategy: "RollingUpdate", partition: 0,
  currentRevision: "web-new", updateRevision: "web-new", pods: [], ...over,
});

describe("StatefulSet next action (planStatefulSet)", () => {
  it.each([
    { name: "S3 creates web-0 first and stops", inp: base({}), want: [{ type: "create", ordinal: 0, revision: "update" }] },
    { name: "S3 web-1 waits for web-0 to be Running and Ready", inp: base({ pods: [pending(0)] }), want: [] },
    { name: "S3 web-1 once web-0 is ready", inp: base({ pods: [ready(0)] }), want: [{ type: "create", ordinal: 1, revision: "update" }] },
    { name: "S3 a failed pod is deleted and recreated", inp: base({ pods: [ready(0), failed(1)] }), want: [{ type: "delete", name: "web-1", reason: "failed" }, { type: "create", ordinal: 1, revision: "update" }] },
    { name: "S3/S9 a terminating pod blocks (never replaced while it exists)", inp: base({ pods: [terminating(0), ready(1), ready(2)] }), want: [] },
    { name: "S4 scale down removes the highest ordinal first, one at a time", inp: base({ replicas: 1, pods: [ready(0), ready(1), ready(2)] }), want: [{ type: "delete", name: "web-2", reason: "condemned" }] },
    { name: "S4 waits while the previous condemned pod terminates", inp: base({ replicas: 1, pods: [ready(0), ready(1), terminating(2)] }), want: [] },
    { name: "S4 no scale-down while a kept replica is unhealthy", inp: base({ replicas: 1, pods: [pending(0), ready(1)] }), want: [] },
    { name: "S5 Parallel creates every missing pod at once", inp: base({ monotonic: false }), want: [0, 1, 2].map((o) => ({ type: "create", ordinal: o, revision: "update" })) },
    { name: "S5 Parallel deletes condemned pods without waiting", inp: base({ monotonic: false, replicas: 1, pods: [pending(0), ready(1), ready(2)] }), want: [{ type: "delete", name: "web-2", reason: "condemned" }, { type: "delete", name: "web-1", reason: "condemned" }] },
    {
      name: "S6 rolling update deletes the highest ordinal at an old revision",
      inp: base({ currentRevision: "web-old", pods: [ready(0, "web-old"), ready(1, "web-old"), ready(2, "web-old")] }),
      want: [{ type: "delete", name: "web-2", reason: "update" }],
    },
    {
      name: "S6 waits for the updated pod to be healthy before the next",
      inp: base({ currentRevision: "web-old", pods: [ready(0, "web-old"), ready(1, "web-old"), pending(2)] }),
      want: [],
    },
    {
      name: "S6 partition 2 leaves web-0 and web-1 alone",
      inp: base({ partition: 2, currentRevision: "web-old", pods: [ready(0, "web-old"), ready(1, "web-old"), ready(2)] }),
      want: [],
    },
    {
      name: "S6 below the partition a deleted pod comes back at the current revision",
      inp: base({ partition: 2, currentRevision: "web-old", pods: [ready(1, "web-old"), ready(2)] }),
      want: [{ type: "create", ordinal: 0, revision: "current" }],
    },
    {
      name: "S7 OnDelete touches nothing on a template change",
      inp: base({ updateStrategy: "OnDelete", currentRevision: "web-old", pods: [ready(0, "web-old"), ready(1, "web-old"), ready(2, "web-old")] }),
      want: [],
    },
    {
      name: "S7 OnDelete: a deleted pod comes back at the update revision",
      inp: base({ updateStrategy: "OnDelete", currentRevision: "web-old", pods: [ready(0, "web-old"), ready(2, "web-old")] }),
      want: [{ type: "create", ordinal: 1, revision: "update" }],
    },
    { name: "S1 ordinals start at spec.ordinals.start", inp: base({ startOrdinal: 5, replicas: 2, pods: [{ ...ready(5) }] }), want: [{ type: "create", ordinal: 6, revision: "update" }] },
  ])("$name", ({ inp, want }) => {
    expect(planStatefulSet(inp).actions).toEqual(want);
  });

  it.each([["web-0", "web", 0], ["my-db-12", "my-db", 12], ["web", "", -1]] as const)("S1 %s → parent %s ordinal %i", (n, parent, ordinal) => {
    expect(parentAndOrdinal(n)).toEqual({ parent, ordinal });
  });
});
