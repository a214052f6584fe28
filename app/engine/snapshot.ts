/**
 * Plain-data views of the cluster for the UI. Built on the engine side of the bridge (the engine runs
 * in a Web Worker: these objects are structured-clone friendly), kept per stored object — store objects
 * are immutable, so an unchanged object keeps its view, and selectors on unchanged pods keep returning
 * the same reference.
 */
import type { KubeObject, Node, Pod, Simulation, WatchEvent } from "../../src/index.ts";
import { getSchedulingDiagnosis, podDisplayStatus, nodeStatusText, keyOf } from "../../src/index.ts";
import { milliCpu, quantity } from "./quantity.ts";
import { statusClass, STATUS_CLASSES, type StatusClass } from "./podStatus.ts";
import { NewestEvents } from "./newestEvents.ts";
import { listDelta, type SnapshotDiff, type SnapshotMsg } from "./snapshotDiff.ts";

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
const CLASS_INDEX = new Map<string, number>(STATUS_CLASSES.map((c, i) => [c, i]));

interface PodEntry {
  obj: Pod;
  view: PodView;
  /** Creation order (the store lists pods in it; a pod re-created under its name goes last). */
  seq: number;
  /** Pending with a reason from the scheduler's state, not from the object: re-read every sync. */
  volatile: boolean;
  /** What it adds to its node's aggregates: the node ("" none), colour index, requests (0 when terminal). */
  node: string;
  cls: number;
  cpu: number;
  mem: number;
}

/** A node name's bound pods, summed from each pod's contribution (the node may not exist yet). */
interface NodeAgg {
  pods: number;
  counts: number[];
  cpu: number;
  mem: number;
  /** Pods whose requests are not safe integers: left out of cpu/mem (sums would depend on order), walked instead. */
  inexact: number;
}

interface NodeEntry { obj: Node; view: NodeView | undefined; index: number }
interface CtlEntry { obj: KubeObject; view: ControllerView }

/**
 * The cluster's views, kept up to date from the store's watch stream: a sync rebuilds the views of the
 * objects written since the last one (and of pending pods whose reason lives in the scheduler), moves
 * changed pods' contributions between per-node aggregates, and asks NewestEvents for the event list, so
 * its cost follows what changed, not the cluster's size (the one O(nodes) step left: comparing each
 * node's kubelet flag, which lives outside the store). A view whose content did not change keeps its
 * identity. Lists keep the store's order: creation order, a re-created object last.
 *
 * Two outputs: `build` (a whole Snapshot: the in-thread host and tests) and `message` (what the worker
 * posts: a diff against the last message, collected as the syncs go, so it costs what changed too).
 */
export class SnapshotBuilder {
  private sim: Simulation | undefined;
  private unwatch: (() => void) | undefined;
  private pods = new Map<string, PodEntry>();
  private podSeq = 0;
  private volatile = new Set<string>();
  private aggs = new Map<string, NodeAgg>();
  private nodes = new Map<string, NodeEntry>();
  private nodeList: NodeEntry[] = [];
  private ctls = new Map<string, Map<string, CtlEntry>>();
  private events = new NewestEvents(MAX_EVENTS);
  private controllers: ControllerView[] = [];
  private eventViews: EventView[] = [];
  // Keys written since the last sync.
  private dirtyPods = new Set<string>();
  private dirtyNodes = new Set<string>();
  private dirtyCtls = new Map<string, Set<string>>();
  /** Nodes whose object or aggregates changed in this sync. */
  private touchedNodes = new Set<string>();
  // Since the last build.
  private podsChanged = true;
  private nodesChanged = true;
  private builtPods: Record<string, PodView> = {};
  private builtKeys: string[] = [];
  private builtNodes: NodeView[] = [];
  private version = 0;
  // Since the last message (only while messages are taken): the views the receiver holds.
  private sentVersion: number | undefined;
  private podBase = new Map<string, PodView | undefined>();
  /** Pods removed since the last message (a key also present again was re-created: it moves last). */
  private podGone = new Set<string>();
  private nodeBase = new Map<string, NodeView | undefined>();
  private nodesRemoved = false;
  private sentNodes = 0;
  private sentControllers: ControllerView[] = [];
  private sentEvents: EventView[] = [];

  constructor() {
    for (const k of CONTROLLER_KINDS) { this.ctls.set(k, new Map()); this.dirtyCtls.set(k, new Set()); }
  }

