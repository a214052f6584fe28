/**
 * The virtual clock: an ordered queue of due timers. Time moves only in `advanceTo`; equal times run in
 * the order they were scheduled (a sequence number breaks ties), so runs are deterministic.
 * No wall clock is ever read here.
 */
export type TimerId = number;

export class VirtualClock {
  /**
   * Binary min-heap by (at, seq), as parallel arrays (times unboxed, no object per timer): a timer's id is
   * its sequence number, unique, and the tie-break for equal times.
   */
  private hAt: number[] = [];
  private hSeq: number[] = [];
  private hFn: Array<() => void> = [];
  private seq = 0;
  private cancelled = new Set<TimerId>();
  private live = 0;
  /** Regular no-op ticks (see tick()): per tick, its next time after the ones already passed, and the latest passed. */
  private tickNext: number[] = [];
  private tickLast: number[] = [];
  private tickPeriod: number[] = [];
  now: number;

  constructor(startMs: number) {
    this.now = startMs;
  }

  /**
   * Run `fn` at virtual time `at` (never earlier than now). `label` names the timer for tracing tools that
   * wrap this method (the clock itself does not keep it).
   */
  at(at: number, fn: () => void, label = ""): TimerId {
    const id = this.seq++;
    this.push(Math.max(at, this.now), id, fn);
    this.live++;
    return id;
  }

  after(ms: number, fn: () => void, label = ""): TimerId {
    return this.at(this.now + ms, fn, label);
  }

  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    if (!this.cancelled.has(id)) { this.cancelled.add(id); this.live--; }
  }

  /**
   * A regular no-op tick at `first`, `first + period`, … for ever: what a timer that does nothing but
   * re-arm itself `period` ms later would be, without being one. Nothing runs at a tick (runNext never
   * stops there); only peek() reports the next one, so code that steps time timer by timer (kubectl's
   * waits) still stops at each, and lastTick() tells when the latest one passed. Returns the tick's id.
   * Ticks are computed by the same additions a re-arming timer makes (`next + period`), so their times
   * are identical to its.
   */
  tick(first: number, period: number): number {
    if (!(period > 0)) throw new Error(`tick period must be > 0, got ${period}`);
    this.tickNext.push(Math.max(first, this.now));
    this.tickLast.push(-Infinity);
    this.tickPeriod.push(period);
    return this.tickNext.length - 1;
  }

  /**
   * Time of the latest tick of `id` at or before now (-Infinity before its first). Between advances that is
   * the latest one a re-arming timer would have run; inside one, a timer at the very instant of a tick would
   * already count it here.
   */
  lastTick(id: number): number {
    this.passTick(id, this.now);
    return this.tickLast[id]!;
  }

  /** Move tick `id` past every time ≤ t. */
  private passTick(id: number, t: number): void {
    let next = this.tickNext[id]!;
    if (next > t) return;
    const period = this.tickPeriod[id]!;
    let last = this.tickLast[id]!;
    if (Number.isSafeInteger(next) && Number.isSafeInteger(period) && Number.isSafeInteger(t)) {
      // Integer times: the additions are exact, so skip ahead by multiplication.
      const k = Math.floor((t - next) / period);
      last = next + k * period;
      next = last + period;
    } else {
      while (next <= t) { last = next; next += period; }
    }
    this.tickNext[id] = next;
    this.tickLast[id] = last;
  }

  /** Time of the earliest pending timer or tick, if any. */
  peek(): number | undefined {
    this.dropCancelled();
    let at = this.hAt.length ? this.hAt[0] : undefined;
    for (let id = 0; id < this.tickNext.length; id++) {
      this.passTick(id, this.now);
      const t = this.tickNext[id]!;
      if (at === undefined || t < at) at = t;
    }
    return at;
  }

  get pending(): number {
    return this.live;
  }

  /** Pop and run the earliest timer if it is due at or before `limit`; returns false when none is. */
  runNext(limit: number): boolean {
    this.dropCancelled();
    if (!this.hAt.length) return false;
    const at = this.hAt[0]!;
    if (at > limit) return false;
    const fn = this.hFn[0]!;
    this.pop();
    this.live--;
    if (at > this.now) this.now = at;
    fn();
    return true;
  }

  private dropCancelled() {
    const c = this.cancelled;
    if (c.size === 0) return;
    while (this.hSeq.length && c.has(this.hSeq[0]!)) {
      c.delete(this.hSeq[0]!);
      this.pop();
    }
  }

  private push(at: number, seq: number, fn: () => void) {
    const hAt = this.hAt, hSeq = this.hSeq, hFn = this.hFn;
    // Sift up: move parents down into the hole until the new timer's place is found.
    let i = hAt.length;
    hAt.push(at); hSeq.push(seq); hFn.push(fn);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = hAt[p]!;
      if (!(at < pa || (at === pa && seq < hSeq[p]!))) break;
      hAt[i] = pa; hSeq[i] = hSeq[p]!; hFn[i] = hFn[p]!;
      i = p;
    }
    hAt[i] = at; hSeq[i] = seq; hFn[i] = fn;
  }

  /** Remove the earliest timer. */
  private pop(): void {
    const hAt = this.hAt, hSeq = this.hSeq, hFn = this.hFn;
    const at = hAt.pop()!, seq = hSeq.pop()!, fn = hFn.pop()!;
    const n = hAt.length;
    if (!n) return;
    // Sift down the last timer from the root: move the earlier child up into the hole until it fits.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l, ma = hAt[l]!;
      if (r < n) {
        const ra = hAt[r]!;
        if (ra < ma || (ra === ma && hSeq[r]! < hSeq[l]!)) { m = r; ma = ra; }
      }
      if (!(ma < at || (ma === at && hSeq[m]! < seq))) break;
      hAt[i] = ma; hSeq[i] = hSeq[m]!; hFn[i] = hFn[m]!;
      i = m;
    }
    hAt[i] = at; hSeq[i] = seq; hFn[i] = fn;
  }
}
