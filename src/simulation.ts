/**
 * Wires the engine together: store + clock + seeded random + controllers, on virtual time.
 *
 * @example
 * const sim = createSimulation({ seed: 42 })
 * addNode(sim, { name: "w1" })
 * sim.advance(30_000) // runs due timers in time order, controllers to quiescence after each
 */
import { ObjectStore } from "./api/store.ts";
import { EventRecorder } from "./api/events.ts";
import { createDefaultObjects } from "./api/bootstrap.ts";
import { VirtualClock } from "./clock/clock.ts";
import { Rng } from "./clock/rng.ts";
import type { ObjectKey, WatchEvent } from "./api/types.ts";
import type { ControllerDef, Watch } from "./controllers/types.ts";
import { allControllers } from "./controllers/index.ts";
import "./api/admission/index.ts";

/** 2025-01-01T00:00:00Z: the default start of virtual time. */
export const DEFAULT_START = Date.UTC(2025, 0, 1, 0, 0, 0);

export interface SimulationOptions {
  seed?: number;
  startTime?: number;
  /** Override the controller set (tests). Default: every controller. */
  controllers?: ControllerDef[];
}

/** What controllers get: the API, the clock, randomness, events and their queue. */
export interface Ctx {
  store: ObjectStore;
  clock: VirtualClock;
  rng: Rng;
  events: EventRecorder;
  sim: Simulation;
  now(): number;
  enqueue(controller: string, key: ObjectKey): void;
  /** Workqueue AddAfter: keeps the earliest pending time per key. */
  enqueueAfter(controller: string, key: ObjectKey, ms: number): void;
}

/** Per-node state that is not in the API: whether the simulated kubelet runs. */
export interface NodeRuntime {
  kubeletRunning: boolean;
  /**
   * Virtual time of the kubelet's last status post (heartbeat). Kept lazily: exact once the kubelet is
   * stopped; while it runs, the periodic beats since are not written here (see kubelet/node.ts).
   */
  lastHeartbeat: number;
}

const MAX_RECONCILES_PER_SETTLE = 50_000_000;
/** settle's reused run log is kept between settles up to this many entries. */
const RUN_LOG_KEPT = 1024;
/** Reconciles of one key within one settle before it is treated as a hot loop and backed off. */
const HOT_KEY_LIMIT = 1000;

export class Simulation {
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly store: ObjectStore;
  readonly events: EventRecorder;
  readonly ctx: Ctx;
  readonly seed: number;
  readonly startTime: number;
  readonly nodeRuntime = new Map<string, NodeRuntime>();
  /** Free-form per-subsystem state (kubelet container runtimes, scheduler diagnostics…). */
  readonly ext = new Map<string, unknown>();

  private controllers: ControllerDef[];
  /** Controller name → its index in `controllers` (and in the per-controller arrays below). */
  private indexOf = new Map<string, number>();
  /** Per controller (by index), the index of its queue (controllers of one name share the first one's). */
  private queueOf: number[] = [];
  /** Per controller (by index), its queue. */
  private queues: KeyQueue[] = [];
  /** Per controller, the empty queue that becomes its queue while settle runs the taken one. */
  private spareQueues: KeyQueue[] = [];
  /** Per controller, its keys waiting for a delayed requeue: key → when, and the timer. */
  private delayed: Array<Map<ObjectKey, { at: number; id: number }>> = [];
  /** Per controller, the label prefix of its requeue timers. */
  private requeueLabel: string[] = [];
  private byKind = new Map<string, WatchEntry[]>();
  /** Something was enqueued since settle last found every queue empty. */
  private queued = false;
  private settling = false;
  private changeListeners: Array<() => void> = [];
  reconcileCount = 0;
  /** Sync errors and hot loops, as a controller-manager would log them (the last 100). */
  readonly controllerErrors: Array<{ at: number; controller: string; key: ObjectKey; message: string }> = [];
  /** Failed syncs in a row per controller and key (the rate limiter's memory). */
  private failures = new Map<string, Map<ObjectKey, number>>();
  /**
   * settle's log of (controller, key) runs, reused: its first `logged` entries are this settle's (the rest are
   * stale; truncating it after every settle let V8 drop its backing store and grow a new one each time).
   */
  private runLog: string[] = [];

