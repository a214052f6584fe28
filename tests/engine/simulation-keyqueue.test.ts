/**
 * KeyQueue (a controller's queue in the simulation) = a Set of keys: same members, same order (first add
 * wins), emptied by clear — across the switch from scanning to a Set and back, and with equal keys that are
 * different string objects.
 */
import { describe, expect, it } from "vitest";
import { KeyQueue } from "../../src/simulation.ts";
import { Rng } from "../../src/clock/rng.ts";

describe("KeyQueue = a Set of keys", () => {
  it.each([1, 2, 3, 4, 5, 6])("random adds, checks and clears, seed %i", (seed) => {
    const r = new Rng(seed);
    const q = new KeyQueue();
    let oracle = new Set<string>();
    // Queues of every size: a few keys (scanned), dozens (a Set), thousands (the array not kept on clear).
    const span = [5, 40, 3000][seed % 3]!;
    const clearEvery = [50, 50, 5000][seed % 3]!;
    for (let step = 0; step < 20_000; step++) {
      const op = r.int(100);
      const clear = r.int(clearEvery) === 0;
      // A key rebuilt from parts: equal to earlier ones, not the same string object.
      const k = ["default/p-", String(r.int(span))].join("");
      if (clear) { q.clear(); oracle = new Set(); }
      else if (op < 20) expect(q.has(k)).toBe(oracle.has(k));
      else { q.add(k); oracle.add(k); }
      expect(q.size).toBe(oracle.size);
      if (step % 97 === 0) expect(q.keys.slice(0, q.size)).toEqual([...oracle]);
    }
    expect(q.keys.slice(0, q.size)).toEqual([...oracle]);
  });
});
