import { describe, expect, it } from "vitest";
import { createSimulation, type Simulation } from "../../../src/simulation.ts";
import { addNode, startKubelet, stopKubelet } from "../../../src/kubelet/node.ts";
import type { Event, Job, Node, Pod } from "../../../src/api/types.ts";
import { rsManifest } from "../replicaset/builders.ts";
import { podGCState } from "../../../src/controllers/podgc/index.ts";

const S = 1000;
function cluster(nodes: Array<string | { name: string; labels: Record<string, string> }>, seed = 1) {
  const sim = createSimulation({ seed });
  sim.act(() => { for (const n of nodes) addNode(sim, typeof n === "string" ? { name: n } : n); });
  return sim;
}
const at = (sim: Simulation) => (sim.now - sim.startTime) / S;
const node = (sim: Simulation, n: string) => sim.store.get<Node>("Node", undefined, n)!;
const ready = (sim: Simulation, n: string) => node(sim, n).status.conditions!.find((c) => c.type === "Ready")!;
const taints = (sim: Simulation, n: string) => (node(sim, n).spec.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const pods = (sim: Simulation) => sim.store.list<Pod>("Pod");
const ev = (sim: Simulation, reason: string) => sim.store.list<Event>("Event").filter((e) => e.reason === reason);
/** Advance one second at a time until `fn` holds; returns the elapsed seconds since the simulation start. */
function until(sim: Simulation, fn: () => boolean, maxS = 1000): number {
  for (let i = 0; i < maxS && !fn(); i++) sim.advance(S);
  if (!fn()) throw new Error("condition never held");
  return at(sim);
}

describe("N4/N8/N9 a node whose kubelet stops", () => {
  it("goes Unknown after the grace period, is tainted, and its pod is evicted ~5m50s later and replaced elsewhere", () => {
    const sim = cluster(["w1", "w2", "w3"]);
    sim.act(() => sim.store.create(rsManifest("web", 3)));
    sim.advance(30 * S);
    expect(pods(sim).every((p) => p.status.phase === "Running")).toBe(true);
    const victim = pods(sim).find((p) => p.spec.nodeName === "w2")!;
    sim.act(() => stopKubelet(sim, "w2")); // t=30s; last heartbeat at 30s
    sim.advance(54 * S);
    expect(ready(sim, "w2").status).toBe("True");
    const tUnknown = until(sim, () => ready(sim, "w2").status === "Unknown");
    expect(tUnknown).toBe(85); // first 5s tick strictly after 30s + 50s
    expect(ready(sim, "w2")).toMatchObject({ reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." });
    expect(node(sim, "w2").status.conditions!.filter((c) => c.type !== "Ready").map((c) => c.status)).toEqual(["Unknown", "Unknown", "Unknown"]);
    expect(taints(sim, "w2")).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    expect(node(sim, "w2").spec.taints!.every((t) => t.timeAdded === "2025-01-01T00:01:25Z")).toBe(true);
    // MarkPodsNotReady: Ready=False, phase untouched
    const v = sim.store.get<Pod>("Pod", "default", victim.metadata.name)!;
    expect(v.status.phase).toBe("Running");
    expect(v.status.conditions!.find((c) => c.type === "Ready")!.status).toBe("False");
    expect(ev(sim, "NodeNotReady").map((e) => [e.involvedObject.kind, e.message, e.source!.component])).toEqual([
      ["Node", "Node w2 status is now: NodeNotReady", "node-controller"],
      ["Pod", "Node is not ready", "node-controller"],
    ]);
    // N7: the default 300s toleration runs from when the taint was seen
    const tEvicted = until(sim, () => !!sim.store.get<Pod>("Pod", "default", victim.metadata.name)!.metadata.deletionTimestamp);
    expect(tEvicted).toBe(85 + 300);
    expect(tEvicted - 30).toBe(355); // ≈5m50s after the kubelet stopped (+ ≤5s tick alignment)
    const gone = sim.store.get<Pod>("Pod", "default", victim.metadata.name)!;
    expect(gone.status.conditions!.find((c) => c.type === "DisruptionTarget")).toMatchObject({ status: "True", reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" });
    expect(ev(sim, "TaintManagerEviction").map((e) => e.message)).toEqual([`Marking for deletion Pod default/${victim.metadata.name}`]);
    // X4: replaced at once on another node; the old pod stays Terminating (nobody runs the kubelet)
    sim.advance(10 * 60 * S);
    const active = pods(sim).filter((p) => !p.metadata.deletionTimestamp);
    expect(active).toHaveLength(3);
    expect(active.every((p) => p.spec.nodeName !== "w2")).toBe(true);
    expect(sim.store.get<Pod>("Pod", "default", victim.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
  });

  it("recovers: Ready again removes the taints and cancels the pending eviction", () => {
    const sim = cluster(["w1", "w2"]);
    sim.act(() => sim.store.create(rsManifest("web", 2)));
    sim.advance(30 * S);
    sim.act(() => stopKubelet(sim, "w1"));
    sim.advance(120 * S);
    expect(taints(sim, "w1")).toContain("node.kubernetes.io/unreachable:NoExecute");
    sim.act(() => startKubelet(sim, "w1"));
    expect(ready(sim, "w1").status).toBe("True");
    expect(taints(sim, "w1")).toEqual([]);
    const cancelled = ev(sim, "TaintManagerEviction").map((e) => e.message!);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatch(/^Cancelling deletion of Pod default\/web-/);
    sim.advance(600 * S);
    expect(pods(sim).every((p) => !p.metadata.deletionTimestamp)).toBe(true);
  });

  it("N5 a one-node cluster is in full disruption: NotReady but no NoExecute taint, no eviction", () => {
    const sim = cluster(["solo"]);
    sim.act(() => sim.store.create(rsManifest("web", 1)));
    sim.advance(10 * S);
    sim.act(() => stopKubelet(sim, "solo"));
    sim.advance(20 * 60 * S);
    expect(ready(sim, "solo").status).toBe("Unknown");
    expect(taints(sim, "solo")).toEqual(["node.kubernetes.io/unreachable:NoSchedule"]);
    expect(pods(sim).every((p) => !p.metadata.deletionTimestamp)).toBe(true);
  });

  it("N5 all zones down removes the NoExecute taints; one node back resumes tainting at the normal rate", () => {
    const sim = cluster(["a", "b"]);
    sim.advance(10 * S);
    sim.act(() => stopKubelet(sim, "a"));
    sim.advance(70 * S);
    expect(taints(sim, "a")).toContain("node.kubernetes.io/unreachable:NoExecute");
    sim.act(() => stopKubelet(sim, "b"));
    sim.advance(70 * S);
    expect(ready(sim, "b").status).toBe("Unknown");
    expect(taints(sim, "a")).toEqual(["node.kubernetes.io/unreachable:NoSchedule"]);
    expect(taints(sim, "b")).toEqual(["node.kubernetes.io/unreachable:NoSchedule"]);
    sim.act(() => startKubelet(sim, "b"));
    const t0 = at(sim);
    // the drained limiter gives the next token 10s later
    const t = until(sim, () => taints(sim, "a").includes("node.kubernetes.io/unreachable:NoExecute"));
    expect(t - t0).toBe(10);
  });

  it("N3 rate limit: two nodes of a zone going NotReady together are tainted 10s apart (0.1 node/s, burst 1)", () => {
    const sim = cluster(["n1", "n2", "n3", "n4", "n5", "n6"]);
    sim.advance(10 * S);
    sim.act(() => { stopKubelet(sim, "n1"); stopKubelet(sim, "n2"); });
    const t1 = until(sim, () => taints(sim, "n1").includes("node.kubernetes.io/unreachable:NoExecute"));
    expect(taints(sim, "n2")).not.toContain("node.kubernetes.io/unreachable:NoExecute");
    expect(ready(sim, "n2").status).toBe("Unknown");
    const t2 = until(sim, () => taints(sim, "n2").includes("node.kubernetes.io/unreachable:NoExecute"));
    expect(t2 - t1).toBe(10);
  });

  it("N5 partial disruption of a small zone (≥55% and >2 NotReady) stops tainting; other zones are unaffected", () => {
    const z = (name: string, zone: string) => ({ name, labels: { "topology.kubernetes.io/zone": zone } });
    const sim = cluster([z("a1", "a"), z("a2", "a"), z("a3", "a"), z("a4", "a"), z("b1", "b"), z("b2", "b")]);
    sim.advance(10 * S);
    sim.act(() => { for (const n of ["a1", "a2", "a3", "b1"]) stopKubelet(sim, n); });
    sim.advance(120 * S);
    for (const n of ["a1", "a2", "a3"]) {
      expect(ready(sim, n).status).toBe("Unknown");
      expect(taints(sim, n)).toEqual(["node.kubernetes.io/unreachable:NoSchedule"]);
    }
    expect(taints(sim, "b1")).toContain("node.kubernetes.io/unreachable:NoExecute");
  });
});

describe("N3 cordon", () => {
  it("spec.unschedulable adds node.kubernetes.io/unschedulable:NoSchedule (with timeAdded); uncordon removes it", () => {
    const sim = cluster(["w1"]);
    sim.advance(7 * S);
    sim.act(() => sim.store.mutate<Node>("Node", undefined, "w1", (n) => { n.spec.unschedulable = true; }));
    expect(node(sim, "w1").spec.taints).toEqual([{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule", timeAdded: "2025-01-01T00:00:07Z" }]);
    sim.act(() => sim.store.mutate<Node>("Node", undefined, "w1", (n) => { delete n.spec.unschedulable; }));
    expect(node(sim, "w1").spec.taints).toBeUndefined();
  });
  it("RegisteredNode is reported at the first monitor tick", () => {
    const sim = cluster(["w1"]);
    sim.advance(2 * S);
    expect(ev(sim, "RegisteredNode")).toHaveLength(0);
    sim.advance(3 * S);
    expect(ev(sim, "RegisteredNode").map((e) => [e.message, e.source!.component])).toEqual([["Node w1 event: Registered Node w1 in Controller", "node-controller"]]);
  });
});

describe("N7 taint eviction on a manual NoExecute taint", () => {
  const taint = (sim: Simulation, n: string, t?: { key: string; value?: string; effect: string }) =>
    sim.act(() => sim.store.mutate<Node>("Node", undefined, n, (x) => { if (t) x.spec.taints = [...(x.spec.taints ?? []), t]; else delete x.spec.taints; }));
  it("an untolerated taint deletes the pod at once; a tolerated one after tolerationSeconds; removal cancels", () => {
    const sim = cluster(["w1", "w2"]);
    const tol = rsManifest("tol", 1);
    tol.spec.template!.spec!.tolerations = [{ key: "maint", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }];
    tol.spec.template!.spec!.nodeSelector = { "kubernetes.io/hostname": "w1" };
    const plain = rsManifest("plain", 1);
    plain.spec.template!.spec!.nodeSelector = { "kubernetes.io/hostname": "w1" };
    sim.act(() => { sim.store.create(tol); sim.store.create(plain); });
    sim.advance(20 * S);
    const [tp, pp] = [pods(sim).find((p) => p.metadata.name.startsWith("tol-"))!, pods(sim).find((p) => p.metadata.name.startsWith("plain-"))!];
    taint(sim, "w1", { key: "maint", value: "yes", effect: "NoExecute" });
    const evicted = sim.store.get<Pod>("Pod", "default", pp.metadata.name); // the kubelet may already have finished it
    expect(!evicted || !!evicted.metadata.deletionTimestamp).toBe(true);
    expect(sim.store.get<Pod>("Pod", "default", tp.metadata.name)?.metadata.deletionTimestamp).toBeUndefined();
    sim.advance(30 * S);
    taint(sim, "w1"); // removed before 60s
    expect(ev(sim, "TaintManagerEviction").map((e) => e.message)).toEqual([
      `Marking for deletion Pod default/${pp.metadata.name}`,
      `Cancelling deletion of Pod default/${tp.metadata.name}`,
    ]);
    sim.advance(60 * S);
    expect(sim.store.get<Pod>("Pod", "default", tp.metadata.name)?.metadata.deletionTimestamp).toBeUndefined();
    taint(sim, "w1", { key: "maint", value: "yes", effect: "NoExecute" });
    const t0 = at(sim);
    const t = until(sim, () => ev(sim, "TaintManagerEviction").some((e) => e.message === `Marking for deletion Pod default/${tp.metadata.name}`));
    expect(t - t0).toBe(60);
    const x = sim.store.get<Pod>("Pod", "default", tp.metadata.name);
    expect(!x || !!x.metadata.deletionTimestamp).toBe(true);
  });
});

describe("N10 PodGC", () => {
  it("force-deletes pods of a deleted node after the 40s quarantine, on 20s ticks", () => {
    const sim = cluster(["w1", "w2"]);
    const m = rsManifest("web", 1);
    m.spec.template!.spec!.nodeSelector = { "kubernetes.io/hostname": "w1" };
    sim.act(() => sim.store.create(m));
    sim.advance(25 * S);
    const p = pods(sim)[0]!;
    expect(p.spec.nodeName).toBe("w1");
    sim.act(() => sim.store.delete("Node", undefined, "w1")); // t=25s → ticks at 40 (quarantine until 80), 60, 80
    expect(podGCState(sim.ctx).missing.has("w1")).toBe(true);
    sim.advance(54 * S);
    expect(sim.store.get<Pod>("Pod", "default", p.metadata.name)).toBeDefined();
    sim.advance(1 * S);
    expect(at(sim)).toBe(80);
    expect(sim.store.get<Pod>("Pod", "default", p.metadata.name)).toBeUndefined();
    expect(ev(sim, "RemovingNode").map((e) => e.message)).toEqual(["Node w1 event: Removing Node w1 from Controller"]);
    // nothing left to do: no timer stays armed
    sim.advance(60 * S);
    expect(podGCState(sim.ctx).missing.size).toBe(0);
    expect(podGCState(sim.ctx).armedAt).toBeUndefined();
  });
  it("deletes terminated pods beyond the threshold, oldest first", () => {
    const sim = cluster(["w1"]);
    podGCState(sim.ctx).threshold = 2;
    for (let i = 0; i < 4; i++) {
      sim.act(() => sim.store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: `done-${i}`, namespace: "default" }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["true"] }] } } as never));
      sim.advance(5 * S);
    }
    sim.advance(60 * S);
    expect(pods(sim).map((p) => p.metadata.name)).toEqual(["done-2", "done-3"]);
  });
});

describe("J14 TTL after finished", () => {
  it("deletes a finished Job (and its pods, foreground) at finish + ttl", () => {
    const sim = cluster(["w1"]);
    sim.act(() => sim.store.create({
      apiVersion: "batch/v1", kind: "Job", metadata: { name: "once", namespace: "default" },
      spec: { ttlSecondsAfterFinished: 30, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "echo hi"] }] } } },
    } as never));
    const done = until(sim, () => !!sim.store.get<Job>("Job", "default", "once")?.status?.conditions?.some((c) => c.type === "Complete" && c.status === "True"));
    const job = sim.store.get<Job>("Job", "default", "once")!;
    const finished = (Date.parse(job.status!.conditions!.find((c) => c.type === "Complete")!.lastTransitionTime!) - sim.startTime) / S;
    expect(finished).toBeLessThanOrEqual(done);
    const gone = until(sim, () => !sim.store.get<Job>("Job", "default", "once"));
    expect(gone).toBe(finished + 30);
    expect(pods(sim)).toHaveLength(0);
  });
});
