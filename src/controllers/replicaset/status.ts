/**
 * R3: ReplicaSet status (`calculateStatus` in pkg/controller/replicaset/replica_set_utils.go).
 *
 * Pure: must not read the store.
 */
import type { Pod, ReplicaSet } from "../../api/types.ts";
import { availableAt, isPodAvailable, isPodReady } from "../util/pods.ts";
import { rfc3339 } from "../../util/time.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export type ReplicaSetStatus = NonNullable<ReplicaSet["status"]>;

export interface ManageError {
  /** "FailedCreate" | "FailedDelete" */
  reason: string;
  message: string;
}

/**
 * `pods` are the active pods the ReplicaSet owns (after claiming), as seen before manageReplicas ran.
 * Zero counts other than `replicas` are omitted (omitempty), as the API prints them.
 */
export function calculateStatus(rs: ReplicaSet, pods: readonly Pod[], err: ManageError | undefined, now: number): ReplicaSetStatus {
  return statusFromCounts(rs, podCounts(rs, pods, now), err, now);
}

/** The counts calculateStatus makes over `pods`. */
export function podCounts(rs: ReplicaSet, pods: readonly Pod[], now: number): PodCounts {
  const tplEntries = templateLabelEntries(rs);
  const mrs = rs.spec.minReadySeconds ?? 0;
  let fully = 0, ready = 0, available = 0;
  for (const p of pods) {
    if (hasLabels(p.metadata.labels, tplEntries)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, mrs, now)) available++;
    }
  }
  return { replicas: pods.length, fully, ready, available };
}

/** The template's labels as [key, value] pairs (what "fully labeled" compares). */
export function templateLabelEntries(rs: ReplicaSet): Array<[string, string]> {
  return Object.entries((rs.spec.template?.metadata?.labels ?? {}) as Record<string, string>);
}

/** True when `labels` has every pair of `entries` (a pod is fully labeled). */
export function hasLabels(labels: Record<string, string> | undefined, entries: ReadonlyArray<[string, string]>): boolean {
  const l = labels ?? {};
  for (let i = 0; i < entries.length; i++) if (l[entries[i]![0]] !== entries[i]![1]) return false;
  return true;
}

export interface PodCounts {
  /** active pods owned */
  replicas: number;
  fully: number;
  ready: number;
  available: number;
}

/** calculateStatus from the counts over the owned active pods (the ReplicaSet's running tally gives them too). */
export function statusFromCounts(rs: ReplicaSet, counts: PodCounts, err: ManageError | undefined, now: number): ReplicaSetStatus {
  const { fully, ready, available } = counts;
  const out: ReplicaSetStatus = { replicas: counts.replicas };
  if (fully) out.fullyLabeledReplicas = fully;
  const gen = rs.metadata.generation;
  if (gen) out.observedGeneration = gen;
  if (ready) out.readyReplicas = ready;
  if (available) out.availableReplicas = available;
  const old = rs.status?.conditions ?? [];
  const failure = old.find((c) => c.type === "ReplicaFailure");
  let conditions = old;
  if (err && !failure) {
    conditions = [...old, { type: "ReplicaFailure", status: "True", lastTransitionTime: rfc3339(now), reason: err.reason, message: err.message }];
  } else if (!err && failure) {
    conditions = old.filter((c) => c.type !== "ReplicaFailure");
  }
  if (conditions.length) out.conditions = conditions;
  return out;
}

/** Earliest time (ms) at which a ready-but-not-yet-available pod becomes available, if any. */
export function nextAvailableAt(rs: ReplicaSet, pods: readonly Pod[], now: number): number | undefined {
  const mrs = rs.spec.minReadySeconds ?? 0;
  if (!mrs) return undefined;
  let next: number | undefined;
  for (const p of pods) {
    if (!isPodReady(p) || isPodAvailable(p, mrs, now)) continue;
    const t = availableAt(p, mrs);
    if (t !== undefined && (next === undefined || t < next)) next = t;
  }
  return next;
}

/** The status fields statusFromCounts writes, in its order (see statusMatches). */
const FIELDS = ["replicas", "fullyLabeledReplicas", "observedGeneration", "readyReplicas", "availableReplicas", "conditions"] as const;

/** The value statusFromCounts gives field FIELDS[i] (conditions: when kept as they are), undefined when it leaves it out. */
function fieldValue(rs: ReplicaSet, counts: PodCounts, i: number): unknown {
  switch (i) {
    case 0: return counts.replicas;
    case 1: return counts.fully || undefined;
    case 2: return rs.metadata.generation || undefined;
    case 3: return counts.ready || undefined;
    case 4: return counts.available || undefined;
    default: return rs.status?.conditions?.length ? rs.status.conditions : undefined;
  }
}

/**
 * statusEqual(rs.status, statusFromCounts(rs, counts, err, now)) decided without building the status:
 * "same" when the stored fields, in order, are the ones it would write with the same numbers and its
 * conditions would stay the stored array; "differs" when, the fields before it matching, a stored count
 * differs from its new number (JSON comparison stops there too); else "unsure" (build and compare).
 * A sync that changes nothing (most of them) allocates nothing here, and one that writes compares once.
 */
export function statusMatches(rs: ReplicaSet, counts: PodCounts, err: ManageError | undefined): "same" | "differs" | "unsure" {
  const cur = rs.status as Record<string, unknown> | undefined;
  if (!cur) return "unsure"; // ({} never equals a status: replicas is always there)
  const conds = rs.status!.conditions;
  if (conds !== undefined && !Array.isArray(conds)) return "unsure";
  let failure = false;
  if (conds) for (let i = 0; i < conds.length; i++) if (conds[i]!.type === "ReplicaFailure") { failure = true; break; }
  if (!!err !== failure) return "unsure"; // the ReplicaFailure condition comes or goes
  let i = 0;
  for (const k in cur) {
    if (!Object.prototype.hasOwnProperty.call(cur, k)) continue;
    const v = cur[k];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue; // JSON leaves these out
    while (i < FIELDS.length && fieldValue(rs, counts, i) === undefined) i++;
    if (i === FIELDS.length || FIELDS[i] !== k) return "unsure";
    // numbers equal (a stored number sits at a count or the generation: the conditions are an array, checked
    // above), or the very conditions array kept; JSON prints every non-finite number as null
    if (typeof v === "number") {
      const want = fieldValue(rs, counts, i) as number;
      if (v !== want) return Number.isFinite(want) ? "differs" : "unsure";
    } else if (v !== conds) return "unsure";
    i++;
  }
  while (i < FIELDS.length && fieldValue(rs, counts, i) === undefined) i++;
  return i === FIELDS.length ? "same" : "unsure";
}

/** updateReplicaSetStatus skips the write when nothing it owns changed. */
export function statusEqual(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  return jsonEqual(a ?? {}, b);
}
