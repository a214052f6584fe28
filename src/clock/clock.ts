/**
 * The virtual clock: an ordered queue of due timers. Time moves only in `advanceTo`; equal times run in
 * the order they were scheduled (a sequence number breaks ties), so runs are deterministic.
 * No wall clock is ever read here.
 */
export type TimerId = number;

interface Timer { at: number; seq: number; id: TimerId; fn: () => void; label: string }

export class VirtualClock {
  private heap: Timer[] = [];
  private seq = 0;
  private cancelled = new Set<TimerId>();
  private live = 0;
  now: number;

  constructor(startMs: number) {
    this.now = startMs;
  }

  /** Run `fn` at virtual time `at` (never earlier than now). */
  at(at: number, fn: () => void, label = ""): TimerId {
    const t: Timer = { at: Math.max(at, this.now), seq: this.seq++, id: 0, fn, label };
    t.id = t.seq;
    this.push(t);
    this.live++;
    return t.id;
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
    return this.heap[0]?.at;
  }

  get pending(): number {
    return this.live;
  }

  /** Pop and run the earliest timer if it is due at or before `limit`; returns false when none is. */
  runNext(limit: number): boolean {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top || top.at > limit) return false;
    this.pop();
    this.live--;
    if (top.at > this.now) this.now = top.at;
    top.fn();
    return true;
  }

  private dropCancelled() {
    while (this.heap.length && this.cancelled.has(this.heap[0]!.id)) {
      const t = this.pop();
      this.cancelled.delete(t.id);
    }
  }

  private less(a: Timer, b: Timer) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  private push(t: Timer) {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
