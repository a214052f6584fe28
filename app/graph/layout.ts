/**
 * Where everything goes on the graph. Pure (given the previous slot assignment): K8s nodes keep
 * their grid cell and pods keep their slot inside a node for as long as they live, so nothing jumps
 * when other things come and go. Positions are UI state only, never written to engine objects.
 *
 *   controllers column │ unscheduled lane (grows upward)
 *                      │ node grid (fixed cells, heights grow in steps)
 */
import type { Snapshot, PodView, ControllerView } from "../engine/snapshot.ts";

export const CHIP_W = 136;
export const CHIP_H = 38;
export const CHIP_GAP = 6;
export const POD_COLS = 2;
export const NODE_PAD = 10;
export const NODE_W = POD_COLS * CHIP_W + (POD_COLS - 1) * CHIP_GAP + 2 * NODE_PAD;
export const NODE_HEADER = 92;
export const GAP_X = 28;
export const GAP_Y = 28;
export const CTRL_W = 214;
export const CTRL_H = 52;
export const CTRL_GAP = 10;
export const CTRL_X = -(CTRL_W + 70);
export const LANE_HEAD = 30;
export const LANE_ROW = CHIP_H + 6;
export const EDGE_POD_LIMIT = 160;
/** Level of detail: a node with more pods than this shows counts, not chips. */
export const NODE_CHIP_LIMIT = 24;
/** Whole-cluster chip budget: beyond it every node shows its aggregate. */
export const CHIP_BUDGET = 600;
export const CHIP_NODE_LIMIT = 64;
/** Pending rows listed in the unscheduled lane (the header counts them all). */
export const LANE_MAX = 50;
/** Height of a node card in aggregate form (header, taints, status strip, capacity bars). */
export const AGG_H = NODE_HEADER + 44;

export type Slots = Map<string, number>;

/** Keep existing keys' slots; give new keys the lowest free slot (in `keys` order). */
export function assignSlots(prev: Slots | undefined, keys: string[]): Slots {
  const next: Slots = new Map();
  const used = new Set<number>();
  const want = new Set(keys);
  if (prev) for (const [k, i] of prev) if (want.has(k)) { next.set(k, i); used.add(i); }
  let free = 0;
  for (const k of keys) {
    if (next.has(k)) continue;
    while (used.has(free)) free++;
    next.set(k, free);
    used.add(free);
  }
  return next;
}

export interface LayoutState {
  nodeSlots: Slots;
  podSlots: Map<string, Slots>;
  laneSlots: Slots;
}

export function emptyLayoutState(): LayoutState {
  return { nodeSlots: new Map(), podSlots: new Map(), laneSlots: new Map() };
}

export interface GNode {
  id: string;
  type: "k8snode" | "pod" | "lane" | "pendingPod" | "controller";
  position: { x: number; y: number };
  width: number;
  height: number;
  parentId?: string;
  data: { key: string; agg?: boolean };
  zIndex?: number;
}
export interface GEdge { id: string; source: string; target: string; kind: "owns-ctl" | "owns-pod" }

/** Grid width: up to 4 columns for classroom clusters, wider beyond 16 nodes. */
export function gridColumns(nodeCount: number): number {
  return nodeCount <= 16 ? Math.max(1, Math.min(4, nodeCount)) : Math.ceil(Math.sqrt(nodeCount * 2));
}

export function nodeRows(maxSlot: number): number {
  const rows = Math.ceil((maxSlot + 1) / POD_COLS);
  return Math.max(2, rows + (rows % 2));
}

export function nodeHeight(rows: number): number {
  return NODE_HEADER + rows * (CHIP_H + CHIP_GAP) - CHIP_GAP + NODE_PAD;
}

export const nodeId = (name: string) => `node:${name}`;
export const podId = (key: string) => `pod:${key}`;
export const ctlId = (uid: string) => `ctl:${uid}`;
export const LANE_ID = "lane";

export interface Bounds { x: number; y: number; width: number; height: number }
export interface LayoutResult { nodes: GNode[]; edges: GEdge[]; state: LayoutState; laneWidth: number; bounds: Bounds; aggregate: boolean }

/** Chips for classroom clusters; per-node aggregates beyond (toolchain.md §5: ≥10k chips is ≈5 fps). */
export function wantsAggregate(snap: Snapshot): boolean {
  return snap.podKeys.length > CHIP_BUDGET || snap.nodes.length > CHIP_NODE_LIMIT;
}

