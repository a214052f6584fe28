/** Property tests for the share codec: round trips, and hostile input never throws. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { deflateSync } from "fflate";
import { base64urlEncode, encodeShare, parseShareHash, YEAR_MS, type SharePayload } from "../../../src/scenario/share.ts";

const T0 = Date.UTC(2025, 0, 1);

const payloadArb: fc.Arbitrary<SharePayload> = fc.record({
  script: fc.string({ unit: "binary", maxLength: 400 }),
  seed: fc.integer({ min: 0, max: 0xffff_ffff }),
  startTime: fc.integer({ min: 0, max: Date.UTC(2199, 0, 1) }),
  offset: fc.integer({ min: 0, max: YEAR_MS }),
  view: fc.option(fc.record({
    selected: fc.string({ maxLength: 40 }),
    zoom: fc.double({ min: 0.01, max: 100, noNaN: true }),
    step: fc.nat(1000),
  }, { requiredKeys: [] }), { nil: undefined }),
}).map(({ script, seed, startTime, offset, view }) => {
  const p: SharePayload = { v: 1, script, seed, startTime, at: startTime + offset };
  if (view && Object.keys(view).length) p.view = view;
  return p;
});

describe("share codec properties", () => {
  it("every valid payload round-trips", () => {
    fc.assert(fc.property(payloadArb, (p) => {
      // Lone surrogates cannot survive UTF-8; JSON.stringify escapes them, so they do.
      expect(parseShareHash(encodeShare(p))).toEqual({ ok: true, payload: p });
    }), { numRuns: 300 });
  });

  it("a full pasted URL works too", () => {
    const p: SharePayload = { v: 1, script: "sim node add w1\n", seed: 3, startTime: T0, at: T0 };
    expect(parseShareHash(`https://example.org/play/?x=1${encodeShare(p)}`)).toEqual({ ok: true, payload: p });
  });

  it("mutated links never throw and never yield an invalid payload", () => {
    const good = encodeShare({ v: 1, script: "sim node add w1\nsim advance 30s\nkubectl get pods\n", seed: 1, startTime: T0, at: T0 + 30_000 });
    fc.assert(fc.property(fc.nat(good.length - 1), fc.string({ maxLength: 3 }), fc.nat(good.length - 1), (i, ins, j) => {
      const bad = good.slice(0, i) + ins + good.slice(Math.max(i, j));
      const r = parseShareHash(bad);
      if (r.ok) {
        expect(r.payload.v).toBe(1);
        expect(r.payload.at).toBeGreaterThanOrEqual(r.payload.startTime);
      } else {
        expect(r.error.length).toBeGreaterThan(0);
      }
    }), { numRuns: 500 });
  });

  it("arbitrary compressed JSON never throws", () => {
    fc.assert(fc.property(fc.json({ maxDepth: 3 }), (json) => {
      const link = "#s=1." + base64urlEncode(deflateSync(new TextEncoder().encode(json)));
      const r = parseShareHash(link);
      expect(typeof r.ok).toBe("boolean");
    }), { numRuns: 300 });
  });

  it("arbitrary bytes never throw", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(() => parseShareHash("#s=1." + base64urlEncode(bytes))).not.toThrow();
    }), { numRuns: 300 });
  });
});
