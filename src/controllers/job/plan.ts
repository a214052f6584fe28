/**
 * Pure Job planning steps (pkg/controller/job): how many pods to run (J4), the pod-failure backoff (J8),
 * Indexed completion intervals (J12), backoff limits (J7), podFailurePolicy matching (J13) and the
 * active-pod ranking used when deleting.
 *
 * Pure: must not read the store.
 */
import type { Pod } from "../../api/types.ts";
import { parseTime } from "../../util/time.ts";

// ------------------------------------------------------------------ J4

export interface WantActiveInput {
  completions?: number | null | undefined;
  parallelism: number;
  active: number;
  succeeded: number;
}

/** manageJob's wantActive (J4). */
export function wantActive({ completions, parallelism, active, succeeded }: WantActiveInput): number {
  if (completions === undefined || completions === null) {
    // work queue: once any pod succeeded, leave whatever is running, running
    return succeeded > 0 ? active : parallelism;
  }
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

/** J5: NonIndexed completion. */
export function isComplete(completions: number | null | undefined, succeeded: number, active: number): boolean {
  if (completions === undefined || completions === null) return succeeded > 0 && active === 0;
  return succeeded >= completions && active === 0;
}

// ------------------------------------------------------------------ J8

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 600_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number | undefined;
}

/** Pod finish time (getFinishedTime): last container finishedAt, else Ready=False transition, else deletion − grace. */
export function podFinishedTime(p: Pod, now: number): number {
  const sts = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])];
  const main = p.status?.containerStatuses ?? [];
  if (main.length && main.every((c) => c.state?.terminated)) {
    let m: number | undefined;
    for (const c of sts) {
      const t = parseTime(c.state?.terminated?.finishedAt);
      if (t !== undefined && (m === undefined || t > m)) m = t;
    }
    if (m !== undefined) return m;
  }
  const ready = p.status?.conditions?.find((c) => c.type === "Ready");
  if (ready && ready.status === "False") {
    const t = parseTime(ready.lastTransitionTime);
    if (t !== undefined) return t;
  }
  const del = parseTime(p.metadata.deletionTimestamp);
  if (del !== undefined) return del - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return now;
}

/** newBackoffRecord: fold this sync's newly counted successes and failures (finish times) into the record. */
export function newBackoffRecord(old: BackoffRecord | undefined, newSucceeded: number[], newFailed: number[]): BackoffRecord {
  const rec: BackoffRecord = { failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTime: old?.lastFailureTime };
  const s = [...newSucceeded].sort((a, b) => a - b);
  const f = [...newFailed].sort((a, b) => a - b);
  if (!s.length) {
    if (!f.length) return rec;
    return { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + f.length, lastFailureTime: f[f.length - 1]! };
  }
  const out: BackoffRecord = { failuresAfterLastSuccess: 0, lastFailureTime: undefined };
  const lastSuccess = s[s.length - 1]!;
  for (let i = f.length - 1; i >= 0; i--) {
    if (!(f[i]! > lastSuccess)) break;
    if (out.lastFailureTime === undefined) out.lastFailureTime = f[i]!;
    out.failuresAfterLastSuccess++;
  }
  return out;
}

/** J8: 10s · 2^(n−1) capped at 600s. */
export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  let d = DEFAULT_POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= MAX_POD_FAILURE_BACKOFF_MS) return MAX_POD_FAILURE_BACKOFF_MS;
  }
  return d;
}

/** getRemainingTime: how long pod creation must still wait. */
export function remainingBackoff(rec: BackoffRecord, now: number): number {
  if (rec.failuresAfterLastSuccess === 0 || rec.lastFailureTime === undefined) return 0;
  const d = backoffDelay(rec.failuresAfterLastSuccess);
  const elapsed = now - rec.lastFailureTime;
  return d < elapsed ? 0 : d - elapsed;
}

// ------------------------------------------------------------------ J7

/** pastBackoffLimitOnFailure: sum of restarts of running/pending pods ≥ limit (> 0 for limit 0). */
export function pastBackoffLimitOnFailure(restartPolicy: string | undefined, backoffLimit: number, pods: Pod[]): boolean {
  if (restartPolicy !== "OnFailure") return false;
  let sum = 0;
  for (const p of pods) {
    const ph = p.status?.phase;
    if (ph !== "Running" && ph !== "Pending") continue;
    for (const c of p.status?.initContainerStatuses ?? []) sum += c.restartCount ?? 0;
    for (const c of p.status?.containerStatuses ?? []) sum += c.restartCount ?? 0;
  }
  return backoffLimit === 0 ? sum > 0 : sum >= backoffLimit;
}

// ------------------------------------------------------------------ J12

