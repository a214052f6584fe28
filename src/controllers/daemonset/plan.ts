/**
 * Pure DaemonSet planning (pkg/controller/daemon): D4 `podsShouldBeOnNode`, D5 per-node status,
 * D9/D10 `rollingUpdate`, D12 history cleanup.
 *
 * Pure: must not read the store.
 */
import type { Pod } from "../../api/types.ts";
import { isPodAvailable, isPodReady } from "../util/pods.ts";
import { scaledValue } from "../util/intstr.ts";
import { parseTime } from "../../util/time.ts";
import { CONTROLLER_REVISION_HASH, POD_TEMPLATE_GENERATION, type ShouldRun } from "./predicates.ts";

/** podByCreationTimestampAndPhase: scheduled first, then older, then name. */
export function comparePodsOldestFirst(a: Pod, b: Pod): number {
  const as = a.spec?.nodeName ? 0 : 1, bs = b.spec?.nodeName ? 0 : 1;
  if (as !== bs) return as - bs;
  const at = parseTime(a.metadata.creationTimestamp) ?? 0, bt = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (at !== bt) return at - bt;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** IsPodUpdated: hash matches, or the template generation label matches. */
export function isPodUpdated(p: Pod, hash: string, generation: string | undefined): boolean {
  const l = p.metadata.labels ?? {};
  return (!!hash && l[CONTROLLER_REVISION_HASH] === hash) || (generation !== undefined && l[POD_TEMPLATE_GENERATION] === generation);
}

export interface NodePlanInput {
  should: ShouldRun;
  /** Daemon pods whose target is this node (terminating ones included; deleted terminal ones excluded). */
  pods: Pod[];
  surge: boolean;
  hash: string;
  generation?: string | undefined;
  minReadySeconds: number;
  now: number;
  /** True when failed-pod deletion on this node is held back by the per-node backoff (D4). */
  inBackoff: boolean;
}

export interface NodePlan {
  create: boolean;
  /** Pod names to delete. */
  remove: string[];
  /** Failed pods found (events + backoff bump), already included in `remove` unless in backoff. */
  failed: string[];
  succeeded: string[];
  /** A failed pod was skipped because of the backoff. */
  backoffHeld: boolean;
}

/** A plan's empty list, shared (frozen): a full sync plans every node, and most plans list nothing. */
const NONE: string[] = Object.freeze([]) as unknown as string[];

/** Append `name` to the plan's list `k` (a new array on the first one). */
function note(plan: NodePlan, k: "remove" | "failed" | "succeeded", name: string): void {
  if (plan[k] === NONE) plan[k] = [name];
  else plan[k].push(name);
}

/** D4 podsShouldBeOnNode. */
export function podsShouldBeOnNode(inp: NodePlanInput): NodePlan {
  const { should, pods, surge, hash } = inp;
  const plan: NodePlan = { create: false, remove: NONE, failed: NONE, succeeded: NONE, backoffHeld: false };
  const exists = pods.length > 0;
  if (should.shouldRun && !exists) {
    plan.create = true;
    return plan;
  }
  if (should.shouldContinueRunning) {
    // (made at most at its final length, index loops, no sort of fewer than two: a full sync plans every node;
    // a push onto [] reserved 16 slots, and for-of and sort allocated)
    const running: Pod[] = new Array(pods.length);
    let n = 0;
    for (let i = 0; i < pods.length; i++) {
      const p = pods[i]!;
      if (p.metadata.deletionTimestamp) continue;
      const ph = p.status?.phase;
      if (ph === "Failed") {
        if (inp.inBackoff) { plan.backoffHeld = true; continue; }
        note(plan, "failed", p.metadata.name);
        note(plan, "remove", p.metadata.name);
      } else if (ph === "Succeeded") {
        note(plan, "succeeded", p.metadata.name);
        note(plan, "remove", p.metadata.name);
      } else running[n++] = p;
    }
    running.length = n;
    if (running.length > 1) running.sort(comparePodsOldestFirst);
    if (!surge) {
      for (let i = 1; i < running.length; i++) note(plan, "remove", running[i]!.metadata.name);
      return plan;
    }
    if (running.length <= 1) {
      if (running.length === 0 && should.shouldRun) plan.create = true;
      return plan;
    }
    let oldestNew: Pod | undefined, oldestOld: Pod | undefined;
    for (const p of running) {
      if (p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash) {
        if (!oldestNew) { oldestNew = p; continue; }
      } else if (!oldestOld) { oldestOld = p; continue; }
      note(plan, "remove", p.metadata.name);
    }
    if (oldestNew && oldestOld) {
      if (!isPodReady(oldestOld)) note(plan, "remove", oldestOld.metadata.name);
      else if (isPodAvailable(oldestNew, inp.minReadySeconds, inp.now)) note(plan, "remove", oldestOld.metadata.name);
    }
    return plan;
  }
  if (exists) for (const p of pods) if (!p.metadata.deletionTimestamp) note(plan, "remove", p.metadata.name);
  return plan;
}

// ------------------------------------------------------------------ D5

export interface NodeStatusEntry {
  shouldRun: boolean;
  scheduled: boolean;
  ready: boolean;
  available: boolean;
  updated: boolean;
}

/** The per-node contribution to the DaemonSet status (the oldest pod only is examined). */
export function nodeStatusEntry(should: ShouldRun, pods: Pod[], hash: string, generation: string | undefined, minReadySeconds: number, now: number): NodeStatusEntry {
  const e: NodeStatusEntry = { shouldRun: should.shouldRun, scheduled: pods.length > 0, ready: false, available: false, updated: false };
  if (!e.scheduled) return e;
  let oldest = pods[0]!;
  for (let i = 1; i < pods.length; i++) if (comparePodsOldestFirst(pods[i]!, oldest) < 0) oldest = pods[i]!;
  e.ready = isPodReady(oldest);
  e.available = e.ready && isPodAvailable(oldest, minReadySeconds, now);
  e.updated = isPodUpdated(oldest, hash, generation);
  return e;
}

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberReady: number;
  numberAvailable: number;
  updatedNumberScheduled: number;
  numberMisscheduled: number;
}

