/**
 * The node lifecycle controller (N3–N5, N9; pkg/controller/nodelifecycle/node_lifecycle_controller.go).
 *
 * Keys: a node name (node events, `sim node stop|start`, and monitor ticks armed for that node) and
 * PASS, the cluster-wide part of a monitor pass: NoExecute tainting through per-zone rate-limited queues
 * (`processTaintBaseEviction`, `doNoExecuteTaintingPass`) and disruption modes (`handleDisruption`).
 * Nothing runs periodically: a tick timer is armed only for a node whose kubelet has stopped (or that was
 * just registered), and a PASS is queued when a node's readiness, zone or existence changes or a
 * rate-limited zone queue waits for a token.
 */
import type { KubeObject, Node, ObjectKey, Pod, WatchEvent } from "../../api/types.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";
import { rfc3339 } from "../../util/time.ts";
import {
  GRACE_PERIOD_MS, LABEL_EXCLUDE_DISRUPTION, Limiter, TAINT_NOT_READY, TAINT_UNREACHABLE, EVICTION_QPS,
  computeZoneState, desiredConditionTaints, hasTaint, managedNoScheduleTaints, swapTaints, taintSetDiff, tickAfter,
  zoneKey, zoneQps, type Taint, type ZoneState,
} from "./plan.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const NAME = "nodelifecycle";
export const COMPONENT = "node-controller";
const PASS: ObjectKey = "\u0000pass";

const NOT_READY_NE: Taint = { key: TAINT_NOT_READY, effect: "NoExecute" };
const UNREACHABLE_NE: Taint = { key: TAINT_UNREACHABLE, effect: "NoExecute" };

interface NodeEntry {
  zone: string;
  excluded: boolean;
  /** Ready status as last observed (undefined: no Ready condition). */
  ready: string | undefined;
  seenAt: number;
  registered: boolean;
  uid: string;
}

interface ZoneTainter {
  queue: string[];
  /** Names queued or already tainted (UniqueQueue keeps processed names so they are not re-added). */
  set: Set<string>;
  limiter: Limiter;
}

interface State {
  nodes: Map<string, NodeEntry>;
  counts: Map<string, { ready: number; notReady: number; size: number }>;
  zoneStates: Map<string, ZoneState>;
  tainters: Map<string, ZoneTainter>;
  notReady: Set<string>;
  ticks: Map<number, Set<string>>;
}

export function nodeLifecycleState(ctx: Ctx): State {
  let s = ctx.sim.ext.get(NAME) as State | undefined;
  if (!s) {
    s = { nodes: new Map(), counts: new Map(), zoneStates: new Map(), tainters: new Map(), notReady: new Set(), ticks: new Map() };
    ctx.sim.ext.set(NAME, s);
  }
  return s;
}

function tainter(st: State, zone: string): ZoneTainter {
  let t = st.tainters.get(zone);
  if (!t) st.tainters.set(zone, (t = { queue: [], set: new Set(), limiter: new Limiter(EVICTION_QPS) }));
  return t;
}

function untaintQueue(st: State, zone: string, name: string) {
  const t = st.tainters.get(zone);
  if (!t) return;
  t.set.delete(name);
  const i = t.queue.indexOf(name);
  if (i >= 0) t.queue.splice(i, 1);
}

/** Arm (once per tick time) a timer that re-runs `name` and a PASS at tick `at`. */
function scheduleTick(ctx: Ctx, st: State, at: number, name: string) {
  let set = st.ticks.get(at);
  if (!set) {
    st.ticks.set(at, (set = new Set()));
    ctx.clock.at(at, () => {
      const names = st.ticks.get(at);
      st.ticks.delete(at);
      for (const n of names ?? []) ctx.enqueue(NAME, n);
      ctx.enqueue(NAME, PASS);
    }, "node monitor tick");
  }
  set.add(name);
}

// ------------------------------------------------------------------ counting (zone states)

function countOf(st: State, zone: string) {
  let c = st.counts.get(zone);
  if (!c) st.counts.set(zone, (c = { ready: 0, notReady: 0, size: 0 }));
  return c;
}

