/** Custom React Flow nodes. Each subscribes to its own slice of the store (toolchain.md §5). */
import { memo } from "react";
import { Handle, Position, type NodeProps, type Node as RFNode } from "@xyflow/react";
import { useSim } from "../store/simStore.ts";
import { formatBytes, formatMilliCpu } from "../engine/quantity.ts";
import { LANE_MAX } from "./layout.ts";
import type { ControllerView, NodeView } from "../engine/snapshot.ts";
import { STATUS_CLASSES } from "../engine/podStatus.ts";

type KeyData = { key: string; agg?: boolean };

// name → view lookups, built once per snapshot list (a `find` per card is O(nodes²) per tick at scale).
const nodeIndex = new WeakMap<NodeView[], Map<string, NodeView>>();
export function nodeByName(nodes: NodeView[], name: string): NodeView | undefined {
  let m = nodeIndex.get(nodes);
  if (!m) { m = new Map(nodes.map((n) => [n.name, n])); nodeIndex.set(nodes, m); }
  return m.get(name);
}
const ctlIndex = new WeakMap<ControllerView[], Map<string, ControllerView>>();
export function controllerByUid(list: ControllerView[], uid: string): ControllerView | undefined {
  let m = ctlIndex.get(list);
  if (!m) { m = new Map(list.map((c) => [c.uid, c])); ctlIndex.set(list, m); }
  return m.get(uid);
}