export function emptyCounts(): DaemonSetCounts {
  return { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0, numberMisscheduled: 0 };
}

/** Add (sign 1) or remove (sign −1) one node's entry from the totals. */
export function applyEntry(c: DaemonSetCounts, e: NodeStatusEntry, sign: 1 | -1): void {
  if (e.shouldRun) {
    c.desiredNumberScheduled += sign;
    if (e.scheduled) {
      c.currentNumberScheduled += sign;
      if (e.ready) c.numberReady += sign;
      if (e.available) c.numberAvailable += sign;
      if (e.updated) c.updatedNumberScheduled += sign;
    }
  } else if (e.scheduled) c.numberMisscheduled += sign;
}

// ------------------------------------------------------------------ D9 / D10

export interface RollingNode {
  node: string;
  shouldRun: boolean;
  pods: Pod[];
}

export interface RollingPlan {
  deletePods: string[];
  createOnNodes: string[];
}

/** findUpdatedPodsOnNode: at most one new and one old non-deleted pod, else not ok. */
function findUpdated(pods: Pod[], hash: string, generation: string | undefined): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined, oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}), ok: true };
}

/** D9 maxUnavailable rounded up; D10 maxSurge rounded up; both 0 with desired > 0 → unavailable 1. */
export function rollingCounts(maxSurgeRaw: number | string | undefined, maxUnavailableRaw: number | string | undefined, desired: number): { maxSurge: number; maxUnavailable: number } {
  const maxUnavailable = scaledValue(maxUnavailableRaw ?? 1, desired, true);
  const maxSurge = scaledValue(maxSurgeRaw ?? 0, desired, true);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) return { maxSurge: 0, maxUnavailable: 1 };
  return { maxSurge, maxUnavailable };
}

/**
 * D9/D10 rollingUpdate. `nodes` are every node with daemon pods plus every shouldRun node (sorted by
 * name: upstream map order is unspecified, ours is deterministic).
 */
export function rollingUpdatePlan(nodes: RollingNode[], hash: string, generation: string | undefined, maxSurgeRaw: number | string | undefined, maxUnavailableRaw: number | string | undefined, minReadySeconds: number, now: number): RollingPlan {
  const desired = nodes.filter((n) => n.shouldRun).length;
  const { maxSurge, maxUnavailable } = rollingCounts(maxSurgeRaw, maxUnavailableRaw, desired);
  const avail = (p: Pod) => isPodAvailable(p, minReadySeconds, now);
  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowed: string[] = [], candidates: string[] = [];
    for (const n of nodes) {
      const { newPod, oldPod, ok } = findUpdated(n.pods, hash, generation);
      if (!ok) { numUnavailable++; continue; }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) { if (!avail(newPod)) numUnavailable++; }
      else if (oldPod) {
        if (!avail(oldPod)) allowed.push(oldPod.metadata.name);
        else if (numUnavailable >= maxUnavailable) continue;
        else candidates.push(oldPod.metadata.name);
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { deletePods: [...allowed, ...candidates.slice(0, remaining)], createOnNodes: [] };
  }
  const oldToDelete: string[] = [], shouldNotRun: string[] = [], candidateNew: string[] = [], allowedNew: string[] = [];
  let numSurge = 0, numAvailable = 0;
  for (const n of nodes) {
    const { newPod, oldPod, ok } = findUpdated(n.pods, hash, generation);
    if (!ok) { numSurge++; continue; }
    if (oldPod) { if (avail(oldPod)) numAvailable++; } else if (newPod && avail(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!avail(oldPod)) {
        if (!n.shouldRun) { oldToDelete.push(oldPod.metadata.name); continue; }
        allowedNew.push(n.node);
      } else {
        if (!n.shouldRun) { shouldNotRun.push(oldPod.metadata.name); continue; }
        if (numSurge >= maxSurge) continue;
        candidateNew.push(n.node);
      }
    } else {
      if (!avail(newPod)) { numSurge++; continue; }
      oldToDelete.push(oldPod.metadata.name);
    }
  }
  const deletable = Math.min(numAvailable - desired, shouldNotRun.length);
  if (deletable > 0) oldToDelete.push(...shouldNotRun.slice(0, deletable));
  const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidateNew.length);
  return { deletePods: oldToDelete, createOnNodes: [...allowedNew, ...candidateNew.slice(0, remaining)] };
}

// ------------------------------------------------------------------ D4 failed-pod backoff

export interface BackoffEntry { backoffMs: number; lastUpdate: number }
export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

/** flowcontrol.Backoff.IsInBackOffSinceUpdate. */
export function inBackoff(e: BackoffEntry | undefined, now: number): boolean {
  return !!e && now - e.lastUpdate < e.backoffMs;
}

/** flowcontrol.Backoff.Next: 1s, doubling to 15m; reset after 2×max without an update. */
export function nextBackoff(e: BackoffEntry | undefined, now: number): BackoffEntry {
  if (!e || now - e.lastUpdate > 2 * FAILED_POD_BACKOFF_MAX_MS) return { backoffMs: FAILED_POD_BACKOFF_INITIAL_MS, lastUpdate: now };
  return { backoffMs: Math.min(e.backoffMs * 2, FAILED_POD_BACKOFF_MAX_MS), lastUpdate: now };
}
