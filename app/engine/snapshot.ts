/**
 * Plain-data views of the cluster for the UI. Built on the engine side of the bridge (so the engine
 * can move into a Web Worker later: these objects are structured-clone friendly), cached per stored
 * object — store objects are immutable, so the same object always yields the same view, and
 * selectors on unchanged pods keep returning the same reference.
 */
import type { KubeObject, Node, Pod, Simulation } from "../../src/index.ts";
import { getSchedulingDiagnosis, podDisplayStatus, nodeStatusText } from "../../src/index.ts";
import { milliCpu, quantity } from "./quantity.ts";
import { statusClass, STATUS_CLASSES, type StatusClass } from "./podStatus.ts";

const CLASS_INDEX = new Map<string, number>(STATUS_CLASSES.map((c, i) => [c, i]));

export interface Taint { key: string; value?: string; effect: string }

export interface NodeView {
  name: string;
  uid: string;
  /** kubectl STATUS column: "Ready", "NotReady", "Unknown", plus ",SchedulingDisabled". */
  status: string;
  ready: boolean;
  cordoned: boolean;
  kubeletRunning: boolean;
  roles: string[];
  taints: Taint[];
  cpuCapacity: number; // millicores (allocatable)
  memCapacity: number; // bytes (allocatable)
  podCapacity: number;
  cpuRequested: number;
  memRequested: number;
  podCount: number;
  /** Pods on the node per colour family, in STATUS_CLASSES order (the graph's aggregate view). */
  counts?: number[];
}

export interface PodView {
  key: string;
  uid: string;
  name: string;
  namespace: string;
  nodeName: string;
  status: string;
  statusClass: StatusClass;
  ready: string;
  restarts: number;
  ownerUid: string;
  ownerKind: string;
  /** Why the scheduler has not placed it (Pending pods only). */
  reason: string;
}

export interface ControllerView {
  uid: string;
  kind: string;
  name: string;
  namespace: string;
  ownerUid: string;
  /** Short state, e.g. "3/3 ready", "1 active", "0 3 * * *". */
  summary: string;
  /** The `kubectl` resource name for this kind (describe/delete). */
  resource: string;
}

export interface EventView {
  uid: string;
  type: string;
  reason: string;
  object: string;
  namespace: string;
  message: string;
  count: number;
  last: number;
}

export interface Snapshot {
  now: number;
  start: number;
  /** Bumps on every snapshot. */
  version: number;
  nodes: NodeView[];
  pods: Record<string, PodView>;
  /** Pod keys in creation order. */
  podKeys: string[];
  controllers: ControllerView[];
  events: EventView[];
}

export const CONTROLLER_KINDS = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "CronJob", "Job"] as const;
const RESOURCE: Record<string, string> = {
  Deployment: "deployment", ReplicaSet: "replicaset", DaemonSet: "daemonset", StatefulSet: "statefulset",
  CronJob: "cronjob", Job: "job", Pod: "pod", Node: "node",
};
export function resourceOf(kind: string): string {
  return RESOURCE[kind] ?? kind.toLowerCase();
}

const MAX_EVENTS = 400;

export class SnapshotBuilder {
  private podCache = new WeakMap<KubeObject, PodView>();
  private ctlCache = new WeakMap<KubeObject, ControllerView>();
  private evCache = new WeakMap<KubeObject, EventView>();
  private nodeCache = new Map<string, NodeView>();
  private version = 0;
  private lastEvents: EventView[] = [];
  private lastControllers: ControllerView[] = [];

  build(sim: Simulation): Snapshot {
    const store = sim.store;
    const pods: Record<string, PodView> = {};
    const podKeys: string[] = [];
    const counts = new Map<string, number[]>();
    for (const p of store.list<Pod>("Pod")) {
      let v = this.podCache.get(p);
      if (!v) {
        v = podView(sim, p);
        // Pending pods' reasons live in the scheduler, not only in the object: re-read while pending.
        if (v.nodeName) this.podCache.set(p, v);
      }
      pods[v.key] = v;
      podKeys.push(v.key);
      if (v.nodeName) {
        let c = counts.get(v.nodeName);
        if (!c) counts.set(v.nodeName, (c = new Array<number>(STATUS_CLASSES.length).fill(0)));
        c[CLASS_INDEX.get(v.statusClass)!]!++;
      }
    }
    const nodes: NodeView[] = [];
    for (const n of store.list<Node>("Node")) {
      const v = nodeView(sim, n, counts.get(n.metadata.name));
      const prev = this.nodeCache.get(v.name);
      if (prev && shallowEqual(prev, v)) nodes.push(prev);
      else { this.nodeCache.set(v.name, v); nodes.push(v); }
    }
    const controllers: ControllerView[] = [];
    for (const kind of CONTROLLER_KINDS) {
      for (const o of store.list(kind)) {
        let v = this.ctlCache.get(o);
        if (!v) { v = controllerView(o); this.ctlCache.set(o, v); }
        controllers.push(v);
      }
    }
    const allEvents = store.list("Event");
    const events: EventView[] = [];
    for (const e of allEvents) {
      let v = this.evCache.get(e);
      if (!v) { v = eventView(e); this.evCache.set(e, v); }
      events.push(v);
    }
    events.sort((a, b) => a.last - b.last);
    const evs = events.length > MAX_EVENTS ? events.slice(events.length - MAX_EVENTS) : events;
    // Keep array identity when nothing changed, so subscribers skip the re-render.
    if (!sameItems(evs, this.lastEvents)) this.lastEvents = evs;
    if (!sameItems(controllers, this.lastControllers)) this.lastControllers = controllers;
    return {
      now: sim.now, start: sim.startTime, version: ++this.version, nodes, pods, podKeys,
      controllers: this.lastControllers, events: this.lastEvents,
    };
  }
}

