import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/clock/rng.ts";

/**
 * What upstream's reservoir (one rng.int(count) per tie, in index order) picks, spelled as a specification:
 * list the ties with their counts, draw for all of them in order, then the pick is the last tie of the best
 * score's final run whose draw was 0 — or the index that started that run.
 */
function reservoirSpec(rng: Rng, scores: ArrayLike<number>, n: number): number {
  const ties: Array<{ index: number; count: number; run: number }> = [];
  let runStart = 0, bestScore = scores[0]!, count = 1;
  for (let i = 1; i < n; i++) {
    if (scores[i]! > bestScore) { bestScore = scores[i]!; runStart = i; count = 1; }
    else if (scores[i] === bestScore) ties.push({ index: i, count: ++count, run: runStart });
  }
  const draws = ties.map((t) => rng.int(t.count));
  let pick = runStart;
  ties.forEach((t, k) => { if (t.run === runStart && draws[k] === 0) pick = t.index; });
  return pick;
}

// Rng.pickMax makes the draws out of order (a counting pass, then the best run backwards): the pick and the
// final state must still be exactly the in-order reservoir's, whatever the shape of the scores.
describe("Rng.pickMax = the in-order reservoir (differential)", () => {
  const shapes: Array<[string, (i: number, r: Rng) => number]> = [
    ["two values", (_i, r) => 300 + (r.next() & 1)],
    ["few values, rising best", (i, r) => Math.floor(i / 50) + (r.next() % 3)],
    ["mostly tied", (_i, r) => (r.next() % 97 === 0 ? 299 : 300)],
    ["best late", (i) => (i === 777 ? 301 : 300)],
    ["0 and -0 tie", (i) => (i % 2 ? 0 : -0)],
    ["NaN first", (i) => (i === 0 ? NaN : 5)],
    ["NaN among", (i) => (i % 5 === 0 ? NaN : 5)],
  ];
  it.each(shapes)("%s", (_name, score) => {
    const gen = new Rng(99);
    for (let t = 0; t < 40; t++) {
      const n = 1 + (gen.next() % 900);
      const buf = new Float64Array(n + 3);
      for (let i = 0; i < buf.length; i++) buf[i] = score(i, gen);
      const seed = gen.next();
      const a = new Rng(seed), b = new Rng(seed);
      expect(a.pickMax(buf, n)).toBe(reservoirSpec(b, buf, n));
      expect(a.seedState).toBe(b.seedState);
    }
  });
  it("n = 0 picks 0 and draws nothing", () => {
    const a = new Rng(5);
    expect(a.pickMax(new Float64Array(0), 0)).toBe(0);
    expect(a.seedState).toBe(new Rng(5).seedState);
  });
});
