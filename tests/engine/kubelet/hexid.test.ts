import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/clock/rng.ts";
import { hexByConcat, hexId } from "../../../src/kubelet/kubelet.ts";
import type { Ctx } from "../../../src/simulation.ts";

// Container IDs are seeded hex (containerd://<64 hex>): the code-buffer hex() must give the same digits and the
// same number of draws as concatenating hex8 of each draw.
describe("hexId = hex8(next()) concatenated, cut to n", () => {
  it.each([[1], [7], [8], [9], [12], [16], [63], [64], [65]])("n=%i", (n) => {
    for (const seed of [1, 42, 0xdeadbeef]) {
      const a = new Rng(seed), b = new Rng(seed);
      for (let k = 0; k < 5; k++) {
        expect(hexId({ rng: a } as unknown as Ctx, n)).toBe(hexByConcat(() => b.next(), n));
        expect(a.seedState).toBe(b.seedState);
      }
    }
  });
});
