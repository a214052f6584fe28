import { describe, expect, it } from "vitest";
import { nodeShouldRunDaemonPod, withDaemonTolerations, replaceNodeAffinity } from "../../../src/controllers/daemonset/predicates.ts";
import { podsShouldBeOnNode, rollingCounts, rollingUpdatePlan, nextBackoff, inBackoff } from "../../../src/controllers/daemonset/plan.ts";
import type { Node, Pod } from "../../../src/api/types.ts";

const node = (name: string, labels: Record<string, string> = {}, taints: Array<{ key: string; value?: string; effect: string }> = []) =>
  ({ metadata: { name, labels }, spec: { taints } }) as unknown as Node;
const T0 = Date.UTC(2025, 0, 1);
function pod(name: string, o: { phase?: string; ready?: boolean; hash?: string; deleting?: boolean; created?: number; node?: string } = {}): Pod {
  return {
    apiVersion: "v1", kind: "Pod",
    metadata: { name, namespace: "default", uid: name, resourceVersion: "1", creationTimestamp: new Date(o.created ?? T0).toISOString(),
      labels: { "controller-revision-hash": o.hash ?? "new" }, ...(o.deleting ? { deletionTimestamp: new Date(T0).toISOString() } : {}) },
    spec: { containers: [], nodeName: o.node ?? "n1" },
    status: { phase: o.phase ?? "Running", conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True", lastTransitionTime: new Date(T0).toISOString() }] },
  } as unknown as Pod;
}

describe("D1 NodeShouldRunDaemonPod", () => {
  const cases = [
    { name: "D1 plain node: run", spec: {}, n: node("a"), want: [true, true] },
    { name: "D1.1 template nodeName elsewhere", spec: { nodeName: "b" }, n: node("a"), want: [false, false] },
    { name: "D1.2 nodeSelector mismatch", spec: { nodeSelector: { disk: "ssd" } }, n: node("a"), want: [false, false] },
    { name: "D1.2 nodeSelector match", spec: { nodeSelector: { disk: "ssd" } }, n: node("a", { disk: "ssd" }), want: [true, true] },
    { name: "D1.3 untolerated NoSchedule: keep running", spec: {}, n: node("a", {}, [{ key: "x", effect: "NoSchedule" }]), want: [false, true] },
    { name: "D1.3 untolerated NoExecute: stop", spec: {}, n: node("a", {}, [{ key: "x", effect: "NoExecute" }]), want: [false, false] },
    { name: "D1 PreferNoSchedule ignored", spec: {}, n: node("a", {}, [{ key: "x", effect: "PreferNoSchedule" }]), want: [true, true] },
    { name: "D1 control-plane taint tolerated by manifest", spec: { tolerations: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] },
      n: node("cp", {}, [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]), want: [true, true] },
    { name: "D2/D7 cordoned node (unschedulable taint) still runs", spec: {}, n: node("a", {}, [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }]), want: [true, true] },
    { name: "D7 NotReady: not-ready NoSchedule untolerated, NoExecute tolerated", spec: {},
      n: node("a", {}, [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }, { key: "node.kubernetes.io/not-ready", effect: "NoExecute" }]), want: [false, true] },
    { name: "D2 network-unavailable only with hostNetwork", spec: { hostNetwork: true }, n: node("a", {}, [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }]), want: [true, true] },
    { name: "D2 network-unavailable without hostNetwork", spec: {}, n: node("a", {}, [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }]), want: [false, true] },
  ];
  it.each(cases)("$name", ({ spec, n, want }) => {
    const r = nodeShouldRunDaemonPod(spec, n);
    expect([r.shouldRun, r.shouldContinueRunning]).toEqual(want);
  });

  it("D2 auto-tolerations are appended once, in upstream order", () => {
    const t = withDaemonTolerations([{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" }], false);
    expect(t.map((x) => `${x.key}:${x.effect}`)).toEqual([
      "node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/disk-pressure:NoSchedule",
      "node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule",
    ]);
  });
  it("D3 required node affinity is replaced by matchFields metadata.name", () => {
    const a = replaceNodeAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "a", operator: "Exists" }] }] } } }, "n1");
    expect(a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }]);
  });
});