/** Sorted unique indexes → `0-2,4,6,7` (runs of ≥3 as a-b, a run of 2 as a,b). */
export function formatIntervals(indexes: Iterable<number>): string {
  const xs = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < xs.length) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    if (j === i) parts.push(String(xs[i]));
    else if (j === i + 1) parts.push(`${xs[i]},${xs[j]}`);
    else parts.push(`${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** Parse `0,2-4,7` back to indexes below `completions` (invalid parts ignored, as upstream logs and skips). */
export function parseIntervals(s: string | undefined | null, completions: number): Set<number> {
  const out = new Set<number>();
  if (!s) return out;
  for (const part of s.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    for (let x = a; x <= b && x < completions; x++) out.add(x);
  }
  return out;
}

/** firstPendingIndexes: the lowest `count` indexes neither succeeded nor held by an active pod. */
export function firstPendingIndexes(succeeded: Set<number>, active: Set<number>, count: number, completions: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (!succeeded.has(i) && !active.has(i)) out.push(i);
  }
  return out;
}

export const COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

/** The completion index of a pod (annotation), or undefined. */
export function completionIndex(p: Pod): number | undefined {
  const v = p.metadata.annotations?.[COMPLETION_INDEX] ?? p.metadata.labels?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** podGenerateNameWithIndex: `<job>-<i>-`, the job part cut so the prefix stays ≤ 58 chars. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const appendIndex = `-${index}-`;
  let prefix = jobName;
  if (prefix.length + appendIndex.length > 58) prefix = prefix.slice(0, 58 - appendIndex.length);
  return prefix + appendIndex;
}

// ------------------------------------------------------------------ J13

export interface FailurePolicyMatch {
  /** FailJob message, when a FailJob rule matched. */
  failJobMessage?: string;
  /** false when an Ignore rule matched (the failure is not counted). */
  countFailed: boolean;
  action?: "FailJob" | "Ignore" | "Count" | "FailIndex";
}

/** matchPodFailurePolicy: the first matching rule wins. */
export function matchPodFailurePolicy(policy: any, pod: Pod): FailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const rules: any[] = policy.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (r.onExitCodes) {
      const cs = matchOnExitCodes(pod, r.onExitCodes);
      if (!cs) continue;
      switch (r.action) {
        case "Ignore": return { countFailed: false, action: "Ignore" };
        case "Count": return { countFailed: true, action: "Count" };
        case "FailIndex": return { countFailed: true, action: "FailIndex" };
        case "FailJob":
          return {
            countFailed: true, action: "FailJob",
            failJobMessage: `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${cs.exitCode} matching FailJob rule at index ${i}`,
          };
      }
    } else if (r.onPodConditions) {
      const cond = (r.onPodConditions as any[]).map((pc) => pod.status?.conditions?.find((c) => c.type === pc.type && c.status === (pc.status ?? "True"))).find(Boolean);
      if (!cond) continue;
      switch (r.action) {
        case "Ignore": return { countFailed: false, action: "Ignore" };
        case "Count": return { countFailed: true, action: "Count" };
        case "FailIndex": return { countFailed: true, action: "FailIndex" };
        case "FailJob":
          return {
            countFailed: true, action: "FailJob",
            failJobMessage: `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${cond.type} matching FailJob rule at index ${i}`,
          };
      }
    }
  }
  return { countFailed: true };
}

function matchOnExitCodes(pod: Pod, req: { containerName?: string; operator: string; values: number[] }): { name: string; exitCode: number } | undefined {
  for (const list of [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []]) {
    for (const c of list) {
      const t = c.state?.terminated;
      if (!t) continue;
      if (req.containerName && req.containerName !== c.name) continue;
      if (t.exitCode === 0) continue;
      const inList = (req.values ?? []).includes(t.exitCode);
      if ((req.operator === "In" && inList) || (req.operator === "NotIn" && !inList)) return { name: c.name, exitCode: t.exitCode };
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ deletion ranking (controller.ActivePods)

function podRank(p: Pod): number[] {
  const assigned = p.spec?.nodeName ? 1 : 0;
  const phase = p.status?.phase === "Pending" ? 0 : p.status?.phase === "Unknown" ? 1 : 2;
  const ready = p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? 1 : 0;
  const readyAt = parseTime(p.status?.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime) ?? 0;
  let restarts = 0;
  for (const c of p.status?.containerStatuses ?? []) restarts = Math.max(restarts, c.restartCount ?? 0);
  const created = parseTime(p.metadata.creationTimestamp) ?? 0;
  // lower sorts first = deleted first: unassigned, pending, not ready, ready more recently, more restarts, newer
  return [assigned, phase, ready, -readyAt, -restarts, -created];
}

/** activePodsForRemoval: the `n` active pods to delete first (unscheduled < pending < not ready < ready…). */
export function activePodsForRemoval(pods: Pod[], n: number): Pod[] {
  if (n <= 0) return [];
  const ranked = pods.map((p) => ({ p, r: podRank(p) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.r.length; i++) if (a.r[i] !== b.r[i]) return a.r[i]! - b.r[i]!;
    return a.p.metadata.name < b.p.metadata.name ? -1 : 1;
  });
  return ranked.slice(0, n).map((x) => x.p);
}
