/**
 * The worker bridge without a browser: EngineCore (the worker side) wired to WorkerEngineHost
 * (the page side) through an in-process fake Worker. Same script ⇒ same cluster as the in-thread
 * host, whatever the slicing of long advances; diffs keep identity; cancel stops after a chunk.
 */
import { describe, expect, it } from "vitest";
import { EngineCore } from "../../app/engine/engineCore.ts";
import { WorkerEngineHost, type WorkerLike } from "../../app/engine/workerHost.ts";
import { LocalEngineHost } from "../../app/engine/host.ts";
import { applySnapshotMsg, diffSnapshot } from "../../app/engine/snapshotDiff.ts";
import type { Request, Response } from "../../app/engine/protocol.ts";
import type { Snapshot } from "../../app/engine/snapshot.ts";
import { createSimStore, type StoreHost } from "../../app/store/simStore.ts";

function pair(opts: ConstructorParameters<typeof EngineCore>[1] = {}, spy?: (r: Response) => void) {
  const fake: WorkerLike & { core?: EngineCore } = {
    onmessage: null, onerror: null, terminate() {},
    postMessage(m: Request) { const c = structuredClone(m); queueMicrotask(() => core.receive(c)); },
  };
  const core = new EngineCore((r: Response) => {
    spy?.(r);
    const c = structuredClone(r);
    setTimeout(() => fake.onmessage?.({ data: c } as MessageEvent<Response>), 0);
  }, { seed: 1, ...opts });
  const host = new WorkerEngineHost(fake);
  return { host, core };
}

const SETUP = [
  "sim node add w1 --cpu 8 --memory 16Gi",
  "sim node add w2 --cpu 8 --memory 16Gi",
  "kubectl create deployment web --image=nginx --replicas=30",
  "kubectl create deployment bad --image=busybox --replicas=3",
];

/** Everything the graph shows, minus nothing: a canonical dump of a snapshot. */
const dump = (s: Snapshot) => JSON.stringify({ now: s.now, nodes: s.nodes, pods: s.podKeys.map((k) => s.pods[k]), ctl: s.controllers, ev: s.events });

