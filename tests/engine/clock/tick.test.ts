import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../src/clock/clock.ts";

/**
 * A regular no-op tick (clock.tick) against what it replaces: a timer that only re-arms itself `period`
 * ms later. peek() must report the same next time after every step (kubectl's waits step timer by timer
 * with it), and lastTick() the time the re-arming timer last ran.
 */
function pair(start: number, first: number, period: number) {
  const a = new VirtualClock(start), b = new VirtualClock(start);
  let last = -Infinity;
  const beat = () => { last = a.now; a.at(a.now + period, beat); };
  a.at(first, beat);
  const id = b.tick(first, period);
  return { a, b, id, last: () => last };
}

describe("VirtualClock.tick: the same times as a self-re-arming timer", () => {
  it.each([
    ["integer times", 1_735_689_600_000, 1_735_689_610_000, 10_000],
    ["fractional start", 1_735_689_600_000.5, 1_735_689_610_000.5, 10_000],
    ["odd period, first in the past (clamped to now)", 1_000, 500, 333.3],
  ])("%s", (_name, start, first, period) => {
    const { a, b, id, last } = pair(start, first, period);
    // other timers on both clocks, some at tick instants
    for (const c of [a, b]) for (const t of [start + 5, first, first + 2 * period, first + 7 * period + 1]) c.at(t, () => {});
    const steps = [0, 1, period - 1, period, 3 * period + 0.25, 1, 12 * period, 100 * period + 7];
    for (const s of steps) {
      expect(b.peek()).toBe(a.peek());
      const target = a.now + s;
      while (a.runNext(target)) { /* timers in order */ }
      if (target > a.now) a.now = target;
      while (b.runNext(target)) { /* timers in order */ }
      if (target > b.now) b.now = target;
      expect(b.now).toBe(a.now);
      expect(b.lastTick(id)).toBe(last());
      expect(b.peek()).toBe(a.peek());
    }
    // stepping to each peek() (waitFor) visits the same instants
    for (let i = 0; i < 20; i++) {
      const na = a.peek()!, nb = b.peek()!;
      expect(nb).toBe(na);
      while (a.runNext(na)) { /* */ }
      while (b.runNext(nb)) { /* */ }
      if (na > a.now) a.now = na;
      if (nb > b.now) b.now = nb;
      expect(b.lastTick(id)).toBe(last());
    }
  });
});
