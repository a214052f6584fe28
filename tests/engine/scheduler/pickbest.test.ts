import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/clock/rng.ts";
import { pickBest, pickBestSlow } from "../../../src/scheduler/scheduler.ts";

// selectHost's tie-break (reservoir sampling with the seeded rng): pickBest draws on a local copy of the rng's
// state; it must pick the same node and leave the rng exactly where rng.int would.
describe("pickBest = reservoir sampling through rng.int", () => {
  const cases: Array<[string, number[]]> = [
    ["one node", [5]],
    ["all tied", Array.from({ length: 420 }, () => 300)],
    ["no ties, rising", [1, 2, 3, 4, 5]],
    ["no ties, falling", [5, 4, 3, 2, 1]],
    ["ties after a new best", [3, 3, 5, 5, 5, 4, 5]],
    ["fractional scores", [300.5, 300.25, 300.5, 300.5, 299.75, 300.5]],
    ["mixed", Array.from({ length: 500 }, (_, i) => 300 + ((i * 7919) % 5))],
  ];
  it.each(cases)("%s", (_name, scores) => {
    for (const seed of [1, 42, 0xffffffff, 123456789]) {
      const a = new Rng(seed), b = new Rng(seed);
      // advance both a little first (a state past 2^31)
      for (let i = 0; i < seed % 7; i++) { a.next(); b.next(); }
      const buf = Float64Array.from(scores);
      expect(pickBest(a, buf, scores.length)).toBe(pickBestSlow(b, buf, scores.length));
      expect(a.seedState).toBe(b.seedState);
      expect(a.next()).toBe(b.next());
    }
  });
  it("reads the Rng's state field (else it falls back to rng.int: same picks, slower)", () => {
    expect(typeof (new Rng(7) as unknown as { state: unknown }).state).toBe("number");
  });
});
