/** Centre pane: the live cluster graph (controlled React Flow; positions from layout.ts). */
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlow, Background, Controls, applyNodeChanges, useReactFlow, ReactFlowProvider, type Edge, type Node as RFNode, type NodeChange, type NodeMouseHandler } from "@xyflow/react";
import { getAppStore, useSim } from "../store/simStore.ts";
import { layoutGraph, emptyLayoutState, type GNode, type GEdge, type LayoutState, type LayoutResult } from "./layout.ts";
import { nodeTypes } from "./nodes.tsx";
import type { Snapshot } from "../engine/snapshot.ts";
import { Legend } from "./Legend.tsx";
import { cull, fitViewport, outOfView, pickNode, type Viewport } from "./cull.ts";
import { drawOverview, overviewLabel } from "./overview.ts";
import "./graph.css";

type N = RFNode<{ key: string; agg?: boolean }>;

const FIT = { padding: 0.08, minZoom: 0.02, maxZoom: 1.1 };
const FIT_MS = 250;
const PRO = { hideAttribution: true };

function sameNode(a: N, b: GNode): boolean {
  return a.type === b.type && a.parentId === b.parentId && a.position.x === b.position.x && a.position.y === b.position.y
    && a.width === b.width && a.height === b.height && a.data.key === b.data.key && !!a.data.agg === !!b.data.agg;
}

function toRF(g: GNode): N {
  return {
    id: g.id, type: g.type, position: g.position, width: g.width, height: g.height, data: g.data,
    ...(g.parentId ? { parentId: g.parentId } : {}),
    draggable: false, connectable: false, selectable: false, focusable: false,
    style: { width: g.width, height: g.height },
    ...(g.type === "k8snode" || g.type === "lane" ? { zIndex: 0 } : {}),
  };
}

function toEdge(e: GEdge): Edge {
  return {
    id: e.id, source: e.source, target: e.target, type: e.kind === "owns-ctl" ? "smoothstep" : "default",
    className: e.kind, selectable: false, focusable: false,
    ...(e.kind === "owns-ctl" ? { sourceHandle: "b" } : {}),
  };
}

/** Merge a new layout into the current nodes, keeping unchanged node objects (and measurements). */
function merge(prev: N[], next: GNode[]): N[] {
  const byId = new Map(prev.map((n) => [n.id, n]));
  let changed = prev.length !== next.length;
  const out = next.map((g, i) => {
    const old = byId.get(g.id);
    if (old && sameNode(old, g)) {
      if (prev[i] !== old) changed = true;
      return old;
    }
    changed = true;
    return old ? { ...old, ...toRF(g) } : toRF(g);
  });
  return changed ? out : prev;
}

function sameEdges(a: Edge[], b: GEdge[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.id !== b[i]!.id) return false;
  return true;
}

function selectedUid(): string | undefined {
  const s = getAppStore().getState();
  const sel = s.selected;
  if (!sel || sel.kind === "Node" || sel.kind === "Pod") return undefined;
  return s.snapshot.controllers.find((c) => c.kind === sel.kind && c.name === sel.name && c.namespace === sel.namespace)?.uid;
}

