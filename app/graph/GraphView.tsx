/** Centre pane: the live cluster graph (controlled React Flow; positions from layout.ts). */
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlow, Background, Controls, applyNodeChanges, useReactFlow, ReactFlowProvider, type Edge, type Node as RFNode, type NodeChange, type NodeMouseHandler } from "@xyflow/react";
import { getAppStore, useSim } from "../store/simStore.ts";
import { layoutGraph, emptyLayoutState, type GNode, type GEdge, type LayoutState } from "./layout.ts";
import { nodeTypes } from "./nodes.tsx";
import type { Snapshot } from "../engine/snapshot.ts";
import { Legend } from "./Legend.tsx";

type N = RFNode<{ key: string }>;

const FIT = { padding: 0.08, maxZoom: 1.1 };
const FIT_ANIMATED = { ...FIT, duration: 250 };
const PRO = { hideAttribution: true };

function sameNode(a: N, b: GNode): boolean {
  return a.type === b.type && a.parentId === b.parentId && a.position.x === b.position.x && a.position.y === b.position.y
    && a.width === b.width && a.height === b.height && a.data.key === b.data.key;
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
  const compute = (snap: Snapshot) => {
    const r = layoutGraph(snap, layoutState.current, { selectedUid: selectedUid() ?? "" });
    layoutState.current = r.state;
    return r;
  };
  const [nodes, setNodes] = useState<N[]>(() => compute(store.getState().snapshot).nodes.map(toRF));
  const [edges, setEdges] = useState<Edge[]>(() => compute(store.getState().snapshot).edges.map(toEdge));
  // Mirrors of the state, so a tick that changes nothing does not even schedule a render.
  const nodesRef = useRef(nodes);
  const edgesRef = useRef(edges);
  const rf = useReactFlow();
  const nodeCount = useRef(-1);
  // Once the user pans or zooms, the viewport is theirs: no automatic re-fitting after that.
  const userMoved = useRef(false);
  const moveFrom = useRef<{ x: number; y: number; zoom: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let w = el.clientWidth, h = el.clientHeight;
    const ro = new ResizeObserver(() => {
      if (Math.abs(el.clientWidth - w) < 2 && Math.abs(el.clientHeight - h) < 2) return;
      w = el.clientWidth; h = el.clientHeight;
      if (!userMoved.current) void rf.fitView(FIT);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [rf]);

  useEffect(() => store.subscribe((s, p) => {
    if (s.snapshot === p.snapshot && s.selected === p.selected) return;
    const r = compute(s.snapshot);
    const nextNodes = merge(nodesRef.current, r.nodes);
    if (nextNodes !== nodesRef.current) { nodesRef.current = nextNodes; setNodes(nextNodes); }
    if (!sameEdges(edgesRef.current, r.edges)) { edgesRef.current = r.edges.map(toEdge); setEdges(edgesRef.current); }
    // Re-fit only when the set of cluster nodes changes, never on pod churn.
    if (s.snapshot.nodes.length !== nodeCount.current) {
      nodeCount.current = s.snapshot.nodes.length;
      if (!userMoved.current) requestAnimationFrame(() => { void rf.fitView(FIT_ANIMATED); });
    }
  }), [store, rf]);

  const onNodesChange = useCallback((ch: NodeChange<N>[]) => setNodes((n) => (nodesRef.current = applyNodeChanges(ch, n))), []);
  const onPaneClick = useCallback(() => store.getState().select(null), [store]);
  const onMoveStart = useCallback((_: unknown, vp: { x: number; y: number; zoom: number }) => { moveFrom.current = vp; }, []);
  const onMoveEnd = useCallback((ev: unknown, vp: { x: number; y: number; zoom: number }) => {
    const a = moveFrom.current;
    if (ev && a && (a.x !== vp.x || a.y !== vp.y || a.zoom !== vp.zoom)) userMoved.current = true;
  }, []);
  const onFitView = useCallback(() => { userMoved.current = false; void rf.fitView(FIT_ANIMATED); }, [rf]);
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

  const many = nodes.length > 800;
  return (
    <div ref={box} className="graph-box">
    <ReactFlow
      onMoveStart={onMoveStart} onMoveEnd={onMoveEnd}
      nodes={nodes} edges={edges} nodeTypes={nodeTypes} onNodesChange={onNodesChange} onNodeClick={onNodeClick}
      onPaneClick={onPaneClick}
      fitView fitViewOptions={FIT} minZoom={0.05} maxZoom={2.5}
      nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} deleteKeyCode={null}
      panActivationKeyCode={null} selectionKeyCode={null} multiSelectionKeyCode={null} zoomActivationKeyCode={null}
      onlyRenderVisibleElements={many} proOptions={PRO}
      className={many ? "graph many" : "graph"}
    >
      <Background gap={24} size={1} color="#dde3ea" />
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
