/**
 * The CronJob controller v2 (pkg/controller/cronjob/cronjob_controllerv2.go `sync`, `syncCronJob`,
 * `cleanupFinishedJobs`): C4–C8. One delayed requeue per CronJob at its next time (+100ms); Job events
 * re-sync the owning CronJob at once.
 */
import type { CronJob, Job, KubeObject, ObjectKey } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef, Result } from "../types.ts";
import { controllerOf, newControllerRef } from "../util/index.ts";
import { sharedPart } from "../util/pods.ts";
import { parseTime } from "../../util/time.ts";
import { isValidTimeZone, parseK8sSchedule, type K8sSchedule } from "./schedule.ts";
import { jobNameFor, jobsToRemove, nextScheduleDelay, nextScheduleTime, type ScheduleInputs } from "./plan.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const CRONJOB_CONTROLLER = "cronjob";
const COMPONENT = "cronjob-controller";
export const SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

type Finished = "Complete" | "Failed" | undefined;

function finishedStatus(job: KubeObject): Finished {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") return c.type;
  }
  return undefined;
}

/** time.Time.Format(time.RFC1123Z) in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** RFC3339 of `ms` in an IANA zone, as Go's `t.In(loc).Format(time.RFC3339)` ("Z" for UTC). */
export function rfc3339In(ms: number, tz: string | undefined): string {
  const secs = Math.floor(ms / 1000) * 1000;
  if (!tz || tz === "UTC") return new Date(secs).toISOString().replace(".000Z", "Z");
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(secs));
  const g = (t: string) => Number(parts.find((x) => x.type === t)!.value);
  const wall = Date.UTC(g("year"), g("month") - 1, g("day"), g("hour"), g("minute"), g("second"));
  const off = Math.round((wall - secs) / 60000);
  const local = new Date(wall).toISOString().replace(".000Z", "");
  if (off === 0) return `${local}Z`;
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/**
 * The Job's spec from the CronJob's job template, for store.create (which deep-copies what is not frozen;
 * admission then defaults the copy): the pod template's containers go as one deep-frozen list per template,
 * shared by every Job (and, through Pod admission's cache of frozen defaulted lists, by every pod) instead
 * of being copied and defaulted again for each run.
 */
function jobSpecFrom(spec: any): any {
  const ts = spec?.template?.spec;
  if (!ts || (!Array.isArray(ts.containers) && !Array.isArray(ts.initContainers))) return spec ?? {};
  const podSpec = { ...ts };
  if (Array.isArray(ts.containers)) podSpec.containers = sharedPart(ts.containers);
  if (Array.isArray(ts.initContainers)) podSpec.initContainers = sharedPart(ts.initContainers);
  return { ...spec, template: { ...spec.template, spec: podSpec } };
}

function jobRef(job: Job) {
  return { apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, namespace: job.metadata.namespace, resourceVersion: job.metadata.resourceVersion, uid: job.metadata.uid };
}

function scheduleInputs(cj: CronJob, status: any): ScheduleInputs {
  return {
    creationTimestamp: parseTime(cj.metadata.creationTimestamp)!,
    lastScheduleTime: parseTime(status.lastScheduleTime),
    startingDeadlineSeconds: cj.spec.startingDeadlineSeconds ?? undefined,
  };
}

