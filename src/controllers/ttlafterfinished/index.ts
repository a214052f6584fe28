/**
 * TTL-after-finished (J14, pkg/controller/ttlafterfinished/ttlafterfinished_controller.go): a finished Job
 * with `ttlSecondsAfterFinished` is deleted at finishTime + ttl (finishTime = lastTransitionTime of its
 * Complete/Failed condition), with Foreground propagation so its pods go first.
 */
import type { Job, ObjectKey } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import { ApiError } from "../../api/errors.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef, Result } from "../types.ts";
import { parseTime } from "../../util/time.ts";

export const NAME = "ttlafterfinished";

/** When the Job finished (ms), if it did. Pure. */
export function jobFinishTime(job: Pick<Job, "status">): number | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") return parseTime(c.lastTransitionTime);
  }
  return undefined;
}

/** When the Job expires (ms), or undefined when it has no TTL or has not finished. Pure. */
export function jobExpireTime(job: Pick<Job, "spec" | "status" | "metadata">): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const finished = jobFinishTime(job);
  return finished === undefined ? undefined : finished + ttl * 1000;
}

export function reconcileTTL(ctx: Ctx, key: ObjectKey): Result | void {
  const { namespace, name } = splitKey(key);
  const job = ctx.store.get<Job>("Job", namespace, name);
  if (!job) return;
  const expireAt = jobExpireTime(job);
  if (expireAt === undefined) return;
  const now = ctx.now();
  if (expireAt > now) return { requeueAfter: expireAt - now };
  try {
    ctx.store.delete("Job", namespace, name, { propagationPolicy: "Foreground" });
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === "NotFound")) throw e;
  }
}

export const ttlAfterFinishedController: ControllerDef = {
  name: NAME,
  watches: [{
    kind: "Job",
    // addJob/updateJob: only Jobs that have a TTL, are finished and not being deleted.
    map: (ev) => (ev.type !== "DELETED" && jobExpireTime(ev.object as Job) !== undefined ? [ev.key] : []),
  }],
  reconcile: reconcileTTL,
};

export const controllers: ControllerDef[] = [ttlAfterFinishedController];
