/** Level of detail and culling for the graph (app/graph/cull.ts, layout.ts aggregate mode). */
import { describe, expect, it } from "vitest";
import { cull, fitViewport, MAX_MOUNTED_CARDS } from "../../app/graph/cull.ts";
import { emptyLayoutState, layoutGraph, wantsAggregate, NODE_CHIP_LIMIT } from "../../app/graph/layout.ts";
import type { NodeView, PodView, Snapshot } from "../../app/engine/snapshot.ts";

const node = (name: string): NodeView => ({
  name, uid: name, status: "Ready", ready: true, cordoned: false, kubeletRunning: true, roles: [], taints: [],
  cpuCapacity: 2000, memCapacity: 1, podCapacity: 110, cpuRequested: 0, memRequested: 0, podCount: 0,
});
const pod = (i: number, nodeName: string): PodView => ({
  key: `default/p${i}`, uid: `u${i}`, name: `p${i}`, namespace: "default", nodeName, status: "Running", statusClass: "Running",
  ready: "1/1", restarts: 0, ownerUid: "", ownerKind: "", reason: "",
});
function snap(nodes: number, podsPerNode: number): Snapshot {
  const ns = Array.from({ length: nodes }, (_, i) => node(`n${i}`));
  const ps: PodView[] = [];
  ns.forEach((n, j) => { for (let k = 0; k < podsPerNode; k++) ps.push(pod(j * podsPerNode + k, n.name)); });
  return { now: 0, start: 0, version: 1, nodes: ns, pods: Object.fromEntries(ps.map((p) => [p.key, p])), podKeys: ps.map((p) => p.key), controllers: [], events: [] };
}
const size = { width: 1200, height: 700 };

describe("level of detail", () => {
  it.each([
    { nodes: 3, per: 4, aggregate: false, chips: 12 },
    { nodes: 3, per: NODE_CHIP_LIMIT + 1, aggregate: false, chips: 0 }, // a busy node shows counts
    { nodes: 50, per: 30, aggregate: true, chips: 0 },
    { nodes: 500, per: 2, aggregate: true, chips: 0 },
  ])("$nodes nodes × $per pods: aggregate=$aggregate, $chips chips", ({ nodes, per, aggregate, chips }) => {
    const s = snap(nodes, per);
    const r = layoutGraph(s, emptyLayoutState());
    expect(wantsAggregate(s)).toBe(aggregate);
    expect(r.nodes.filter((g) => g.type === "pod").length).toBe(chips);
  });

  it.each([
    { nodes: 5000, zoom: "fit", overview: true },
    { nodes: 5000, zoom: 1, overview: false },
    { nodes: 50, zoom: "fit", overview: false },
  ] as const)("$nodes nodes at zoom $zoom: overview=$overview, at most a few hundred mounted", ({ nodes, zoom, overview }) => {
    const r = layoutGraph(snap(nodes, 1), emptyLayoutState());
    const vp = zoom === "fit" ? fitViewport(r.bounds, size, { padding: 0.08, minZoom: 0.02, maxZoom: 1.1 }) : { x: 0, y: 0, zoom };
    const c = cull(r.nodes, vp, size, r.aggregate);
    expect(c.overview).toBe(overview);
    expect(c.nodes.length).toBeLessThanOrEqual(MAX_MOUNTED_CARDS * 2);
    if (!overview) expect(c.nodes.length).toBeGreaterThan(0);
  });

  it("fitViewport shows the whole bounds", () => {
    const v = fitViewport({ x: -100, y: -50, width: 2000, height: 1000 }, size, { padding: 0, minZoom: 0.01, maxZoom: 2 });
    expect(v.zoom).toBeCloseTo(0.6);
    expect(-100 * v.zoom + v.x).toBeCloseTo(0);
  });
});
