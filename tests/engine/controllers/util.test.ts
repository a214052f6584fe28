import { describe, expect, it } from "vitest";
import { computeHash, safeEncodeString, scaledValue, slowStartBatch } from "../../../src/controllers/util/index.ts";

describe("X3 template hash", () => {
  it("digits map through SafeEncodeString to [4-9bcdf]", () => {
    expect(safeEncodeString("0123456789")).toBe("456789bcdf");
  });
  it.each([[{ a: 1 }], [{ spec: { containers: [{ name: "web", image: "nginx:1.25" }] } }], ["x"]])("hash of %j has the real shape", (t) => {
    const h = computeHash(t);
    expect(h).toMatch(/^[4-9bcdf]{1,10}$/);
  });
  it("is stable under key order and changes with content and collisionCount", () => {
    expect(computeHash({ a: 1, b: 2 })).toBe(computeHash({ b: 2, a: 1 }));
    expect(computeHash({ a: 1 })).not.toBe(computeHash({ a: 2 }));
    expect(computeHash({ a: 1 }, 1)).not.toBe(computeHash({ a: 1 }));
  });
});

describe("X6 percent → int", () => {
  it.each([
    ["25%", 10, true, 3], ["25%", 10, false, 2], ["25%", 3, true, 1], ["25%", 3, false, 0], [2, 10, true, 2], ["100%", 7, false, 7],
  ] as const)("%s of %i roundUp=%s → %i", (v, total, up, want) => expect(scaledValue(v, total, up)).toBe(want));
});

describe("X9 slow start", () => {
  it("batches 1,2,4,8 and stops after a failing batch", () => {
    const calls: number[] = [];
    expect(slowStartBatch(10, 1, (i) => (calls.push(i), true))).toBe(10);
    expect(calls).toHaveLength(10);
    // batches: call 1 | calls 2-3 | calls 4-7. Failing call 4 finishes its batch of 4, then stops.
    let n = 0;
    expect(slowStartBatch(10, 1, () => ++n !== 4)).toBe(6);
    expect(n).toBe(7);
  });
});
