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

  /** Time of the earliest pending timer, if any. */
  peek(): number | undefined {
    this.dropCancelled();
    return this.hAt.length ? this.hAt[0] : undefined;
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
