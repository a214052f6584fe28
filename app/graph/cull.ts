/**
 * Viewport culling and the level-of-detail switch for the graph. Pure: layout + viewport in, the
 * few hundred React Flow nodes to mount (or "overview": none, the canvas draws everything) out.
 */
import type { GNode, Bounds } from "./layout.ts";

export interface Viewport { x: number; y: number; zoom: number }
export interface Size { width: number; height: number }

/** Below this zoom a large cluster is drawn on the canvas overview. */
export const OVERVIEW_ZOOM = 0.3;
/** Never mount more node cards than this (React Flow's own cost grows with mounted nodes). */
export const MAX_MOUNTED_CARDS = 250;
/** Clusters up to this many nodes stay React Flow cards at any zoom (the canvas is for big ones). */
export const OVERVIEW_MIN_NODES = 200;
/** Mount a little beyond the viewport, so a small pan shows no empty edge. */
const MARGIN = 0.25;

/** The visible part of the flow plane, in flow coordinates. */
export function visibleRect(vp: Viewport, size: Size, margin = MARGIN): Bounds {
  const w = size.width / vp.zoom, h = size.height / vp.zoom;
  return { x: -vp.x / vp.zoom - w * margin, y: -vp.y / vp.zoom - h * margin, width: w * (1 + 2 * margin), height: h * (1 + 2 * margin) };
}

const hits = (g: GNode, r: Bounds) =>
  g.position.x < r.x + r.width && g.position.x + g.width > r.x && g.position.y < r.y + r.height && g.position.y + g.height > r.y;

export interface CullResult { nodes: GNode[]; overview: boolean; cards: number }

/**
 * Top-level nodes that intersect the viewport, with their children (pods inside a node move with
 * it). `aggregate` layouts switch to the overview when zoomed out or when too many cards would show.
 */
export function cull(all: GNode[], vp: Viewport, size: Size, aggregate: boolean): CullResult {
  if (size.width <= 0 || size.height <= 0) return { nodes: all, overview: false, cards: 0 };
  const r = visibleRect(vp, size);
  const shown = new Set<string>();
  let cards = 0, total = 0;
  for (const g of all) {
    if (g.type === "k8snode") total++;
    if (g.parentId) continue;
    if (hits(g, r)) { shown.add(g.id); if (g.type === "k8snode") cards++; }
  }
  if (aggregate && (cards > MAX_MOUNTED_CARDS || (vp.zoom < OVERVIEW_ZOOM && total > OVERVIEW_MIN_NODES))) return { nodes: [], overview: true, cards };
  const nodes = all.filter((g) => shown.has(g.parentId ?? g.id));
  return { nodes, overview: false, cards };
}

/** The viewport that shows `b` whole in `size` (like React Flow's fitView, from our own bounds). */
export function fitViewport(b: Bounds, size: Size, opts: { padding: number; minZoom: number; maxZoom: number }): Viewport {
  const pw = size.width * (1 - 2 * opts.padding), ph = size.height * (1 - 2 * opts.padding);
  const zoom = Math.max(opts.minZoom, Math.min(opts.maxZoom, pw / Math.max(1, b.width), ph / Math.max(1, b.height)));
  return { x: size.width / 2 - (b.x + b.width / 2) * zoom, y: size.height / 2 - (b.y + b.height / 2) * zoom, zoom };
}

/** True when part of `b` lies outside what viewport `v` shows in `size` (`slack` screen pixels tolerated). */
export function outOfView(b: Bounds, v: Viewport, size: Size, slack = 4): boolean {
  const left = b.x * v.zoom + v.x, top = b.y * v.zoom + v.y;
  const right = (b.x + b.width) * v.zoom + v.x, bottom = (b.y + b.height) * v.zoom + v.y;
  return left < -slack || top < -slack || right > size.width + slack || bottom > size.height + slack;
}

/** How far (screen pixels) from a node card a click on the overview still picks it: the cards are tiny there. */
export const PICK_SLOP_PX = 12;

/**
 * The cluster node a click on the overview means: the card under the point, else the nearest card
 * within `slopPx` screen pixels (a click into the thin gap between two cards picks one of them).
 * `at` is in flow coordinates; `zoom` converts the slop.
 */
export function pickNode(all: GNode[], at: { x: number; y: number }, zoom: number, slopPx = PICK_SLOP_PX): GNode | undefined {
  const slop = slopPx / Math.max(zoom, 1e-6);
  let best: GNode | undefined, bestD = Infinity;
  for (const g of all) {
    if (g.type !== "k8snode") continue;
    const dx = Math.max(g.position.x - at.x, 0, at.x - (g.position.x + g.width));
    const dy = Math.max(g.position.y - at.y, 0, at.y - (g.position.y + g.height));
    const d = Math.hypot(dx, dy);
    if (d === 0) return g;
    if (d <= slop && d < bestD) { best = g; bestD = d; }
  }
  return best;
}
