/**
 * The scheduler controller ("scheduler"): binds pending pods to nodes with the default profile's filters (K1),
 * scoring, and FailedScheduling diagnostics (K2, K4). Unschedulable pods are kept in an index and retried
 * on node add/update, pod deletion/termination (K5) and every 5 minutes.
 */
import type { ControllerDef } from "../controllers/types.ts";
import type { Ctx, Simulation } from "../simulation.ts";
import type { KubeObject, ObjectKey, Pod, WatchEvent } from "../api/types.ts";
import { rfc3339 } from "../util/time.ts";
import { FREE_STRIDE, MEMO_STRIDE, SchedulerCache, fitsFree, hostPorts, podRequestsOf, type NodeInfo, type PlainShape } from "./cache.ts";
import { fitsResources, runFilters, REASON_PREFILTER_AFFINITY, type FilterFailure, type PodInfo } from "./filters.ts";
import { fitErrorMessage, NO_NODES, type NodeOutcome } from "./message.ts";
import { balancedAllocationScore, leastAllocatedScore, numFeasibleNodesToFind, scoreInto } from "./score.ts";
import type { Requests } from "./resources.ts";
import { preFilterNodeNames } from "./affinity.ts";
import { jsonEqual } from "../util/jsonEqual.ts";

export const SCHEDULER_NAME = "default-scheduler";
/** podMaxInUnschedulablePodsDuration: unschedulable pods are retried at least this often (K5). */
export const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;
/** Above this many nodes the per-node reasons are recomputed on demand instead of kept per pending pod. */
export const DIAGNOSIS_KEEP_NODES = 500;

/** Run the filters for one pod against every node now (diagnosis on demand). */
export function rejectedNow(st: SchedulerState, pod: Pod): Map<string, FilterFailure> {
  const info: PodInfo = { pod, req: podRequestsOf(pod), ports: hostPorts(pod) };
  const out = new Map<string, FilterFailure>();
  for (const ni of st.cache.list) {
    const r = runFilters(info, ni);
    if (r) out.set(ni.name, r);
  }
  return out;
}

export interface SchedulerOptions {
  /** upstream percentageOfNodesToScore; 0 = adaptive (default). */
  percentageOfNodesToScore: number;
  /** Evaluate every node (disables the sampling). */
  scoreAll: boolean;
  /** Take a plain pod's window from the cache's kept shapes when it can (PlainShape); off = always the filter loop (tests). */
  plainShapes: boolean;
}

export interface PodDiagnosis {
  message: string;
  numNodes: number;
  /**
   * Nodes that were evaluated and rejected, with the first failing plugin. Dropped (undefined) for big clusters
   * to bound memory: `getSchedulingDiagnosis` then re-runs the filters for that one pod on demand.
   */
  rejected: Map<string, FilterFailure> | undefined;
  /** When a PreFilter restricted the nodes (DS pods), the allowed set; every other node was rejected by it. */
  preFilter?: Set<string>;
}

export interface SchedulerState {
  cache: SchedulerCache;
  unschedulable: Set<ObjectKey>;
  diagnosis: Map<ObjectKey, PodDiagnosis>;
  nextStartNodeIndex: number;
  options: SchedulerOptions;
}

const EXT_KEY = "scheduler";

export function schedulerState(sim: Simulation): SchedulerState | undefined {
  return sim.ext.get(EXT_KEY) as SchedulerState | undefined;
}

/** Tune the scheduler (bench, tests). */
export function setSchedulerOptions(sim: Simulation, opts: Partial<SchedulerOptions>): void {
  const st = schedulerState(sim);
  if (st) Object.assign(st.options, opts);
}

function isTerminal(o: KubeObject | undefined): boolean {
  const p = o?.status?.phase;
  return p === "Succeeded" || p === "Failed";
}

