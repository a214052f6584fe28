/**
 * R2: which pods a ReplicaSet deletes when it has too many (`getPodsToDelete`,
 * `getPodsRankedByRelatedPodsOnSameNode`, `controller.ActivePodsWithRanks.Less` with
 * LogarithmicScaleDown and PodDeletionCost on, as in v1.33).
 *
 * Pure: must not read the store. `now` is the virtual time in ms.
 */
import type { Pod } from "../../api/types.ts";
import { isPodActive, isPodReady, maxRestarts, podCondition } from "../util/pods.ts";
import { parseTime } from "../../util/time.ts";

export const POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** helper.GetDeletionCostFromPodAnnotations: an int32; anything unparsable counts as 0. */
export function deletionCost(p: Pod): number {
  const v = p.metadata.annotations?.[POD_DELETION_COST];
  if (v === undefined || !/^[+-]?\d+$/.test(v.trim())) return 0;
  const n = Number(v.trim());
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** int64(math.Log2(now - t in ns)), or -1 when t is not in the past. */
function logBucket(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

function readyTime(p: Pod): number | undefined {
  return isPodReady(p) ? parseTime(podCondition(p, "Ready")?.lastTransitionTime) : undefined;
}

/** afterOrZero: a missing time sorts first, else the later time first. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** Compare two times the LogarithmicScaleDown way; undefined when they do not decide. */
function compareTimes(t1: number | undefined, t2: number | undefined, a: Pod, b: Pod, now: number): boolean | undefined {
  if (t1 === t2) return undefined;
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2);
  const diff = logBucket(t1, now) - logBucket(t2, now);
  if (diff === 0) return a.metadata.uid < b.metadata.uid;
  return diff < 0;
}

/**
 * ActivePodsWithRanks.Less: true when `a` should be deleted before `b`.
 */
export function deleteBefore(a: Pod, rankA: number, b: Pod, rankB: number, now: number): boolean {
  const na = a.spec?.nodeName ?? "", nb = b.spec?.nodeName ?? "";
  // 1. unassigned < assigned
  if (na !== nb && (na === "" || nb === "")) return na === "";
  // 2. Pending < Unknown < Running
  const pa = PHASE_ORDINAL[a.status?.phase ?? ""] ?? 0, pb = PHASE_ORDINAL[b.status?.phase ?? ""] ?? 0;
  if (pa !== pb) return pa < pb;
  // 3. not ready < ready
  const ra = isPodReady(a), rb = isPodReady(b);
  if (ra !== rb) return !ra;
  // 4. lower pod-deletion-cost first
  const ca = deletionCost(a), cb = deletionCost(b);
  if (ca !== cb) return ca < cb;
  // 5. more related pods on the same node first
  if (rankA !== rankB) return rankA > rankB;
  // 6. both ready: ready for less time first
  if (ra && rb) {
    const r = compareTimes(readyTime(a), readyTime(b), a, b, now);
    if (r !== undefined) return r;
  }
  // 7. higher max restart count first
  const xa = maxRestarts(a), xb = maxRestarts(b);
  if (xa !== xb) return xa > xb;
  // 8. newer first
  const r = compareTimes(parseTime(a.metadata.creationTimestamp), parseTime(b.metadata.creationTimestamp), a, b, now);
  return r ?? false;
}

/**
 * getPodsToDelete: the first `diff` pods of `pods` after ranking. `relatedPods` are the pods of every
 * ReplicaSet with the same controller (a Deployment's RSes, this one included); a standalone RS passes [],
 * so every rank is 0.
 */
export function podsToDelete(pods: readonly Pod[], relatedPods: readonly Pod[], diff: number, now: number): Pod[] {
  if (diff >= pods.length) return pods.slice(0, Math.max(0, diff));
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? "";
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? "") ?? 0 }));
  ranked.sort((x, y) => (deleteBefore(x.pod, x.rank, y.pod, y.rank, now) ? -1 : deleteBefore(y.pod, y.rank, x.pod, x.rank, now) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}
