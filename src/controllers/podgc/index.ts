/**
 * PodGC (N10, pkg/controller/podgc/gc_controller.go): every 20s, pods bound to a node that no longer
 * exists are force-deleted after a 40s quarantine (`gcOrphaned`), and terminated pods beyond
 * `terminated-pod-gc-threshold` are deleted oldest first (`gcTerminated`).
 *
 * The 20s pass runs on ticks aligned to the simulation start, but a tick is armed only while there is
 * something to do: a node name with pods and no Node object, or too many terminated pods. Both are
 * tracked from watch events (no scans).
 */
import type { KubeObject, ObjectKey, Pod, WatchEvent } from "../../api/types.ts";
import { ApiError } from "../../api/errors.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";
import { parseTime, rfc3339 } from "../../util/time.ts";

export const NAME = "podgc";
export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;
export const TERMINATED_POD_GC_THRESHOLD = 12_500;
const TICK: ObjectKey = "\u0000tick";
/** Arm the tick if needed (from a watch event). */
const ARM: ObjectKey = "\u0000arm";

interface State {
  /** Node names that have pods but (maybe) no Node object. */
  missing: Set<string>;
  /** nodeQueue.AddAfter(node, quarantine): when each missing node's quarantine ends. */
  quarantine: Map<string, number>;
  /** Keys of terminated pods (phase Succeeded/Failed), in the order they terminated. */
  terminated: Set<ObjectKey>;
  armedAt?: number;
  threshold: number;
}

export function podGCState(ctx: Ctx): State {
  let s = ctx.sim.ext.get(NAME) as State | undefined;
  if (!s) ctx.sim.ext.set(NAME, (s = { missing: new Set(), quarantine: new Map(), terminated: new Set(), threshold: TERMINATED_POD_GC_THRESHOLD }));
  return s;
}

function isTerminated(p: KubeObject | undefined): boolean {
  const ph = p?.status?.phase;
  return ph === "Succeeded" || ph === "Failed";
}

/** Arm the next 20s tick (aligned to the simulation start), once. */
function arm(ctx: Ctx, st: State) {
  const start = ctx.sim.startTime;
  const at = start + (Math.floor((ctx.now() - start) / GC_CHECK_PERIOD_MS) + 1) * GC_CHECK_PERIOD_MS;
  if (st.armedAt !== undefined && st.armedAt <= at && st.armedAt > ctx.now()) return;
  st.armedAt = at;
  ctx.clock.at(at, () => {
    if (st.armedAt !== at) return;
    st.armedAt = undefined;
    ctx.enqueue(NAME, TICK);
  }, "podgc tick");
}

/** markFailedAndDeletePodWithCondition: phase Failed (+ condition) unless terminal, then a forced delete. */
function markFailedAndDelete(ctx: Ctx, pod: Pod, condition?: { type: string; status: string; reason: string; message: string }) {
  let cur = pod;
  if (!isTerminated(pod)) {
    const conds = [...(pod.status?.conditions ?? [])];
    if (condition) {
      const i = conds.findIndex((c) => c.type === condition.type);
      const c = { ...condition, lastTransitionTime: i >= 0 && conds[i]!.status === condition.status ? conds[i]!.lastTransitionTime : rfc3339(ctx.now()) };
      if (i >= 0) conds[i] = c;
      else conds.push(c);
    }
    cur = ctx.store.updateStatus<Pod>(pod, { ...pod.status, phase: "Failed", conditions: conds });
  }
  try {
    ctx.store.delete("Pod", cur.metadata.namespace, cur.metadata.name, { gracePeriodSeconds: 0 });
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === "NotFound")) throw e;
  }
}

function gcOrphaned(ctx: Ctx, st: State) {
  const now = ctx.now();
  for (const node of [...st.missing].sort()) {
    const pods = ctx.store.podsOnNode(node);
    if (ctx.store.get("Node", undefined, node) || !pods.length) {
      st.missing.delete(node);
      st.quarantine.delete(node);
      continue;
    }
    const until = st.quarantine.get(node);
    if (until === undefined) { st.quarantine.set(node, now + QUARANTINE_MS); continue; }
    if (until > now) continue;
    st.quarantine.delete(node);
    for (const p of pods) {
      markFailedAndDelete(ctx, p, { type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists" });
    }
  }
}

/** byEvictionAndCreationTimestamp: evicted first, then oldest, then by name. */
function gcTerminated(ctx: Ctx, st: State) {
  const excess = st.terminated.size - st.threshold;
  if (excess <= 0) return;
  const pods: Pod[] = [];
  for (const key of st.terminated) {
    const i = key.indexOf("/");
    const p = ctx.store.get<Pod>("Pod", key.slice(0, i), key.slice(i + 1));
    if (p) pods.push(p);
  }
  const evicted = (p: Pod) => p.status?.phase === "Failed" && p.status?.reason === "Evicted";
  pods.sort((a, b) => {
    if (evicted(a) !== evicted(b)) return evicted(a) ? -1 : 1;
    const ta = parseTime(a.metadata.creationTimestamp) ?? 0, tb = parseTime(b.metadata.creationTimestamp) ?? 0;
    if (ta !== tb) return ta - tb;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  for (const p of pods.slice(0, excess)) markFailedAndDelete(ctx, p);
}

export function reconcilePodGC(ctx: Ctx, key: ObjectKey): void {
  const st = podGCState(ctx);
  if (key === TICK) {
    gcTerminated(ctx, st);
    gcOrphaned(ctx, st);
  } else if (key !== ARM) {
    // a node name that may have lost its Node object
    if (!ctx.store.get("Node", undefined, key) && ctx.store.podsOnNode(key).length) st.missing.add(key);
  }
  if (st.missing.size || st.terminated.size > st.threshold) arm(ctx, st);
}

/** The keys for one pod event (none, the usual answer, is `undefined`: no array per event). */
function podKeys(ev: WatchEvent, ctx: Ctx): ObjectKey[] | ObjectKey | undefined {
  const was = ev.type !== "ADDED" && isTerminated(ev.old), is = ev.type !== "DELETED" && isTerminated(ev.object);
  let arm = false;
  if (was !== is) {
    const st = podGCState(ctx);
    if (is) st.terminated.add(ev.key);
    else st.terminated.delete(ev.key);
    arm = is && st.terminated.size > st.threshold && st.armedAt === undefined;
  }
  const node = ev.object.spec?.nodeName as string | undefined;
  const lost = ev.type !== "DELETED" && node && node !== ev.old?.spec?.nodeName && !ctx.store.get("Node", undefined, node) ? node : undefined;
  if (lost === undefined) return arm ? ARM : undefined;
  return arm ? [ARM, lost] : lost;
}

export const podGCController: ControllerDef = {
  name: NAME,
  watches: [
    { kind: "Node", map: (ev) => (ev.type === "DELETED" ? ev.key : undefined) },
    { kind: "Pod", map: podKeys },
  ],
  reconcile: reconcilePodGC,
};

export const controllers: ControllerDef[] = [podGCController];
