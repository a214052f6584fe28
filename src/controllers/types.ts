/**
 * The controller contract (controller-runtime style): level-triggered `reconcile(ctx, key)` from a
 * de-duplicated FIFO work queue; watch events map to keys; a result may ask for a delayed requeue.
 */
import type { ObjectKey, WatchEvent } from "../api/types.ts";
import type { Ctx } from "../simulation.ts";

export interface Result {
  /** Reconcile this key again after this many virtual milliseconds. */
  requeueAfter?: number;
}

export interface Watch {
  kind: string;
  /** Keys to enqueue for this event; default: the event's own key. Return [] to ignore. */
  map?: (ev: WatchEvent, ctx: Ctx) => ObjectKey[] | ObjectKey | undefined | void;
  /**
   * Coalesce: when this returns a delay > 0 for an event, its keys are enqueued with `enqueueAfter`
   * (the queue keeps the earliest pending time per key), so a burst of such events costs one sync.
   * Use it for events that only move status (a pod turning Ready), never for creations, deletions or
   * spec changes, which controllers must see at once. Upstream gets the same effect from informer
   * coalescing and controller expectations; it keeps per-event cost O(1) amortised at scale.
   */
  batchMs?: (ev: WatchEvent) => number;
}

export interface ControllerDef {
  /** Queue name, e.g. "replicaset". Controllers run in registration order within a settle round. */
  name: string;
  watches: Watch[];
  reconcile(ctx: Ctx, key: ObjectKey): Result | void;
  /** Called once when the simulation starts (e.g. to arm periodic timers). */
  start?(ctx: Ctx): void;
}