  build(sim: Simulation): Snapshot {
    this.sync(sim);
    if (this.podsChanged) {
      const pods: Record<string, PodView> = {};
      const keys: string[] = new Array(this.pods.size);
      let i = 0;
      for (const [k, e] of this.pods) { pods[k] = e.view; keys[i++] = k; }
      this.builtPods = pods;
      this.builtKeys = keys;
      this.podsChanged = false;
    }
    if (this.nodesChanged) {
      this.builtNodes = this.nodeList.map((e) => e.view!);
      this.nodesChanged = false;
    }
    return {
      now: sim.now, start: sim.startTime, version: ++this.version, nodes: this.builtNodes, pods: this.builtPods,
      podKeys: this.builtKeys, controllers: this.controllers, events: this.eventViews,
    };
  }

  /**
   * What brings a receiver holding the last message's snapshot up to date: the whole snapshot when `full`
   * (or none was taken yet), else a diff (unchanged views left out, so the receiver keeps their identity).
   */
  message(sim: Simulation, full: boolean): SnapshotMsg {
    if (full || this.sentVersion === undefined) {
      const s = this.build(sim);
      this.sent(s.version, s.controllers, s.events);
      return { full: s };
    }
    this.sync(sim);
    const pods: PodView[] = [];
    const removed: string[] = [];
    const added: PodEntry[] = [];
    for (const [k, base] of this.podBase) {
      const e = this.pods.get(k);
      if (!e) { if (base) removed.push(k); continue; }
      if (!base) added.push(e);
      else if (this.podGone.has(k)) { removed.push(k); added.push(e); }
      else if (e.view !== base) pods.push(e.view);
    }
    added.sort((a, b) => a.seq - b.seq);
    for (const e of added) pods.push(e.view);
    const d: SnapshotDiff = { base: this.sentVersion, now: sim.now, start: sim.startTime, version: ++this.version, pods, removed };
    if (this.nodesRemoved) d.nodes = { all: this.nodeList.map((e) => e.view!) };
    else {
      const at: Array<[number, NodeView]> = [];
      for (const [name, base] of this.nodeBase) {
        const e = this.nodes.get(name)!;
        if (base && e.view !== base) at.push([e.index, e.view!]);
      }
      const add = this.nodeList.length > this.sentNodes ? this.nodeList.slice(this.sentNodes).map((e) => e.view!) : undefined;
      if (at.length || add) d.nodes = add ? { at, add } : { at };
    }
    const controllers = listDelta(this.sentControllers, this.controllers, (c) => c.uid);
    if (controllers) d.controllers = controllers;
    if (this.eventViews !== this.sentEvents) d.events = this.eventViews;
    this.sent(d.version, this.controllers, this.eventViews);
    return { diff: d };
  }

  /** Forget everything (after a failed sync): the next build or message starts from the store. */
  reset(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.sim = undefined;
    this.sentVersion = undefined;
  }

  private sent(version: number, controllers: ControllerView[], events: EventView[]): void {
    this.sentVersion = version;
    this.podBase.clear();
    this.podGone.clear();
    this.nodeBase.clear();
    this.nodesRemoved = false;
    this.sentNodes = this.nodeList.length;
    this.sentControllers = controllers;
    this.sentEvents = events;
  }

  /** Watch `sim`'s store and take its current objects as written. */
  private attach(sim: Simulation): void {
    this.unwatch?.();
    this.sim = sim;
    this.pods.clear(); this.volatile.clear(); this.aggs.clear(); this.nodes.clear(); this.nodeList = [];
    this.dirtyPods.clear(); this.dirtyNodes.clear(); this.touchedNodes.clear();
    for (const m of this.ctls.values()) m.clear();
    this.controllers = [];
    this.podsChanged = this.nodesChanged = true;
    this.sentVersion = undefined;
    this.unwatch = sim.store.watch((ev) => this.onWatch(ev));
    const store = sim.store;
    for (const p of store.list("Pod")) this.dirtyPods.add(keyOf(p));
    for (const n of store.list("Node")) this.dirtyNodes.add(n.metadata.name);
    for (const [kind, keys] of this.dirtyCtls) { keys.clear(); for (const o of store.list(kind)) keys.add(keyOf(o)); }
    this.events.reset(store.eventLog);
  }

  private onWatch(ev: WatchEvent): void {
    const kind = ev.kind;
    if (kind === "Event") { if (ev.type !== "ADDED") this.events.touch(ev.key); return; }
    const dirty = kind === "Pod" ? this.dirtyPods : kind === "Node" ? this.dirtyNodes : this.dirtyCtls.get(kind);
    if (!dirty) return;
    // A sync adds new objects in the order of their keys here: an ADDED key moves last, so new objects
    // (a re-created one too) keep the store's creation order even when their key was dirty before.
    if (ev.type === "ADDED") dirty.delete(ev.key);
    dirty.add(ev.key);
  }

