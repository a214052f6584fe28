/**
 * C4/C5: which scheduled time is due (`mostRecentScheduleTime`, `nextScheduleTime`,
 * `nextScheduleTimeDuration` in pkg/controller/cronjob/utils.go), plus C7 naming and C8 history selection.
 *
 * Pure: must not read the store. Times are epoch milliseconds.
 */
import type { K8sSchedule } from "./schedule.ts";

export type Missed = "none" | "few" | "many";

export interface MostRecent {
  earliest: number;
  /** The most recent due time ≤ now, if any. */
  mostRecent?: number;
  missed: Missed;
  /** "time difference between two schedules is less than 1 second" (a schedule that never fires). */
  error?: string;
}

export interface ScheduleInputs {
  creationTimestamp: number;
  lastScheduleTime?: number | undefined;
  startingDeadlineSeconds?: number | undefined;
}

const TOO_CLOSE = "time difference between two schedules is less than 1 second";

/** mostRecentScheduleTime (C4). */
export function mostRecentScheduleTime(cj: ScheduleInputs, now: number, sched: K8sSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = cj.lastScheduleTime ?? cj.creationTimestamp;
  if (includeStartingDeadline && cj.startingDeadlineSeconds !== undefined) {
    const deadline = now - cj.startingDeadlineSeconds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = sched.next(earliest);
  const t2 = t1 === undefined ? undefined : sched.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: "none" };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: "none" };
  if (t1 === undefined || t2 === undefined) return { earliest, missed: "none", error: TOO_CLOSE };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: "none", error: TOO_CLOSE };
  const elapsed = Math.trunc((now - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missedCount - 1 - 1) * between * 1000;
  for (let t = sched.next(potentialEarliest); t !== undefined && t <= now; t = sched.next(t)) mostRecent = t;
  const missed: Missed = missedCount > 100 ? "many" : missedCount > 0 ? "few" : "none";
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** nextScheduleTime: the time to run now (if any) and whether to warn TooManyMissedTimes (C5). */
export function nextScheduleTime(cj: ScheduleInputs, now: number, sched: K8sSchedule): { scheduled?: number; tooMany: boolean; error?: string } {
  const r = mostRecentScheduleTime(cj, now, sched, true);
  if (r.mostRecent === undefined || r.mostRecent > now) return r.error ? { tooMany: false, error: r.error } : { tooMany: false };
  return { scheduled: r.mostRecent, tooMany: r.missed === "many" };
}

/** nextScheduleTimeDuration: how long until the next sync (next time + 100ms), or undefined. */
export function nextScheduleDelay(cj: ScheduleInputs, now: number, sched: K8sSchedule): number | undefined {
  const r = mostRecentScheduleTime(cj, now, sched, false);
  if (r.error) return undefined;
  const base = r.mostRecent ?? (r.missed === "none" ? r.earliest : now);
  const next = sched.next(base);
  if (next === undefined) return undefined;
  return next + 100 - now;
}

/** C7: `<cronjob>-<scheduledTime.Unix()/60>`. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(Math.floor(scheduledMs / 1000) / 60)}`;
}

export interface FinishedJobInfo { name: string; startTime?: number | undefined }

/** C8 removeOldestJobs: the names to delete so that at most `limit` remain (oldest startTime first, nil last, then name). */
export function jobsToRemove(jobs: FinishedJobInfo[], limit: number): string[] {
  const n = jobs.length - limit;
  if (n <= 0) return [];
  const sorted = [...jobs].sort((a, b) => {
    if (a.startTime === undefined && b.startTime === undefined) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    if (a.startTime === undefined) return 1;
    if (b.startTime === undefined) return -1;
    if (a.startTime !== b.startTime) return a.startTime - b.startTime;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return sorted.slice(0, n).map((j) => j.name);
}
