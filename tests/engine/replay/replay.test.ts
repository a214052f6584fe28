import { describe, expect, it } from "vitest";
import { runScript } from "../../../src/scenario/session.ts";
import {
  advanceDuration, advanceLine, forkAt, replay, replayTo, Replayer, scriptTimeline, timelineMarks, transcriptOf,
} from "../../../src/scenario/replay.ts";
import { DEFAULT_START } from "../../../src/simulation.ts";

const T0 = DEFAULT_START;
const S = 1000, M = 60_000;

// `sim time` prints the virtual clock, so these scripts check positions without depending on controllers.
const SCRIPT = `sim time
sim advance 30s
sim time
sim advance 1m
sim time
kubectl get pods
sim advance 10s
sim time
`;

describe("advanceDuration / advanceLine", () => {
  it.each([
    { line: "sim advance 30s", ms: 30 * S },
    { line: "sim advance 1h30m", ms: 90 * M },
    { line: "  sim   advance   500ms", ms: 500 },
    { line: "sim advance 0", ms: 0 },
    { line: "sim advance -5s", ms: undefined },
    { line: "sim advance", ms: undefined },
    { line: "sim advance 5 s", ms: undefined },
    { line: "sim advance banana", ms: undefined },
    { line: "sim advance 9000h", ms: undefined },
    { line: "kubectl get pods", ms: undefined },
    { line: "sim advanced 5s", ms: undefined },
  ])("$line → $ms", ({ line, ms }) => {
    expect(advanceDuration(line)).toBe(ms);
  });

  it.each([1, 999, 1000, 1500, 59_999, 61_000, 90 * M + 1, 3_600_000])("advanceLine(%i) parses back exactly", (ms) => {
    expect(advanceDuration(advanceLine(ms))).toBe(ms);
  });
});

describe("replayTo", () => {
  it("replaying to the end gives the original transcript, byte for byte", () => {
    const orig = runScript(SCRIPT, { seed: 3 });
    const end = replayTo(SCRIPT, { seed: 3 }, { step: 1e9 });
    expect(transcriptOf(end)).toBe(orig.transcript);
    expect(end.script()).toBe(orig.session.script());
    const byTime = replayTo(SCRIPT, { seed: 3 }, { at: T0 + 100 * S });
    expect(transcriptOf(byTime)).toBe(orig.transcript);
  });

  it.each([
    { name: "nothing", step: -1, now: T0, len: 0 },
    { name: "first command", step: 0, now: T0, len: 1 },
    { name: "after the first advance", step: 1, now: T0 + 30 * S, len: 2 },
    { name: "after kubectl", step: 5, now: T0 + 90 * S, len: 6 },
    { name: "past the end", step: 99, now: T0 + 100 * S, len: 8 },
  ])("by step: $name", ({ step, now, len }) => {
    const r = replay(SCRIPT, {}, { step });
    expect(r.session.sim.now).toBe(now);
    expect(r.session.history.length).toBe(len);
    expect(r.partial).toBe(false);
  });

  it.each([
    { name: "at start: commands at T0 run", at: T0, now: T0, lines: ["sim time"], partial: false, step: 0 },
    { name: "inside the first advance", at: T0 + 12_345, now: T0 + 12_345, lines: ["sim time", "sim advance 12.345s"], partial: true, step: 1 },
    { name: "exactly at the end of an advance: the commands at that time run", at: T0 + 30 * S, now: T0 + 30 * S, lines: ["sim time", "sim advance 30s", "sim time"], partial: false, step: 2 },
    { name: "inside the second advance", at: T0 + 60 * S, now: T0 + 60 * S, lines: ["sim time", "sim advance 30s", "sim time", "sim advance 30s"], partial: true, step: 3 },
    { name: "at the end", at: T0 + 100 * S, now: T0 + 100 * S, lines: SCRIPT.trim().split("\n"), partial: false, step: 7 },
    { name: "after the end: the clock stays where the script left it", at: T0 + 500 * S, now: T0 + 100 * S, lines: SCRIPT.trim().split("\n"), partial: false, step: 7 },
    { name: "before the start: only nothing", at: T0 - 1, now: T0, lines: [], partial: false, step: -1 },
  ])("by time: $name", ({ at, now, lines, partial, step }) => {
    const r = replay(SCRIPT, {}, { at });
    expect(r.session.sim.now).toBe(now);
    expect(r.session.history.map((h) => h.line)).toEqual(lines);
    expect(r.partial).toBe(partial);
    expect(r.step).toBe(step);
  });

  it("a cut advance is recorded so the session's own script reproduces the moment", () => {
    const s = replayTo(SCRIPT, {}, { at: T0 + 75 * S });
    expect(s.script()).toBe("sim time\nsim advance 30s\nsim time\nsim advance 45s\n");
    const again = runScript(s.script());
    expect(again.session.sim.now).toBe(T0 + 75 * S);
  });

  it("sim seed / sim clock lines always run and set the time frame", () => {
    const script = "sim clock 2030-06-01T12:00:00Z\nsim seed 9\nsim time\nsim advance 1m\nsim time\n";
    const t = Date.parse("2030-06-01T12:00:00Z");
    const s = replayTo(script, {}, { at: t + 20 * S });
    expect(s.sim.startTime).toBe(t);
    expect(s.sim.seed).toBe(9);
    expect(s.sim.now).toBe(t + 20 * S);
    expect(s.history[2]!.result.out).toBe("2030-06-01T12:00:00Z\n");
    const tl = scriptTimeline(script);
    expect(tl.start).toBe(t);
    expect(tl.end).toBe(t + M);
    expect(tl.marks.map((m) => [m.kind, m.at - t, m.end - t])).toEqual([
      ["setup", 0, 0], ["setup", 0, 0], ["sim", 0, 0], ["advance", 0, M], ["sim", M, M],
    ]);
  });
});