  private sync(sim: Simulation): void {
    if (sim !== this.sim) this.attach(sim);
    const store = sim.store;
    const dirty = this.dirtyPods;
    for (const k of this.volatile) dirty.add(k);
    for (const k of dirty) this.syncPod(sim, k);
    dirty.clear();
    for (const name of this.dirtyNodes) this.syncNode(store.getByKey<Node>("Node", name), name);
    this.dirtyNodes.clear();
    // The kubelet flag lives in the simulation, not in the Node: compare it for every node.
    for (const e of this.nodeList) {
      if ((sim.nodeRuntime.get(e.obj.metadata.name)?.kubeletRunning ?? true) !== e.view?.kubeletRunning) this.touchedNodes.add(e.obj.metadata.name);
    }
    for (const name of this.touchedNodes) {
      const e = this.nodes.get(name);
      if (!e) continue;
      const v = nodeView(sim, e.obj, this.requestsOn(sim, name));
      if (e.view && shallowEqual(e.view, v)) continue;
      this.noteNode(name, e.view);
      e.view = v;
      this.nodesChanged = true;
    }
    this.touchedNodes.clear();
    this.syncControllers(store);
    this.eventViews = this.events.update();
  }

  private syncPod(sim: Simulation, key: string): void {
    const obj = sim.store.getByKey<Pod>("Pod", key);
    let e = this.pods.get(key);
    if (e && (!obj || obj.metadata.uid !== e.obj.metadata.uid)) { this.dropPod(key, e); e = undefined; }
    if (!obj || (e && e.obj === obj && !e.volatile)) return;
    const fresh = podView(sim, obj);
    const view = e && samePodView(e.view, fresh) ? e.view : fresh;
    const volatile = !view.nodeName && !unschedulableMessage(obj);
    if (volatile) this.volatile.add(key); else this.volatile.delete(key);
    const cls = CLASS_INDEX.get(view.statusClass)!;
    const req = { cpu: 0, mem: 0 };
    if (view.nodeName) addRequests(obj, req);
    const { cpu, mem } = req;
    if (!e) {
      e = { obj, view, seq: ++this.podSeq, volatile, node: "", cls, cpu: 0, mem: 0 };
      this.notePod(key, undefined);
      this.pods.set(key, e);
      this.podsChanged = true;
    } else if (view !== e.view) {
      this.notePod(key, e.view);
      this.podsChanged = true;
    }
    e.obj = obj;
    e.view = view;
    e.volatile = volatile;
    if (e.node !== view.nodeName || e.cls !== cls || e.cpu !== cpu || e.mem !== mem) {
      if (e.node) this.contribute(e, -1);
      e.node = view.nodeName; e.cls = cls; e.cpu = cpu; e.mem = mem;
      if (e.node) this.contribute(e, 1);
    }
  }

  private dropPod(key: string, e: PodEntry): void {
    if (e.node) this.contribute(e, -1);
    this.notePod(key, e.view);
    if (this.sentVersion !== undefined) this.podGone.add(key);
    this.pods.delete(key);
    this.volatile.delete(key);
    this.podsChanged = true;
  }

  /** Add (sign 1) or take back (-1) a pod's part of its node's aggregates. */
  private contribute(e: PodEntry, sign: number): void {
    let a = this.aggs.get(e.node);
    if (!a) this.aggs.set(e.node, (a = { pods: 0, counts: new Array<number>(STATUS_CLASSES.length).fill(0), cpu: 0, mem: 0, inexact: 0 }));
    a.pods += sign;
    a.counts[e.cls]! += sign;
    if (Number.isSafeInteger(e.cpu) && Number.isSafeInteger(e.mem)) { a.cpu += sign * e.cpu; a.mem += sign * e.mem; }
    else a.inexact += sign;
    if (!a.pods) this.aggs.delete(e.node);
    this.touchedNodes.add(e.node);
  }

  /** The node's requested cpu/memory, pod count and colour counts. */
  private requestsOn(sim: Simulation, name: string): NodeRequests {
    const a = this.aggs.get(name);
    if (!a) return { cpu: 0, mem: 0, pods: 0, counts: new Array<number>(STATUS_CLASSES.length).fill(0) };
    const counts = a.counts.slice();
    if (!a.inexact && Number.isSafeInteger(a.cpu) && Number.isSafeInteger(a.mem)) return { cpu: a.cpu, mem: a.mem, pods: a.pods, counts };
    return { ...walkRequests(sim, name), counts };
  }

