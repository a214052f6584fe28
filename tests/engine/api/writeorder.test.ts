/**
 * WriteOrderList (the store's index lists: append-only with stale entries) keeps its members in the order a
 * Set kept them with delete + add on every write — the order ownedBy, podsOnNode and list-by-label return.
 */
import { describe, expect, it } from "vitest";
import { WriteOrderList } from "../../../src/api/writeorder.ts";
import { Rng } from "../../../src/clock/rng.ts";

interface M { id: number; stamp: number }

function live(l: WriteOrderList<M>): number[] {
  const out: number[] = [];
  for (let i = 0; i < l.recs.length; i++) if (l.recs[i]!.stamp === l.stamps[i]) out.push(l.recs[i]!.id);
  return out;
}

describe("WriteOrderList = a Set with delete + add per write", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("random joins, writes and leaves, seed %i", (seed) => {
    const r = new Rng(seed);
    const list = new WriteOrderList<M>();
    const oracle = new Set<number>();
    const members = Array.from({ length: 40 }, (_, id) => ({ id, stamp: 0 }));
    let stamp = 0;
    for (let step = 0; step < 3000; step++) {
      const m = members[r.int(members.length)]!;
      m.stamp = ++stamp; // every write of a member stamps it anew
      const op = r.int(10);
      if (oracle.has(m.id)) {
        if (op < 2) { oracle.delete(m.id); list.size--; } // it leaves the list
        else { oracle.delete(m.id); oracle.add(m.id); list.append(m); } // written, stays in the list
      } else if (op < 6) { oracle.add(m.id); list.size++; list.append(m); } // joins
      expect(list.size).toBe(oracle.size);
      if (step % 50 === 0) expect(live(list)).toEqual([...oracle]);
    }
    expect(live(list)).toEqual([...oracle]);
    expect(list.recs.length).toBeLessThanOrEqual(2 * list.size + 17);
  });
});
