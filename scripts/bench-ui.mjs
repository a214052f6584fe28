#!/usr/bin/env node
// The UI at scale, in Chromium, against a production build (built into a private temp folder so a
// concurrent `npm run build` cannot swap files under the server; `--dist DIR` to use one as is):
//  1. main-thread frame times (median/p95 of requestAnimationFrame intervals) while the clock plays,
//     and while panning/zooming, at 50, 500 and 5,000 nodes (engine in its Web Worker);
//  2. the tick redraw cost at 50 nodes / 1,500 pods (below).
// Prints a table, writes reports/bench-ui.json, and notes the machine's load average (shared box).
//
//   node scripts/bench-ui.mjs [--ticks 40] [--nodes 50] [--pods 1500] [--sizes 50,500,5000] [--seconds 6]
//
// Method (as toolchain.md §5): a tick is `sim advance 1s` through the UI store, exactly what Play
// does. "engine" = Session.exec + snapshot; "commit" = until React has committed (next macrotask);
// "frame" = until the second requestAnimationFrame after the tick (commit + style/layout/paint;
// its floor is one or two vsyncs, ≈16-33 ms).
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg, cpus } from "node:os";
import { join } from "node:path";

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const sarg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const TICKS = arg("ticks", 40), NODES = arg("nodes", 50), PODS = arg("pods", 1500), SECONDS = arg("seconds", 6);
const SIZES = sarg("sizes", "50,500,5000").split(",").map(Number).filter(Boolean);
const load0 = loadavg();
console.log(`load average ${load0.map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} cores${load0[0] > cpus().length * 0.5 ? " — machine busy: frame times are pessimistic" : ""}`);

let dist = sarg("dist", "");
if (!dist) {
  dist = mkdtempSync(join(tmpdir(), "kp-bench-dist-"));
  execFileSync("node_modules/.bin/vite", ["build", "--logLevel", "warn", "--outDir", dist, "--emptyOutDir"], { stdio: "inherit" });
}
if (!existsSync(join(dist, "index.html"))) { console.error(`no build in ${dist}`); process.exit(1); }

const PORT = Number(process.env.BENCH_PORT ?? 4184);
const base = `http://127.0.0.1:${PORT}/playground/`;
const server = spawn("node_modules/.bin/vite", ["preview", "--outDir", dist, "--base", "/playground/", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], { stdio: "pipe" });
for (let i = 0; i < 100; i++) { try { if ((await fetch(base)).ok) break; } catch { /* not yet */ } await new Promise((r) => setTimeout(r, 100)); }

const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "pw-chromium-")), {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, viewport: { width: 1600, height: 960 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const report = { date: new Date().toISOString(), loadavgStart: load0, cores: cpus().length, frames: [], tick: null };
const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };

/**
 * Busy time (ms) of the page's main thread (the busiest renderer main thread: there may be spare
 * renderers) and of the engine's worker thread while `run` runs, from a Chromium trace (sum of their
 * top-level tasks), with the main thread's time per kind of work (script, style, layout, paint, GC).
 */
async function traceBusy(page, run) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  const onData = (d) => events.push(...d.value);
  cdp.on("Tracing.dataCollected", onData);
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { categories: "toplevel,devtools.timeline,__metadata", transferMode: "ReportEvents" });
  await run();
  await cdp.send("Tracing.end");
  await done;
  cdp.off("Tracing.dataCollected", onData);
  await cdp.detach();
  const isTask = (e) => e.ph === "X" && (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
  const busyOf = (t) => { let b = 0; for (const e of events) if (isTask(e) && e.pid === t.pid && e.tid === t.tid) b += e.dur / 1000; return b; };
  const threads = (name) => events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === name);
  let main, busy = 0;
  for (const m of threads("CrRendererMain")) { const b = busyOf(m); if (!main || b > busy) { main = m; busy = b; } }
  let worker = 0;
  for (const w of threads("DedicatedWorker thread")) worker = Math.max(worker, busyOf(w));
  const parts = new Map();
  if (main) {
    for (const e of events) {
      if (e.ph !== "X" || e.pid !== main.pid || e.tid !== main.tid) continue;
      if (["FunctionCall", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "MinorGC", "MajorGC"].includes(e.name)) parts.set(e.name, (parts.get(e.name) ?? 0) + e.dur / 1000);
    }
  }
  if (process.env.BENCH_DEBUG && main) {
    const names = new Map();
    for (const e of events) if (e.pid === main.pid && e.tid === main.tid) names.set(`${e.ph}:${e.name}`, (names.get(`${e.ph}:${e.name}`) ?? 0) + 1);
    console.error(events.length, JSON.stringify(main), JSON.stringify([...names].slice(0, 30)));
  }
  return { main: main ? busy : NaN, worker, parts };
}

