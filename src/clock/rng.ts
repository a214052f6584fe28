/**
 * Seeded randomness (splitmix32-style). Names use the API server's alphabet (X1): no vowels, no 0/1/3.
 */
export const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Two lowercase hex digits per byte value. */
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));

/** 8 lowercase hex digits of a uint32 (= n.toString(16).padStart(8, "0")). */
export function hex8(n: number): string {
  return HEX2[n >>> 24]! + HEX2[(n >>> 16) & 255]! + HEX2[(n >>> 8) & 255]! + HEX2[n & 255]!;
}

const HEX_CODES = [..."0123456789abcdef"].map((ch) => ch.charCodeAt(0));
const VARIANT = [..."89ab"].map((ch) => ch.charCodeAt(0));
/** The uid's character codes: dashes and the version digit fixed, the rest filled per call. */
const UID_CODES: number[] = [..."00000000-0000-4000-0000-000000000000"].map((ch) => ch.charCodeAt(0));

/** Write hex digits `from`..`from+count-1` of the 8-digit hex of `n` into `out` at `at`. */
function nib(out: number[], at: number, n: number, from: number, count: number): void {
  for (let i = 0; i < count; i++) out[at + i] = HEX_CODES[(n >>> (4 * (7 - from - i))) & 15]!;
}

/** splitmix32's step: the state moves by the golden gamma… */
const GAMMA = 0x9e3779b9;
/** …and the draw is the mixed new state. */
function mix(st: number): number {
  let z = Math.imul(st ^ (st >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const ALPHABET_CODES = [...NAME_ALPHABET].map((ch) => ch.charCodeAt(0));
/** suffix's character codes, reused. */
const SUFFIX_CODES: number[] = [0, 0, 0, 0, 0];

/** The name-alphabet character code a draw picks: ALPHABET_CODES[z % 27], the modulus by floor (z < 2^32: exact; see pickMax). */
function alpha(z: number): number {
  const n = ALPHABET_CODES.length;
  return ALPHABET_CODES[z - Math.floor(z / n) * n]!;
}

/** The uid text of four draws (what Rng.uid() returns for them): for code that keeps the draws and formats later. */
export function uidText(a: number, b: number, c: number, d: number): string {
  // Same text as `${hex8(a)}-${hex8(b).slice(0, 4)}-4${hex8(b).slice(5)}-${"89ab"[c & 3]}${hex8(c).slice(5)}-${hex8(c).slice(1, 5)}${hex8(d)}`,
  // built as one flat string (the concatenation made a tree of ~20 cons strings per uid).
  const u = UID_CODES;
  nib(u, 0, a, 0, 8);
  nib(u, 9, b, 0, 4);
  nib(u, 15, b, 5, 3);
  u[19] = VARIANT[c & 3]!;
  nib(u, 20, c, 5, 3);
  nib(u, 24, c, 1, 4);
  nib(u, 28, d, 0, 8);
  return String.fromCharCode.apply(null, u);
}

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A uint32. */
  next(): number {
    this.state = (this.state + GAMMA) >>> 0;
    return mix(this.state);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return this.next() % n;
  }
  /**
   * The index of the highest of `scores[0..n)`, ties broken uniformly by reservoir sampling: at the k-th
   * equal score it takes that index when `int(k)` is 0 — the same draws, pick and final state as calling
   * int() (the scheduler breaks ~400 ties per pod among identical nodes; each stored draw would allocate a
   * heap number). Only the last run of the best score can win, and the winner is its last index whose draw
   * hits, so the draws are not made in order: a first pass counts the ties (each one draw, the state moves by
   * one step per draw), a second walks that run backwards, making each draw from its position, and stops at
   * the first hit — about half the draws of the run (the winner is uniform over it).
   */
  pickMax(scores: ArrayLike<number>, n: number): number {
    // Pass 1: ties (= draws) in all, and where the last run of the best score starts with the ties before it.
    let bestScore = scores[0]!, start = 0, ties = 0, tiesBefore = 0;
    for (let i = 1; i < n; i++) {
      const s = scores[i]!;
      if (s > bestScore) { bestScore = s; start = i; tiesBefore = ties; }
      else if (s === bestScore) ties++;
    }
    const st0 = this.state;
    this.state = (st0 + Math.imul(ties, GAMMA)) >>> 0;
    // Pass 2: the k-th tie (1-based, over the whole pass) draws mix(st0 + k·GAMMA) and, as the c-th equal
    // score of its run, hits when that draw % c is 0. The run's ties are the indices after `start` holding
    // bestScore: ties tiesBefore+1 … ties, counts 2 … ties-tiesBefore+1.
    let k = ties, count = ties - tiesBefore + 1;
    for (let i = n - 1; k > tiesBefore; i--) {
      if (scores[i] !== bestScore) continue;
      const z = mix((st0 + Math.imul(k, GAMMA)) >>> 0);
      // z % count, exactly (z < 2^32: the quotient's rounding cannot reach the next integer); `%` on a uint32
      // compiled to a float modulus call here, 2× slower than the whole loop body without it.
      if (z - Math.floor(z / count) * count === 0) return i;
      k--;
      count--;
    }
    return start;
  }
  float(): number {
    return this.next() / 0x1_0000_0000;
  }
  /**
   * `len` chars from the name alphabet (apimachinery rand.String(5)), int(27) per char: drawn on a local copy
   * of the state (a uint32 returned from next() is boxed as a heap number half the time) into reused codes.
   */
  suffix(len = 5): string {
    const codes = SUFFIX_CODES;
    codes.length = len;
    let st = this.state;
    for (let i = 0; i < len; i++) {
      st = (st + GAMMA) >>> 0;
      codes[i] = alpha(mix(st));
    }
    this.state = st;
    return String.fromCharCode.apply(null, codes);
  }
  /** RFC 4122 v4-shaped uid (four draws, made on a local copy of the state as in suffix). */
  uid(): string {
    let st = this.state;
    st = (st + GAMMA) >>> 0; const a = mix(st);
    st = (st + GAMMA) >>> 0; const b = mix(st);
    st = (st + GAMMA) >>> 0; const c = mix(st);
    st = (st + GAMMA) >>> 0; const d = mix(st);
    this.state = st;
    return uidText(a, b, c, d);
  }
  get seedState(): number {
    return this.state;
  }
}

/** generateName → name (X1): base cut to 58 chars, then 5 random chars. */
export function generateName(rng: Rng, base: string): string {
  const MAX = 58;
  return (base.length > MAX ? base.slice(0, MAX) : base) + rng.suffix(5);
}