export function layoutGraph(snap: Snapshot, prev: LayoutState, opts: { selectedUid?: string; aggregate?: boolean } = {}): LayoutResult {
  const aggregate = opts.aggregate ?? wantsAggregate(snap);
  const nodeNames = snap.nodes.map((n) => n.name);
  const nodeSlots = assignSlots(prev.nodeSlots, nodeNames);
  const known = new Set(nodeNames);
  const podsByNode = new Map<string, string[]>();
  const lane: string[] = [];
  for (const key of snap.podKeys) {
    const p = snap.pods[key]!;
    if (p.nodeName && known.has(p.nodeName)) {
      let l = podsByNode.get(p.nodeName);
      if (!l) podsByNode.set(p.nodeName, (l = []));
      l.push(key);
    } else {
      lane.push(key);
    }
  }
  const podSlots = new Map<string, Slots>();
  const agg = (name: string) => aggregate || (podsByNode.get(name)?.length ?? 0) > NODE_CHIP_LIMIT;
  for (const name of nodeNames) if (!agg(name)) podSlots.set(name, assignSlots(prev.podSlots.get(name), podsByNode.get(name) ?? []));
  const listed = lane.length > LANE_MAX ? lane.slice(0, LANE_MAX) : lane;
  const laneSlots = assignSlots(prev.laneSlots, listed);

  const cols = gridColumns(nodeNames.length);
  // Row heights: the tallest node in each grid row.
  const rowsOf = new Map<string, number>();
  const rowHeight: number[] = [];
  for (const name of nodeNames) {
    const slots = podSlots.get(name);
    let max = -1;
    if (slots) for (const i of slots.values()) if (i > max) max = i;
    const h = slots ? nodeHeight(nodeRows(max)) : AGG_H;
    rowsOf.set(name, h);
    const r = Math.floor(nodeSlots.get(name)! / cols);
    rowHeight[r] = Math.max(rowHeight[r] ?? 0, h);
  }
  const rowY: number[] = [];
  let y = 0;
  const nRows = rowHeight.length;
  for (let r = 0; r < nRows; r++) { rowY[r] = y; y += (rowHeight[r] ?? (aggregate ? AGG_H : nodeHeight(2))) + GAP_Y; }

  const nodes: GNode[] = [];
  const usedCols = Math.max(1, Math.min(cols, nodeNames.length));
  const laneWidth = Math.max(NODE_W * 2 + GAP_X, usedCols * (NODE_W + GAP_X) - GAP_X);

  // Unscheduled lane, anchored at its bottom edge so it grows upward.
  let laneMax = -1;
  for (const i of laneSlots.values()) if (i > laneMax) laneMax = i;
  // An empty lane is just its header; it grows upward, so nothing below it moves.
  const laneH = laneMax < 0 ? LANE_HEAD + 4 : LANE_HEAD + (laneMax + 1) * LANE_ROW + 6;
  nodes.push({ id: LANE_ID, type: "lane", position: { x: 0, y: -GAP_Y - laneH }, width: laneWidth, height: laneH, data: { key: "" } });
  for (const key of listed) {
    const i = laneSlots.get(key)!;
    nodes.push({
      id: podId(key), type: "pendingPod", parentId: LANE_ID, position: { x: NODE_PAD, y: LANE_HEAD + i * LANE_ROW },
      width: laneWidth - 2 * NODE_PAD, height: CHIP_H, data: { key },
    });
  }

  for (const name of nodeNames) {
    const slot = nodeSlots.get(name)!;
    const r = Math.floor(slot / cols), c = slot % cols;
    const id = nodeId(name);
    const slots = podSlots.get(name);
    nodes.push({ id, type: "k8snode", position: { x: c * (NODE_W + GAP_X), y: rowY[r]! }, width: NODE_W, height: rowsOf.get(name)!, data: slots ? { key: name } : { key: name, agg: true } });
    if (!slots) continue;
    for (const key of podsByNode.get(name) ?? []) {
      const i = slots.get(key)!;
      nodes.push({
        id: podId(key), type: "pod", parentId: id,
        position: { x: NODE_PAD + (i % POD_COLS) * (CHIP_W + CHIP_GAP), y: NODE_HEADER + Math.floor(i / POD_COLS) * (CHIP_H + CHIP_GAP) },
        width: CHIP_W, height: CHIP_H, data: { key },
      });
    }
  }

  // Controllers: top-level ones in creation order, each followed by what it owns (RS under
  // Deployment, Job under CronJob), indented.
  const byUid = new Map<string, ControllerView>();
  for (const c of snap.controllers) byUid.set(c.uid, c);
  const children = new Map<string, ControllerView[]>();
  const roots: ControllerView[] = [];
  for (const c of snap.controllers) {
    if (c.ownerUid && byUid.has(c.ownerUid)) {
      let l = children.get(c.ownerUid);
      if (!l) children.set(c.ownerUid, (l = []));
      l.push(c);
    } else roots.push(c);
  }
  let cy = 0;
  const edges: GEdge[] = [];
  const place = (c: ControllerView, depth: number) => {
    nodes.push({ id: ctlId(c.uid), type: "controller", position: { x: CTRL_X + depth * 22, y: cy }, width: CTRL_W - depth * 22, height: CTRL_H, data: { key: c.uid } });
    cy += CTRL_H + CTRL_GAP;
    for (const ch of children.get(c.uid) ?? []) {
      edges.push({ id: `e:${c.uid}>${ch.uid}`, source: ctlId(c.uid), target: ctlId(ch.uid), kind: "owns-ctl" });
      place(ch, depth + 1);
    }
  };
  for (const r of roots) place(r, 0);

  const showAll = snap.podKeys.length <= EDGE_POD_LIMIT;
  if (showAll || opts.selectedUid) {
    const onChart = new Set<string>(listed);
    for (const [name, keys] of podsByNode) if (podSlots.has(name)) for (const k of keys) onChart.add(k);
    for (const key of snap.podKeys) {
      const p: PodView = snap.pods[key]!;
      if (!p.ownerUid || !byUid.has(p.ownerUid) || !onChart.has(key)) continue;
      if (!showAll && p.ownerUid !== opts.selectedUid) continue;
      edges.push({ id: `e:${p.ownerUid}>${key}`, source: ctlId(p.ownerUid), target: podId(key), kind: "owns-pod" });
    }
  }

  const top = Math.min(-GAP_Y - laneH, 0);
  const left = snap.controllers.length ? CTRL_X : 0;
  const bottom = Math.max(y - GAP_Y, cy);
  const bounds = { x: left, y: top, width: laneWidth - left, height: Math.max(1, bottom - top) };
  // Preserve slots of nodes shown as aggregates, so chips come back where they were.
  for (const [name, sl] of prev.podSlots) if (!podSlots.has(name) && known.has(name)) podSlots.set(name, sl);
  return { nodes, edges, state: { nodeSlots, podSlots, laneSlots }, laneWidth, bounds, aggregate };
}
