/**
 * Speed-only helpers must answer exactly as what they replace: jsonEqual ≡ JSON.stringify(a) === JSON.stringify(b).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { jsonEqual } from "../../../src/util/jsonEqual.ts";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe("jsonEqual matches JSON.stringify equality", () => {
  it.each([
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [[undefined], [null]],
    [[() => 1], [null]],
    [NaN, null],
    [{ x: Infinity }, { x: null }],
    [-0, 0],
    [undefined, null],
    [undefined, undefined],
    [{ d: new Date(0) }, { d: "1970-01-01T00:00:00.000Z" }],
    [[{ toJSON: () => undefined }], [null]],
    [{ a: { toJSON: () => undefined } }, {}],
    [{ 2: "x", 1: "y" }, { 1: "y", 2: "x" }],
    [{ a: [1, { b: [] }] }, { a: [1, { b: [] }] }],
    [{ a: [1, { b: [] }] }, { a: [1, { b: {} }] }],
    ["1", 1],
    [true, "true"],
    [{}, []],
  ])("case %#", (a, b) => {
    expect(jsonEqual(a, b)).toBe(same(a, b));
    expect(jsonEqual(b, a)).toBe(same(b, a));
  });

  it("random JSON-like values (with undefined, NaN, reordered keys)", () => {
    const leaf = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant(NaN), fc.boolean(), fc.integer({ min: -3, max: 3 }), fc.constantFrom("", "a", "b"));
    const val = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "b", "c", "1"), tie("v"), { maxKeys: 3 })),
    })).v;
    fc.assert(fc.property(val, val, (a, b) => {
      expect(jsonEqual(a, b)).toBe(same(a, b));
      const c = JSON.parse(JSON.stringify(a ?? null));
      expect(jsonEqual(a ?? null, c)).toBe(same(a ?? null, c));
    }), { numRuns: 5000, seed: 14 });
  });
});
