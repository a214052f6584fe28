/** Level of detail and culling for the graph (app/graph/cull.ts, layout.ts aggregate mode). */
import { describe, expect, it } from "vitest";
import { cull, fitViewport, outOfView, pickNode, MAX_MOUNTED_CARDS, PICK_SLOP_PX } from "../../app/graph/cull.ts";
import type { GNode } from "../../app/graph/layout.ts";
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

  const card = (id: string, x: number, y: number): GNode => ({ id, type: "k8snode", position: { x, y }, width: 100, height: 40, data: { key: id } });
  const two = [card("a", 0, 0), card("b", 110, 0)];
  it.each([
    { what: "inside a", x: 50, y: 20, zoom: 1, want: "a" },
    { what: "gap, nearer a", x: 102, y: 20, zoom: 1, want: "a" },
    { what: "gap, nearer b", x: 108, y: 20, zoom: 1, want: "b" },
    { what: "below a within the slop", x: 50, y: 40 + PICK_SLOP_PX - 1, zoom: 1, want: "a" },
    { what: "below a beyond the slop", x: 50, y: 40 + PICK_SLOP_PX + 1, zoom: 1, want: undefined },
    { what: "far below at zoom 0.1 (slop is screen pixels)", x: 50, y: 40 + 10 * PICK_SLOP_PX - 5, zoom: 0.1, want: "a" },
  ])("overview click picks a node: $what", ({ x, y, zoom, want }) => {
    expect(pickNode(two, { x, y }, zoom)?.id).toBe(want);
  });

  it("a 500-node overview has no dead gaps: every click over the card grid picks a node", () => {
    const r = layoutGraph(snap(500, 6), emptyLayoutState());
    const vp = fitViewport(r.bounds, size, { padding: 0.08, minZoom: 0.02, maxZoom: 1.1 });
    expect(cull(r.nodes, vp, size, r.aggregate).overview).toBe(true);
    const cards = r.nodes.filter((g) => g.type === "k8snode");
    const x0 = Math.min(...cards.map((g) => g.position.x)), y0 = Math.min(...cards.map((g) => g.position.y));
    const x1 = Math.max(...cards.map((g) => g.position.x + g.width));
    const rows = [...new Set(cards.map((g) => g.position.y))].sort((a, b) => a - b);
    const y1 = rows[rows.length - 2]! + cards[0]!.height; // full rows only (the last one may be short)
    let miss = 0;
    for (let sy = y0 * vp.zoom + vp.y; sy <= y1 * vp.zoom + vp.y; sy += 1.7) {
      for (let sx = x0 * vp.zoom + vp.x; sx <= x1 * vp.zoom + vp.x; sx += 3.1) {
        if (!pickNode(r.nodes, { x: (sx - vp.x) / vp.zoom, y: (sy - vp.y) / vp.zoom }, vp.zoom)) miss++;
      }
    }
    expect(miss).toBe(0);
  });
});

describe("outOfView: re-fit when something new would be cut off", () => {
  const size = { width: 1000, height: 500 };
  it.each([
    ["inside", { x: 0, y: 0, width: 500, height: 200 }, { x: 100, y: 100, zoom: 1 }, false],
    ["left edge cut (a new controller column)", { x: -300, y: 0, width: 800, height: 200 }, { x: 100, y: 100, zoom: 1 }, true],
    ["within the 4 px slack", { x: -103, y: 0, width: 500, height: 200 }, { x: 100, y: 100, zoom: 1 }, false],
    ["bottom cut at zoom 2", { x: 0, y: 0, width: 400, height: 300 }, { x: 0, y: 0, zoom: 2 }, true],
  ])("%s", (_, b, v, want) => {
    expect(outOfView(b, v, size)).toBe(want);
  });
});