describe("timelineMarks", () => {
  it("lists every command with its time, kind and failure", () => {
    const s = replayTo(SCRIPT + "sim advance nope\nkubectl get nodes\n", {}, { step: 1e9 });
    const marks = timelineMarks(s);
    expect(marks.map((m) => ({ step: m.step, at: (m.at - T0) / S, end: (m.end - T0) / S, kind: m.kind, failed: m.failed }))).toEqual([
      { step: 0, at: 0, end: 0, kind: "sim", failed: false },
      { step: 1, at: 0, end: 30, kind: "advance", failed: false },
      { step: 2, at: 30, end: 30, kind: "sim", failed: false },
      { step: 3, at: 30, end: 90, kind: "advance", failed: false },
      { step: 4, at: 90, end: 90, kind: "sim", failed: false },
      { step: 5, at: 90, end: 90, kind: "kubectl", failed: marks[5]!.failed },
      { step: 6, at: 90, end: 100, kind: "advance", failed: false },
      { step: 7, at: 100, end: 100, kind: "sim", failed: false },
      { step: 8, at: 100, end: 100, kind: "sim", failed: true },
      { step: 9, at: 100, end: 100, kind: "kubectl", failed: marks[9]!.failed },
    ]);
    expect(marks[3]!.line).toBe("sim advance 1m");
  });
});

describe("forkAt", () => {
  it("keeps commands 0..step, returns the rest for undo", () => {
    const s = replayTo(SCRIPT, { seed: 5 }, { step: 1e9 });
    const { session, dropped } = forkAt(s, 3);
    expect(session).not.toBe(s);
    expect(session.history.map((h) => h.line)).toEqual(["sim time", "sim advance 30s", "sim time", "sim advance 1m"]);
    expect(session.sim.now).toBe(T0 + 90 * S);
    expect(session.sim.seed).toBe(5);
    expect(dropped.map((h) => h.line)).toEqual(["sim time", "kubectl get pods", "sim advance 10s", "sim time"]);
    // The original is untouched; redoing the dropped entries restores it.
    expect(s.history.length).toBe(8);
    for (const h of dropped) session.exec(h.line, h.stdin);
    expect(transcriptOf(session)).toBe(transcriptOf(s));
  });

  it("nothing to drop → same session; step −1 → empty session", () => {
    const s = replayTo(SCRIPT, {}, { step: 1e9 });
    expect(forkAt(s, 7)).toEqual({ session: s, dropped: [] });
    expect(forkAt(s, 100).session).toBe(s);
    const empty = forkAt(s, -1);
    expect(empty.session.history).toEqual([]);
    expect(empty.dropped.length).toBe(8);
    expect(empty.session.sim.now).toBe(T0);
  });

  it("keeps heredoc bodies", () => {
    const script = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nEOF\nsim advance 5s\n";
    const s = replayTo(script, {}, { step: 1e9 });
    const f = forkAt(s, 0).session;
    expect(f.script()).toBe("kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nEOF\n");
  });
});

