/**
 * Speed-only fast paths answer exactly as the general code they bypass.
 */
import { describe, expect, it } from "vitest";
import { parseTime } from "../../../src/util/time.ts";
import { parseK8sSchedule } from "../../../src/controllers/cronjob/schedule.ts";
import { Rng } from "../../../src/clock/rng.ts";

describe("parseTime canonical fast path = Date.parse", () => {
  it.each([
    "2025-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "0099-12-31T23:59:59Z", "0100-03-01T00:00:00Z",
    "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-01-01T24:00:00Z", "2025-13-01T00:00:00Z",
    "2025-01-01T00:60:00Z", "2025-01-01T00:00:60Z", "2025-01-01t00:00:00Z", "2025-01-01T00:00:00.500Z", "9999-12-31T23:59:59Z",
  ])("%s", (s) => {
    const want = Date.parse(s);
    expect(parseTime(s)).toBe(Number.isNaN(want) ? undefined : want);
  });
});

describe("C1 cron 'M H * * *' in UTC: minute arithmetic = cron-parser", () => {
  const rng = new Rng(7);
  it.each(["* * * * *", "*/5 * * * *", "0 * * * *", "30 2 * * *", "15,45 */3 * * *", "59 23 * * *", "0-10 9-17 * * ?", "@hourly", "@daily"])("%s", (spec) => {
    const p = parseK8sSchedule(spec);
    if (!p.ok) throw new Error(p.error);
    const sched = p.schedule as unknown as { fast(t: number): number; raw(t: number): number | undefined; nextMinute?: unknown };
    expect(sched.nextMinute).toBeDefined();
    for (let i = 0; i < 2000; i++) {
      const t = Date.UTC(1970 + rng.int(100), rng.int(12), 1 + rng.int(28), rng.int(24), rng.int(60), rng.int(60)) + (i % 3 === 0 ? 0 : rng.int(1000));
      expect(sched.fast(t)).toBe(sched.raw(t));
      expect(sched.fast(t - (t % 60_000))).toBe(sched.raw(t - (t % 60_000)));
    }
  });
});

describe("X1 uid text unchanged (flat string build)", () => {
  it("matches the template-literal construction", () => {
    const HEX2 = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));
    const hex8 = (n: number) => HEX2[n >>> 24]! + HEX2[(n >>> 16) & 255]! + HEX2[(n >>> 8) & 255]! + HEX2[n & 255]!;
    const a = new Rng(42), b = new Rng(42);
    for (let i = 0; i < 5000; i++) {
      const w = b.next(), x = b.next(), y = b.next(), z = b.next();
      const hb = hex8(x), hc = hex8(y);
      expect(a.uid()).toBe(`${hex8(w)}-${hb.slice(0, 4)}-4${hb.slice(5)}-${"89ab"[y & 3]}${hc.slice(5)}-${hc.slice(1, 5)}${hex8(z)}`);
    }
  });
});