  private syncNode(obj: Node | undefined, name: string): void {
    let e = this.nodes.get(name);
    if (e && (!obj || obj.metadata.uid !== e.obj.metadata.uid)) {
      this.nodes.delete(name);
      this.nodeList.splice(e.index, 1);
      for (let i = e.index; i < this.nodeList.length; i++) this.nodeList[i]!.index = i;
      this.noteNode(name, e.view);
      if (this.sentVersion !== undefined) this.nodesRemoved = true;
      this.nodesChanged = true;
      e = undefined;
    }
    if (!obj) return;
    if (!e) {
      e = { obj, view: undefined, index: this.nodeList.length };
      this.nodeList.push(e);
      this.nodes.set(name, e);
      this.noteNode(name, undefined);
      this.nodesChanged = true;
    }
    e.obj = obj;
    this.touchedNodes.add(name);
  }

  private syncControllers(store: Simulation["store"]): void {
    let changed = false;
    for (const [kind, keys] of this.dirtyCtls) {
      if (!keys.size) continue;
      const m = this.ctls.get(kind)!;
      for (const key of keys) {
        const obj = store.getByKey(kind, key);
        let e = m.get(key);
        if (e && (!obj || obj.metadata.uid !== e.obj.metadata.uid)) { m.delete(key); e = undefined; changed = true; }
        if (!obj || e?.obj === obj) continue;
        const v = controllerView(obj);
        if (!e) { m.set(key, { obj, view: v }); changed = true; continue; }
        e.obj = obj;
        if (sameCtlView(e.view, v)) continue;
        e.view = v;
        changed = true;
      }
      keys.clear();
    }
    if (!changed) return;
    const list: ControllerView[] = [];
    for (const m of this.ctls.values()) for (const e of m.values()) list.push(e.view);
    // Keep array identity when nothing changed, so subscribers skip the re-render.
    if (!sameItems(list, this.controllers)) this.controllers = list;
  }

  private notePod(key: string, view: PodView | undefined): void {
    if (this.sentVersion !== undefined && !this.podBase.has(key)) this.podBase.set(key, view);
  }

  private noteNode(name: string, view: NodeView | undefined): void {
    if (this.sentVersion !== undefined && !this.nodeBase.has(name)) this.nodeBase.set(name, view);
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

function samePodView(a: PodView, b: PodView): boolean {
  for (const k in a) if (a[k as keyof PodView] !== b[k as keyof PodView]) return false;
  return true;
}

function sameCtlView(a: ControllerView, b: ControllerView): boolean {
  for (const k in a) if (a[k as keyof ControllerView] !== b[k as keyof ControllerView]) return false;
  return true;
}

/** The PodScheduled=False condition's message (the scheduler's FailedScheduling text), or "". */
function unschedulableMessage(p: Pod): string {
  return p.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False")?.message ?? "";
}

export interface NodeRequests { cpu: number; mem: number; pods: number; counts: number[] }

/** Add the pod's container requests to `acc`, one by one (none when it has finished). */
function addRequests(p: Pod, acc: { cpu: number; mem: number }): void {
  const phase = p.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return;
  for (const c of p.spec?.containers ?? []) {
    acc.cpu += milliCpu(c.resources?.requests?.cpu as string | undefined);
    acc.mem += quantity(c.resources?.requests?.memory as string | undefined);
  }
}

/** cpu/memory requested by the node's bound pods that have not finished, and how many pods it holds, by walking them. */
function walkRequests(sim: Simulation, name: string): Omit<NodeRequests, "counts"> {
  const acc = { cpu: 0, mem: 0 };
  let pods = 0;
  for (const p of sim.store.podsOnNode(name)) { pods++; addRequests(p, acc); }
  return { ...acc, pods };
}

export function podView(sim: Simulation | undefined, p: Pod): PodView {
  // kubectl's own printer (O3/O4), so the graph and `kubectl get pods` always agree.
  const d = podDisplayStatus(p, sim?.now ?? 0);
  const status = d.status, ready = d.ready;
  const owner = p.metadata.ownerReferences?.find((r) => r.controller) ?? p.metadata.ownerReferences?.[0];
  const nodeName = p.spec?.nodeName ?? "";
  let reason = "";
  if (!nodeName) {
    reason = unschedulableMessage(p);
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

export function nodeView(sim: Simulation, n: Node, req: NodeRequests): NodeView {
  const readyCond = n.status?.conditions?.find((c) => c.type === "Ready");
  const status = nodeStatusText(n);
  const cordoned = !!n.spec?.unschedulable;
  const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
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
    cpuRequested: req.cpu, memRequested: req.mem, podCount: req.pods, counts: req.counts,
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

