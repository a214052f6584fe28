/**
 * The scheduler's kept plain-pod shapes (cache.ts PlainShape: every node's fit and score kept current, so a pod
 * whose whole rotation window fits skips the filter and scoring passes) must place every pod exactly as the
 * filter loop does (K1 filters, percentageOfNodesToScore sampling with the rotating start index, selectHost's
 * seeded tie-break): each workload runs with the shapes on and off, and every stored Pod, Event and Node and the
 * rng's state must be identical.
 */
import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import { addNode } from "../../../src/kubelet/node.ts";
import { setSchedulerOptions } from "../../../src/scheduler/index.ts";
import { Rng } from "../../../src/clock/rng.ts";
import type { KubeObject } from "../../../src/api/types.ts";

/** Request shapes: a few repeat (kept shapes), some have ephemeral storage, extended resources or none at all. */
const SHAPES: Array<Record<string, string> | undefined> = [
  { cpu: "100m", memory: "64Mi" },
  { cpu: "250m", memory: "256Mi" },
  { cpu: "100m", memory: "64Mi", "ephemeral-storage": "1Gi" },
  { memory: "128Mi" },
  undefined,
  { cpu: "1", memory: "1Gi" },
  { cpu: "100m", "example.com/gpu": "1" },
];

function pod(name: string, r: Rng, shape: number): KubeObject {
  const requests = SHAPES[r.int(5) ? shape : r.int(SHAPES.length)];
  const spec: Record<string, unknown> = { containers: [{ name: "c", image: "nginx", ...(requests ? { resources: { requests } } : {}) }] };
  const k = r.int(20);
  if (k === 0) spec.nodeSelector = { zone: "a" };
  if (k === 1) spec.tolerations = [{ key: "maint", operator: "Exists", effect: "NoSchedule" }];
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec } as unknown as KubeObject;
}

/** A seeded workload: bursts of pods, deletions, cordons, taints, node adds and deletes. */
function run(nodes: number, seed: number, plainShapes: boolean): string {
  const sim = createSimulation({ seed: 1 });
  const r = new Rng(seed);
  let nodeSeq = 0;
  const newNode = () => {
    const i = nodeSeq++;
    const taints = r.int(150) === 0 ? [{ key: "maint", value: "yes", effect: r.int(2) ? "NoSchedule" : "PreferNoSchedule" }] : undefined;
    addNode(sim, {
      name: `n-${String(i).padStart(4, "0")}`, cpu: ["4", "8", "16"][r.int(3)], memory: ["8Gi", "16Gi"][r.int(2)],
      pods: 10 + r.int(60), ...(taints ? { taints } : {}), ...(r.int(3) === 0 ? { labels: { zone: "a" } } : {}),
    });
  };
  for (let i = 0; i < nodes; i++) newNode();
  sim.settle();
  setSchedulerOptions(sim, { plainShapes });
  let podSeq = 0;
  const names: string[] = [];
  for (let round = 0; round < 30; round++) {
    const burst = 1 + r.int(Math.max(2, nodes >> 2));
    const shape = r.int(SHAPES.length); // most of a burst's pods share one shape, as a ReplicaSet's do
    for (let i = 0; i < burst; i++) {
      const name = `p-${podSeq++}`;
      names.push(name);
      sim.store.create(pod(name, r, shape));
    }
    const act = r.int(10);
    const nodeList = sim.store.list("Node");
    const victimNode = nodeList[r.int(nodeList.length)]!.metadata.name;
    if (act < 3 && names.length) {
      for (let i = 0; i < 1 + r.int(burst); i++) {
        const name = names.splice(r.int(names.length), 1)[0];
        if (name && sim.store.get("Pod", "default", name)) sim.store.delete("Pod", "default", name);
      }
    } else if (act === 3) sim.store.mutate("Node", undefined, victimNode, (n) => { n.spec = { ...n.spec, unschedulable: !n.spec?.unschedulable }; });
    else if (act === 4) newNode();
    else if (act === 5 && nodeList.length > 2) sim.store.delete("Node", undefined, victimNode);
    else if (act === 6) sim.store.mutate("Node", undefined, victimNode, (n) => { n.spec = { ...n.spec, taints: n.spec?.taints?.length ? [] : [{ key: "maint", value: "yes", effect: "NoSchedule" }] }; });
    sim.advance(1000 + r.int(5_000));
  }
  const out: string[] = [`rng ${sim.rng.seedState}`];
  for (const kind of ["Pod", "Node", "Event"]) for (const o of sim.store.list(kind)) out.push(JSON.stringify(o));
  return out.join("\n");
}

describe("kept plain-pod shapes place pods exactly as the filter loop (K1, sampling, selectHost)", () => {
  const cases: Array<[string, number, number]> = [
    ["3 nodes (every node scored)", 3, 11],
    ["40 nodes (every node scored, fills up)", 40, 12],
    ["150 nodes (sampled window of 100, rotating)", 150, 13],
    ["260 nodes (sampled window, wrapping)", 260, 14],
  ];
  it.each(cases)("%s", (_name, nodes, seed) => {
    const on = run(nodes, seed, true);
    const off = run(nodes, seed, false);
    expect(on.split("\n").length).toBeGreaterThan(nodes);
    expect(on).toBe(off);
  });
});
