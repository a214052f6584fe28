/**
 * N7: which pods the taint-eviction controller deletes, and when (`processPodOnNode`,
 * v1helper.GetMatchingTolerations, `getMinTolerationTime` in pkg/controller/tainteviction/taint_eviction.go).
 *
 * Pure: must not read the store.
 */
import { toleratesTaint, type Taint, type Toleration } from "../../scheduler/tolerations.ts";

export type { Taint, Toleration };

export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === "NoExecute");
}

/** For every taint, the first toleration that tolerates it; allTolerated=false as soon as one is not. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): { allTolerated: boolean; used: Toleration[] } {
  if (!taints.length) return { allTolerated: true, used: [] };
  const tols = tolerations ?? [];
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tols.find((x) => toleratesTaint(x, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** Minimum tolerationSeconds in ms; -1 = tolerated forever; ≤0 seconds (or no tolerations) = now. */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (!used.length) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Number.POSITIVE_INFINITY ? -1 : min * 1000;
}

export type EvictionPlan =
  | { type: "cancel" }
  | { type: "now" }
  /** Delete `ms` after the controller saw the taints (0 = at once), unless an eviction is already scheduled. */
  | { type: "after"; ms: number };

/** processPodOnNode's decision for one pod given the node's NoExecute taints. */
export function planEviction(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): EvictionPlan {
  if (!taints.length) return { type: "cancel" };
  const { allTolerated, used } = matchingTolerations(taints, tolerations);
  if (!allTolerated) return { type: "now" };
  const ms = minTolerationMs(used);
  if (ms < 0) return { type: "cancel" };
  return { type: "after", ms };
}