function sameItems<T>(a: T[], b: T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function shallowEqual(a: NodeView, b: NodeView): boolean {
  for (const k of Object.keys(a) as Array<keyof NodeView>) {
    const x = a[k], y = b[k];
    if (x === y) continue;
    if (Array.isArray(x) && Array.isArray(y) && JSON.stringify(x) === JSON.stringify(y)) continue;
    return false;
  }
  return true;
}

export function podView(sim: Simulation | undefined, p: Pod): PodView {
  // kubectl's own printer (O3/O4), so the graph and `kubectl get pods` always agree.
  const d = podDisplayStatus(p, sim?.now ?? 0);
  const status = d.status, ready = d.ready;
  const owner = p.metadata.ownerReferences?.find((r) => r.controller) ?? p.metadata.ownerReferences?.[0];
  const nodeName = p.spec?.nodeName ?? "";
  let reason = "";
  if (!nodeName) {
    const cond = p.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
    reason = cond?.message ?? "";
    if (!reason && sim) {
      try { reason = getSchedulingDiagnosis(sim, `${p.metadata.namespace}/${p.metadata.name}`)?.message ?? ""; } catch { /* contract stub */ }
    }
  }
  return {
    key: `${p.metadata.namespace ?? "default"}/${p.metadata.name}`,
    uid: p.metadata.uid, name: p.metadata.name, namespace: p.metadata.namespace ?? "default",
    nodeName, status, statusClass: statusClass(status), ready, restarts: d.restarts,
    ownerUid: owner?.uid ?? "", ownerKind: owner?.kind ?? "", reason,
  };
}

export function nodeView(sim: Simulation, n: Node, counts?: number[]): NodeView {
  const readyCond = n.status?.conditions?.find((c) => c.type === "Ready");
  const status = nodeStatusText(n);
  const cordoned = !!n.spec?.unschedulable;
  const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
  let cpuRequested = 0, memRequested = 0, podCount = 0;
  for (const p of sim.store.podsOnNode(n.metadata.name)) {
    podCount++;
    const phase = p.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") continue;
    for (const c of p.spec?.containers ?? []) {
      cpuRequested += milliCpu(c.resources?.requests?.cpu as string | undefined);
      memRequested += quantity(c.resources?.requests?.memory as string | undefined);
    }
  }
  const roles = Object.keys(n.metadata.labels ?? {})
    .filter((l) => l.startsWith("node-role.kubernetes.io/"))
    .map((l) => l.slice("node-role.kubernetes.io/".length))
    .filter(Boolean).sort();
  return {
    name: n.metadata.name, uid: n.metadata.uid, status, ready: readyCond?.status === "True", cordoned,
    kubeletRunning: sim.nodeRuntime.get(n.metadata.name)?.kubeletRunning ?? true,
    roles,
    taints: (n.spec?.taints ?? []).map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
    cpuCapacity: milliCpu(alloc.cpu as string | undefined), memCapacity: quantity(alloc.memory as string | undefined),
    podCapacity: quantity(alloc.pods as string | undefined) || 110,
    cpuRequested, memRequested, podCount,
    counts: counts ?? new Array<number>(STATUS_CLASSES.length).fill(0),
  };
}

export function controllerView(o: KubeObject): ControllerView {
  const s = o.status ?? {}, spec = o.spec ?? {};
  let summary = "";
  switch (o.kind) {
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
      summary = `${s.readyReplicas ?? 0}/${spec.replicas ?? 1} ready`;
      break;
    case "DaemonSet":
      summary = `${s.numberReady ?? 0}/${s.desiredNumberScheduled ?? 0} ready`;
      break;
    case "Job":
      summary = s.completionTime ? `complete ${s.succeeded ?? 0}/${spec.completions ?? 1}`
        : (s.conditions ?? []).some((c: { type: string; status: string }) => c.type === "Failed" && c.status === "True") ? "failed"
        : `${s.active ?? 0} active, ${s.succeeded ?? 0}/${spec.completions ?? 1} done`;
      break;
    case "CronJob":
      summary = spec.suspend ? `suspended · ${spec.schedule}` : String(spec.schedule ?? "");
      break;
  }
  const owner = o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0];
  return {
    uid: o.metadata.uid, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? "default",
    ownerUid: owner?.uid ?? "", summary, resource: resourceOf(o.kind),
  };
}

function eventView(e: KubeObject): EventView {
  const io = e.involvedObject ?? {};
  const t = Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp);
  return {
    uid: e.metadata.uid, type: e.type ?? "Normal", reason: e.reason ?? "", namespace: e.metadata.namespace ?? "default",
    object: `${resourceOf(io.kind ?? "")}/${io.name ?? ""}`, message: e.message ?? "", count: e.count ?? 1,
    last: Number.isNaN(t) ? 0 : t,
  };
}
