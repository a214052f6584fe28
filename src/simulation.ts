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
  private queues = new Map<string, Set<ObjectKey>>();
  /** Per controller, the empty set that becomes its queue while settle runs the taken one. */
  private spareQueues = new Map<string, Set<ObjectKey>>();
  private delayed = new Map<string, { at: number; id: number }>();
  private byKind = new Map<string, Array<{ c: ControllerDef; map?: Watch["map"]; batchMs?: Watch["batchMs"] }>>();
  private settling = false;
  private changeListeners: Array<() => void> = [];
  reconcileCount = 0;
  /** Sync errors and hot loops, as a controller-manager would log them (the last 100). */
  readonly controllerErrors: Array<{ at: number; controller: string; key: ObjectKey; message: string }> = [];
  private failures = new Map<string, number>();
  /** settle's log of (controller, key) runs, reused. */
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
    for (const c of this.controllers) {
      this.queues.set(c.name, new Set());
      this.spareQueues.set(c.name, new Set());
      for (const w of c.watches) {
        const list = this.byKind.get(w.kind) ?? [];
        list.push({ c, ...(w.map ? { map: w.map } : {}), ...(w.batchMs ? { batchMs: w.batchMs } : {}) });
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
    const q = this.queues.get(controller);
    if (!q) return;
    q.add(key);
  }

  enqueueAfter(controller: string, key: ObjectKey, ms: number): void {
    if (ms <= 0) return this.enqueue(controller, key);
    const at = this.clock.now + ms;
    const dk = `${controller}\u0000${key}`;
    const cur = this.delayed.get(dk);
    if (cur && cur.at <= at) return;
    if (cur) this.clock.cancel(cur.id);
    const id = this.clock.at(at, () => {
      this.delayed.delete(dk);
      this.enqueue(controller, key);
    }, `requeue ${controller} ${key}`);
    this.delayed.set(dk, { at, id });
  }

  private dispatch(ev: WatchEvent) {
    const list = this.byKind.get(ev.kind);
    if (list) {
      for (const { c, map, batchMs } of list) {
        const keys = map ? map(ev, this.ctx) : ev.key;
        if (keys === undefined) continue;
        const delay = batchMs ? batchMs(ev) : 0;
        if (typeof keys === "string") this.enqueueAfter(c.name, keys, delay);
        else for (const k of keys) this.enqueueAfter(c.name, k, delay);
      }
    }
  }

  /** Run controllers until every queue is empty. */
  settle(): void {
    if (this.settling) return;
    this.settling = true;
    // Reconciles per key in this settle, to catch a hot key (more than HOT_KEY_LIMIT runs). No key can get
    // there before the settle has made HOT_KEY_LIMIT runs in all, so until then the runs are only logged
    // (controller, key, … in a reused array) and counted once that many have happened.
    const log = this.runLog;
    log.length = 0;
    let attempts = 0;
    let runs: Map<string, Map<ObjectKey, number>> | undefined;
    let troubled: Set<string> | undefined;
    const count = (cname: string, k: ObjectKey): number => {
      let cruns = runs!.get(cname);
      if (!cruns) runs!.set(cname, (cruns = new Map()));
      const n = (cruns.get(k) ?? 0) + 1;
      cruns.set(k, n);
      return n;
    };
    try {
      let budget = MAX_RECONCILES_PER_SETTLE;
      for (;;) {
        let any = false;
        for (const c of this.controllers) {
          const keys = this.queues.get(c.name)!;
          if (!keys.size) continue;
          any = true;
          // Swap in the spare (empty) set for what reconciles enqueue meanwhile, and run the taken one.
          this.queues.set(c.name, this.spareQueues.get(c.name)!);
          this.spareQueues.set(c.name, keys);
          try {
            for (const k of keys) {
              if (--budget < 0) throw new Error(`controllers did not settle (last: ${c.name} ${k})`);
              let n = 0;
              if (runs) n = count(c.name, k);
              else if (++attempts > HOT_KEY_LIMIT) {
                runs = new Map();
                for (let i = 0; i < log.length; i += 2) count(log[i]!, log[i + 1]!);
                log.length = 0;
                n = count(c.name, k);
              } else log.push(c.name, k);
              if (n > HOT_KEY_LIMIT) {
                const rk = `${c.name}\u0000${k}`;
                // A key that keeps re-triggering itself at one instant: back off like a failing sync.
                troubled ??= new Set();
                if (!troubled.has(rk)) {
                  troubled.add(rk);
                  this.recordControllerError(c.name, k, `reconciled ${HOT_KEY_LIMIT} times without settling`);
                  this.enqueueAfter(c.name, k, this.backoff(rk));
                }
                continue;
              }
              this.reconcileCount++;
              let res: ReturnType<ControllerDef["reconcile"]>;
              try {
                res = c.reconcile(this.ctx, k);
              } catch (e) {
                // A sync error: upstream logs it and requeues the key with rate-limited backoff; the
                // rest of the queue goes on.
                const rk = `${c.name}\u0000${k}`;
                troubled ??= new Set();
                troubled.add(rk);
                this.recordControllerError(c.name, k, e instanceof Error ? e.message : String(e));
                this.enqueueAfter(c.name, k, this.backoff(rk));
                continue;
              }
              if (res?.requeueAfter !== undefined) this.enqueueAfter(c.name, k, res.requeueAfter);
            }
          } finally {
            keys.clear();
          }
        }
        if (!any) break;
      }
      if (this.failures.size) {
        const ok = (rk: string) => { if (!troubled?.has(rk)) this.failures.delete(rk); };
        if (runs) for (const [cname, cruns] of runs) for (const k of cruns.keys()) ok(`${cname}\u0000${k}`);
        else for (let i = 0; i < log.length; i += 2) ok(`${log[i]}\u0000${log[i + 1]}`);
      }
    } finally {
      this.settling = false;
      log.length = 0;
    }
    for (const l of this.changeListeners) l();
  }

  /** workqueue's ItemExponentialFailureRateLimiter: 5 ms doubling per failure, capped at 1000 s. */
  private backoff(rk: string): number {
    const n = this.failures.get(rk) ?? 0;
    this.failures.set(rk, n + 1);
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

export function createSimulation(opts: SimulationOptions = {}): Simulation {
  return new Simulation(opts);
}