async function openPage() {
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error(`pageerror: ${e}`));
  // An empty editor: the cluster holds only what the bench creates.
  await page.addInitScript(() => { localStorage.clear(); localStorage.setItem("kubeplay.editor.v1", "# bench\n"); });
  await page.goto(base);
  await page.waitForFunction(() => !!window.__kubeplay);
  return page;
}

/** Nodes and one Deployment, through the store (the engine runs in its worker); waits for Running. */
async function setupCluster(page, nodes, pods) {
  const add = await addNodes(page, nodes);
  const r = await page.evaluate(async ({ pods }) => {
    const { store } = window.__kubeplay;
    const st = () => store.getState();
    const t0 = performance.now();
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench
spec:
  replicas: ${pods}
  selector:
    matchLabels: {app: bench}
  template:
    metadata:
      labels: {app: bench}
    spec:
      containers:
      - name: app
        image: nginx
        resources:
          requests: {cpu: 10m, memory: 16Mi}
`;
    const r = await st().exec("kubectl apply -f - <<EOF", yaml, "console");
    for (let i = 0; i < 6; i++) await st().exec("sim advance 10s", undefined, "console");
    const s = st().snapshot;
    const running = s.podKeys.filter((k) => s.pods[k].status === "Running").length;
    return { ms: performance.now() - t0, nodes: s.nodes.length, pods: s.podKeys.length, running, err: r.err, async: window.__kubeplay.host.async };
  }, { pods });
  return { ...r, ms: add.ms + r.ms, add };
}

/**
 * `sim node add` × n, all sent at once from the console (as a user pasting a script would), then
 * waited for: wall time to the first and the last reply, and (Chromium trace) the busy time of the
 * page's main thread and of the engine worker's thread over that span, to tell where it goes.
 */
async function addNodes(page, nodes) {
  let wall;
  const busy = await traceBusy(page, async () => {
    wall = await page.evaluate(async (nodes) => {
      const { store } = window.__kubeplay;
      const st = () => store.getState();
      const t0 = performance.now();
      let first = 0;
      const runs = [];
      for (let i = st().snapshot.nodes.length; i < nodes; i++) {
        runs.push(st().exec(`sim node add n${String(i).padStart(4, "0")} --cpu 64 --memory 256Gi --pods 110`, undefined, "console").then((r) => { first ||= performance.now() - t0; return r; }));
      }
      const sent = runs.length;
      await Promise.all(runs);
      return { ms: performance.now() - t0, firstMs: first, sent };
    }, nodes);
  });
  return { ...wall, mainBusyMs: busy.main, workerBusyMs: busy.worker, mainParts: busy.parts };
}

/** rAF intervals on the main thread for `seconds`, while the clock plays (and optionally while panning). */
async function frameTimes(page, seconds, pan) {
  const box = await page.locator(".graph-box").boundingBox();
  const rec = page.evaluate(async (ms) => {
    const { store } = window.__kubeplay;
    const v0 = store.getState().snapshot.now;
    store.getState().setSpeed(10);
    store.getState().play();
    const d = [];
    let last = performance.now();
    const end = last + ms;
    await new Promise((res) => {
      const f = (t) => { d.push(t - last); last = t; if (t < end) requestAnimationFrame(f); else res(); };
      requestAnimationFrame(f);
    });
    store.getState().pause();
    return { d, virtual: store.getState().snapshot.now - v0 };
  }, seconds * 1000);
  if (pan && box) {
    // Drag the pane around and zoom in and out (React Flow's d3-zoom), as a user exploring would.
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    const stop = Date.now() + seconds * 1000 - 300;
    let k = 0;
    while (Date.now() < stop) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(cx + (k % 2 ? -1 : 1) * i * 15, cy + i * 6);
      await page.mouse.up();
      await page.mouse.wheel(0, k % 4 < 2 ? -240 : 240);
      k++;
    }
  }
  const { d, virtual } = await rec;
  return { median: q(d, 0.5), p95: q(d, 0.95), max: Math.max(...d), frames: d.length, virtualMs: virtual };
}

try {
  // ---- 1. frame times at 50 / 500 / 5,000 nodes -------------------------------------------------
  for (const n of SIZES) {
    const pods = n <= 50 ? 1500 : n * 4;
    const page = await openPage();
    const setup = await setupCluster(page, n, pods);
    const mode = await page.evaluate(() => ({
      overview: document.querySelector("canvas.overview")?.getAttribute("data-overview"),
      mounted: document.querySelectorAll(".react-flow__node").length,
    }));
    console.log(`setup ${n} nodes: ${setup.nodes} nodes, ${setup.pods} pods (${setup.running} Running) in ${(setup.ms / 1000).toFixed(1)} s; worker ${setup.async}; overview ${mode.overview}, ${mode.mounted} mounted React Flow nodes${setup.err ? ` — apply: ${setup.err.trim()}` : ""}`);
    const a = setup.add;
    console.log(`  ${a.sent} × sim node add sent at once: first reply ${(a.firstMs / 1000).toFixed(2)} s, last ${(a.ms / 1000).toFixed(1)} s; busy: page main thread ${(a.mainBusyMs / 1000).toFixed(1)} s (${[...a.mainParts].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(", ")}), engine worker ${(a.workerBusyMs / 1000).toFixed(1)} s`);
    const play = await frameTimes(page, SECONDS, false);
    const pan = await frameTimes(page, SECONDS, true);
    const mode2 = await page.evaluate(() => document.querySelectorAll(".react-flow__node").length);
    const { mainParts, ...nodeAdd } = setup.add;
    report.frames.push({ nodes: setup.nodes, pods: setup.pods, setupMs: setup.ms, nodeAdd: { ...nodeAdd, mainParts: Object.fromEntries(mainParts) }, overview: mode.overview === "on", mounted: mode.mounted, mountedAfterPan: mode2, play, pan });
    await page.close();
  }

  // ---- 2. tick redraw cost at 50 nodes / 1,500 pods ---------------------------------------------
  const page = await openPage();
  const setup = await setupCluster(page, NODES, PODS);
  console.log(`setup: ${setup.nodes} nodes, ${setup.pods} pods (${setup.running} Running) in ${(setup.ms / 1000).toFixed(1)} s${setup.err ? ` — apply: ${setup.err.trim()}` : ""}`);
  await page.waitForFunction((n) => document.querySelectorAll(".react-flow__node-pod").length >= n, Math.min(setup.pods, PODS) - 5, { timeout: 60_000 }).catch(() => {});
  const domPods = await page.evaluate(() => document.querySelectorAll(".react-flow__node-pod, .react-flow__node-pendingPod, .k8snode.agg").length);

  const measure = (label, line) => page.evaluate(async ({ TICKS, line }) => {
    const { store } = window.__kubeplay;
    const macrotask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
    const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
    const eng = [], commit = [], frame = [];
    for (let i = 0; i < TICKS + 3; i++) {
      await raf();
      const t0 = performance.now();
      await store.getState().exec(typeof line === "string" ? line : line[i % line.length], undefined, "play");
      const t1 = performance.now();
      await macrotask();
      const t2 = performance.now();
      await raf(); await raf();
      const t3 = performance.now();
      if (i >= 3) { eng.push(t1 - t0); commit.push(t2 - t0); frame.push(t3 - t0); }
    }
    const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
    const f = (a) => `median ${q(a, 0.5).toFixed(1)} / p95 ${q(a, 0.95).toFixed(1)} ms`;
    return { engine: f(eng), commit: f(commit), frame: f(frame), commitMedian: q(commit, 0.5), frameMedian: q(frame, 0.5), framep95: q(frame, 0.95) };
  }, { TICKS, line });

  // Busy time of the renderer's main thread per tick, from a Chromium trace (sum of its top-level
  // tasks: engine, React, style, layout, paint, compositing) — less sensitive to a loaded machine
  // than wall-clock frame times.
  async function busyPerTick(line, ticks) {
    const b = await traceBusy(page, () => page.evaluate(async ({ line, ticks }) => {
      const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
      for (let i = 0; i < ticks; i++) { await raf(); await window.__kubeplay.store.getState().exec(line, undefined, "play"); await raf(); await raf(); }
    }, { line, ticks }));
    console.log(`  per tick: ${[...b.parts].map(([k, v]) => `${k} ${(v / ticks).toFixed(1)}`).join(", ")} (ms)`);
    return b.main / ticks;
  }

  // --hide SELECTOR (diagnosis): take part of the UI out, to see what a tick costs without it.
  const hideAt = process.argv.indexOf("--hide");
  if (hideAt > 0) await page.addStyleTag({ content: `${process.argv[hideAt + 1]} { display: none !important; }` });

  const steady = await measure("steady", "sim advance 1s");
  const busySteady = await busyPerTick("sim advance 1s", TICKS);
  console.log(`tick redraw, steady (${setup.nodes} nodes / ${domPods} pod chips): main thread ${steady.commit} [engine ${steady.engine}; to 2nd frame ${steady.frame}]`);
  await page.evaluate(() => window.__kubeplay.store.getState().exec("kubectl rollout restart deployment/bench", undefined, "console"));
  report.tick = { nodes: setup.nodes, pods: setup.pods, domPods, steady };
  const churn = await measure("rollout", "sim advance 1s");
  console.log(`tick redraw, during a rolling restart: main thread ${churn.commit} [engine ${churn.engine}; to 2nd frame ${churn.frame}]`);
  const busyChurn = await busyPerTick("sim advance 1s", TICKS);
  console.log(`main-thread busy time per tick (Chromium trace): steady ${busySteady.toFixed(1)} ms, during the rollout ${busyChurn.toFixed(1)} ms`);
  Object.assign(report.tick, { churn, busySteadyMs: busySteady, busyChurnMs: busyChurn });

  report.loadavgEnd = loadavg();
  const row = (cells) => cells.map((c, i) => String(c).padEnd(i === 0 ? 22 : 14)).join("");
  console.log("");
  console.log(row(["main thread, ms", "play median", "play p95", "pan median", "pan p95", "mounted"]));
  for (const f of report.frames) {
    console.log(row([`${f.nodes} nodes / ${f.pods} pods${f.overview ? " (canvas)" : ""}`, f.play.median.toFixed(1), f.play.p95.toFixed(1), f.pan.median.toFixed(1), f.pan.p95.toFixed(1), `${f.mounted}/${f.mountedAfterPan}`]));
  }
  console.log(`load average at the end ${report.loadavgEnd.map((x) => x.toFixed(2)).join(" ")}`);
  mkdirSync("reports", { recursive: true });
  writeFileSync("reports/bench-ui.json", JSON.stringify(report, null, 2) + "\n");
  console.log("wrote reports/bench-ui.json");
  console.log(`RESULT main-thread cost of a tick redraw at ${setup.nodes} nodes / ${domPods} pods: ${busySteady.toFixed(1)} ms busy per tick (steady clock; ${steady.commitMedian.toFixed(1)} ms wall to commit)`);
} finally {
  await ctx.close();
  server.kill();
}
