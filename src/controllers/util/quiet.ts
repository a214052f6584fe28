/**
 * Quiet keys: a controller whose sync wrote nothing but the object's status, from which a sync at once would
 * change nothing, marks the key; the sync the status write's own watch event queues (in the same queue
 * position as ever) then returns at once. The controller's watch maps wake a key on any other event for it.
 * Skipping is allowed because that sync is invisible: it would write nothing, draw nothing, record nothing,
 * and ask for the requeue the marking sync asked for (already armed; kept here for the check).
 */
import type { ObjectKey } from "../../api/types.ts";
import type { Ctx } from "../../simulation.ts";
import type { Result } from "../types.ts";

export interface QuietCheck {
  /** Quiet syncs run (checked). */
  checked: number;
  /** Keys of those that wrote something or asked for another requeue (a bug in the marking). */
  wrote: ObjectKey[];
}

export class QuietKeys {
  /** Quiet key → the requeue its marking sync asked for (null: none; so a miss is one `get`'s undefined). */
  private keys = new Map<ObjectKey, number | null>();
  /** Tests: quiet syncs run anyway and are checked. */
  check?: QuietCheck;

  /**
   * A mark is consumed in the settle pass after it was made (the echo is queued at once); one left at the end
   * of a settle (its key skipped as a hot key, or the settle failed) must not silence a later sync a timer asks
   * for, so it is dropped then.
   */
  constructor(sim: Ctx["sim"]) {
    sim.onSettled(() => this.wakeAll());
  }

  /** `key`'s sync wrote only its status and asked for `requeueAfter`: the next one may be skipped. */
  mark(key: ObjectKey, requeueAfter: number | undefined): void {
    this.keys.set(key, requeueAfter === undefined ? null : requeueAfter);
  }

  /** How many keys are quiet (callers skip working out which keys to wake when none). */
  get size(): number {
    return this.keys.size;
  }

  wake(key: ObjectKey): void {
    if (this.keys.size) this.keys.delete(key);
  }

  wakeAll(): void {
    if (this.keys.size) this.keys.clear();
  }

  /**
   * Run `sync(ctx, key, arg)` for `key`, unless the key is quiet (then nothing; in check mode run it and verify).
   * (`arg`: what the sync needs besides ctx and key, so callers can pass a module-level function instead of
   * making a closure per reconcile.)
   */
  reconcile<A>(ctx: Ctx, key: ObjectKey, sync: (ctx: Ctx, key: ObjectKey, arg: A) => Result | void, arg?: A): Result | void {
    if (!this.keys.size) return sync(ctx, key, arg as A);
    const requeue = this.keys.get(key);
    if (requeue === undefined) return sync(ctx, key, arg as A);
    this.keys.delete(key);
    const check = this.check;
    if (!check) return;
    check.checked++;
    const rv = ctx.store.resourceVersion;
    const res = sync(ctx, key, arg as A);
    if (ctx.store.resourceVersion !== rv || res?.requeueAfter !== (requeue ?? undefined)) check.wrote.push(key);
    return res;
  }
}