  constructor(opts: SimulationOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.startTime = opts.startTime ?? DEFAULT_START;
    this.clock = new VirtualClock(this.startTime);
    this.rng = new Rng(this.seed);
    this.store = new ObjectStore(this.clock, this.rng);
    this.events = new EventRecorder(this.store);
    const self = this;
    this.ctx = {
      store: this.store, clock: this.clock, rng: this.rng, events: this.events, sim: this,
      now: () => self.clock.now,
      enqueue: (c, k) => self.enqueue(c, k),
      enqueueAfter: (c, k, ms) => self.enqueueAfter(c, k, ms),
    };
    this.controllers = opts.controllers ?? allControllers();
    for (let ci = 0; ci < this.controllers.length; ci++) {
      const c = this.controllers[ci]!;
      if (!this.indexOf.has(c.name)) this.indexOf.set(c.name, ci);
      this.queueOf.push(this.indexOf.get(c.name)!);
      this.queues.push(new KeyQueue());
      this.spareQueues.push(new KeyQueue());
      this.delayed.push(new Map());
      this.requeueLabel.push(`requeue ${c.name} `);
      for (const w of c.watches) {
        const list = this.byKind.get(w.kind) ?? [];
        list.push(new WatchEntry(this.indexOf.get(c.name)!, w.map, w.batchMs));
        this.byKind.set(w.kind, list);
      }
    }
    this.store.watch((ev) => this.dispatch(ev));
    // Namespaces every cluster has.
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      this.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } as never, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
    }
    // …and the `kubernetes` Service + Endpoints (own uid generator: later seeded names are unchanged).
    createDefaultObjects(this.store, this.seed);
    for (const c of this.controllers) c.start?.(this.ctx);
    this.settle();
  }

  get now(): number {
    return this.clock.now;
  }

  enqueue(controller: string, key: ObjectKey): void {
    const ci = this.indexOf.get(controller);
    if (ci === undefined) return;
    this.queues[ci]!.add(key);
    this.queued = true;
  }

  /** Is `key` waiting in `controller`'s queue (for the next pass over it)? */
  isQueued(controller: string, key: ObjectKey): boolean {
    const ci = this.indexOf.get(controller);
    return ci !== undefined && this.queues[ci]!.has(key);
  }

  enqueueAfter(controller: string, key: ObjectKey, ms: number): void {
    const ci = this.indexOf.get(controller);
    if (ci === undefined) {
      // No such controller here (a test's subset): the timer still runs, and enqueues nothing.
      if (!(ms <= 0)) {
        const delayed = (this.unknownDelayed ??= new Map());
        if (!delayed.has(controller)) delayed.set(controller, new Map());
        this.later(-1, key, ms, delayed.get(controller)!, `requeue ${controller} `);
      }
      return;
    }
    if (ms <= 0) { this.queues[ci]!.add(key); this.queued = true; return; }
    this.later(ci, key, ms);
  }

  /** Per controller name not in this simulation, its keys waiting for a delayed requeue (see enqueueAfter). */
  private unknownDelayed?: Map<string, Map<ObjectKey, { at: number; id: number }>>;

  /**
   * Workqueue AddAfter for controller `ci` (ms > 0; -1: no such controller, the timer enqueues nothing):
   * keeps the earliest pending time per key.
   */
  private later(ci: number, key: ObjectKey, ms: number, delayed = this.delayed[ci]!, labelPrefix = this.requeueLabel[ci]!): void {
    const at = this.clock.now + ms;
    const cur = delayed.get(key);
    if (cur && cur.at <= at) return;
    if (cur) this.clock.cancel(cur.id);
    const id = this.clock.at(at, () => {
      delayed.delete(key);
      if (ci < 0) return;
      this.queues[ci]!.add(key);
      this.queued = true;
    }, labelPrefix + key);
    delayed.set(key, { at, id });
  }

  private dispatch(ev: WatchEvent) {
    const list = this.byKind.get(ev.kind);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      const keys = w.map !== undefined ? w.map(ev, this.ctx) : ev.key;
      if (keys === undefined) continue;
      // Most maps answer with no keys: nothing to do then (not even batchMs). Arrays are walked by index: a
      // for-of here made an iterator object per event and watch (the maps' answers are of mixed shapes).
      if (typeof keys !== "string" && keys.length === 0) continue;
      const delay = w.batchMs !== undefined ? w.batchMs(ev) : 0;
      if (!(delay <= 0)) {
        if (typeof keys === "string") this.later(w.ci, keys, delay);
        else for (let j = 0; j < keys.length; j++) this.later(w.ci, keys[j]!, delay);
      } else {
        const q = this.queues[w.ci]!;
        if (typeof keys === "string") q.add(keys);
        else for (let j = 0; j < keys.length; j++) q.add(keys[j]!);
        this.queued = true;
      }
    }
  }

  /** Run controllers until every queue is empty. */
  settle(): void {
    if (this.settling) return;
    if (!this.queued) {
      // Nothing to run (most timers only move time or write nothing a controller watches).
      for (const l of this.changeListeners) l();
      return;
    }
    this.settling = true;
    // Reconciles per key in this settle, to catch a hot key (more than HOT_KEY_LIMIT runs). A pass over the
    // controllers runs each (controller, key) at most once (what a reconcile enqueues goes to the next pass),
    // so no key can get there within the first HOT_KEY_LIMIT passes: until then the runs are only logged
    // (controller, key, … in a reused array) and counted once that many passes have happened.
    const log = this.runLog;
    let logged = 0;
    let passes = 0;
    let runs: Map<string, Map<ObjectKey, number>> | undefined;
    let troubled: Set<string> | undefined;
    const controllers = this.controllers, queues = this.queues, spares = this.spareQueues, queueOf = this.queueOf;
    try {
      let budget = MAX_RECONCILES_PER_SETTLE;
      for (;;) {
        let any = false;
        if (!runs && ++passes > HOT_KEY_LIMIT) {
          runs = new Map();
          for (let i = 0; i < logged; i += 2) count(runs, log[i]!, log[i + 1]!);
          logged = 0;
        }
        for (let ci = 0; ci < controllers.length; ci++) {
          const c = controllers[ci]!;
          const qi = queueOf[ci]!;
          const taken = queues[qi]!;
          if (!taken.size) continue;
          any = true;
          // Swap in the spare (empty) set for what reconciles enqueue meanwhile, and run the taken one.
          queues[qi] = spares[qi]!;
          spares[qi] = taken;
          const keys = taken.keys, n = taken.size;
          try {
            for (let ki = 0; ki < n; ki++) {
              const k = keys[ki]!;
              if (--budget < 0) throw new Error(`controllers did not settle (last: ${c.name} ${k})`);
              if (runs) {
                if (count(runs, c.name, k) > HOT_KEY_LIMIT) {
                  const rk = `${c.name}\u0000${k}`;
                  // A key that keeps re-triggering itself at one instant: back off like a failing sync.
                  troubled ??= new Set();
                  if (!troubled.has(rk)) {
                    troubled.add(rk);
                    this.recordControllerError(c.name, k, `reconciled ${HOT_KEY_LIMIT} times without settling`);
                    this.enqueueAfter(c.name, k, this.backoff(c.name, k));
                  }
                  continue;
                }
              } else {
                log[logged++] = c.name;
                log[logged++] = k;
              }
              this.reconcileCount++;
              let res: ReturnType<ControllerDef["reconcile"]>;
              try {
                res = c.reconcile(this.ctx, k);
              } catch (e) {
                // A sync error: upstream logs it and requeues the key with rate-limited backoff; the
                // rest of the queue goes on.
                troubled ??= new Set();
                troubled.add(`${c.name}\u0000${k}`);
                this.recordControllerError(c.name, k, e instanceof Error ? e.message : String(e));
                this.enqueueAfter(c.name, k, this.backoff(c.name, k));
                continue;
              }
              if (res?.requeueAfter !== undefined) this.enqueueAfter(c.name, k, res.requeueAfter);
            }
          } finally {
            taken.clear();
          }
        }
        if (!any) break;
      }
      this.queued = false;
      if (this.failures.size) {
        if (runs) for (const [cname, cruns] of runs) for (const k of cruns.keys()) this.succeeded(cname, k, troubled);
        for (let i = 0; i < logged; i += 2) this.succeeded(log[i]!, log[i + 1]!, troubled);
      }
    } finally {
      this.settling = false;
      // A settle of a whole rollout logs ~10^5 runs: that array (and the keys it holds) is not kept.
      if (log.length > RUN_LOG_KEPT) log.length = 0;
    }
    for (const l of this.changeListeners) l();
  }

  /**
   * A settle ran (controller, key) and it did not fail (is not in `troubled`): the rate limiter forgets its
   * failures. (A method, not a closure in settle: that closure made V8 allocate settle's context every call.)
   */
  private succeeded(cname: string, k: ObjectKey, troubled: Set<string> | undefined): void {
    const f = this.failures.get(cname);
    if (!f?.has(k) || troubled?.has(`${cname}\u0000${k}`)) return;
    f.delete(k);
    if (!f.size) this.failures.delete(cname);
  }

  /** workqueue's ItemExponentialFailureRateLimiter: 5 ms doubling per failure, capped at 1000 s. */
  private backoff(cname: string, k: ObjectKey): number {
    let f = this.failures.get(cname);
    if (!f) this.failures.set(cname, (f = new Map()));
    const n = f.get(k) ?? 0;
    f.set(k, n + 1);
    return Math.min(5 * 2 ** n, 1_000_000);
  }

  private recordControllerError(controller: string, key: ObjectKey, message: string) {
    this.controllerErrors.push({ at: this.clock.now, controller, key, message });
    if (this.controllerErrors.length > 100) this.controllerErrors.shift();
  }

  /** Move virtual time forward by `ms`, running every due timer in order and settling after each. */
  advance(ms: number): void {
    this.advanceTo(this.clock.now + Math.max(0, ms));
  }

  advanceTo(target: number): void {
    this.settle();
    while (this.clock.runNext(target)) this.settle();
    if (target > this.clock.now) this.clock.now = target;
  }

  /** Run `fn` (a user action), then settle. */
  act<T>(fn: () => T): T {
    try {
      return fn();
    } finally {
      this.settle();
    }
  }

  onSettled(fn: () => void): () => void {
    this.changeListeners.push(fn);
    return () => { this.changeListeners = this.changeListeners.filter((l) => l !== fn); };
  }
}