describe("Replayer (scrubbing)", () => {
  it("forward seeks continue the session; backward seeks rebuild; results equal a fresh replay", () => {
    const r = new Replayer(SCRIPT, { seed: 2 });
    const times = [10, 20, 30, 45, 90, 95, 100, 40, 60, 60, 200, 0].map((s) => T0 + s * S);
    for (const at of times) {
      const got = r.seek({ at });
      const want = replayTo(SCRIPT, { seed: 2 }, { at });
      expect(got.sim.now).toBe(want.sim.now);
      expect(transcriptOf(got)).toBe(transcriptOf(want));
      expect(got.script()).toBe(want.script());
    }
    expect(r.stats.rebuilds).toBe(3); // first seek, back to 40s, back to 0s
    expect(r.stats.hits).toBeGreaterThanOrEqual(1);
  });

  it("mixes step and time targets", () => {
    const r = new Replayer(SCRIPT);
    expect(r.seek({ step: 2 }).sim.now).toBe(T0 + 30 * S);
    expect(r.seek({ at: T0 + 50 * S }).history.length).toBe(4);
    expect(r.position).toEqual({ step: 3, partial: true });
    const s = r.seek({ step: 5 });
    expect(s.history.map((h) => h.line)).toEqual(SCRIPT.trim().split("\n").slice(0, 6));
    expect(r.stats.rebuilds).toBe(1);
    expect(r.seek({ step: 1 }).history.length).toBe(2);
    expect(r.stats.rebuilds).toBe(2);
  });

  it("a session changed behind its back is rebuilt, not trusted", () => {
    const r = new Replayer(SCRIPT);
    const s = r.seek({ step: 2 });
    s.exec("sim advance 5s");
    const again = r.seek({ step: 3 });
    expect(again).not.toBe(s);
    expect(again.sim.now).toBe(T0 + 90 * S);
    const mine = r.detach();
    expect(mine).toBe(again);
    expect(r.seek({ step: 3 })).not.toBe(mine);
  });
});

describe("share payload ↔ session", () => {
  it("a session's payload reopens at the same moment with the same transcript", async () => {
    const { sharePayload, encodeShare, parseShareHash } = await import("../../../src/scenario/share.ts");
    const { sessionFromShare } = await import("../../../src/scenario/replay.ts");
    const s = replayTo(SCRIPT, { seed: 11, startTime: T0 + 5 * M }, { step: 1e9 });
    const p = sharePayload(s, { panel: "events" }, T0 + 5 * M + 45 * S);
    expect(p).toMatchObject({ v: 1, seed: 11, startTime: T0 + 5 * M, at: T0 + 5 * M + 45 * S, view: { panel: "events" } });
    const r = parseShareHash(encodeShare(p));
    if (!r.ok) throw new Error(r.error);
    const opened = sessionFromShare(r.payload);
    expect(opened.sim.now).toBe(T0 + 5 * M + 45 * S);
    expect(transcriptOf(opened)).toBe(transcriptOf(replayTo(SCRIPT, { seed: 11, startTime: T0 + 5 * M }, { at: T0 + 5 * M + 45 * S })));
    const atEnd = sessionFromShare(sharePayload(s));
    expect(transcriptOf(atEnd)).toBe(transcriptOf(s));
  });
});

describe("Replayer checkpoints", () => {
  it("warm() parks evenly spaced checkpoints; a backward seek uses the latest one before the target", () => {
    const r = new Replayer(SCRIPT, { seed: 4 }, { checkpoints: 3 });
    let n = 0;
    while (r.warm()) n++;
    expect(n).toBe(3);
    expect(r.checkpointSteps).toEqual([1, 3, 5]); // 8 commands: floor(k*8/4)-1
    expect(r.seek({ step: 7 }).sim.now).toBe(T0 + 100 * S);
    expect(r.stats).toMatchObject({ fromCheckpoint: 1, rebuilds: 0 }); // took step 5
    expect(r.checkpointSteps).toEqual([1, 3]);
    const back = r.seek({ at: T0 + 60 * S }); // step 3 ends at 90s > 60s: takes step 1 (ends at 30s)
    expect(r.checkpointSteps).toEqual([3]);
    expect(transcriptOf(back)).toBe(transcriptOf(replayTo(SCRIPT, { seed: 4 }, { at: T0 + 60 * S })));
    expect(back.script()).toBe("sim time\nsim advance 30s\nsim time\nsim advance 30s\n");
    expect(r.seek({ step: 0 }).history.length).toBe(1); // nothing parked at or before step 0: from scratch
    expect(r.stats).toMatchObject({ fromCheckpoint: 2, rebuilds: 1 });
    expect(r.warm()).toBe(true); // refills what was used up
  });

  it("checkpoints: 0 disables them", () => {
    const r = new Replayer(SCRIPT, {}, { checkpoints: 0 });
    expect(r.warm()).toBe(false);
  });
});

