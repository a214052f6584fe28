/**
 * Replay over real scenarios (the built-in lessons): a moment rebuilt by time equals running the
 * session's own script from scratch (same objects, same clock), and the scrubbing Replayer gives the
 * same sessions as fresh replays. Also measures what a rebuild costs.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runScript, type Session } from "../../../src/scenario/session.ts";
import { KINDS } from "../../../src/api/kinds.ts";
import { commandEnds, replay, replayTo as replayFresh, Replayer, scriptTimeline, transcriptOf } from "../../../src/scenario/replay.ts";
import { parseScript } from "../../../src/scenario/script.ts";
import { parseLessonIndex } from "../../../src/scenario/lessons.ts";

const DIR = join(import.meta.dirname, "../../../public/lessons");
const ids = parseLessonIndex(JSON.parse(readFileSync(join(DIR, "index.json"), "utf8"))).map((e) => e.id);
const text = (id: string) => readFileSync(join(DIR, `${id}.kp`), "utf8");

/** Every stored object, in a stable order. */
function dump(s: Session): string {
  const out: unknown[] = [];
  for (const k of KINDS) out.push(k.kind, s.sim.store.list(k.kind));
  return JSON.stringify({ now: s.sim.now, out });
}

/** Deterministic sample of times across the timeline (first, last, and odd points in between). */
function sampleTimes(start: number, end: number): number[] {
  const span = end - start;
  const ts = [start, end, start + 1];
  for (const f of [0.013, 0.333, 0.61, 0.9, 0.999]) ts.push(start + Math.round(span * f));
  return ts;
}

describe.each(ids)("replay of lesson %s", (id) => {
  const script = text(id);
  const tl = scriptTimeline(script);
  // End times once, as a Replayer keeps them (replayTo would recompute them on every call).
  const ends = commandEnds(parseScript(script), {});
  const replayTo = (s: string, o: object, t: { at: number }) => replay(s, o, t, ends).session;

  it("a moment rebuilt by time = its own script run from scratch", () => {
    for (const at of sampleTimes(tl.start, tl.end)) {
      const s = replayTo(script, {}, { at });
      expect(s.sim.now).toBe(Math.min(at, tl.end));
      const again = runScript(s.script()).session;
      expect(dump(again)).toBe(dump(s));
    }
  });

  it("scrubbing (forward and back) = fresh replays", () => {
    const r = new Replayer(script, {}, { checkpoints: 3 });
    while (r.warm());
    const times = sampleTimes(tl.start, tl.end).sort((a, b) => a - b);
    for (const at of [...times, ...times.slice().reverse().slice(0, 3)]) {
      const got = r.seek({ at });
      const want = replayTo(script, {}, { at });
      expect(dump(got)).toBe(dump(want));
      expect(transcriptOf(got)).toBe(transcriptOf(want));
    }
    for (let step = 0; step < tl.marks.length; step += 3) {
      expect(dump(r.seek({ step }))).toBe(dump(replay(script, {}, { step }).session));
    }
    r.warm();
    for (let step = tl.marks.length - 1; step >= 0; step -= 4) {
      expect(dump(r.seek({ step }))).toBe(dump(replay(script, {}, { step }).session));
    }
    expect(r.stats.fromCheckpoint).toBeGreaterThan(0);
  });
});

describe("replay cost", () => {
  it("rebuilding a lesson from scratch is cheap (measured; logged)", () => {
    const rows: string[] = [];
    for (const id of ids) {
      const script = text(id);
      const t0 = performance.now();
      const n = 5;
      for (let i = 0; i < n; i++) replayFresh(script, {}, { step: Number.MAX_SAFE_INTEGER });
      const ms = (performance.now() - t0) / n;
      rows.push(`${id.padEnd(26)} ${ms.toFixed(1).padStart(7)} ms per full replay`);
      // Generous bound: a scrub back re-runs from the start, so it must stay interactive.
      expect(ms).toBeLessThan(1000);
    }
    console.log(rows.join("\n"));
  });
});
