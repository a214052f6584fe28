import { describe, expect, it } from "vitest";
import { NAME_ALPHABET, Rng, hex8 } from "../../../src/clock/rng.ts";

/** suffix as a plain loop of int(27) draws (apimachinery rand.String). */
function suffixByInt(rng: Rng, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) s += NAME_ALPHABET[rng.int(NAME_ALPHABET.length)];
  return s;
}

/** uid from four next() draws, as the template string its comment names. */
function uidByNext(rng: Rng): string {
  const a = rng.next(), b = rng.next(), c = rng.next(), d = rng.next();
  return `${hex8(a)}-${hex8(b).slice(0, 4)}-4${hex8(b).slice(5)}-${"89ab"[c & 3]}${hex8(c).slice(5)}-${hex8(c).slice(1, 5)}${hex8(d)}`;
}

// suffix and uid draw on a local copy of the state (X1 names, uids): same text and final state as the
// plain draws through int()/next(), for seeds whose states cross 2^31.
describe("Rng.suffix / Rng.uid = their plain-draw definitions", () => {
  const seeds = [0, 1, 42, 0x7fffffff, 0x80000000, 0xffffffff, 123456789];
  it.each(seeds)("seed %d", (seed) => {
    const a = new Rng(seed), b = new Rng(seed);
    for (let i = 0; i < 200; i++) {
      const len = i % 7 === 0 ? i % 11 : 5;
      expect(a.suffix(len)).toBe(suffixByInt(b, len));
      expect(a.uid()).toBe(uidByNext(b));
      expect(a.seedState).toBe(b.seedState);
    }
  });
});
