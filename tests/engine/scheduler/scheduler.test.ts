import { describe, expect, it } from "vitest";
import { toleratesTaint, firstUntolerated } from "../../../src/scheduler/tolerations.ts";
import { fitErrorMessage } from "../../../src/scheduler/message.ts";
import { runFilters, insufficientResources, type PodInfo } from "../../../src/scheduler/filters.ts";
import { numFeasibleNodesToFind } from "../../../src/scheduler/score.ts";
import { podRequests } from "../../../src/scheduler/resources.ts";
import { hostPorts, type NodeInfo } from "../../../src/scheduler/cache.ts";
import { createSimulation, type Simulation } from "../../../src/simulation.ts";
import { addNode } from "../../../src/kubelet/node.ts";
import { getSchedulingDiagnosis } from "../../../src/scheduler/diagnosis.ts";
import { setSchedulerOptions } from "../../../src/scheduler/index.ts";
import type { Pod } from "../../../src/api/types.ts";

describe("N1 toleration matching (Toleration.ToleratesTaint)", () => {
  const taint = { key: "k", value: "v", effect: "NoSchedule" };
  it.each([
    { name: "Equal, same key/value/effect", tol: { key: "k", operator: "Equal", value: "v", effect: "NoSchedule" }, want: true },
    { name: "empty operator means Equal", tol: { key: "k", value: "v" }, want: true },
    { name: "Equal, other value", tol: { key: "k", operator: "Equal", value: "x" }, want: false },
    { name: "Exists ignores the value", tol: { key: "k", operator: "Exists" }, want: true },
    { name: "empty effect matches every effect", tol: { key: "k", operator: "Exists", effect: "" }, want: true },
    { name: "other effect", tol: { key: "k", operator: "Exists", effect: "NoExecute" }, want: false },
    { name: "empty key + Exists tolerates everything", tol: { operator: "Exists" }, want: true },
    { name: "other key", tol: { key: "j", operator: "Exists" }, want: false },
    { name: "unknown operator", tol: { key: "k", operator: "Gt", value: "v" }, want: false },
  ])("$name", ({ tol, want }) => expect(toleratesTaint(tol, taint)).toBe(want));

  it("empty taint value equals a missing toleration value (Equal)", () =>
    expect(toleratesTaint({ key: "a", operator: "Equal" }, { key: "a", effect: "NoSchedule" })).toBe(true));
  it("first untolerated taint in node order, PreferNoSchedule ignored by the filter (N2)", () => {
    const taints = [{ key: "p", effect: "PreferNoSchedule" }, { key: "a", effect: "NoSchedule" }, { key: "b", effect: "NoExecute" }];
    expect(firstUntolerated(taints, [], ["NoSchedule", "NoExecute"])?.key).toBe("a");
    expect(firstUntolerated(taints, [{ key: "a", operator: "Exists" }], ["NoSchedule", "NoExecute"])?.key).toBe("b");
  });
});