describe("D4 podsShouldBeOnNode", () => {
  const run = { shouldRun: true, shouldContinueRunning: true };
  const base = { surge: false, hash: "new", minReadySeconds: 0, now: T0, inBackoff: false };
  const cases = [
    { name: "D4 no pod: create", should: run, pods: [], want: { create: true, remove: [] as string[] } },
    { name: "D4 terminating-only pod: no new pod until gone", should: run, pods: [pod("a", { deleting: true })], want: { create: false, remove: [] } },
    { name: "D4 failed pod deleted", should: run, pods: [pod("a", { phase: "Failed" })], want: { create: false, remove: ["a"] } },
    { name: "D4 succeeded pod deleted", should: run, pods: [pod("a", { phase: "Succeeded" })], want: { create: false, remove: ["a"] } },
    { name: "D4 extra pods: keep the oldest", should: run, pods: [pod("b", { created: T0 + 1000 }), pod("a", { created: T0 })], want: { create: false, remove: ["b"] } },
    { name: "D4 should not continue: delete all", should: { shouldRun: false, shouldContinueRunning: false }, pods: [pod("a"), pod("b", { deleting: true })], want: { create: false, remove: ["a"] } },
    { name: "D7 NoSchedule taint: keep", should: { shouldRun: false, shouldContinueRunning: true }, pods: [pod("a")], want: { create: false, remove: [] } },
  ];
  it.each(cases)("$name", ({ should, pods, want }) => {
    const p = podsShouldBeOnNode({ ...base, should, pods });
    expect({ create: p.create, remove: p.remove }).toEqual(want);
  });
  it("D4 failed pod in backoff is kept for now", () => {
    const p = podsShouldBeOnNode({ ...base, should: run, pods: [pod("a", { phase: "Failed" })], inBackoff: true });
    expect(p.remove).toEqual([]);
    expect(p.backoffHeld).toBe(true);
  });
  it("D4 failed-pod backoff: 1s doubling to 15m", () => {
    let e = nextBackoff(undefined, T0);
    const seen = [e.backoffMs];
    for (let i = 0; i < 12; i++) { e = nextBackoff(e, T0 + i); seen.push(e.backoffMs); }
    expect(seen.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(seen.at(-1)).toBe(900_000);
    expect(inBackoff({ backoffMs: 1000, lastUpdate: T0 }, T0 + 999)).toBe(true);
    expect(inBackoff({ backoffMs: 1000, lastUpdate: T0 }, T0 + 1000)).toBe(false);
  });
});

describe("D9 maxUnavailable rounds up, D10 maxSurge rounds up", () => {
  const cases = [
    { name: "D9 1 of 3", surge: 0, unavail: 1, desired: 3, want: { maxSurge: 0, maxUnavailable: 1 } },
    { name: "D9 10% of 3 → 1 (up)", surge: 0, unavail: "10%", desired: 3, want: { maxSurge: 0, maxUnavailable: 1 } },
    { name: "D9 34% of 3 → 2 (up)", surge: 0, unavail: "34%", desired: 3, want: { maxSurge: 0, maxUnavailable: 2 } },
    { name: "D9 25% of 10 → 3 (up)", surge: 0, unavail: "25%", desired: 10, want: { maxSurge: 0, maxUnavailable: 3 } },
    { name: "D10 surge 10% of 3 → 1 (up)", surge: "10%", unavail: 0, desired: 3, want: { maxSurge: 1, maxUnavailable: 0 } },
    { name: "D9 both 0 at runtime → unavailable 1", surge: "0%", unavail: "0%", desired: 3, want: { maxSurge: 0, maxUnavailable: 1 } },
  ];
  it.each(cases)("$name", ({ surge, unavail, desired, want }) => {
    expect(rollingCounts(surge, unavail, desired)).toEqual(want);
  });

  it("D9 deletes only maxUnavailable available old pods; unavailable old pods at once", () => {
    const nodes = [
      { node: "n1", shouldRun: true, pods: [pod("o1", { hash: "old", node: "n1" })] },
      { node: "n2", shouldRun: true, pods: [pod("o2", { hash: "old", node: "n2" })] },
      { node: "n3", shouldRun: true, pods: [pod("o3", { hash: "old", node: "n3", ready: false })] },
    ];
    expect(rollingUpdatePlan(nodes, "new", undefined, 0, 1, 0, T0)).toEqual({ deletePods: ["o3", "o1"], createOnNodes: [] });
  });
  it("D9 a node with an unavailable new pod blocks further deletes", () => {
    const nodes = [
      { node: "n1", shouldRun: true, pods: [pod("n1p", { node: "n1", ready: false })] },
      { node: "n2", shouldRun: true, pods: [pod("o2", { hash: "old", node: "n2" })] },
    ];
    expect(rollingUpdatePlan(nodes, "new", undefined, 0, 1, 0, T0).deletePods).toEqual([]);
  });
  it("D10 surge creates next to old pods, deletes old once new is available", () => {
    const nodes = [
      { node: "n1", shouldRun: true, pods: [pod("o1", { hash: "old", node: "n1" }), pod("x1", { node: "n1" })] },
      { node: "n2", shouldRun: true, pods: [pod("o2", { hash: "old", node: "n2" })] },
      { node: "n3", shouldRun: true, pods: [pod("o3", { hash: "old", node: "n3" })] },
    ];
    expect(rollingUpdatePlan(nodes, "new", undefined, 1, 0, 0, T0)).toEqual({ deletePods: ["o1"], createOnNodes: ["n2"] });
  });
});
