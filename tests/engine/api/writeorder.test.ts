/**
 * WriteOrderList (the store's index lists: members stamped by their writes, put in order when read) gives its
 * members in the order a Set kept them with delete + add on every write — the order ownedBy, podsOnNode and
 * list-by-label return.
 */
import { describe, expect, it } from "vitest";
import { WriteOrderList } from "../../../src/api/writeorder.ts";
import { Rng } from "../../../src/clock/rng.ts";

interface M { id: number; stamp: number; in: boolean }

const ids = (l: WriteOrderList<M>): number[] => l.members().map((m) => m.id);

describe("WriteOrderList = a Set with delete + add per write", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("random joins, writes, leaves and comebacks, seed %i", (seed) => {
    const r = new Rng(seed);
    const list = new WriteOrderList<M>("l", (m) => m.in);
    const oracle = new Set<number>();
    const members = Array.from({ length: 40 }, (_, id) => ({ id, stamp: 0, in: false }));
    let stamp = 0;
    // Reads are rare in some seeds (stale entries and comebacks pile up between them), frequent in others.
    const readEvery = [1, 7, 50, 400][seed % 4]!;
    for (let step = 0; step < 3000; step++) {
      const m = members[r.int(members.length)]!;
      m.stamp = ++stamp; // every write of a member stamps it anew
      const op = r.int(10);
      if (oracle.has(m.id)) {
        if (op < 2) { oracle.delete(m.id); list.size--; m.in = false; } // it leaves the list
        else { oracle.delete(m.id); oracle.add(m.id); } // written, stays in the list
      } else if (op < 6) { oracle.add(m.id); list.size++; list.add(m); m.in = true; } // joins (or comes back)
      expect(list.size).toBe(oracle.size);
      if (step % readEvery === 0) expect(ids(list)).toEqual([...oracle]);
    }
    expect(ids(list)).toEqual([...oracle]);
    expect(list.members().length).toBe(list.size);
  });
});
