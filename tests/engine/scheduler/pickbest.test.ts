import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/clock/rng.ts";

/** selectHost's tie-break as upstream writes it: reservoir sampling, one rng.int(count) per tie. */
function pickByInt(rng: Rng, scores: ArrayLike<number>, n: number): number {
  let best = 0, bestScore = scores[0]!, count = 1;
  for (let i = 1; i < n; i++) {
    const s = scores[i]!;
    if (s > bestScore) { best = i; bestScore = s; count = 1; }
    else if (s === bestScore) {
      count++;
      if (rng.int(count) === 0) best = i;
    }
  }
  return best;
}

// Rng.pickMax draws on a local copy of the state: it must pick the same node and leave the rng exactly where
// rng.int would (seeded placements, goldens).
describe("Rng.pickMax = reservoir sampling through rng.int", () => {
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
      expect(a.pickMax(buf, scores.length)).toBe(pickByInt(b, buf, scores.length));
      expect(a.next()).toBe(b.next());
    }
  });
});