describe("K4 FitError message", () => {
  it.each([
    {
      name: "the spec's example: taint + 2 Insufficient cpu",
      n: 3,
      outcomes: [
        { reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"], unresolvable: true },
        { reasons: ["Insufficient cpu"], unresolvable: false },
        { reasons: ["Insufficient cpu"], unresolvable: false },
      ],
      want: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    },
    {
      name: "sorted as plain strings: 10 before 2",
      n: 12,
      outcomes: [
        ...Array.from({ length: 10 }, () => ({ reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true })),
        { reasons: ["Insufficient memory"], unresolvable: false },
        { reasons: ["Insufficient memory"], unresolvable: false },
      ],
      want: "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient memory. preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    },
    {
      name: "one node, two resource reasons are counted separately",
      n: 1,
      outcomes: [{ reasons: ["Insufficient cpu", "Insufficient memory"], unresolvable: false }],
      want: "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
  ])("$name", ({ n, outcomes, want }) => expect(fitErrorMessage(n, outcomes)).toBe(want));
  it("preemptionPolicy Never", () =>
    expect(fitErrorMessage(1, [{ reasons: ["node(s) were unschedulable"], unresolvable: true }], "never"))
      .toBe("0/1 nodes are available: 1 node(s) were unschedulable. preemption: not eligible due to preemptionPolicy=Never."));
  it("no nodes at all", () => expect(fitErrorMessage(0, [])).toBe("no nodes available to schedule pods"));
});

function nodeInfo(over: Partial<NodeInfo> & { spec?: any; labels?: Record<string, string> } = {}): NodeInfo {
  return {
    name: over.name ?? "n1",
    node: { apiVersion: "v1", kind: "Node", metadata: { name: over.name ?? "n1", labels: over.labels ?? {} } as never, spec: over.spec ?? {}, status: {} } as never,
    allocatable: over.allocatable ?? { cpu: 2000, memory: 4 * 2 ** 30, ephemeral: 0, pods: 110, other: {} },
    requested: over.requested ?? { cpu: 0, memory: 0, ephemeral: 0, other: {} },
    nonZero: { cpu: 0, memory: 0 },
    podCount: over.podCount ?? 0,
    usedPorts: over.usedPorts ?? new Map(),
  };
}
function podInfo(spec: any): PodInfo {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "x" }], ...spec }, status: {} } as unknown as Pod;
  return { pod, req: podRequests(pod), ports: hostPorts(pod) };
}

describe("K1/K2 filters: first failing plugin only, upstream texts", () => {
  it.each([
    { name: "fits", pod: {}, node: {}, want: null },
    { name: "cordoned", pod: {}, node: { spec: { unschedulable: true } }, want: ["NodeUnschedulable", "node(s) were unschedulable"] },
    { name: "cordoned but tolerated", pod: { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }] }, node: { spec: { unschedulable: true } }, want: null },
    { name: "unschedulable wins over taint (order)", pod: {}, node: { spec: { unschedulable: true, taints: [{ key: "a", effect: "NoSchedule" }] } }, want: ["NodeUnschedulable", "node(s) were unschedulable"] },
    { name: "taint with value", pod: {}, node: { spec: { taints: [{ key: "dedicated", value: "gpu", effect: "NoExecute" }] } }, want: ["TaintToleration", "node(s) had untolerated taint {dedicated: gpu}"] },
    { name: "PreferNoSchedule does not filter", pod: {}, node: { spec: { taints: [{ key: "a", effect: "PreferNoSchedule" }] } }, want: null },
    { name: "nodeSelector", pod: { nodeSelector: { disk: "ssd" } }, node: { labels: { disk: "hdd" } }, want: ["NodeAffinity", "node(s) didn't match Pod's node affinity/selector"] },
    { name: "taint before affinity", pod: { nodeSelector: { disk: "ssd" } }, node: { spec: { taints: [{ key: "a", effect: "NoSchedule" }] } }, want: ["TaintToleration", "node(s) had untolerated taint {a: }"] },
    {
      name: "required affinity matchExpressions",
      pod: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }] } } } },
      node: { labels: { zone: "b" } }, want: ["NodeAffinity", "node(s) didn't match Pod's node affinity/selector"],
    },
    {
      name: "matchFields metadata.name (DaemonSet pods)",
      pod: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }] } } } },
      node: {}, want: null,
    },
    { name: "host port in use", pod: { containers: [{ name: "c", image: "x", ports: [{ containerPort: 80, hostPort: 8080, protocol: "TCP" }] }] }, node: { usedPorts: new Map([["TCP/0.0.0.0/8080", 1]]) }, want: ["NodePorts", "node(s) didn't have free ports for the requested pod ports"] },
    { name: "Insufficient cpu and memory together", pod: { containers: [{ name: "c", image: "x", resources: { requests: { cpu: "3", memory: "5Gi" } } }] }, node: {}, want: ["NodeResourcesFit", "Insufficient cpu", "Insufficient memory"] },
    { name: "Too many pods even without requests (K3)", pod: {}, node: { podCount: 110 }, want: ["NodeResourcesFit", "Too many pods"] },
  ])("$name", ({ pod, node, want }) => {
    const r = runFilters(podInfo(pod), nodeInfo(node as never));
    expect(r === null ? null : [r.plugin, ...r.reasons]).toEqual(want);
  });
  it("K3: requests against allocatable minus what is bound", () => {
    const n = nodeInfo({ requested: { cpu: 1500, memory: 0, ephemeral: 0, other: {} } });
    expect(insufficientResources({ cpu: 500, memory: 0, ephemeral: 0, other: {} }, n)).toEqual([]);
    expect(insufficientResources({ cpu: 501, memory: 0, ephemeral: 0, other: {} }, n)).toEqual(["Insufficient cpu"]);
  });
  it("init containers: max(sum of app, max of init) per resource", () => {
    const r = podInfo({
      initContainers: [{ name: "i", image: "x", resources: { requests: { cpu: "1500m" } } }],
      containers: [{ name: "a", image: "x", resources: { requests: { cpu: "500m", memory: "1Gi" } } }, { name: "b", image: "x", resources: { requests: { cpu: "500m" } } }],
    }).req;
    expect([r.cpu, r.memory]).toEqual([1500, 2 ** 30]);
  });
});