describe("waits that move the clock (kubectl rollout status)", () => {
  const WAIT = `sim node add w1
kubectl create deployment web --image=nginx --replicas=2
kubectl rollout status deployment/web
sim time
sim advance 10s
sim time
`;
  it("marks end where the next command starts; replay inside the wait stands in an advance", async () => {
    const { isObserverWait } = await import("../../../src/scenario/replay.ts");
    expect(isObserverWait("kubectl rollout status deployment/web")).toBe(true);
    expect(isObserverWait("kubectl rollout status deployment/web --watch=false")).toBe(false);
    expect(isObserverWait("kubectl rollout history deployment/web")).toBe(false);
    const tl = scriptTimeline(WAIT);
    const wait = tl.marks[2]!;
    expect(wait.line).toBe("kubectl rollout status deployment/web");
    expect(wait.end).toBeGreaterThan(wait.at); // the rollout took virtual time
    expect(tl.marks[3]!.at).toBe(wait.end);
    const mid = Math.floor((wait.at + wait.end) / 2);
    const s = replayTo(WAIT, {}, { at: mid });
    expect(s.sim.now).toBe(mid);
    expect(s.history.map((h) => h.line).slice(0, 2)).toEqual(WAIT.split("\n").slice(0, 2));
    expect(s.history[2]!.line).toMatch(/^sim advance /);
    // …which is the same cluster as running the wait and stopping the clock there would be.
    expect(runScript(s.script()).session.sim.store.list("Pod")).toEqual(s.sim.store.list("Pod"));
    // Past the wait, the real command runs and prints its status lines.
    const after = replayTo(WAIT, {}, { at: wait.end });
    expect(after.history[2]!.line).toBe("kubectl rollout status deployment/web");
    expect(after.history[2]!.result.out).toContain('deployment "web" successfully rolled out');
    const r = new Replayer(WAIT);
    for (const at of [mid, mid + 1, wait.end, wait.end + 5000, mid, tl.end]) {
      expect(transcriptOf(r.seek({ at }))).toBe(transcriptOf(replayTo(WAIT, {}, { at })));
    }
  });
});

describe("openShare", () => {
  it("opens a good link, reports a bad one, never throws", async () => {
    const { openShare } = await import("../../../src/scenario/replay.ts");
    const { encodeShare } = await import("../../../src/scenario/share.ts");
    const good = openShare(encodeShare({ v: 1, script: SCRIPT, seed: 1, startTime: T0, at: T0 + 45 * S }));
    expect(good.ok).toBe(true);
    if (good.ok) expect(good.session.sim.now).toBe(T0 + 45 * S);
    expect(openShare("")).toMatchObject({ ok: false, kind: "none" });
    expect(openShare("#s=1.@@")).toMatchObject({ ok: false, kind: "corrupt" });
    const broken = openShare(encodeShare({ v: 1, script: "kubectl apply -f - <<EOF\nkind: Pod\n", seed: 1, startTime: T0, at: T0 }));
    expect(broken).toEqual({ ok: false, kind: "script", error: "This link's scenario cannot be run (line 1: here-document delimited by end-of-file (wanted `EOF')).", });
  });
});

describe("a kubectl delete that waits", () => {
  const DEL = `sim node add w1
kubectl create deployment web --image=nginx --replicas=1
sim advance 20s
sim node stop w1
kubectl delete pods -l app=web
sim time
`;
  it("cut by the target: issued with --wait=false, then the clock advances", async () => {
    const { isDeleteWait } = await import("../../../src/scenario/replay.ts");
    expect(isDeleteWait("kubectl delete pods -l app=web")).toBe(true);
    expect(isDeleteWait("kubectl delete pods -l app=web --wait=false")).toBe(false);
    const tl = scriptTimeline(DEL);
    const del = tl.marks[4]!;
    expect(del.end).toBeGreaterThan(del.at); // the kubelet is gone: the pod never finishes terminating
    const at = del.at + 7_000;
    const s = replayTo(DEL, {}, { at });
    expect(s.sim.now).toBe(at);
    expect(s.history.slice(4).map((h) => h.line)).toEqual(["kubectl delete pods -l app=web --wait=false", "sim advance 7s"]);
    expect(s.history[4]!.result.out).toBe(tl.session.history[4]!.result.out);
    expect(runScript(s.script()).session.sim.store.list("Pod")).toEqual(s.sim.store.list("Pod"));
    const r = new Replayer(DEL);
    for (const t of [at, at, del.at, tl.end, at]) expect(transcriptOf(r.seek({ at: t }))).toBe(transcriptOf(replayTo(DEL, {}, { at: t })));
  });
});