function wantsScheduling(pod: KubeObject): boolean {
  return !pod.spec?.nodeName && !pod.metadata.deletionTimestamp && (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME
    && !(pod.spec?.schedulingGates?.length);
}

function requeueUnschedulable(st: SchedulerState): ObjectKey[] | undefined {
  return st.unschedulable.size ? [...st.unschedulable] : undefined; // (nothing to requeue: no array)
}

/** Did a node change in a way that can make a pod schedulable (labels, taints, unschedulable, allocatable, conditions)? */
function nodeChangeMatters(ev: WatchEvent): boolean {
  if (ev.type !== "MODIFIED") return ev.type === "ADDED";
  const a = ev.old, b = ev.object;
  if (!a) return true;
  if (a.spec !== b.spec && !jsonEqual(a.spec, b.spec)) return true;
  if (a.metadata.labels !== b.metadata.labels && !jsonEqual(a.metadata.labels, b.metadata.labels)) return true;
  if (a.status?.allocatable !== b.status?.allocatable && !jsonEqual(a.status?.allocatable, b.status?.allocatable)) return true;
  return false;
}

function mapPodEvent(ev: WatchEvent, ctx: Ctx): ObjectKey[] | ObjectKey | undefined {
  const st = schedulerState(ctx.sim);
  if (!st) return undefined;
  const pod = ev.object;
  if (ev.type === "DELETED") {
    if (!st.unschedulable.size) return undefined; // (then neither it nor any other pod waits)
    const keys: ObjectKey[] = [];
    if (st.unschedulable.has(ev.key)) keys.push(ev.key);
    if (pod.spec?.nodeName && !isTerminal(pod)) keys.push(...st.unschedulable);
    return keys;
  }
  if (pod.spec?.nodeName) {
    // An assigned pod that just finished frees its resources (K3/K5).
    if (ev.type === "MODIFIED" && isTerminal(pod) && !isTerminal(ev.old)) return requeueUnschedulable(st);
    // bound: clean up our bookkeeping (none to clean when it is neither unschedulable nor diagnosed — then that
    // reconcile would only find the pod bound and return; bind() itself clears both before it writes)
    if (ev.type === "MODIFIED" && !ev.old?.spec?.nodeName) return st.unschedulable.has(ev.key) || st.diagnosis.has(ev.key) ? ev.key : undefined;
    return undefined;
  }
  if (ev.type === "ADDED") return ev.key;
  // Unassigned pod updated: only spec/metadata changes can change the outcome (not our own status writes).
  const old = ev.old;
  if (!old) return [ev.key];
  if (old.spec !== pod.spec && !jsonEqual(old.spec, pod.spec)) return [ev.key];
  if (!old.metadata.deletionTimestamp && pod.metadata.deletionTimestamp) return [ev.key];
  return undefined;
}

function upsertCondition(conds: any[] | undefined, c: any, now: number): { list: any[]; changed: boolean } {
  const list = [...(conds ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  if (i < 0) {
    list.push({ ...c, lastTransitionTime: rfc3339(now) });
    return { list, changed: true };
  }
  const prev = list[i];
  if (prev.status === c.status && prev.reason === c.reason && prev.message === c.message) return { list, changed: false };
  list[i] = { ...c, lastTransitionTime: prev.status === c.status ? prev.lastTransitionTime : rfc3339(now) };
  return { list, changed: true };
}

export function scheduleOne(ctx: Ctx, key: ObjectKey): void {
  const st = schedulerState(ctx.sim)!;
  const pod = ctx.store.getByKey<Pod>("Pod", key);
  if (!pod || !wantsScheduling(pod)) {
    st.unschedulable.delete(key);
    st.diagnosis.delete(key);
    return;
  }
  const cache = st.cache;
  const order = cache.nodeOrder;
  const numNodes = order.length;
  if (numNodes === 0) return fail(ctx, st, pod, key, { message: NO_NODES, numNodes: 0, rejected: new Map() });

  const info: PodInfo = { pod, req: podRequestsOf(pod), ports: hostPorts(pod) };
  const pre = preFilterNodeNames(pod.spec);
  // only a pod some node rejects needs the map (most pods are placed on the first nodes they try)
  let rejected: Map<string, FilterFailure> | undefined;
  // every feasible node came from the plain fast path (then only their positions in cache.list are needed)
  let allFast = !pre;
  // Without a PreFilter the feasible nodes are recorded as positions in cache.list (feasiblePos[0, nFeasible)).
  let nFeasible = 0;
  // the feasible nodes when some did not come from the fast path (a new array: emptying a reused one with
  // length = 0 lets V8 drop its backing store, regrown on the next push)
  const feasible: NodeInfo[] = [];
  if (pre) {
    for (const n of [...pre].sort()) {
      const ni = cache.nodes.get(n);
      if (!ni) continue;
      const r = runFilters(info, ni);
      if (r) (rejected ??= new Map()).set(n, r);
      else feasible.push(ni);
    }
    nFeasible = feasible.length;
  } else {
    const toFind = st.options.scoreAll ? numNodes : numFeasibleNodesToFind(numNodes, st.options.percentageOfNodesToScore);
    const start = st.nextStartNodeIndex % numNodes;
    const ps = pod.spec;
    const req = info.req;
    // A pod with no node name, selector, affinity or host ports can only be rejected by a plain node for resources;
    // without extended resources that is three comparisons against the cache's free amounts (fitsResources).
    const plainPod = !ps.nodeName && !ps.nodeSelector && !ps.affinity?.nodeAffinity && !info.ports.length;
    let noOther = true;
    for (const _ in req.other) { noOther = false; break; }
    const rc = req.cpu, rm = req.memory, re = req.ephemeral;
    const list = cache.list;
    const free = cache.free;
    const fastPod = plainPod && noOther;
    const shape = fastPod && st.options.plainShapes ? cache.shape(rc, rm, re) : undefined;
    if (shape && windowFits(shape, start, toFind)) {
      // Every node of the window [start, start + toFind) passes the fast check: the loop below would take exactly
      // these, in this order, with these scores (selectHostPlain; pickMax of one score draws nothing).
      st.nextStartNodeIndex = (start + toFind) % numNodes;
      const p = start + ctx.rng.pickMax(shape.score.subarray(start, start + toFind), toFind);
      return bind(ctx, st, pod, key, list[p >= numNodes ? p - numNodes : p]!.name);
    }
    if (feasiblePos.length < toFind) feasiblePos = new Int32Array(Math.max(toFind, feasiblePos.length * 2));
    if (scoreBuf.length < toFind) scoreBuf = new Float64Array(Math.max(toFind, scoreBuf.length * 2));
    const pos = feasiblePos;
    const scores = scoreBuf;
    let processed = 0;
    for (let i = 0; i < numNodes; i++) {
      const idx = start + i;
      const j = idx >= numNodes ? idx - numNodes : idx;
      processed++;
      if (fastPod) {
        // a node passing the fast check is scored right away for selectHostPlain (the scores are only read
        // when every feasible node came this way)
        if (fitsFree(free, j * FREE_STRIDE, rc, rm, re)) {
          scores[nFeasible] = plainScore(cache, j, req);
          pos[nFeasible++] = j;
          if (nFeasible >= toFind) break;
          continue;
        }
      }
      const ni = list[j]!;
      if (!fastPod && plainPod && ni.plain && fitsResources(req, ni)) {
        allFast = false;
        pos[nFeasible++] = j;
        if (nFeasible >= toFind) break;
        continue;
      }
      const r = runFilters(info, ni);
      if (r) (rejected ??= new Map()).set(ni.name, r);
      else {
        allFast = false;
        pos[nFeasible++] = j;
        if (nFeasible >= toFind) break;
      }
    }
    st.nextStartNodeIndex = (start + processed) % numNodes;
    if (fastPod && !shape && st.options.plainShapes) cache.shapeMissed(req, processed);
    if (!allFast) for (let k = 0; k < nFeasible; k++) feasible.push(list[pos[k]!]!);
  }

  if (!nFeasible) {
    rejected ??= new Map();
    const diag: PodDiagnosis = { message: "", numNodes, rejected, ...(pre ? { preFilter: pre } : {}) };
    const outcomes: NodeOutcome[] = [...rejected.values()].map((r) => ({ reasons: r.reasons, unresolvable: r.unresolvable }));
    if (pre) {
      let absent = 0;
      for (const n of order) if (!pre.has(n)) absent++;
      for (let i = 0; i < absent; i++) outcomes.push({ reasons: [REASON_PREFILTER_AFFINITY], unresolvable: true });
    }
    diag.message = fitErrorMessage(numNodes, outcomes, pod.spec.preemptionPolicy === "Never" ? "never" : "eligible");
    if (numNodes > DIAGNOSIS_KEEP_NODES) diag.rejected = undefined;
    return fail(ctx, st, pod, key, diag);
  }

  const node = allFast ? selectHostPlain(ctx, cache, nFeasible) : selectHost(ctx, pod, info, feasible);
  bind(ctx, st, pod, key, node);
}

/**
 * Does no unfit node of `shape` lie in the rotation window [start, start + len) (positions modulo shape.n)?
 * False, without looking, when there are many unfit nodes (then the filter loop is the cheaper way to know).
 */
function windowFits(shape: PlainShape, start: number, len: number): boolean {
  if (shape.unfit.size * 8 > len) return false;
  for (const u of shape.unfit) if ((u >= start ? u - start : u + shape.n - start) < len) return false;
  return true;
}

/** selectHost's score array, reused (scoring is synchronous; only the first feasible.length entries are read). */
let scoreBuf = new Float64Array(1024);
/** scheduleOne's feasible nodes as positions in cache.list (when no PreFilter applies), reused. */
let feasiblePos = new Int32Array(1024);

/**
 * selectHost's total for a plain pod on the plain node at `pos` in cache.list (no taints, no preferred affinity):
 * scoreInto's total is the resource part + 3 × 100 (TaintToleration with no taints) + 0, and the resource part is
 * memoised per node in cache.memo until the node changes. Same total as scoreInto.
 */
function plainScore(cache: SchedulerCache, pos: number, req: Requests): number {
  const memo = cache.memo;
  const ver = cache.free[pos * FREE_STRIDE + 4]!;
  const m = pos * MEMO_STRIDE;
  const rc = req.cpu, rm = req.memory;
  let s: number;
  if (memo[m] === ver && memo[m + 1] === rc && memo[m + 2] === rm) s = memo[m + 3]!;
  else {
    const ni = cache.list[pos]!;
    s = leastAllocatedScore(req, ni) + balancedAllocationScore(req, ni);
    memo[m] = ver;
    memo[m + 1] = rc;
    memo[m + 2] = rm;
    memo[m + 3] = s;
  }
  return s + 3 * 100 + 0;
}

/**
 * selectHost when every feasible node came from the plain fast path: feasiblePos[0, n) holds their positions
 * and scoreBuf their totals (plainScore); the same comparisons and rng draws as selectHost.
 */
function selectHostPlain(ctx: Ctx, cache: SchedulerCache, n: number): string {
  const list = cache.list, pos = feasiblePos;
  if (n === 1) return list[pos[0]!]!.name;
  return list[pos[ctx.rng.pickMax(scoreBuf, n)]!]!.name;
}

/** Highest total score; ties broken like upstream's selectHost (reservoir sampling) with the seeded rng. */
function selectHost(ctx: Ctx, pod: Pod, info: PodInfo, feasible: NodeInfo[]): string {
  if (feasible.length === 1) return feasible[0]!.name;
  const n = feasible.length;
  if (scoreBuf.length < n) scoreBuf = new Float64Array(Math.max(n, scoreBuf.length * 2));
  const scores = scoreInto(pod, info.req, feasible, scoreBuf);
  return feasible[ctx.rng.pickMax(scores, n)]!.name;
}

function fail(ctx: Ctx, st: SchedulerState, pod: Pod, key: ObjectKey, diag: PodDiagnosis) {
  st.unschedulable.add(key);
  st.diagnosis.set(key, diag);
  ctx.events.event(pod, "Warning", "FailedScheduling", diag.message, SCHEDULER_NAME);
  const { list, changed } = upsertCondition(pod.status?.conditions, {
    type: "PodScheduled", status: "False", lastProbeTime: null, reason: "Unschedulable", message: diag.message,
  }, ctx.now());
  if (changed) {
    const cur = ctx.store.get<Pod>("Pod", pod.metadata.namespace, pod.metadata.name)!;
    ctx.store.updateStatus(cur, { ...cur.status, conditions: list });
  }
  ctx.enqueueAfter("scheduler", key, UNSCHEDULABLE_RETRY_MS);
}

let scheduledAt = NaN;
let scheduledCond: Readonly<Record<string, unknown>> | undefined;
/** PodScheduled=True at `now`, as upsertCondition appends it; frozen, shared by the pods bound at one instant. */
function scheduledCondition(now: number): Readonly<Record<string, unknown>> {
  if (now !== scheduledAt || !scheduledCond) {
    scheduledAt = now;
    scheduledCond = Object.freeze({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: rfc3339(now) });
  }
  return scheduledCond;
}

/**
 * `{ ...o, [key]: value }` built key by key: V8 gives an object made by a spread plus a key the source lacks a
 * hidden class of its own (a new map and descriptor array, ~340 B, per bound pod); built key by key it follows
 * the shared transition tree. Same keys, order and values (undefined ones too; an existing `key` keeps its place).
 */
function withKey(o: Record<string, unknown> | undefined, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = o[k];
  out[key] = value;
  return out;
}

/**
 * The spec with nodeName. Frozen when every part of it already is (template-made pods share deep-frozen parts),
 * so it is deep-frozen and the store keeps it as it is instead of re-laying a copy; else left to the store.
 */
function boundSpec(spec: Pod["spec"], node: string): Record<string, unknown> {
  const out = withKey(spec, "nodeName", node);
  for (const k in out) {
    const v = out[k];
    if (v !== null && typeof v === "object" && !Object.isFrozen(v)) return out;
  }
  return Object.freeze(out);
}

function bind(ctx: Ctx, st: SchedulerState, pod: Pod, key: ObjectKey, node: string) {
  st.unschedulable.delete(key);
  st.diagnosis.delete(key);
  const now = ctx.now();
  // The binding subresource: spec.nodeName, then the PodScheduled=True condition. `pod` is still the stored
  // version (scheduleOne read it and nothing was written since); update copies the metadata it is given.
  const bound = ctx.store.update<Pod>({ ...pod, spec: boundSpec(pod.spec, node) }, { skipAdmission: true });
  const conds = bound.status?.conditions as any[] | undefined;
  let list: any[];
  if (!conds?.length) list = [scheduledCondition(now)]; // the usual case: upsertCondition's append, one shared object per instant
  else list = upsertCondition(conds, { type: "PodScheduled", status: "True", lastProbeTime: null }, now).list;
  ctx.store.updateStatus(bound, withKey(bound.status, "conditions", list));
  ctx.events.scheduled(pod, node, SCHEDULER_NAME); // "Successfully assigned <ns>/<name> to <node>"
}

export const schedulerController: ControllerDef = {
  name: "scheduler",
  watches: [
    { kind: "Pod", map: mapPodEvent },
    {
      kind: "Node",
      map: (ev, ctx) => {
        const st = schedulerState(ctx.sim);
        if (!st || !nodeChangeMatters(ev)) return undefined;
        return requeueUnschedulable(st);
      },
    },
  ],
  start(ctx) {
    const st: SchedulerState = {
      cache: new SchedulerCache(), unschedulable: new Set(), diagnosis: new Map(), nextStartNodeIndex: 0,
      options: { percentageOfNodesToScore: 0, scoreAll: false, plainShapes: true },
    };
    ctx.sim.ext.set(EXT_KEY, st);
    for (const n of ctx.store.list("Node")) st.cache.onEvent({ type: "ADDED", kind: "Node", key: n.metadata.name, object: n });
    for (const p of ctx.store.list("Pod")) st.cache.onEvent({ type: "ADDED", kind: "Pod", key: `${p.metadata.namespace}/${p.metadata.name}`, object: p });
    ctx.store.watch((ev) => {
      if (ev.kind === "Pod" || ev.kind === "Node") st.cache.onEvent(ev);
    });
    for (const p of ctx.store.list("Pod")) if (wantsScheduling(p)) ctx.enqueue("scheduler", `${p.metadata.namespace}/${p.metadata.name}`);
  },
  reconcile(ctx, key) {
    scheduleOne(ctx, key);
  },
};