describe("engine worker bridge", () => {
  it("gives the same cluster and script as the in-thread host (determinism)", async () => {
    const local = new LocalEngineHost({ seed: 1 });
    for (const l of SETUP) local.exec(l);
    local.exec("sim advance 10m");
    // Tiny slices: 10m of virtual time in many chunks of at least 100ms.
    const { host } = pair({ minChunkMs: 100, maxChunkMs: 700, wall: (() => { let t = 0; return () => (t += 30); })() });
    for (const l of SETUP) await host.exec(l);
    const r = await host.exec("sim advance 10m");
    expect(r.result).toEqual({ out: "", err: "", code: 0 });
    expect(host.script()).toBe(local.script());
    expect(dump(host.snapshot())).toBe(dump(local.snapshot()));
    expect((await host.query("kubectl get pods --no-headers")).out).toBe(local.query("kubectl get pods --no-headers").out);
  });

  it("load replays a script into a fresh session", async () => {
    const local = new LocalEngineHost({ seed: 3 });
    for (const l of SETUP) local.exec(l);
    local.exec("sim advance 2m");
    const { host } = pair();
    await host.exec("sim node add other");
    const r = await host.load(local.script(), { seed: 3 });
    expect(r.cancelled).toBeUndefined();
    expect(host.script()).toBe(local.script());
    expect(dump(r.snapshot)).toBe(dump(local.snapshot()));
  });

  it("cancel stops a long advance after the current chunk and records what ran", async () => {
    const { host } = pair({ minChunkMs: 1000, maxChunkMs: 1000, wall: (() => { let t = 0; return () => (t += 50); })() });
    for (const l of SETUP) await host.exec(l);
    const seen: number[] = [];
    host.onProgress((p) => { if (p) { seen.push(p.done); if (seen.length === 3) host.cancel(); } });
    const r = await host.exec("sim advance 1h");
    expect(r.cancelled).toBe(true);
    const ran = r.snapshot.now - r.snapshot.start;
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThan(3600_000);
    const last = host.script().trim().split("\n").pop()!;
    expect(last).toMatch(/^sim advance \d/);
    expect(r.recorded).toBe(last);
    // The recorded script rebuilds the same moment.
    const again = new LocalEngineHost({ seed: 1 });
    const re = again.load(host.script(), { seed: 1 });
    expect(dump(re.snapshot)).toBe(dump(host.snapshot()));
  });

  it("diffs keep unchanged views by identity and round-trip exactly", () => {
    const h = new LocalEngineHost({ seed: 1 });
    for (const l of SETUP) h.exec(l);
    const a = h.exec("sim advance 1m").snapshot;
    const b = h.exec("kubectl delete pod " + a.pods[a.podKeys[0]!]!.name + " --wait=false").snapshot;
    const c = h.exec("sim advance 5s").snapshot;
    let held = structuredClone(a);
    for (const next of [b, c]) {
      const prevHeld = held;
      const msg = structuredClone(diffSnapshot(next === b ? a : b, next));
      held = applySnapshotMsg(held, msg)!;
      expect(dump(held)).toBe(dump(next));
      const same = next.podKeys.filter((k) => (next === b ? a : b).pods[k] === next.pods[k]);
      for (const k of same) expect(held.pods[k]).toBe(prevHeld.pods[k]);
    }
  });

  it("the store: Cancel keeps the bar (cancelling) until the reply, and the timeline records the part that ran", async () => {
    const { host } = pair({ minChunkMs: 1000, maxChunkMs: 1000, wall: (() => { let t = 0; return () => (t += 50); })() });
    await host.ready();
    const store = createSimStore(host as unknown as StoreHost);
    for (const l of SETUP) await store.getState().exec(l);
    const bars: Array<{ cancelling: boolean } | null> = [];
    store.subscribe((st, prev) => { if (st.busy !== prev.busy) bars.push(st.busy ? { cancelling: !!st.busy.cancelling } : null); });
    let cancelled = false;
    host.onProgress((p) => {
      if (p && !cancelled && p.done >= 3000) { cancelled = true; queueMicrotask(() => store.getState().cancelBusy()); }
    });
    await store.getState().exec("sim advance 1h");
    const st = store.getState();
    expect(st.busy).toBeNull();
    // The bar said "cancelling" before it went away, and went away only once.
    expect(bars.some((b) => b?.cancelling)).toBe(true);
    expect(bars.indexOf(null)).toBe(bars.length - 1);
    const last = st.hist[st.hist.length - 1]!;
    expect(last.line).toMatch(/^sim advance \d/);
    expect(last.line).not.toBe("sim advance 1h");
    expect(last.end).toBe(st.snapshot.now);
    expect(st.script()).toBe(host.script());
    expect(st.entries[st.entries.length - 1]!.err).toContain(`(recorded as "${last.line}")`);
  });

  it("the store: a seek waits for commands already sent, and a command sent during a seek forks from the moment it shows", async () => {
    const { host } = pair();
    await host.ready();
    const store = createSimStore(host as unknown as StoreHost);
    for (const l of SETUP) await store.getState().exec(l);
    await store.getState().exec("sim advance 10s");
    const t0 = store.getState().snapshot.now;
    // "Advance 1s" then at once "Previous action": the advance is part of the live session.
    const adv = store.getState().exec("sim advance 1s");
    expect(store.getState().pending).toBe(1);
    const seek = store.getState().seek({ step: 1 });
    expect(store.getState().seekTo).toEqual({ step: 1 });
    await Promise.all([adv, seek]);
    let st = store.getState();
    expect(st.pending).toBe(0);
    expect(st.seekTo).toBeNull();
    expect(st.hist.map((h) => h.line).slice(-2)).toEqual(["sim advance 10s", "sim advance 1s"]);
    expect(st.view?.step).toBe(1);
    expect(st.snapshot.nodes.map((n) => n.name)).toEqual(["w1", "w2"]);
    expect(st.snapshot.podKeys).toEqual([]);
    // Back to live, then scrub to t0 - 5s and act before that seek has loaded: the act forks from there.
    await store.getState().seek(null);
    expect(store.getState().snapshot.now).toBe(t0 + 1000);
    const full = store.getState().hist;
    const scrub = store.getState().seek({ at: t0 - 5000 });
    const act = store.getState().exec("sim advance 1m");
    await Promise.all([scrub, act]);
    st = store.getState();
    expect(st.view).toBeNull();
    expect(st.forked?.hist).toBe(full);
    expect(st.hist.map((h) => h.line).slice(-2)).toEqual(["sim advance 5s", "sim advance 1m"]);
    expect(st.snapshot.now).toBe(t0 - 5000 + 60_000);
    expect(st.script()).toBe(host.script());
    // Undo fork brings the live session back.
    await store.getState().undoFork();
    st = store.getState();
    expect(st.hist).toBe(full);
    expect(st.snapshot.now).toBe(t0 + 1000);
    expect(st.script()).toBe(host.script());
  });

  it("a burst sent at once: replies leave the snapshot out while one queued will carry it and the clock stood still, and come in batches; the store's timeline and cluster come out the same", async () => {
    let withSnap = 0, without = 0, posts = 0;
    const count = (r: Response): void => {
      if (r.kind === "batch") r.items.forEach(count);
      else if (r.kind === "reply") { if (r.snap) withSnap++; else without++; }
    };
    const { host } = pair({}, (r) => { posts++; count(r); });
    await host.ready();
    withSnap = 0; posts = 0;
    const store = createSimStore(host as unknown as StoreHost);
    const lines = [...Array.from({ length: 20 }, (_, i) => `sim node add n${i}`), "kubectl create deployment web --image=nginx --replicas=30", "sim advance 30s", "sim node add late", "sim advance 5s"];
    await Promise.all(lines.map((l) => store.getState().exec(l)));
    // The advances move the clock: their replies and the ones before them carry snapshots.
    expect(without).toBeGreaterThan(15);
    expect(withSnap).toBeGreaterThanOrEqual(2);
    // Replies without a snapshot wait for the next message: the burst arrives in a few batches.
    expect(posts).toBeLessThan(withSnap + 3);
    const local = new LocalEngineHost({ seed: 1 });
    const ends: number[] = [];
    for (const l of lines) ends.push(local.exec(l).snapshot.now);
    const st = store.getState();
    expect(st.hist.map((h) => h.end)).toEqual(ends);
    expect(dump(st.snapshot)).toBe(dump(local.snapshot()));
    expect(st.script()).toBe(local.script());
  });

  it("a command followed at once by a load that fails to parse still brings its snapshot (an error reply carries none)", async () => {
    const { host } = pair();
    await host.ready();
    const add = host.exec("sim node add lone");
    const bad = host.load("kubectl apply -f - <<EOF\napiVersion: v1\n");
    await expect(bad).rejects.toThrow(/here-document/);
    expect((await add).snapshot.nodes.map((n) => n.name)).toContain("lone");
    expect(host.snapshot().nodes.map((n) => n.name)).toContain("lone");
  });
});