function uncount(st: State, e: NodeEntry) {
  if (e.excluded || e.ready === undefined) return;
  const c = countOf(st, e.zone);
  c.size--;
  if (e.ready === "True") c.ready--;
  else c.notReady--;
  if (c.size === 0) st.counts.delete(e.zone);
}

function count(st: State, e: NodeEntry) {
  if (e.excluded || e.ready === undefined) return;
  const c = countOf(st, e.zone);
  c.size++;
  if (e.ready === "True") c.ready++;
  else c.notReady++;
}

// ------------------------------------------------------------------ node writes

function setTaints(ctx: Ctx, node: Node, taints: Taint[]): Node {
  return ctx.store.mutate<Node>("Node", undefined, node.metadata.name, (n) => {
    if (taints.length) n.spec.taints = taints as never;
    else delete n.spec.taints;
  }, { skipAdmission: true });
}

function swap(ctx: Ctx, node: Node, add: Taint[], del: Taint[]): Node {
  const cur = (node.spec?.taints ?? []) as Taint[];
  const next = swapTaints(cur, add, del, rfc3339(ctx.now()));
  if (jsonEqual(next, cur)) return node;
  return setTaints(ctx, node, next);
}

/** tryUpdateNodeHealth past the grace period: the kubelet's conditions become Unknown. */
function markUnknown(ctx: Ctx, node: Node): Node {
  const now = rfc3339(ctx.now());
  const conds = [...((node.status?.conditions ?? []) as any[])];
  let changed = false;
  for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
    const i = conds.findIndex((c) => c.type === type);
    if (i < 0) {
      conds.push({ type, status: "Unknown", lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: now, reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status." });
      changed = true;
    } else if (conds[i].status !== "Unknown") {
      conds[i] = { ...conds[i], status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: now };
      changed = true;
    }
  }
  if (!changed) return node;
  return ctx.store.updateStatus<Node>(node, { ...node.status, conditions: conds });
}

/** controllerutil.MarkPodsNotReady: Ready=False on every pod of the node (phase untouched). */
function markPodsNotReady(ctx: Ctx, node: string) {
  const now = rfc3339(ctx.now());
  for (const p of ctx.store.podsOnNode(node)) {
    const conds = p.status?.conditions ?? [];
    const i = conds.findIndex((c) => c.type === "Ready");
    if (i < 0 || conds[i]!.status === "False") continue;
    const next = conds.map((c, j) => (j === i ? { ...c, status: "False", lastTransitionTime: now } : c));
    const upd = ctx.store.updateStatus<Pod>(p, { ...p.status, conditions: next });
    ctx.events.event(upd, "Warning", "NodeNotReady", "Node is not ready", COMPONENT);
  }
}

/** markNodeAsReachable: drop the NoExecute pair and forget the node in its zone queue. */
function markNodeAsReachable(ctx: Ctx, st: State, node: Node): Node {
  const e = st.nodes.get(node.metadata.name);
  if (e) untaintQueue(st, e.zone, node.metadata.name);
  const taints = (node.spec?.taints ?? []) as Taint[];
  if (!hasTaint(taints, TAINT_NOT_READY, "NoExecute") && !hasTaint(taints, TAINT_UNREACHABLE, "NoExecute")) return node;
  return swap(ctx, node, [], [NOT_READY_NE, UNREACHABLE_NE]);
}

/** A reference to a node that is gone (RecordNodeEvent names it by name and uid). */
function nodeEventRef(name: string, uid: string): KubeObject {
  return { apiVersion: "v1", kind: "Node", metadata: { name, uid, resourceVersion: "", creationTimestamp: "" } };
}

// ------------------------------------------------------------------ per-node reconcile

function reconcileNode(ctx: Ctx, st: State, name: string): void {
  let node = ctx.store.get<Node>("Node", undefined, name);
  const now = ctx.now();
  let e = st.nodes.get(name);
  if (!node) {
    if (e) {
      uncount(st, e);
      untaintQueue(st, e.zone, name);
      st.notReady.delete(name);
      st.nodes.delete(name);
      ctx.events.event(nodeEventRef(name, e.uid), "Normal", "RemovingNode", `Node ${name} event: Removing Node ${name} from Controller`, COMPONENT);
      ctx.enqueue(NAME, PASS);
    }
    return;
  }
  const zone = zoneKey(node.metadata.labels);
  const excluded = node.metadata.labels?.[LABEL_EXCLUDE_DISRUPTION] !== undefined;
  if (!e) {
    e = { zone, excluded, ready: undefined, seenAt: now, registered: false, uid: node.metadata.uid };
    st.nodes.set(name, e);
    tainter(st, zone);
  } else if (e.zone !== zone || e.excluded !== excluded) {
    uncount(st, e);
    if (e.zone !== zone) untaintQueue(st, e.zone, name);
    e.zone = zone;
    e.excluded = excluded;
    count(st, e);
    tainter(st, zone);
    ctx.enqueue(NAME, PASS);
  }

  // RegisteredNode is reported by the first monitor pass that sees the node.
  if (!e.registered) {
    const due = tickAfter(e.seenAt, ctx.sim.startTime);
    if (now >= due) {
      e.registered = true;
      ctx.events.event(node, "Normal", "RegisteredNode", `Node ${name} event: Registered Node ${name} in Controller`, COMPONENT);
    } else scheduleTick(ctx, st, due, name);
  }

  // N4: heartbeat loss.
  const rt = ctx.sim.nodeRuntime.get(name);
  if (rt && !rt.kubeletRunning) {
    const due = tickAfter(rt.lastHeartbeat + GRACE_PERIOD_MS, ctx.sim.startTime);
    if (now >= due) node = markUnknown(ctx, node);
    else scheduleTick(ctx, st, due, name);
  }

  // N3: NoSchedule condition taints (doNoScheduleTaintingPass).
  const { add, del } = taintSetDiff(desiredConditionTaints(node), managedNoScheduleTaints(node.spec?.taints as Taint[]));
  if (add.length || del.length) node = swap(ctx, node, add, del);

  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready")?.status;
  // A Ready node never keeps the NoExecute pair (markNodeAsReachable on every pass).
  if (ready === "True") node = markNodeAsReachable(ctx, st, node);

  if (ready !== e.ready) {
    if (e.ready === "True" && ready !== undefined && ready !== "True") {
      ctx.events.event(node, "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`, COMPONENT);
      markPodsNotReady(ctx, name);
    }
    uncount(st, e);
    e.ready = ready;
    count(st, e);
    if (ready !== undefined && ready !== "True") st.notReady.add(name);
    else st.notReady.delete(name);
    ctx.enqueue(NAME, PASS);
  }
}

// ------------------------------------------------------------------ the cluster-wide pass

/** processTaintBaseEviction for a node that is not Ready. */
function processTaintBaseEviction(ctx: Ctx, st: State, node: Node, status: string) {
  const e = st.nodes.get(node.metadata.name)!;
  const taints = (node.spec?.taints ?? []) as Taint[];
  const [want, opposite] = status === "False" ? [NOT_READY_NE, UNREACHABLE_NE] : [UNREACHABLE_NE, NOT_READY_NE];
  if (hasTaint(taints, opposite.key, "NoExecute")) {
    // The NoExecute pair is swapped straight away, without the rate limiter.
    swap(ctx, node, [want], [opposite]);
    return;
  }
  // markNodeForTainting
  const t = tainter(st, e.zone);
  if (!hasTaint(taints, want.key, "NoExecute")) untaintQueue(st, e.zone, node.metadata.name);
  if (!t.set.has(node.metadata.name)) {
    t.set.add(node.metadata.name);
    t.queue.push(node.metadata.name);
  }
}

/** handleDisruption (N5). */
function handleDisruption(ctx: Ctx, st: State) {
  const now = ctx.now();
  const newStates = new Map<string, ZoneState>();
  let allAreFully = true;
  for (const zone of [...st.counts.keys()].sort()) {
    const c = st.counts.get(zone)!;
    const s = computeZoneState(c.ready, c.notReady);
    if (s !== "FullDisruption") allAreFully = false;
    newStates.set(zone, s);
    if (!st.zoneStates.has(zone)) st.zoneStates.set(zone, "Initial");
  }
  let allWasFully = true;
  for (const [zone, s] of [...st.zoneStates]) {
    if (!newStates.has(zone)) { st.zoneStates.delete(zone); continue; }
    if (s !== "FullDisruption") { allWasFully = false; break; }
  }
  if (allAreFully && allWasFully) return;
  const setLimiter = (zone: string, s: ZoneState) => {
    const t = tainter(st, zone);
    t.limiter = t.limiter.swap(zoneQps(s, st.counts.get(zone)?.size ?? 0), now);
  };
  if (allAreFully) {
    // Master disruption mode: every node is reachable as far as tainting goes; evictions stop.
    for (const name of [...st.nodes.keys()]) {
      const n = ctx.store.get<Node>("Node", undefined, name);
      if (n) markNodeAsReachable(ctx, st, n);
    }
    for (const zone of st.zoneStates.keys()) {
      const t = tainter(st, zone);
      t.limiter = t.limiter.swap(0, now);
      st.zoneStates.set(zone, "FullDisruption");
    }
    return;
  }
  if (allWasFully) {
    for (const zone of st.zoneStates.keys()) {
      setLimiter(zone, newStates.get(zone)!);
      st.zoneStates.set(zone, newStates.get(zone)!);
    }
    return;
  }
  for (const [zone, s] of st.zoneStates) {
    const ns = newStates.get(zone)!;
    if (s === ns) continue;
    setLimiter(zone, ns);
    st.zoneStates.set(zone, ns);
  }
}

/** doNoExecuteTaintingPass: each zone's queue, one node per token. */
function doNoExecuteTaintingPass(ctx: Ctx, st: State) {
  const now = ctx.now();
  for (const zone of [...st.tainters.keys()].sort()) {
    const t = st.tainters.get(zone)!;
    while (t.queue.length) {
      if (!t.limiter.tryAccept(now)) break;
      const name = t.queue.shift()!;
      const node = ctx.store.get<Node>("Node", undefined, name);
      if (!node) continue;
      const status = (node.status?.conditions ?? []).find((c) => c.type === "Ready")?.status;
      if (status === "False") swap(ctx, node, [NOT_READY_NE], [UNREACHABLE_NE]);
      else if (status === "Unknown") swap(ctx, node, [UNREACHABLE_NE], [NOT_READY_NE]);
      // Ready again (or no condition): nothing to taint; the token is spent all the same.
    }
    const next = t.queue.length ? t.limiter.nextAt() : undefined;
    if (next !== undefined) ctx.enqueueAfter(NAME, PASS, Math.max(0, next - now));
  }
}

function reconcilePass(ctx: Ctx, st: State) {
  for (const name of [...st.notReady]) {
    const node = ctx.store.get<Node>("Node", undefined, name);
    const status = node?.status?.conditions?.find((c) => c.type === "Ready")?.status;
    if (node && status && status !== "True") processTaintBaseEviction(ctx, st, node, status);
  }
  handleDisruption(ctx, st);
  doNoExecuteTaintingPass(ctx, st);
}

export function reconcileNodeLifecycle(ctx: Ctx, key: ObjectKey): void {
  const st = nodeLifecycleState(ctx);
  if (key === PASS) reconcilePass(ctx, st);
  else reconcileNode(ctx, st, key);
}

/** Node events that matter: any add/delete, and changes of conditions, unschedulable, taints or labels. */
function nodeKeys(ev: WatchEvent): ObjectKey[] {
  if (ev.type !== "MODIFIED" || !ev.old) return [ev.key];
  const a = ev.old, b = ev.object;
  if (a.spec?.unschedulable !== b.spec?.unschedulable) return [ev.key];
  if (a.status?.conditions !== b.status?.conditions && !jsonEqual(a.status?.conditions, b.status?.conditions)) return [ev.key];
  if (a.spec?.taints !== b.spec?.taints && !jsonEqual(a.spec?.taints, b.spec?.taints)) return [ev.key];
  if (a.metadata.labels !== b.metadata.labels && !jsonEqual(a.metadata.labels, b.metadata.labels)) return [ev.key];
  return [];
}

export const nodeLifecycleController: ControllerDef = {
  name: NAME,
  watches: [{ kind: "Node", map: nodeKeys }],
  reconcile: reconcileNodeLifecycle,
};

export const controllers: ControllerDef[] = [nodeLifecycleController];
