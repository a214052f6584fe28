/**
 * The taint-eviction controller (N7, N8; pkg/controller/tainteviction/taint_eviction.go): deletes pods that do
 * not tolerate a node's NoExecute taints, at once or after the smallest tolerationSeconds.
 *
 * Keys: `n:<node>` (its NoExecute taints changed), `p:<ns>/<pod>` (a pod was bound, deleted or changed its
 * tolerations), `e:<ns>/<pod>` (a scheduled eviction is due). Scheduled evictions are clock timers,
 * cancelled when the taints go away or the pod does.
 */
import type { KubeObject, Node, ObjectKey, Pod, WatchEvent } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import { ApiError } from "../../api/errors.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";
import { rfc3339 } from "../../util/time.ts";
import { noExecuteTaints, planEviction, type Taint, type Toleration } from "./plan.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const NAME = "tainteviction";
export const COMPONENT = "taint-eviction-controller";

interface Worker { createdAt: number; fireAt: number; timer: number }

interface State {
  /** Nodes with NoExecute taints, as last seen. */
  taintedNodes: Map<string, Taint[]>;
  /** TimedWorkerQueue: a pending worker, or null once it fired (kept so the pod is not evicted twice). */
  workers: Map<ObjectKey, Worker | null>;
  /** Nodes whose `n:` key was queued and not yet reconciled (podKeys: see there). */
  pendingNodes: Set<string>;
}

function state(ctx: Ctx): State {
  let s = ctx.sim.ext.get(NAME) as State | undefined;
  if (!s) ctx.sim.ext.set(NAME, (s = { taintedNodes: new Map(), workers: new Map(), pendingNodes: new Set() }));
  return s;
}

/** The events reference the pod by namespace/name only (no uid), as upstream does. */
function podRef(key: ObjectKey): KubeObject {
  const { namespace, name } = splitKey(key);
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace } } as unknown as KubeObject;
}

function cancelWorkWithEvent(ctx: Ctx, st: State, key: ObjectKey) {
  if (!st.workers.has(key)) return;
  const w = st.workers.get(key);
  st.workers.delete(key);
  if (w) {
    ctx.clock.cancel(w.timer);
    ctx.events.event(podRef(key), "Normal", "TaintManagerEviction", `Cancelling deletion of Pod ${key}`, COMPONENT);
  }
}

/** deletePodHandler: event, DisruptionTarget condition, then a normal (graceful) delete. */
function evict(ctx: Ctx, st: State, key: ObjectKey) {
  const { namespace, name } = splitKey(key);
  const pod = ctx.store.get<Pod>("Pod", namespace, name);
  ctx.events.event(podRef(key), "Normal", "TaintManagerEviction", `Marking for deletion Pod ${key}`, COMPONENT);
  if (!pod) { st.workers.delete(key); return; }
  const conds = pod.status?.conditions ?? [];
  const want = { type: "DisruptionTarget", status: "True", reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" };
  const old = conds.find((c) => c.type === "DisruptionTarget");
  if (!old || old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
    const cond = { ...want, lastTransitionTime: old && old.status === want.status ? old.lastTransitionTime : rfc3339(ctx.now()) };
    const next = old ? conds.map((c) => (c.type === "DisruptionTarget" ? cond : c)) : [...conds, cond];
    ctx.store.updateStatus(pod, { ...pod.status, conditions: next });
  }
  try {
    ctx.store.delete("Pod", namespace, name);
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === "NotFound")) throw e;
  }
  st.workers.set(key, null);
}

/** TimedWorkerQueue.AddWork: nothing if a worker (pending or fired) exists; fire now when due. */
function addWork(ctx: Ctx, st: State, key: ObjectKey, createdAt: number, fireAt: number) {
  if (st.workers.has(key)) return;
  const delay = fireAt - createdAt;
  if (delay <= 0) {
    st.workers.set(key, null);
    evict(ctx, st, key);
    return;
  }
  const timer = ctx.clock.at(ctx.now() + delay, () => ctx.enqueue(NAME, `e:${key}`), `taint eviction ${key}`);
  st.workers.set(key, { createdAt, fireAt, timer });
}