/**
 * A controller's queue: keys, each once, in the order they were first added (a Set's order). Kept as an array
 * that is emptied by resetting its count, so the queues of a settle — mostly a few keys, refilled and emptied
 * thousands of times — allocate nothing; a Set's clear() allocated a new table each time, and the adds after
 * it grew it again. Whether a key is in is a scan while there are few, a Set once there are many.
 */
export class KeyQueue {
  /** The keys: the first `size` entries (the ones after are stale). */
  readonly keys: ObjectKey[] = [];
  size = 0;
  /** The keys, once there are more than SCAN_MAX (until clear). */
  private set: Set<ObjectKey> | undefined = undefined;

  add(k: ObjectKey): void {
    const set = this.set;
    if (set !== undefined) {
      const n = set.size;
      if (set.add(k).size === n) return;
    } else if (this.size < SCAN_MAX) {
      const keys = this.keys;
      for (let i = 0; i < this.size; i++) if (keys[i] === k) return;
    } else {
      this.set = new Set(this.keys.slice(0, this.size));
      if (this.set.has(k)) return;
      this.set.add(k);
    }
    this.keys[this.size++] = k;
  }

  has(k: ObjectKey): boolean {
    if (this.set !== undefined) return this.set.has(k);
    const keys = this.keys;
    for (let i = 0; i < this.size; i++) if (keys[i] === k) return true;
    return false;
  }

  clear(): void {
    // A big queue (a whole rollout's pods) does not keep its array: it would hold those keys until refilled.
    if (this.size > KEPT_MAX) this.keys.length = 0;
    this.size = 0;
    this.set = undefined;
  }
}

/** KeyQueue: up to this many keys, membership is a scan (most keys are the same string objects, or differ in hash). */
const SCAN_MAX = 16;
/** KeyQueue: an emptied queue keeps its array up to this many keys. */
const KEPT_MAX = 1024;

/** One controller's watch on a kind: its queue index, key mapping and batching. */
class WatchEntry {
  constructor(readonly ci: number, readonly map: Watch["map"] | undefined, readonly batchMs: Watch["batchMs"] | undefined) {}
}

/** Count one more run of (controller, key); returns the count. */
function count(runs: Map<string, Map<ObjectKey, number>>, cname: string, k: ObjectKey): number {
  let cruns = runs.get(cname);
  if (!cruns) runs.set(cname, (cruns = new Map()));
  const n = (cruns.get(k) ?? 0) + 1;
  cruns.set(k, n);
  return n;
}

export function createSimulation(opts: SimulationOptions = {}): Simulation {
  return new Simulation(opts);
}