/** "12 pods: 10 Running, 2 Pending" (legend order, zero counts left out). */
export function countsText(n: NodeView): string {
  const c = n.counts ?? [];
  const parts = STATUS_CLASSES.map((cls, i) => (c[i] ? `${c[i]} ${cls}` : "")).filter(Boolean);
  return `${n.podCount} pod${n.podCount === 1 ? "" : "s"}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

function StatusStrip({ n }: { n: NodeView }) {
  const c = n.counts ?? [];
  const total = c.reduce((a, b) => a + b, 0);
  return (
    <div className="status-strip" title={countsText(n)}>
      <span className="strip-track">
        {total > 0 && STATUS_CLASSES.map((cls, i) => (c[i] ? <span key={cls} className={`strip-seg st-${cls}`} style={{ flexGrow: c[i] }} /> : null))}
      </span>
      <span className="strip-counts">
        {STATUS_CLASSES.map((cls, i) => (c[i] ? <span key={cls} className={`strip-count st-${cls}`}>{c[i]}</span> : null))}
        {total === 0 && <span className="muted">no pods</span>}
      </span>
    </div>
  );
}
type Props = NodeProps<RFNode<KeyData>>;

const hidden = { opacity: 0, width: 1, height: 1, minWidth: 0, minHeight: 0, border: 0, background: "transparent" } as const;

function Bar({ label, used, cap, fmt }: { label: string; used: number; cap: number; fmt: (n: number) => string }) {
  const pct = cap > 0 ? Math.min(100, (used / cap) * 100) : 0;
  return (
    <div className="capbar" title={`${label}: ${fmt(used)} of ${fmt(cap)} requested`}>
      <span className="capbar-label">{label}</span>
      <span className="capbar-track"><span className={`capbar-fill ${pct > 90 ? "hot" : ""}`} style={{ width: `${pct}%` }} /></span>
      <span className="capbar-num">{fmt(used)}/{fmt(cap)}</span>
    </div>
  );
}

function nodeLabel(n: NodeView): string {
  const parts = [n.status.split(",")[0]!];
  if (n.cordoned) parts.push("cordoned");
  if (!n.kubeletRunning) parts.push("kubelet stopped");
  if (n.taints.length) parts.push(`${n.taints.length} taint${n.taints.length > 1 ? "s" : ""}`);
  return `Node ${n.name}: ${parts.join(", ")}`;
}

function aggLabel(n: NodeView): string {
  return `${nodeLabel(n)}; ${countsText(n)}`;
}

export const K8sNodeCard = memo(function K8sNodeCard({ data }: Props) {
  const n = useSim((s) => nodeByName(s.snapshot.nodes, data.key));
  const selected = useSim((s) => s.selected?.kind === "Node" && s.selected.name === data.key);
  if (!n) return null;
  const readyText = n.status.split(",")[0]!;
  return (
    <div className={`k8snode ${n.ready ? "ready" : "notready"} ${selected ? "selected" : ""} ${n.cordoned ? "cordoned" : ""} ${data.agg ? "agg" : ""}`}
      role="group" aria-label={data.agg ? aggLabel(n) : nodeLabel(n)} data-node={n.name} data-status={n.status}>
      <div className="k8snode-head">
        <span className="k8snode-name" title={n.name}>{n.name}</span>
        {n.roles.map((r) => <span key={r} className="role">{r}</span>)}
        <span className={`badge ${n.ready ? "ok" : "bad"}`}>{readyText}</span>
        {n.cordoned && <span className="badge warn" title="spec.unschedulable: new pods are not scheduled here">SchedulingDisabled</span>}
        {!n.kubeletRunning && <span className="badge bad" title="sim node stop: the kubelet no longer posts status">kubelet stopped</span>}
      </div>
      <div className="taints">
        {n.taints.length === 0 ? <span className="muted">no taints</span> : n.taints.map((t) => (
          <span key={`${t.key}:${t.effect}`} className={`taint ${t.effect}`} title={`taint ${t.key}${t.value ? "=" + t.value : ""}:${t.effect}`}>
            {shortKey(t.key)}{t.value ? `=${t.value}` : ""}:{t.effect}
          </span>
        ))}
      </div>
      {data.agg && <StatusStrip n={n} />}
      <Bar label="cpu" used={n.cpuRequested} cap={n.cpuCapacity} fmt={formatMilliCpu} />
      <Bar label="mem" used={n.memRequested} cap={n.memCapacity} fmt={formatBytes} />
      <Bar label="pods" used={n.podCount} cap={n.podCapacity} fmt={String} />
    </div>
  );
});

/**
 * Fit a pod name into a chip without CSS clipping (each overflow clip is a paint chunk, and at
 * 1,500 chips those make every frame's compositing slow): keep the head and the random suffix.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const tail = name.lastIndexOf("-") > 0 ? name.slice(name.lastIndexOf("-")) : name.slice(-5);
  const head = Math.max(3, max - tail.length - 1);
  return `${name.slice(0, head)}…${tail}`;
}

function shortKey(k: string): string {
  return k.replace(/^node\.kubernetes\.io\//, "").replace(/^node-role\.kubernetes\.io\//, "role/");
}

export const PodChip = memo(function PodChip({ data }: Props) {
  const p = useSim((s) => s.snapshot.pods[data.key]);
  const selected = useSim((s) => s.selected?.kind === "Pod" && `${s.selected.namespace}/${s.selected.name}` === data.key);
  if (!p) return null;
  return (
    <div className={`pod st-${p.statusClass} ${selected ? "selected" : ""}`} role="button" tabIndex={-1}
      aria-label={`Pod ${p.name}: ${p.status}, ${p.ready} ready${p.restarts ? `, ${p.restarts} restarts` : ""}`}
      data-pod={p.name} data-status={p.status} title={`${p.namespace}/${p.name}\n${p.status} · READY ${p.ready}${p.restarts ? ` · RESTARTS ${p.restarts}` : ""}`}>
      <Handle type="target" position={Position.Left} style={hidden} isConnectable={false} />
      <span className="pod-name">{fitName(p.name, 20)}</span>
      <span className="pod-meta"><span className="pod-status">{fitName(p.status, 18)}</span><span className="pod-ready">{p.ready}</span>{p.restarts > 0 && <span className="pod-restarts" title="restarts">↻{p.restarts}</span>}</span>
    </div>
  );
});

export const PendingPodRow = memo(function PendingPodRow({ data }: Props) {
  const p = useSim((s) => s.snapshot.pods[data.key]);
  const selected = useSim((s) => s.selected?.kind === "Pod" && `${s.selected.namespace}/${s.selected.name}` === data.key);
  if (!p) return null;
  const reason = p.reason || (p.nodeName ? `node "${p.nodeName}" not found` : "waiting for the scheduler");
  // The lane shows why no node fits; the preemption half of the message is in the tooltip.
  const short = reason.replace(/ preemption: .*$/, "");
  return (
    <div className={`pending-row ${selected ? "selected" : ""}`}>
      <div className={`pod st-${p.statusClass}`} role="button" tabIndex={-1} data-pod={p.name} data-status={p.status}
        aria-label={`Pod ${p.name}: ${p.status}, ${p.ready} ready`} title={`${p.namespace}/${p.name}`}>
        <Handle type="target" position={Position.Left} style={hidden} isConnectable={false} />
        <span className="pod-name">{fitName(p.name, 20)}</span>
        <span className="pod-meta"><span className="pod-status">{fitName(p.status, 18)}</span><span className="pod-ready">{p.ready}</span></span>
      </div>
      <div className="pending-reason" title={reason} aria-label={`Scheduling reason for ${p.name}`}>{short}</div>
    </div>
  );
});

/** Pods without a (known) node; cached per snapshot (every lane render and the overview ask). */
const unscheduledCache = new WeakMap<object, number>();
export function unscheduledCount(snap: { nodes: NodeView[]; podKeys: string[]; pods: Record<string, { nodeName: string }> }): number {
  let n = unscheduledCache.get(snap);
  if (n !== undefined) return n;
  n = 0;
  for (const k of snap.podKeys) { const p = snap.pods[k]!; if (!p.nodeName || !nodeByName(snap.nodes, p.nodeName)) n++; }
  unscheduledCache.set(snap, n);
  return n;
}

export const LaneCard = memo(function LaneCard() {
  const count = useSim((s) => unscheduledCount(s.snapshot));
  return (
    <div className="lane" role="group" aria-label={`Unscheduled pods: ${count}`}>
      <div className="lane-head">Unscheduled <span className="count">{count}</span>{count === 0 && <span className="muted"> — every pod has a node</span>}
        {count > LANE_MAX && <span className="muted"> — the first {LANE_MAX} are listed</span>}</div>
    </div>
  );
});

const KIND_ABBR: Record<string, string> = { Deployment: "deploy", ReplicaSet: "rs", DaemonSet: "ds", StatefulSet: "sts", Job: "job", CronJob: "cj" };

export const ControllerCard = memo(function ControllerCard({ data }: Props) {
  const c = useSim((s) => controllerByUid(s.snapshot.controllers, data.key));
  const selected = useSim((s) => !!c && s.selected?.kind === c.kind && s.selected.name === c.name && s.selected.namespace === c.namespace);
  if (!c) return null;
  return (
    <div className={`ctl kind-${c.kind} ${selected ? "selected" : ""}`} role="button" tabIndex={-1}
      aria-label={`${c.kind} ${c.name}: ${c.summary}`} data-kind={c.kind} data-name={c.name}>
      <Handle type="target" position={Position.Left} style={hidden} isConnectable={false} />
      <span className="ctl-kind">{KIND_ABBR[c.kind] ?? c.kind}</span>
      <span className="ctl-body">
        <span className="ctl-name" title={`${c.namespace}/${c.name}`}>{c.name}</span>
        <span className="ctl-summary">{c.namespace !== "default" ? `${c.namespace} · ` : ""}{c.summary}</span>
      </span>
      <Handle type="source" position={Position.Right} style={hidden} isConnectable={false} />
      <Handle type="source" id="b" position={Position.Bottom} style={{ ...hidden, left: 14 }} isConnectable={false} />
    </div>
  );
});

export const nodeTypes = { k8snode: K8sNodeCard, pod: PodChip, pendingPod: PendingPodRow, lane: LaneCard, controller: ControllerCard };
