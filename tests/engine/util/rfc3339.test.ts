/**
 * rfc3339 (metav1.Time, second precision, UTC) builds its text without Date per call: the same text as
 * `new Date(s * 1000).toISOString()` without the milliseconds, for any instant, in any call order.
 */
import { describe, expect, it } from "vitest";
import { rfc3339 } from "../../../src/util/time.ts";
import { Rng } from "../../../src/clock/rng.ts";

const viaDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

describe("rfc3339", () => {
  it.each([
    [Date.UTC(2025, 0, 1), "2025-01-01T00:00:00Z"],
    [Date.UTC(2025, 0, 1) + 999, "2025-01-01T00:00:00Z"],
    [Date.UTC(2024, 1, 29, 23, 59, 59, 500), "2024-02-29T23:59:59Z"],
    [Date.UTC(2025, 11, 31, 23, 59, 59), "2025-12-31T23:59:59Z"],
    [0, "1970-01-01T00:00:00Z"],
    [-1, "1969-12-31T23:59:59Z"],
    [-86_400_000 * 400 - 1, "1968-11-26T23:59:59Z"],
    [Date.UTC(9999, 11, 31, 23, 59, 59), "9999-12-31T23:59:59Z"],
    [Date.UTC(10000, 0, 1, 0, 0, 1), "+010000-01-01T00:00:01Z"],
    [Date.UTC(500, 5, 6, 7, 8, 9), "0500-06-06T07:08:09Z"],
  ])("%d → %s", (ms, text) => {
    expect(rfc3339(ms)).toBe(text);
    expect(rfc3339(ms)).toBe(viaDate(ms)); // cached
  });

  it("equals the Date text on random instants, called in random order (cache of two seconds)", () => {
    const r = new Rng(3);
    let t = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      const pick = r.int(4);
      t = pick === 0 ? t + r.int(3000) : pick === 1 ? t - r.int(2000) : pick === 2 ? t + r.int(100_000_000) : r.int(2 ** 31) * 1000 + r.int(1000);
      expect(rfc3339(t)).toBe(viaDate(t));
    }
  });
});