describe("percentageOfNodesToScore (adaptive)", () => {
  it.each([[50, 50], [100, 100], [1000, 420], [5000, 500], [6000, 300]])("%i nodes → %i to find", (n, want) =>
    expect(numFeasibleNodesToFind(n)).toBe(want));
});

function pod(name: string, spec: any = {}): any {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx", ...(spec.container ?? {}) }], ...spec, container: undefined } };
}
function get(sim: Simulation, name: string): Pod {
  return sim.store.get<Pod>("Pod", "default", name)!;
}
function events(sim: Simulation, reason: string): string[] {
  return sim.store.list("Event").filter((e: any) => e.reason === reason).map((e: any) => e.message);
}

describe("scheduler controller", () => {
  it("K4/K2: taint + insufficient cpu → FailedScheduling event and PodScheduled=False; diagnosis per node", () => {
    const sim = createSimulation({ seed: 1 });
    addNode(sim, { name: "cp", taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] });
    addNode(sim, { name: "w1", cpu: "1" });
    addNode(sim, { name: "w2", cpu: "1" });
    sim.act(() => sim.store.create(pod("big", { container: { resources: { requests: { cpu: "2" } } } })));
    const msg = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
    expect(events(sim, "FailedScheduling")).toEqual([msg]);
    const cond = get(sim, "big").status.conditions!.find((c) => c.type === "PodScheduled")!;
    expect(cond).toMatchObject({ status: "False", reason: "Unschedulable", message: msg });
    expect(getSchedulingDiagnosis(sim, "default/big")).toEqual({
      message: msg,
      perNode: {
        cp: { plugin: "TaintToleration", reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"] },
        w1: { plugin: "NodeResourcesFit", reasons: ["Insufficient cpu"] },
        w2: { plugin: "NodeResourcesFit", reasons: ["Insufficient cpu"] },
      },
    });
  });

  it("K5: an unschedulable pod is retried when a node is added, then bound with a Scheduled event", () => {
    const sim = createSimulation({ seed: 1 });
    addNode(sim, { name: "w1", cpu: "1" });
    sim.act(() => sim.store.create(pod("big", { container: { resources: { requests: { cpu: "2" } } } })));
    expect(get(sim, "big").spec.nodeName).toBeUndefined();
    sim.act(() => addNode(sim, { name: "w2", cpu: "4" }));
    expect(get(sim, "big").spec.nodeName).toBe("w2");
    expect(events(sim, "Scheduled")).toEqual(["Successfully assigned default/big to w2"]);
    expect(get(sim, "big").status.conditions!.find((c) => c.type === "PodScheduled")!.status).toBe("True");
    expect(getSchedulingDiagnosis(sim, "default/big")).toBeUndefined();
  });

  it("K3/K5: requests are accounted incrementally; deleting a pod frees room for a pending one", () => {
    const sim = createSimulation({ seed: 1 });
    addNode(sim, { name: "w1", cpu: "1" });
    sim.act(() => sim.store.create(pod("a", { container: { resources: { requests: { cpu: "600m" } } } })));
    sim.act(() => sim.store.create(pod("b", { container: { resources: { requests: { cpu: "600m" } } } })));
    expect(get(sim, "a").spec.nodeName).toBe("w1");
    expect(get(sim, "b").spec.nodeName).toBeUndefined();
    sim.act(() => sim.store.delete("Pod", "default", "a", { gracePeriodSeconds: 0 }));
    expect(get(sim, "b").spec.nodeName).toBe("w1");
  });

  it("K5: a taint removal (node update) makes a pending pod schedulable", () => {
    const sim = createSimulation({ seed: 1 });
    addNode(sim, { name: "w1", taints: [{ key: "maint", value: "yes", effect: "NoSchedule" }] });
    sim.act(() => sim.store.create(pod("p")));
    expect(events(sim, "FailedScheduling")[0]).toContain("1 node(s) had untolerated taint {maint: yes}");
    sim.act(() => sim.store.mutate("Node", undefined, "w1", (n) => { delete n.spec.taints; }));
    expect(get(sim, "p").spec.nodeName).toBe("w1");
  });

  it("K2/D13: a pod pinned by matchFields reports the other nodes as PreFilter-rejected", () => {
    const sim = createSimulation({ seed: 1 });
    for (const n of ["a", "b", "c"]) addNode(sim, { name: n, cpu: "1" });
    sim.act(() => sim.store.create(pod("ds-x", {
      container: { resources: { requests: { cpu: "2" } } },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["b"] }] }] } } },
    })));
    expect(events(sim, "FailedScheduling")).toEqual([
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    ]);
  });

  it("least-allocated scoring spreads pods; same seed ⇒ same placement", () => {
    const place = (seed: number) => {
      const sim = createSimulation({ seed });
      for (const n of ["a", "b", "c"]) addNode(sim, { name: n, cpu: "4" });
      for (let i = 0; i < 6; i++) sim.act(() => sim.store.create(pod(`p${i}`, { container: { resources: { requests: { cpu: "500m" } } } })));
      return Array.from({ length: 6 }, (_, i) => get(sim, `p${i}`).spec.nodeName);
    };
    const p = place(7);
    expect(p).toEqual(place(7));
    for (const n of ["a", "b", "c"]) expect(p.filter((x) => x === n)).toHaveLength(2);
  });

  it("K1: big clusters recompute the per-node diagnosis on demand (memory bound)", () => {
    const sim = createSimulation({ seed: 1 });
    for (let i = 0; i < 600; i++) addNode(sim, { name: `n${i}`, cpu: "1", ...(i === 0 ? { taints: [{ key: "gpu", effect: "NoSchedule" }] } : {}) });
    sim.act(() => sim.store.create(pod("big", { container: { resources: { requests: { cpu: "2" } } } })));
    const d = getSchedulingDiagnosis(sim, "default/big")!;
    expect(d.message).toBe("0/600 nodes are available: 1 node(s) had untolerated taint {gpu: }, 599 Insufficient cpu. preemption: 0/600 nodes are available: 1 Preemption is not helpful for scheduling, 599 No preemption victims found for incoming pod.");
    expect(Object.keys(d.perNode)).toHaveLength(600);
    expect(d.perNode.n0).toEqual({ plugin: "TaintToleration", reasons: ["node(s) had untolerated taint {gpu: }"] });
  });

  it("no nodes: 'no nodes available to schedule pods'", () => {
    const sim = createSimulation({ seed: 1 });
    sim.act(() => sim.store.create(pod("p")));
    expect(events(sim, "FailedScheduling")).toEqual(["no nodes available to schedule pods"]);
  });

  it("scales: 300 nodes with sampling and with score-all bind every pod", () => {
    for (const scoreAll of [false, true]) {
      const sim = createSimulation({ seed: 3 });
      setSchedulerOptions(sim, { scoreAll });
      for (let i = 0; i < 300; i++) addNode(sim, { name: `n${i}`, cpu: "2", pods: 10 });
      sim.act(() => { for (let i = 0; i < 500; i++) sim.store.create(pod(`p${i}`)); });
      expect(sim.store.list<Pod>("Pod").filter((p) => !p.spec.nodeName)).toHaveLength(0);
    }
  });
});
