/**
 * The Job controller (pkg/controller/job/job_controller.go `syncJob`), fact by fact: J4 manageJob, J5
 * completion with SuccessCriteriaMet → Complete, J6 failure counting through the job-tracking
 * finalizer, J7 backoff limits, J8 replacement backoff, J9 1s batching, J10 deadline, J11 suspend,
 * J12 Indexed, J13 podFailurePolicy.
 */
import type { Job, KubeObject, ObjectKey, Pod } from "../../api/types.ts";
import { keyOf, splitKey } from "../../api/types.ts";
import { fromLabelSelector, type Selector } from "../../api/labels.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";
import { candidatePods, claimObjects, controllerOf, isPodActive, isPodReady, newControllerRef, podFromTemplate } from "../util/index.ts";
import { parseTime, rfc3339 } from "../../util/time.ts";
import {
  activePodsForRemoval, COMPLETION_INDEX, completionIndex, firstPendingIndexes, formatIntervals, isComplete,
  matchPodFailurePolicy, newBackoffRecord, parseIntervals, pastBackoffLimitOnFailure, podFinishedTime,
  podGenerateNameWithIndex, remainingBackoff, wantActive, type BackoffRecord,
} from "./plan.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const JOB_CONTROLLER = "job";
export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
const COMPONENT = "job-controller";
const SYNC_BATCH_PERIOD_MS = 1000;
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const ORPHAN_PREFIX = "orphan-pod\u0000";

type Cond = { type: string; status: string; reason?: string; message?: string; lastProbeTime?: string; lastTransitionTime?: string };

function backoffStore(ctx: Ctx): Map<string, BackoffRecord> {
  let m = ctx.sim.ext.get("job.backoff") as Map<string, BackoffRecord> | undefined;
  if (!m) ctx.sim.ext.set("job.backoff", (m = new Map()));
  return m;
}

function findCond(conds: Cond[] | undefined, type: string): Cond | undefined {
  return conds?.find((c) => c.type === type);
}

/** IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: KubeObject): boolean {
  return (job.status?.conditions ?? []).some((c: Cond) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

function newCond(type: string, status: string, reason: string, message: string, now: number): Cond {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** ensureJobConditionStatus: returns true when the list changed. */
function ensureCond(conds: Cond[], type: string, status: string, reason: string, message: string, now: number): boolean {
  const i = conds.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conds[i]!;
    if (c.status !== status || c.reason !== reason || c.message !== message) {
      conds[i] = newCond(type, status, reason, message, now);
      return true;
    }
    return false;
  }
  if (status !== "False") {
    conds.push(newCond(type, status, reason, message, now));
    return true;
  }
  return false;
}

function hasTracking(p: Pod): boolean {
  return !!p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER);
}

/**
 * Drop the job-tracking finalizer (a metadata-only PUT without admission, as store.mutate would do it, but
 * without deep-copying the pod: the new version shares spec and status with the stored one, as
 * updateStatus's versions share spec).
 */
function removeTracking(ctx: Ctx, p: Pod): void {
  const cur = ctx.store.get<Pod>("Pod", p.metadata.namespace, p.metadata.name);
  if (!cur) return;
  const md: Pod["metadata"] = { ...cur.metadata };
  const f = (md.finalizers ?? []).filter((x) => x !== JOB_TRACKING_FINALIZER);
  if (f.length) md.finalizers = f;
  else delete md.finalizers;
  ctx.store.update<Pod>({ ...cur, metadata: md }, { skipAdmission: true });
}

function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === "Failed" || !!job.spec.podFailurePolicy;
}

/** isPodFailed (J6): Failed, or (TerminatingOrFailed) deleted while not Succeeded. */
function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded";
}

function isTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed";
}

/** The pods this Job controls, in the owner index's order. */
function ownedPods(ctx: Ctx, uid: string): Pod[] {
  const out: Pod[] = [];
  for (const p of ctx.store.ownedBy<Pod>(uid, "Pod")) if (controllerOf(p)?.uid === uid) out.push(p);
  return out;
}

/** Parsed selectors per stored selector object (a Job's spec, selector included, is shared by its versions). */
const parsedSelectors = new WeakMap<object, Selector>();
const UNIQUE = Object.freeze({ unique: true });

function jobPods(ctx: Ctx, job: Job): Pod[] {
  const ls = job.spec.selector;
  let sel = ls ? parsedSelectors.get(ls) : undefined;
  if (!sel) {
    sel = fromLabelSelector(ls);
    if (ls) parsedSelectors.set(ls, sel);
  }
  return claimObjects(ctx, job, sel, candidatePods(ctx, job, sel), UNIQUE) as Pod[];
}

