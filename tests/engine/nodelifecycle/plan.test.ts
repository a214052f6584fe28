import { describe, expect, it } from "vitest";
import {
  Limiter, computeZoneState, desiredConditionTaints, managedNoScheduleTaints, swapTaints, taintSetDiff, tickAfter, zoneKey, zoneQps,
} from "../../../src/controllers/nodelifecycle/plan.ts";
import { matchingTolerations, minTolerationMs, planEviction } from "../../../src/controllers/tainteviction/plan.ts";

const cond = (type: string, status: string) => ({ type, status });

describe("N3 condition taints (doNoScheduleTaintingPass)", () => {
  it.each([
    { name: "Ready=True → none", conds: [cond("Ready", "True")], unsched: false, want: [] },
    { name: "Ready=False → not-ready", conds: [cond("Ready", "False")], unsched: false, want: ["node.kubernetes.io/not-ready"] },
    { name: "Ready=Unknown → unreachable", conds: [cond("Ready", "Unknown")], unsched: false, want: ["node.kubernetes.io/unreachable"] },
    { name: "pressure conditions", conds: [cond("MemoryPressure", "True"), cond("DiskPressure", "True"), cond("PIDPressure", "True"), cond("NetworkUnavailable", "True"), cond("Ready", "True")], unsched: false,
      want: ["node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/network-unavailable"] },
    { name: "pressure Unknown does not taint", conds: [cond("MemoryPressure", "Unknown"), cond("Ready", "Unknown")], unsched: false, want: ["node.kubernetes.io/unreachable"] },
    { name: "cordoned → unschedulable", conds: [cond("Ready", "True")], unsched: true, want: ["node.kubernetes.io/unschedulable"] },
  ])("$name", ({ conds, unsched, want }) => {
    const got = desiredConditionTaints({ spec: { unschedulable: unsched }, status: { conditions: conds } } as never);
    expect(got.map((t) => t.key)).toEqual(want);
    expect(got.every((t) => t.effect === "NoSchedule")).toBe(true);
  });

  it("only controller-managed NoSchedule taints are diffed; user taints and NoExecute are left alone", () => {
    const have = [
      { key: "dedicated", value: "gpu", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: "t0" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "t0" },
    ];
    const managed = managedNoScheduleTaints(have);
    expect(managed.map((t) => t.key)).toEqual(["node.kubernetes.io/unreachable"]);
    const { add, del } = taintSetDiff([{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }], managed);
    expect(swapTaints(have, add, del, "t1")).toEqual([
      { key: "dedicated", value: "gpu", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "t0" },
      { key: "node.kubernetes.io/not-ready", effect: "NoSchedule", timeAdded: "t1" },
    ]);
  });
});

describe("N4 monitor ticks (5s from the simulation start, strictly after grace)", () => {
  it.each([[0, 5000], [4999, 5000], [5000, 10000], [60_000, 65_000], [61_234, 65_000]])("tickAfter(%i) = %i", (t, want) => {
    expect(tickAfter(1_000_000 + t, 1_000_000)).toBe(1_000_000 + want);
  });
});

describe("N5 zones and disruption", () => {
  it.each([
    [{}, ""],
    [{ "topology.kubernetes.io/zone": "a" }, ":\u0000:a"],
    [{ "topology.kubernetes.io/region": "r", "topology.kubernetes.io/zone": "a" }, "r:\u0000:a"],
    [{ "failure-domain.beta.kubernetes.io/zone": "b" }, ":\u0000:b"],
  ])("zoneKey(%j)", (labels, want) => expect(zoneKey(labels as Record<string, string>)).toBe(want));

  it.each([
    { ready: 3, notReady: 0, want: "Normal" },
    { ready: 0, notReady: 1, want: "FullDisruption" },
    { ready: 0, notReady: 0, want: "Normal" },
    { ready: 2, notReady: 2, want: "Normal" }, // needs > 2 not ready
    { ready: 2, notReady: 3, want: "PartialDisruption" }, // 60% ≥ 55%
    { ready: 3, notReady: 3, want: "Normal" }, // 50% < 55%
    { ready: 40, notReady: 60, want: "PartialDisruption" },
  ])("computeZoneState($ready ready, $notReady not ready) = $want", ({ ready, notReady, want }) => {
    expect(computeZoneState(ready, notReady)).toBe(want);
  });

  it.each([
    ["Normal", 3, 0.1], ["FullDisruption", 3, 0.1], ["PartialDisruption", 50, 0], ["PartialDisruption", 51, 0.01],
  ] as const)("zoneQps(%s, %i nodes) = %d", (s, n, want) => expect(zoneQps(s, n)).toBe(want));

  it("the token bucket (0.1/s, burst 1) on virtual time; swapping drains the new bucket when the old was empty", () => {
    const l = new Limiter(0.1);
    expect(l.tryAccept(0)).toBe(true);
    expect(l.tryAccept(9_999)).toBe(false);
    expect(l.nextAt()).toBe(10_000);
    expect(l.tryAccept(10_000)).toBe(true);
    const never = l.swap(0, 12_000);
    expect(never.tryAccept(100_000)).toBe(false);
    expect(never.nextAt()).toBeUndefined();
    const back = never.swap(0.1, 200_000);
    expect(back.tryAccept(200_000)).toBe(false);
    expect(back.tryAccept(210_000)).toBe(true);
  });
});

describe("N7 taint eviction plan", () => {
  const unreachable = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" };
  const notReady = { key: "node.kubernetes.io/not-ready", effect: "NoExecute" };
  const custom = { key: "maint", value: "yes", effect: "NoExecute" };
  const dflt = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  ];
  it.each([
    { name: "no taints → cancel", taints: [], tols: dflt, want: { type: "cancel" } },
    { name: "N6 defaults tolerate unreachable for 300s", taints: [unreachable], tols: dflt, want: { type: "after", ms: 300_000 } },
    { name: "untolerated taint → now", taints: [unreachable, custom], tols: dflt, want: { type: "now" } },
    { name: "no tolerations at all → now", taints: [notReady], tols: undefined, want: { type: "now" } },
    { name: "tolerated forever → cancel", taints: [custom], tols: [{ key: "maint", operator: "Exists" }], want: { type: "cancel" } },
    { name: "min of the used tolerations", taints: [custom, unreachable], tols: [{ key: "maint", operator: "Equal", value: "yes", effect: "NoExecute", tolerationSeconds: 60 }, ...dflt], want: { type: "after", ms: 60_000 } },
    { name: "tolerationSeconds 0 → at once", taints: [custom], tols: [{ operator: "Exists", tolerationSeconds: 0 }], want: { type: "after", ms: 0 } },
    { name: "DS-style Exists without seconds → never", taints: [unreachable], tols: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }], want: { type: "cancel" } },
  ])("$name", ({ taints, tols, want }) => {
    expect(planEviction(taints, tols as never)).toEqual(want);
  });
  it("uses the first matching toleration per taint", () => {
    const tols = [{ operator: "Exists" }, { key: "maint", operator: "Exists", tolerationSeconds: 5 }];
    const { allTolerated, used } = matchingTolerations([custom], tols);
    expect(allTolerated).toBe(true);
    expect(minTolerationMs(used)).toBe(-1);
  });
});