function processPodOnNode(ctx: Ctx, st: State, key: ObjectKey, tolerations: readonly Toleration[] | undefined, taints: readonly Taint[], now: number) {
  const plan = planEviction(taints, tolerations);
  if (plan.type === "cancel") { cancelWorkWithEvent(ctx, st, key); return; }
  if (plan.type === "now") {
    cancelWorkWithEvent(ctx, st, key);
    addWork(ctx, st, key, now, now);
    return;
  }
  let start = now;
  const trigger = now + plan.ms;
  const existing = st.workers.get(key);
  if (existing) {
    start = existing.createdAt;
    if (start + plan.ms < trigger) return;
    cancelWorkWithEvent(ctx, st, key);
  }
  addWork(ctx, st, key, start, trigger);
}

function handleNodeUpdate(ctx: Ctx, st: State, name: string) {
  st.pendingNodes.delete(name);
  const node = ctx.store.get<Node>("Node", undefined, name);
  if (!node) { st.taintedNodes.delete(name); return; }
  const taints = noExecuteTaints(node.spec?.taints as Taint[]);
  if (taints.length) st.taintedNodes.set(name, taints);
  else st.taintedNodes.delete(name);
  const pods = ctx.store.podsOnNode(name);
  if (!pods.length) return;
  const now = ctx.now();
  for (const p of pods) {
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    if (!taints.length) cancelWorkWithEvent(ctx, st, key);
    else processPodOnNode(ctx, st, key, p.spec.tolerations as Toleration[], taints, now);
  }
}

function handlePodUpdate(ctx: Ctx, st: State, key: ObjectKey) {
  const { namespace, name } = splitKey(key);
  const pod = ctx.store.get<Pod>("Pod", namespace, name);
  if (!pod) { cancelWorkWithEvent(ctx, st, key); return; }
  const node = pod.spec.nodeName;
  if (!node) return;
  const taints = st.taintedNodes.get(node);
  if (!taints) return;
  processPodOnNode(ctx, st, key, pod.spec.tolerations as Toleration[], taints, ctx.now());
}

export function reconcileTaintEviction(ctx: Ctx, key: ObjectKey): void {
  const st = state(ctx);
  const rest = key.slice(2);
  switch (key[0]) {
    case "n": return handleNodeUpdate(ctx, st, rest);
    case "p": return handlePodUpdate(ctx, st, rest);
    case "e": {
      // The timer was cancelled (and the worker dropped) if the taints or the pod went away.
      if (st.workers.get(rest)) evict(ctx, st, rest);
      return;
    }
  }
}

/** NodeUpdated: only when the NoExecute taints differ. */
function nodeKeys(ev: WatchEvent, ctx: Ctx): ObjectKey[] {
  if (ev.type === "MODIFIED" && ev.old) {
    const a = noExecuteTaints(ev.old.spec?.taints), b = noExecuteTaints(ev.object.spec?.taints);
    if (jsonEqual(a, b)) return [];
  } else if (ev.type === "ADDED" && !noExecuteTaints(ev.object.spec?.taints).length) return [];
  state(ctx).pendingNodes.add(ev.key);
  return [`n:${ev.key}`];
}

const NO_KEYS: ObjectKey[] = [];

/**
 * PodUpdated: binding, deletion, or a tolerations change. No key when its reconcile could do nothing: no node
 * has NoExecute taints (nor has a node update queued that may add some) and the pod has no worker (pending or
 * fired) — handlePodUpdate would then return without a write, an event or a state change, and the state it reads
 * (taintedNodes, workers) changes only in this controller's own reconciles, which a queued node key precedes.
 */
function podKeys(ev: WatchEvent, ctx: Ctx): ObjectKey[] {
  const p = ev.object;
  if (ev.type === "ADDED") {
    if (!p.spec?.nodeName) return NO_KEYS;
  } else if (ev.type !== "DELETED") {
    const o = ev.old;
    if (o && o.spec?.nodeName === p.spec?.nodeName && (o.spec?.tolerations === p.spec?.tolerations || jsonEqual(o.spec?.tolerations, p.spec?.tolerations))) return NO_KEYS;
  }
  const st = state(ctx);
  if (st.taintedNodes.size === 0 && st.pendingNodes.size === 0 && !st.workers.has(ev.key)) return NO_KEYS;
  return [`p:${ev.key}`];
}

export const taintEvictionController: ControllerDef = {
  name: NAME,
  watches: [{ kind: "Node", map: nodeKeys }, { kind: "Pod", map: podKeys }],
  reconcile: reconcileTaintEviction,
};

export const controllers: ControllerDef[] = [taintEvictionController];