/** Pods that are active (isPodActive), in order; `pods` itself when all are. */
function activeOf(pods: Pod[]): Pod[] {
  let i = 0;
  while (i < pods.length && isPodActive(pods[i]!)) i++;
  if (i === pods.length) return pods;
  const out = pods.slice(0, i);
  for (i++; i < pods.length; i++) if (isPodActive(pods[i]!)) out.push(pods[i]!);
  return out;
}

const NO_TIMES: number[] = [];

function deletePod(ctx: Ctx, job: Job, p: Pod, stripFinalizer: boolean): boolean {
  try {
    if (stripFinalizer && hasTracking(p)) removeTracking(ctx, p);
    if (!ctx.store.get("Pod", p.metadata.namespace, p.metadata.name)) return true;
    ctx.store.delete("Pod", p.metadata.namespace, p.metadata.name);
    ctx.events.event(job, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`, COMPONENT);
    return true;
  } catch (e) {
    ctx.events.event(job, "Warning", "FailedDelete", `Error deleting: ${(e as Error).message}`, COMPONENT);
    return false;
  }
}

const TRACKING_ONLY: readonly string[] = Object.freeze([JOB_TRACKING_FINALIZER]);

function podTemplateFor(job: Job, index?: number): Pod {
  // No deep copy: nothing below changes the Job's template in place (parts that change are spread first),
  // and the store deep-copies the pod on create.
  const src = (job.spec.template ?? {}) as { metadata?: any; spec?: any };
  const tpl: { metadata?: any; spec?: any } = { ...src };
  tpl.metadata = { ...(tpl.metadata ?? {}) };
  const fin = tpl.metadata.finalizers;
  // The usual template has no finalizers: one frozen list for every pod (podFromTemplate shares frozen parts).
  tpl.metadata.finalizers = !fin || (Array.isArray(fin) && fin.length === 0)
    ? TRACKING_ONLY
    : [...(fin ?? []).filter((f: string) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
  let generateName = `${job.metadata.name}-`;
  if (index !== undefined) {
    tpl.metadata.annotations = { ...(tpl.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
    tpl.metadata.labels = { ...(tpl.metadata.labels ?? {}), [COMPLETION_INDEX]: String(index) };
    tpl.spec = { ...(tpl.spec ?? {}), hostname: `${job.metadata.name}-${index}` };
    const addEnv = (c: any) => {
      if ((c.env ?? []).some((e: any) => e.name === "JOB_COMPLETION_INDEX")) return;
      c.env = [...(c.env ?? []), { name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } }];
    };
    tpl.spec.containers = (tpl.spec.containers ?? []).map((c: any) => { const x = { ...c }; addEnv(x); return x; });
    if (tpl.spec.initContainers) tpl.spec.initContainers = tpl.spec.initContainers.map((c: any) => { const x = { ...c }; addEnv(x); return x; });
    generateName = podGenerateNameWithIndex(job.metadata.name, index);
  }
  return podFromTemplate(tpl, job.metadata.namespace!, generateName, newControllerRef(job));
}

function createPods(ctx: Ctx, job: Job, count: number, indexes: number[] | undefined): number {
  let created = 0;
  let batch = Math.min(count, 1), i = 0;
  // X9 slow start, as manageJob batches its creates
  while (batch > 0) {
    let errors = 0;
    for (let j = 0; j < batch; j++, i++) {
      const pod = podTemplateFor(job, indexes?.[i]);
      try {
        const p = ctx.store.create<Pod>(pod);
        ctx.events.createdPod(job, p.metadata.name, COMPONENT); // "Created pod: <name>"
        created++;
      } catch (e) {
        ctx.events.event(job, "Warning", "FailedCreate", `Error creating: ${(e as Error).message}`, COMPONENT);
        errors++;
      }
    }
    if (errors) break;
    const remaining = count - i;
    batch = Math.min(2 * batch, remaining);
  }
  return created;
}

function cleanupOrphanPod(ctx: Ctx, key: ObjectKey): void {
  const { namespace, name } = splitKey(key);
  const p = ctx.store.get<Pod>("Pod", namespace, name);
  if (!p || !hasTracking(p)) return;
  const ref = controllerOf(p);
  if (ref && ref.kind === "Job" && ctx.store.getByUid(ref.uid)) return;
  removeTracking(ctx, p);
}

export function reconcileJob(ctx: Ctx, key: ObjectKey): void {
  if (key.startsWith(ORPHAN_PREFIX)) return cleanupOrphanPod(ctx, key.slice(ORPHAN_PREFIX.length));
  const { namespace, name } = splitKey(key);
  const job = ctx.store.get<Job>("Job", namespace, name);
  if (!job) {
    backoffStore(ctx).delete(key);
    return;
  }
  const now = ctx.now();
  const spec = job.spec;
  const uid = job.metadata.uid;

  if (isJobFinished(job)) {
    for (const p of ctx.store.ownedBy<Pod>(uid, "Pod")) if (hasTracking(p)) removeTracking(ctx, p);
    return;
  }

  // Shallow copies: status fields are only replaced below, and conditions only replaced or appended in
  // the copied list (ensureCond), never changed in place.
  const status: any = { ...(job.status ?? {}) };
  const conds: Cond[] = (status.conditions = status.conditions ? [...status.conditions] : []);
  const indexed = spec.completionMode === "Indexed";
  const completions: number | undefined = spec.completions ?? undefined;
  const suspended = spec.suspend === true;

  let pods = jobPods(ctx, job);
  // The store's resourceVersion moves with every write (Events included): while it stays, a second
  // jobPods/ownedBy read would return the same list, so it is reused.
  let rvPods = ctx.store.resourceVersion;

  // Pods finished but not yet counted (still carrying the tracking finalizer).
  let uncountedSucceeded: Pod[] | undefined, uncountedFailed: Pod[] | undefined;
  let countedFailedNow = 0;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!;
    if (!hasTracking(p)) continue;
    if (p.status?.phase === "Succeeded") (uncountedSucceeded ??= []).push(p);
    else if (isPodFailed(p, job)) {
      (uncountedFailed ??= []).push(p);
      if (matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed) countedFailedNow++;
    }
  }

  let succeededIdx = new Set<number>();
  let succeeded: number;
  if (indexed) {
    succeededIdx = parseIntervals(status.completedIndexes, completions ?? 0);
    for (const p of pods) {
      const ix = completionIndex(p);
      if (p.status?.phase === "Succeeded" && ix !== undefined && ix < (completions ?? 0)) succeededIdx.add(ix);
    }
    succeeded = succeededIdx.size;
  } else {
    succeeded = (status.succeeded ?? 0) + (uncountedSucceeded?.length ?? 0);
  }
  const failed = (status.failed ?? 0) + countedFailedNow;

  if (!status.startTime && !suspended) status.startTime = rfc3339(now);

  // J6/J8: the backoff record folds in this sync's newly finished pods.
  const store = backoffStore(ctx);
  const old = store.get(key);
  let rec: BackoffRecord;
  if (uncountedSucceeded || uncountedFailed) {
    const ts: number[] = [], tf: number[] = [];
    if (uncountedSucceeded) for (const p of uncountedSucceeded) ts.push(podFinishedTime(p, now));
    if (uncountedFailed) for (const p of uncountedFailed) tf.push(podFinishedTime(p, now));
    rec = newBackoffRecord(old, ts, tf);
    store.set(key, rec);
  } else if (old) rec = old; // nothing newly finished: the record stays as it is
  else store.set(key, (rec = newBackoffRecord(undefined, NO_TIMES, NO_TIMES)));

  // Which terminal condition, if any.
  let finished: Cond | undefined;
  const scm = findCond(conds, "SuccessCriteriaMet");
  if (scm?.status === "True") finished = newCond("Complete", "True", scm.reason ?? "CompletionsReached", scm.message ?? "Reached expected number of succeeded pods", now);
  if (!finished) {
    const ft = findCond(conds, "FailureTarget");
    if (ft?.status === "True") finished = newCond("Failed", "True", ft.reason ?? "", ft.message ?? "", now);
    else if (spec.podFailurePolicy) {
      for (const p of pods) {
        if (p.status?.phase !== "Failed") continue;
        const m = matchPodFailurePolicy(spec.podFailurePolicy, p);
        if (m.failJobMessage) { finished = newCond("Failed", "True", "PodFailurePolicy", m.failJobMessage, now); break; }
      }
    }
  }
  if (!finished) {
    if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(spec.template?.spec?.restartPolicy, spec.backoffLimit ?? 6, pods)) {
      finished = newCond("Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
    } else if (spec.activeDeadlineSeconds != null && !suspended && status.startTime) {
      const start = parseTime(status.startTime)!;
      const left = start + spec.activeDeadlineSeconds * 1000 - now;
      if (left <= 0) finished = newCond("Failed", "True", "DeadlineExceeded", "Job was active longer than specified deadline", now);
      else ctx.enqueueAfter(JOB_CONTROLLER, key, left);
    }
  }

  let suspendChanged = false;
  if (finished) {
    // J7/J10: every active pod goes; they keep the tracking finalizer and count as failed.
    for (const p of activeOf(pods)) deletePod(ctx, job, p, false);
  } else {
    if (!job.metadata.deletionTimestamp) manageJob(ctx, job, pods, succeeded, succeededIdx, rec, now);
    if (ctx.store.resourceVersion !== rvPods) {
      pods = jobPods(ctx, job);
      rvPods = ctx.store.resourceVersion;
    }
    let active = 0;
    for (let i = 0; i < pods.length; i++) if (isPodActive(pods[i]!)) active++;
    const done = indexed ? completions !== undefined && succeeded >= completions && active === 0 : isComplete(completions, succeeded, active);
    if (done) finished = newCond("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
    else if (suspended) {
      if (ensureCond(conds, "Suspended", "True", "JobSuspended", "Job suspended", now)) {
        suspendChanged = true;
        ctx.events.event(job, "Normal", "Suspended", "Job suspended", COMPONENT);
        delete status.startTime;
      }
    } else if (ensureCond(conds, "Suspended", "False", "JobResumed", "Job resumed", now)) {
      suspendChanged = true;
      ctx.events.event(job, "Normal", "Resumed", "Job resumed", COMPONENT);
      status.startTime = rfc3339(now);
    }
  }
  void suspendChanged;

  // Count finished pods and release their finalizers (trackJobStatusAndRemoveFinalizers).
  pods = ownedPods(ctx, uid);
  const rvOwned = ctx.store.resourceVersion;
  let addSucceeded = 0, addFailed = 0;
  for (const p of pods) {
    if (!hasTracking(p)) continue;
    const ph = p.status?.phase;
    const considerFailed = isPodFailed(p, job);
    const canRemove = !!job.metadata.deletionTimestamp || !!finished || ph === "Succeeded" || considerFailed;
    if (!canRemove) continue;
    if (ph === "Succeeded") {
      const ix = completionIndex(p);
      if (indexed) {
        if (ix !== undefined && ix < (completions ?? 0)) succeededIdx.add(ix);
      } else addSucceeded++;
    } else if (considerFailed || finished) {
      if (matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed) addFailed++;
    }
    removeTracking(ctx, p);
  }
  if (indexed) {
    status.completedIndexes = formatIntervals(succeededIdx);
    status.succeeded = succeededIdx.size;
  } else status.succeeded = (status.succeeded ?? 0) + addSucceeded;
  status.failed = (status.failed ?? 0) + addFailed;
  if (!status.succeeded) delete status.succeeded;
  if (!status.failed) delete status.failed;
  if (indexed && !status.completedIndexes) status.completedIndexes = "";

  if (ctx.store.resourceVersion !== rvOwned) pods = ownedPods(ctx, uid);
  let nActive = 0, nReady = 0, terminating = 0;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!;
    if (isPodActive(p)) {
      nActive++;
      if (isPodReady(p)) nReady++;
    }
    if (isTerminating(p)) terminating++;
  }
  status.active = nActive;
  if (!status.active) delete status.active;
  status.ready = nReady;
  status.terminating = terminating;
  status.uncountedTerminatedPods ??= {};

  if (finished) {
    const interim = finished.type === "Complete" ? "SuccessCriteriaMet" : "FailureTarget";
    ensureCond(conds, interim, "True", finished.reason!, finished.message!, now);
    if (terminating === 0) {
      ensureCond(conds, finished.type, "True", finished.reason!, finished.message!, now);
      if (finished.type === "Complete") {
        status.completionTime = rfc3339(now);
        if (completions !== undefined && (status.succeeded ?? 0) > completions) {
          ctx.events.event(job, "Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached", COMPONENT);
        }
        ctx.events.event(job, "Normal", "Completed", "Job completed", COMPONENT);
      } else {
        ctx.events.event(job, "Warning", finished.reason!, finished.message!, COMPONENT);
      }
      store.delete(key);
    }
  }
  if (!conds.length) delete status.conditions;

  if (!jsonEqual(status, job.status ?? {})) {
    const cur = ctx.store.get<Job>("Job", namespace, name);
    if (cur) ctx.store.updateStatus(cur, status);
  }
}

/** manageJob (J4, J8, J11, J12): delete or create, never both in one sync. */
function manageJob(ctx: Ctx, job: Job, pods: Pod[], succeeded: number, succeededIdx: Set<number>, rec: BackoffRecord, now: number): void {
  const spec = job.spec;
  const key = keyOf(job);
  const active = activeOf(pods);
  if (spec.suspend) {
    for (const p of activePodsForRemoval(active, active.length)) deletePod(ctx, job, p, true);
    return;
  }
  const indexed = spec.completionMode === "Indexed";
  const completions: number | undefined = spec.completions ?? undefined;
  const want = wantActive({ completions, parallelism: spec.parallelism ?? 1, active: active.length, succeeded });

  const toDelete: Pod[] = [];
  if (indexed) {
    // duplicates and pods whose index is invalid or already succeeded go first
    const seen = new Set<number>();
    for (const p of activePodsForRemoval(active, active.length).reverse()) {
      const ix = completionIndex(p);
      if (ix === undefined || ix >= (completions ?? 0) || succeededIdx.has(ix) || seen.has(ix)) toDelete.push(p);
      else seen.add(ix);
    }
  }
  const remaining = toDelete.length ? active.filter((p) => !toDelete.includes(p)) : active;
  const rmAtLeast = remaining.length - want;
  if (rmAtLeast > 0) toDelete.push(...activePodsForRemoval(remaining, rmAtLeast));
  if (toDelete.length) {
    for (const p of toDelete.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC)) deletePod(ctx, job, p, true);
    return;
  }

  const terminating = onlyReplaceFailedPods(job) ? pods.filter(isTerminating).length : 0;
  let diff = want - terminating - active.length;
  if (diff <= 0) return;
  const wait = remainingBackoff(rec, now);
  if (wait > 0) {
    ctx.enqueueAfter(JOB_CONTROLLER, key, wait);
    return;
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  let indexes: number[] | undefined;
  if (indexed) {
    const activeIdx = new Set<number>();
    for (const p of active) {
      const ix = completionIndex(p);
      if (ix !== undefined) activeIdx.add(ix);
    }
    indexes = firstPendingIndexes(succeededIdx, activeIdx, diff, completions ?? 0);
    diff = indexes.length;
  }
  createPods(ctx, job, diff, indexes);
}

export const jobController: ControllerDef = {
  name: JOB_CONTROLLER,
  watches: [
    {
      kind: "Job",
      map(ev, ctx) {
        // Spec changes sync at once; status-only updates (our own writes) are batched (J9).
        if (ev.type === "MODIFIED" && ev.old && ev.old.metadata.generation === ev.object.metadata.generation
          && !ev.object.metadata.deletionTimestamp) {
          ctx.enqueueAfter(JOB_CONTROLLER, ev.key, SYNC_BATCH_PERIOD_MS);
          return undefined;
        }
        if (ev.type === "DELETED") {
          // deleteJob → cleanupPodFinalizers: its pods still carrying our finalizer are released as orphans.
          const orphans = ctx.store.ownedBy<Pod>(ev.object.metadata.uid, "Pod")
            .filter((p) => hasTracking(p) && controllerOf(p)?.uid === ev.object.metadata.uid)
            .map((p) => `${ORPHAN_PREFIX}${keyOf(p)}`);
          return [ev.key, ...orphans];
        }
        return ev.key;
      },
    },
    {
      kind: "Pod",
      map(ev, ctx) {
        const p = ev.object as Pod;
        const ref = controllerOf(p);
        const key = ref && ref.kind === "Job" ? `${p.metadata.namespace}/${ref.name}` : undefined;
        if (ref && key) {
          const job = ctx.store.get("Job", p.metadata.namespace, ref.name);
          if (job && job.metadata.uid === ref.uid) {
            ctx.enqueueAfter(JOB_CONTROLLER, key, SYNC_BATCH_PERIOD_MS);
            return undefined;
          }
        }
        // An orphan still carrying our finalizer (its Job is gone): release it.
        if (ev.type !== "DELETED" && hasTracking(p)) return [`${ORPHAN_PREFIX}${ev.key}`];
        if (ev.type !== "DELETED" && !key && p.metadata.labels?.["batch.kubernetes.io/controller-uid"]) {
          // possible adoption: let every job in the namespace with a matching selector look (rare)
          for (const j of ctx.store.list("Job", { namespace: p.metadata.namespace! })) ctx.enqueueAfter(JOB_CONTROLLER, keyOf(j), SYNC_BATCH_PERIOD_MS);
        }
        return undefined;
      },
    },
  ],
  reconcile(ctx, key) {
    reconcileJob(ctx, key);
  },
};