function deleteJob(ctx: Ctx, cj: CronJob, status: any, job: Job): boolean {
  try {
    ctx.store.delete("Job", job.metadata.namespace, job.metadata.name, { propagationPolicy: "Background" });
  } catch (e) {
    ctx.events.event(cj, "Warning", "FailedDelete", `Deleted job: ${(e as Error).message}`, COMPONENT);
    return false;
  }
  status.active = (status.active ?? []).filter((r: { uid: string }) => r.uid !== job.metadata.uid);
  ctx.events.event(cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`, COMPONENT);
  return true;
}

function jobInfo(j: Job) {
  return { name: j.metadata.name, startTime: parseTime(j.status?.startTime) };
}

/** removeOldestJobs for one kind of finished job (C8). */
function cleanupFinished(ctx: Ctx, cj: CronJob, status: any, jobs: Job[], fins: Finished[], kind: Finished, limit: number | null | undefined): void {
  if (limit === undefined || limit === null) return;
  const list: Job[] = [];
  for (let i = 0; i < jobs.length; i++) if (fins[i] === kind) list.push(jobs[i]!);
  if (list.length <= limit) return;
  for (const n of jobsToRemove(list.map(jobInfo), limit)) {
    const j = list.find((x) => x.metadata.name === n)!;
    deleteJob(ctx, cj, status, j);
  }
}

export function reconcileCronJob(ctx: Ctx, key: ObjectKey): Result | void {
  const { namespace, name } = splitKey(key);
  const cj = ctx.store.get<CronJob>("CronJob", namespace, name);
  if (!cj) return;
  const now = ctx.now();
  const uid = cj.metadata.uid;
  const jobs: Job[] = [];
  for (const j of ctx.store.ownedBy<Job>(uid, "Job")) if (controllerOf(j)?.uid === uid) jobs.push(j);
  // Finished state per job, read once (the list keeps the versions read here, deleted ones included).
  const fins: Finished[] = jobs.map(finishedStatus);
  // A shallow copy is enough: below, status fields are only replaced, never changed in place.
  const status: any = { ...(cj.status ?? {}) };

  // C8: history cleanup first.
  cleanupFinished(ctx, cj, status, jobs, fins, "Complete", cj.spec.successfulJobsHistoryLimit);
  cleanupFinished(ctx, cj, status, jobs, fins, "Failed", cj.spec.failedJobsHistoryLimit);

  const res = syncCronJob(ctx, cj, jobs, fins, status, now);
  if (!jsonEqual(status, cj.status ?? {})) {
    const cur = ctx.store.get<CronJob>("CronJob", namespace, name);
    if (cur) ctx.store.updateStatus(cur, status);
  }
  return res;
}

/** The delayed re-sync at the next scheduled time (+100 ms), from the status as it will be written. */
function requeue(cj: CronJob, status: any, now: number, sched: K8sSchedule): Result | void {
  const d = nextScheduleDelay(scheduleInputs(cj, status), now, sched);
  return d === undefined ? undefined : { requeueAfter: Math.max(d, 1) };
}

function syncCronJob(ctx: Ctx, cj: CronJob, jobs: Job[], fins: Finished[], status: any, now: number): Result | void {
  const children = new Set<string>();
  for (let i = 0; i < jobs.length; i++) {
    const j = jobs[i]!;
    children.add(j.metadata.uid);
    const found = (status.active ?? []).some((r: { uid: string }) => r.uid === j.metadata.uid);
    const fin = fins[i];
    if (!found && !fin) {
      ctx.events.event(cj, "Warning", "UnexpectedJob", `Saw a job that the controller did not create or forgot: ${j.metadata.name}`, COMPONENT);
    } else if (found && fin) {
      status.active = status.active.filter((r: { uid: string }) => r.uid !== j.metadata.uid);
      ctx.events.event(cj, "Normal", "SawCompletedJob", `Saw completed job: ${j.metadata.name}, condition: ${fin}`, COMPONENT);
    } else if (fin === "Complete") {
      const ct = j.status?.completionTime;
      const last = parseTime(status.lastSuccessfulTime);
      if (ct && (last === undefined || parseTime(ct)! > last)) status.lastSuccessfulTime = ct;
    }
  }
  for (const r of [...(status.active ?? [])] as Array<{ uid: string; name: string; namespace: string }>) {
    if (children.has(r.uid)) continue;
    if (ctx.store.get("Job", r.namespace ?? cj.metadata.namespace, r.name)?.metadata.uid === r.uid) continue;
    ctx.events.event(cj, "Normal", "MissingJob", `Active job went missing: ${r.name}`, COMPONENT);
    status.active = status.active.filter((x: { uid: string }) => x.uid !== r.uid);
  }
  if (status.active && !status.active.length) delete status.active;

  if (cj.metadata.deletionTimestamp) return;
  const tz = cj.spec.timeZone ?? undefined;
  if (tz !== undefined && (!isValidTimeZone(tz) || tz === "" || tz === "Local")) {
    ctx.events.event(cj, "Warning", "UnknownTimeZone", `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`, COMPONENT);
    return;
  }
  if (cj.spec.suspend) return;

  const parsed = parseK8sSchedule(cj.spec.schedule, tz);
  if (!parsed.ok) {
    ctx.events.event(cj, "Warning", "UnparseableSchedule", `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${parsed.error}`, COMPONENT);
    return;
  }
  const sched = parsed.schedule;
  const inputs = scheduleInputs(cj, status);
  const next = nextScheduleTime(inputs, now, sched);
  if (next.error) {
    ctx.events.event(cj, "Warning", "InvalidSchedule", `invalid schedule: ${cj.spec.schedule} : ${next.error}`, COMPONENT);
    return;
  }
  if (next.tooMany) {
    ctx.events.event(cj, "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew", COMPONENT);
  }
  const scheduled = next.scheduled;
  if (scheduled === undefined) return requeue(cj, status, now, sched);

  const sds = cj.spec.startingDeadlineSeconds;
  if (sds !== undefined && sds !== null && scheduled + sds * 1000 < now) {
    ctx.events.event(cj, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`, COMPONENT);
    return requeue(cj, status, now, sched);
  }
  const jobName = jobNameFor(cj.metadata.name, scheduled);
  if ((status.active ?? []).some((r: { name: string }) => r.name === jobName) || parseTime(status.lastScheduleTime) === scheduled) {
    return requeue(cj, status, now, sched);
  }
  if (cj.spec.concurrencyPolicy === "Forbid" && (status.active ?? []).length > 0) {
    ctx.events.event(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", COMPONENT);
    return requeue(cj, status, now, sched);
  }
  if (cj.spec.concurrencyPolicy === "Replace") {
    for (const r of [...(status.active ?? [])] as Array<{ name: string; namespace: string }>) {
      const j = ctx.store.get<Job>("Job", r.namespace ?? cj.metadata.namespace, r.name);
      if (!j) {
        ctx.events.event(cj, "Warning", "FailedGet", `Get job: jobs.batch "${r.name}" not found`, COMPONENT);
        return;
      }
      if (!deleteJob(ctx, cj, status, j)) return;
    }
    if (status.active && !status.active.length) delete status.active;
  }

  // C7: the Job from the template.
  const tpl: any = cj.spec.jobTemplate ?? {};
  const annotations: Record<string, string> = { ...(tpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339In(scheduled, tz) };
  const md: any = { name: jobName, namespace: cj.metadata.namespace, annotations, ownerReferences: [newControllerRef(cj)] };
  if (tpl.metadata?.labels) md.labels = { ...tpl.metadata.labels };
  let created: Job;
  let existed = false;
  try {
    creatingJob = `${cj.metadata.namespace}/${jobName}`;
    created = ctx.store.create<Job>({ apiVersion: "batch/v1", kind: "Job", metadata: md, spec: jobSpecFrom(tpl.spec) });
  } catch (e) {
    const existing = ctx.store.get<Job>("Job", cj.metadata.namespace, jobName);
    if (existing && (e as { reason?: string }).reason === "AlreadyExists") {
      if (controllerOf(existing)?.uid !== cj.metadata.uid) return;
      if ((status.active ?? []).some((r: { uid: string }) => r.uid === existing.metadata.uid)) return;
      created = existing;
      existed = true;
    } else {
      ctx.events.event(cj, "Warning", "FailedCreate", `Error creating job: ${(e as Error).message}`, COMPONENT);
      return;
    }
  } finally {
    creatingJob = undefined;
  }
  if (!existed) ctx.events.event(cj, "Normal", "SuccessfulCreate", `Created job ${created.metadata.name}`, COMPONENT);
  status.active = [...(status.active ?? []), jobRef(created)];
  status.lastScheduleTime = new Date(Math.floor(scheduled / 1000) * 1000).toISOString().replace(".000Z", "Z");
  return requeue(cj, status, now, sched);
}

/**
 * The Job this controller is creating right now (`ns/name`, set only around its store.create). Its ADDED
 * event needs no re-sync: the sync that creates it goes on to record it in status.active and
 * lastScheduleTime, and a sync right after would only find that (no write, no event, the same requeue).
 * Anything else that could change the answer (the Job finishing or going, the CronJob's spec) enqueues
 * the CronJob through the maps below as before.
 */
let creatingJob: string | undefined;

export const cronJobController: ControllerDef = {
  name: CRONJOB_CONTROLLER,
  watches: [
    {
      kind: "CronJob",
      map(ev) {
        // Our own status writes need no re-sync (nothing else writes CronJob status).
        if (ev.type === "MODIFIED" && ev.old && ev.old.metadata.generation === ev.object.metadata.generation
          && jsonEqual(ev.old.metadata.labels, ev.object.metadata.labels)
          && ev.old.metadata.deletionTimestamp === ev.object.metadata.deletionTimestamp) return undefined;
        if (ev.type === "DELETED") return undefined;
        return ev.key;
      },
    },
    {
      kind: "Job",
      map(ev) {
        const ref = controllerOf(ev.object);
        if (!ref || ref.kind !== "CronJob") return undefined;
        if (ev.type === "ADDED" && ev.key === creatingJob) return undefined;
        // Only a Job's finishing (or its coming and going) changes what syncCronJob decides.
        if (ev.type === "MODIFIED" && ev.old && finishedStatus(ev.old) === finishedStatus(ev.object)
          && ev.old.status?.completionTime === ev.object.status?.completionTime) return undefined;
        return `${ev.object.metadata.namespace}/${ref.name}`;
      },
    },
  ],
  reconcile: reconcileCronJob,
};
