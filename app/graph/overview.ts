/**
 * The canvas overview: every node of a large cluster on one <canvas> (2D context), redrawn on pan,
 * zoom and ticks. Each node is a card with a stacked bar of its pods by status (legend colours) and,
 * when there is room, its name; NotReady nodes have a red border, cordoned ones are hatched.
 */
import type { GNode } from "./layout.ts";
import type { NodeView, Snapshot } from "../engine/snapshot.ts";
import { STATUS_CLASSES } from "../engine/podStatus.ts";
import type { Viewport } from "./cull.ts";
import { nodeByName, unscheduledCount } from "./nodes.tsx";

/** The legend colours (styles.css --c-*), for the canvas. */
export const STATUS_COLOURS: Record<(typeof STATUS_CLASSES)[number], string> = {
  Pending: "#f0b429", ContainerCreating: "#62b0e8", Running: "#27ab83", Completed: "#8896a8",
  Error: "#e12d39", CrashLoopBackOff: "#c2410c", Terminating: "#8b5cf6",
};

export function drawOverview(ctx: CanvasRenderingContext2D, nodes: GNode[], snap: Snapshot, vp: Viewport, width: number, height: number, selected?: string): void {
  ctx.clearRect(0, 0, width, height);
  const z = vp.zoom;
  ctx.textBaseline = "top";
  for (const g of nodes) {
    if (g.parentId) continue;
    const x = g.position.x * z + vp.x, y = g.position.y * z + vp.y, w = g.width * z, h = g.height * z;
    if (x > width || y > height || x + w < 0 || y + h < 0) continue;
    if (g.type === "k8snode") {
      const n = nodeByName(snap.nodes, g.data.key);
      if (n) drawNode(ctx, n, x, y, w, h, selected === n.name);
    } else if (g.type === "lane") {
      ctx.fillStyle = "#fffdf5"; ctx.fillRect(x, y, w, h);
      ctx.strokeStyle = "#e0b85a"; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
      if (h > 10) { ctx.fillStyle = "#8d5b00"; ctx.font = `bold ${Math.min(14, Math.max(9, h * 0.5))}px sans-serif`; ctx.fillText(`Unscheduled ${unscheduledCount(snap)}`, x + 6, y + 3, w - 12); }
    } else if (g.type === "controller") {
      ctx.fillStyle = "#dfe7f3"; ctx.fillRect(x, y, w, Math.max(1, h));
    }
  }
}

function drawNode(ctx: CanvasRenderingContext2D, n: NodeView, x: number, y: number, w: number, h: number, selected: boolean): void {
  ctx.fillStyle = n.ready ? "#ffffff" : "#fff0f0";
  ctx.fillRect(x, y, w, h);
  if (n.cordoned && w > 6) {
    ctx.save();
    ctx.beginPath(); ctx.rect(x, y, w, h); ctx.clip();
    ctx.strokeStyle = "#e8dfcc"; ctx.lineWidth = 1;
    for (let d = -h; d < w; d += 8) { ctx.beginPath(); ctx.moveTo(x + d, y + h); ctx.lineTo(x + d + h, y); ctx.stroke(); }
    ctx.restore();
  }
  // Pods by status: a stacked bar across the card's lower half.
  const c = n.counts ?? [];
  let total = 0;
  for (const v of c) total += v;
  const bx = x + w * 0.06, bw = w * 0.88, by = y + h * 0.55, bh = Math.max(1, h * 0.3);
  if (total > 0) {
    let cx = bx;
    STATUS_CLASSES.forEach((cls, i) => {
      const v = c[i] ?? 0;
      if (!v) return;
      const sw = (bw * v) / total;
      ctx.fillStyle = STATUS_COLOURS[cls];
      ctx.fillRect(cx, by, sw, bh);
      cx += sw;
    });
  } else {
    ctx.fillStyle = "#edf1f6"; ctx.fillRect(bx, by, bw, bh);
  }
  ctx.strokeStyle = selected ? "#2f6fdd" : n.ready ? "#b8c4d2" : "#d64545";
  ctx.lineWidth = selected ? 3 : n.ready ? 1 : 2;
  ctx.strokeRect(x + 0.5, y + 0.5, Math.max(1, w - 1), Math.max(1, h - 1));
  if (w > 48 && h > 14) {
    ctx.fillStyle = "#1f2933";
    ctx.font = `bold ${Math.min(13, Math.max(8, h * 0.2))}px sans-serif`;
    ctx.fillText(n.name, x + w * 0.06, y + h * 0.12, w * 0.88);
  }
}

/** What the canvas shows, in words (its aria-label). */
export function overviewLabel(snap: Snapshot): string {
  const totals = new Array<number>(STATUS_CLASSES.length).fill(0);
  let notReady = 0;
  for (const n of snap.nodes) {
    if (!n.ready) notReady++;
    (n.counts ?? []).forEach((v, i) => { totals[i]! += v; });
  }
  const parts = STATUS_CLASSES.map((cls, i) => (totals[i] ? `${totals[i]} ${cls}` : "")).filter(Boolean);
  return `Cluster overview: ${snap.nodes.length} nodes (${notReady} NotReady), ${snap.podKeys.length} pods${parts.length ? ` (${parts.join(", ")})` : ""}, ${unscheduledCount(snap)} unscheduled`;
}
