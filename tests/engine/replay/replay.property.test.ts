/**
 * Property: for random sessions and random moments, the session replay builds by time is the same
 * cluster as running its own script from scratch, and a scrubbing Replayer agrees with fresh replays.
 * Cuts land anywhere, including exactly on timer boundaries (whole seconds).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runScript, type Session } from "../../../src/scenario/session.ts";
import { KINDS } from "../../../src/api/kinds.ts";
import { replayTo, Replayer, scriptTimeline, transcriptOf } from "../../../src/scenario/replay.ts";

function dump(s: Session): string {
  const out: unknown[] = [];
  for (const k of KINDS) out.push(s.sim.store.list(k.kind));
  return JSON.stringify({ now: s.sim.now, out });
}

const command = fc.oneof(
  fc.integer({ min: 1, max: 90 }).map((s) => `sim advance ${s}s`),
  fc.integer({ min: 1, max: 2500 }).map((ms) => `sim advance ${ms}ms`),
  fc.integer({ min: 0, max: 4 }).map((n) => `kubectl scale deployment web --replicas=${n}`),
  fc.constantFrom(
    "kubectl get pods",
    "kubectl set image deployment/web nginx=nginx:1.26",
    "kubectl set image deployment/web nginx=nginx:1.27",
    "sim node stop w2",
    "sim node start w2",
    "kubectl cordon w1",
    "kubectl uncordon w1",
    "kubectl create job once --image=busybox",
    "kubectl rollout status deployment/web",
    "kubectl rollout status deployment/web --timeout=15s",
    "kubectl delete pods -l app=web",
  ),
);

const scriptArb = fc.array(command, { minLength: 2, maxLength: 10 }).map((cmds) =>
  ["sim node add w1", "sim node add w2", "kubectl create deployment web --image=nginx --replicas=2", ...cmds].join("\n") + "\n");

describe("replay properties", () => {
  it("a moment rebuilt by time = its own script from scratch; scrubbing = fresh replays", () => {
    fc.assert(fc.property(scriptArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), fc.boolean(), (script, fracs, roundToSecond) => {
      const tl = scriptTimeline(script);
      const r = new Replayer(script, {}, { checkpoints: 2 });
      r.warm();
      for (const f of fracs) {
        let at = tl.start + Math.round((tl.end - tl.start) * f);
        if (roundToSecond) at = Math.round(at / 1000) * 1000;
        const s = replayTo(script, {}, { at });
        expect(s.sim.now).toBe(Math.min(at, tl.end));
        expect(dump(runScript(s.script()).session)).toBe(dump(s));
        const seen = r.seek({ at });
        expect(dump(seen)).toBe(dump(s));
        expect(transcriptOf(seen)).toBe(transcriptOf(s));
      }
    }), { numRuns: 40 });
  });
});