function Graph() {
  const store = getAppStore();
  const layoutState = useRef<LayoutState>(emptyLayoutState());
  const full = useRef<LayoutResult | null>(null);
  const compute = (snap: Snapshot) => {
    const r = layoutGraph(snap, layoutState.current, { selectedUid: selectedUid() ?? "" });
    layoutState.current = r.state;
    full.current = r;
    return r;
  };
  const [nodes, setNodes] = useState<N[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const [overview, setOverview] = useState(false);
  const [overviewText, setOverviewText] = useState("");
  // Mirrors of the state, so a tick that changes nothing does not even schedule a render.
  const nodesRef = useRef(nodes);
  const edgesRef = useRef(edges);
  const overviewRef = useRef(false);
  const rf = useReactFlow();
  const nodeCount = useRef(-1);
  const vp = useRef<Viewport>({ x: 0, y: 0, zoom: 1 });
  const size = useRef({ width: 0, height: 0 });
  // Once the user pans or zooms, the viewport is theirs: no automatic re-fitting after that.
  const userMoved = useRef(false);
  const moveFrom = useRef<{ x: number; y: number; zoom: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  /** Draw the overview canvas (when it is on) for the current viewport and snapshot. */
  const draw = useCallback(() => {
    const c = canvas.current, r = full.current;
    if (!c || !r) return;
    const dpr = window.devicePixelRatio || 1;
    const w = size.current.width, h = size.current.height;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
    const ctx = c.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!overviewRef.current) { ctx.clearRect(0, 0, w, h); return; }
    const st = store.getState();
    drawOverview(ctx, r.nodes, st.snapshot, vp.current, w, h, st.selected?.kind === "Node" ? st.selected.name : undefined);
  }, [store]);

  /** Mount what the viewport shows (culling; level of detail), keeping unchanged node objects. */
  const sync = useCallback((edgesToo: boolean) => {
    const r = full.current;
    if (!r) return;
    const c = cull(r.nodes, vp.current, size.current, r.aggregate);
    if (c.overview !== overviewRef.current) {
      overviewRef.current = c.overview;
      setOverview(c.overview);
    }
    if (c.overview) setOverviewText(overviewLabel(store.getState().snapshot));
    const nextNodes = merge(nodesRef.current, c.nodes);
    const mountedChanged = nextNodes !== nodesRef.current;
    if (mountedChanged) { nodesRef.current = nextNodes; setNodes(nextNodes); }
    if (edgesToo || mountedChanged) {
      const mounted = new Set(nextNodes.map((n) => n.id));
      const want = r.edges.filter((e) => mounted.has(e.source) && mounted.has(e.target));
      if (!sameEdges(edgesRef.current, want)) { edgesRef.current = want.map(toEdge); setEdges(edgesRef.current); }
    }
    draw();
  }, [draw, store]);

  const fit = useCallback((duration: number) => {
    const r = full.current;
    if (!r || size.current.width <= 0) return;
    const v = fitViewport(r.bounds, size.current, FIT);
    vp.current = v;
    void rf.setViewport(v, duration ? { duration } : undefined);
    sync(false);
  }, [rf, sync]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    size.current = { width: el.clientWidth, height: el.clientHeight };
    compute(store.getState().snapshot);
    nodeCount.current = store.getState().snapshot.nodes.length;
    fit(0);
    sync(true);
    let w = el.clientWidth, h = el.clientHeight;
    const ro = new ResizeObserver(() => {
      if (Math.abs(el.clientWidth - w) < 2 && Math.abs(el.clientHeight - h) < 2) return;
      w = el.clientWidth; h = el.clientHeight;
      size.current = { width: w, height: h };
      if (!userMoved.current) fit(0); else sync(false);
    });
    ro.observe(el);
    return () => ro.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, fit, sync]);

  useEffect(() => store.subscribe((s, p) => {
    if (s.snapshot === p.snapshot && s.selected === p.selected) return;
    compute(s.snapshot);
    sync(true);
    // Re-fit (until the user moves the view) when the set of cluster nodes changes, or when something new
    // (a controller column, a taller node) would be cut off; never merely because pods churn in view.
    const nodesChanged = s.snapshot.nodes.length !== nodeCount.current;
    nodeCount.current = s.snapshot.nodes.length;
    const r = full.current;
    const cutOff = !!r && outOfView(r.bounds, vp.current, size.current) && fitViewport(r.bounds, size.current, FIT).zoom > FIT.minZoom;
    if (!userMoved.current && (nodesChanged || cutOff)) {
      requestAnimationFrame(() => fit(FIT_MS));
    }
  }), [store, fit, sync]);

  // Pan/zoom: re-cull at most once a frame.
  const frame = useRef(0);
  const onMove = useCallback((_: unknown, v: Viewport) => {
    vp.current = v;
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => { frame.current = 0; sync(false); });
  }, [sync]);

  const onNodesChange = useCallback((ch: NodeChange<N>[]) => setNodes((n) => (nodesRef.current = applyNodeChanges(ch, n))), []);
  const onPaneClick = useCallback((ev: React.MouseEvent) => {
    const s = store.getState();
    const r = full.current;
    if (overviewRef.current && r) {
      // The overview is a picture: find the node under the click, select it and zoom in on it.
      const at = rf.screenToFlowPosition({ x: ev.clientX, y: ev.clientY });
      const hit = pickNode(r.nodes, at, rf.getViewport().zoom);
      if (hit) {
        s.select({ kind: "Node", name: hit.data.key, namespace: "" });
        userMoved.current = true;
        void rf.setCenter(hit.position.x + hit.width / 2, hit.position.y + hit.height / 2, { zoom: 0.9, duration: FIT_MS });
        return;
      }
    }
    s.select(null);
  }, [store, rf]);
  const onMoveStart = useCallback((_: unknown, v: Viewport) => { moveFrom.current = v; }, []);
  const onMoveEnd = useCallback((ev: unknown, v: Viewport) => {
    const a = moveFrom.current;
    vp.current = v;
    if (ev && a && (a.x !== v.x || a.y !== v.y || a.zoom !== v.zoom)) userMoved.current = true;
    sync(false);
  }, [sync]);
  const onFitView = useCallback(() => { userMoved.current = false; fit(FIT_MS); }, [fit]);
  const onNodeClick: NodeMouseHandler<N> = useCallback((ev, n) => {
    ev.stopPropagation();
    const s = store.getState();
    if (n.type === "k8snode") s.select({ kind: "Node", name: n.data.key, namespace: "" });
    else if (n.type === "pod" || n.type === "pendingPod") {
      const p = s.snapshot.pods[n.data.key];
      if (p) s.select({ kind: "Pod", name: p.name, namespace: p.namespace });
    } else if (n.type === "controller") {
      const c = s.snapshot.controllers.find((x) => x.uid === n.data.key);
      if (c) s.select({ kind: c.kind, name: c.name, namespace: c.namespace });
    }
  }, [store]);

  return (
    <div ref={box} className="graph-box">
    <ReactFlow
      onMoveStart={onMoveStart} onMove={onMove} onMoveEnd={onMoveEnd}
      nodes={nodes} edges={edges} nodeTypes={nodeTypes} onNodesChange={onNodesChange} onNodeClick={onNodeClick}
      onPaneClick={onPaneClick}
      minZoom={FIT.minZoom} maxZoom={2.5}
      nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} deleteKeyCode={null}
      panActivationKeyCode={null} selectionKeyCode={null} multiSelectionKeyCode={null} zoomActivationKeyCode={null}
      proOptions={PRO}
      className={full.current?.aggregate ? "graph many" : "graph"}
    >
      <Background gap={24} size={1} color="#dde3ea" />
      <canvas ref={canvas} className={`overview ${overview ? "on" : ""}`} role="img" aria-hidden={!overview}
        aria-label={overview ? overviewText : undefined} data-overview={overview ? "on" : "off"} />
      {overview && <div className="overview-hint">Overview — zoom in or click a node to see its pods</div>}
      <Controls showInteractive={false} position="bottom-right" onFitView={onFitView} />
    </ReactFlow>
    </div>
  );
}

function SelectionBadge() {
  const sel = useSim((s) => s.selected);
  return (
    <div className="selection" aria-live="polite">
      {sel ? <>{`${sel.kind.toLowerCase()}/${sel.name}`}<button type="button" aria-label="Clear selection" onClick={() => getAppStore().getState().select(null)}>×</button></>
        : "Click a node, pod or controller to act on it"}
    </div>
  );
}

export function GraphView() {
  return (
    <section className="pane graph-pane" aria-label="Cluster graph">
      <ReactFlowProvider>
        <Graph />
      </ReactFlowProvider>
      <Legend />
      <SelectionBadge />
    </section>
  );
}
