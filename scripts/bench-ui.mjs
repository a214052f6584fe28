#!/usr/bin/env node
// Main-thread cost of a clock-tick redraw at 50 nodes / 1,500 pods, in Chromium, against the
// production build (run `npm run build` first). Prints one summary line per scenario.
//
//   node scripts/bench-ui.mjs [--ticks 40] [--nodes 50] [--pods 1500]
//
// Method (as toolchain.md §5): a tick is `sim advance 1s` through the UI store, exactly what Play
// does. "engine" = Session.exec + snapshot; "commit" = until React has committed (next macrotask);
// "frame" = until the second requestAnimationFrame after the tick (commit + style/layout/paint;
// its floor is one or two vsyncs, ≈16-33 ms).
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const TICKS = arg("ticks", 40), NODES = arg("nodes", 50), PODS = arg("pods", 1500);
if (!existsSync("dist/index.html")) { console.error("no dist/: run `npm run build` first"); process.exit(1); }

const PORT = Number(process.env.BENCH_PORT ?? 4184);
const base = `http://127.0.0.1:${PORT}/playground/`;
const server = spawn("node_modules/.bin/vite", ["preview", "--base", "/playground/", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], { stdio: "pipe" });
for (let i = 0; i < 100; i++) { try { if ((await fetch(base)).ok) break; } catch { /* not yet */ } await new Promise((r) => setTimeout(r, 100)); }

const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "pw-chromium-")), {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, viewport: { width: 1600, height: 960 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error(`pageerror: ${e}`));
  // An empty editor: the cluster holds only what the bench creates.
  await page.addInitScript(() => { if (!sessionStorage.getItem("bench")) { localStorage.setItem("kubeplay.editor.v1", "# bench\n"); sessionStorage.setItem("bench", "1"); } });
  await page.goto(base);
  await page.waitForFunction(() => !!window.__kubeplay);

  const setup = await page.evaluate(async ({ NODES, PODS }) => {
    const { store } = window.__kubeplay;
    const st = () => store.getState();
    const t0 = performance.now();
    const have = st().snapshot.nodes.length;
    for (let i = have; i < NODES; i++) st().exec(`sim node add n${String(i).padStart(2, "0")} --cpu 64 --memory 256Gi --pods 110`, undefined, "console");
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench
spec:
  replicas: ${PODS}
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
    const r = st().exec("kubectl apply -f - <<EOF", yaml, "console");
    for (let i = 0; i < 6; i++) st().exec("sim advance 10s", undefined, "console");
    const s = st().snapshot;
    const running = s.podKeys.filter((k) => s.pods[k].status === "Running").length;
    return { ms: performance.now() - t0, nodes: s.nodes.length, pods: s.podKeys.length, running, err: r.err };
  }, { NODES, PODS });
  console.log(`setup: ${setup.nodes} nodes, ${setup.pods} pods (${setup.running} Running) in ${(setup.ms / 1000).toFixed(1)} s${setup.err ? ` — apply: ${setup.err.trim()}` : ""}`);
  await page.waitForFunction((n) => document.querySelectorAll(".react-flow__node-pod").length >= n, Math.min(setup.pods, PODS) - 5, { timeout: 60_000 }).catch(() => {});
  const domPods = await page.evaluate(() => document.querySelectorAll(".react-flow__node-pod, .react-flow__node-pendingPod").length);

  const measure = (label, line) => page.evaluate(async ({ TICKS, line }) => {
    const { store } = window.__kubeplay;
    const macrotask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
    const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
    const eng = [], commit = [], frame = [];
    for (let i = 0; i < TICKS + 3; i++) {
      await raf();
      const t0 = performance.now();
      store.getState().exec(typeof line === "string" ? line : line[i % line.length], undefined, "play");
      const t1 = performance.now();
      await macrotask();
      const t2 = performance.now();
      await raf(); await raf();
      const t3 = performance.now();
      if (i >= 3) { eng.push(t1 - t0); commit.push(t2 - t0); frame.push(t3 - t0); }
    }
    const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
    const f = (a) => `median ${q(a, 0.5).toFixed(1)} / p95 ${q(a, 0.95).toFixed(1)} ms`;
    return { engine: f(eng), commit: f(commit), frame: f(frame), commitMedian: q(commit, 0.5) };
  }, { TICKS, line });

  // Busy time of the renderer's main thread per tick, from a Chromium trace (sum of its top-level
  // tasks: engine, React, style, layout, paint, compositing) — less sensitive to a loaded machine
  // than wall-clock frame times.
  const cdp = await page.context().newCDPSession(page);
  async function busyPerTick(line, ticks) {
    const events = [];
    const onData = (d) => events.push(...d.value);
    cdp.on("Tracing.dataCollected", onData);
    const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.start", { categories: "toplevel,devtools.timeline,__metadata", transferMode: "ReportEvents" });
    await page.evaluate(async ({ line, ticks }) => {
      const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
      for (let i = 0; i < ticks; i++) { await raf(); window.__kubeplay.store.getState().exec(line, undefined, "play"); await raf(); await raf(); }
    }, { line, ticks });
    await cdp.send("Tracing.end");
    await done;
    cdp.off("Tracing.dataCollected", onData);
    // There may be several renderers (spare processes): take the busiest main thread, i.e. the page's.
    const mains = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
    const isTask = (e) => e.ph === "X" && (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
    let main, busy = 0;
    for (const m of mains) {
      let b = 0;
      for (const e of events) if (isTask(e) && e.pid === m.pid && e.tid === m.tid) b += e.dur / 1000;
      if (!main || b > busy) { main = m; busy = b; }
    }
    if (!main) return NaN;
    const parts = new Map();
    for (const e of events) {
      if (e.ph !== "X" || e.pid !== main.pid || e.tid !== main.tid) continue;
      if (["FunctionCall", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "MinorGC", "MajorGC"].includes(e.name)) parts.set(e.name, (parts.get(e.name) ?? 0) + e.dur / 1000 / ticks);
    }
    console.log(`  per tick: ${[...parts].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")} (ms)`);
    if (process.env.BENCH_DEBUG) {
      const names = new Map();
      for (const e of events) if (e.pid === main.pid && e.tid === main.tid) names.set(`${e.ph}:${e.name}`, (names.get(`${e.ph}:${e.name}`) ?? 0) + 1);
      console.error(events.length, JSON.stringify(main), JSON.stringify([...names].slice(0, 30)));
    }
    return busy / ticks;
  }

  // --hide SELECTOR (diagnosis): take part of the UI out, to see what a tick costs without it.
  const hideAt = process.argv.indexOf("--hide");
  if (hideAt > 0) await page.addStyleTag({ content: `${process.argv[hideAt + 1]} { display: none !important; }` });

  const steady = await measure("steady", "sim advance 1s");
  const busySteady = await busyPerTick("sim advance 1s", TICKS);
  console.log(`tick redraw, steady (${setup.nodes} nodes / ${domPods} pod chips): main thread ${steady.commit} [engine ${steady.engine}; to 2nd frame ${steady.frame}]`);
  await page.evaluate(() => window.__kubeplay.store.getState().exec("kubectl rollout restart deployment/bench", undefined, "console"));
  const churn = await measure("rollout", "sim advance 1s");
  console.log(`tick redraw, during a rolling restart: main thread ${churn.commit} [engine ${churn.engine}; to 2nd frame ${churn.frame}]`);
  const busyChurn = await busyPerTick("sim advance 1s", TICKS);
  console.log(`main-thread busy time per tick (Chromium trace): steady ${busySteady.toFixed(1)} ms, during the rollout ${busyChurn.toFixed(1)} ms`);
  console.log(`RESULT main-thread cost of a tick redraw at ${setup.nodes} nodes / ${domPods} pods: ${busySteady.toFixed(1)} ms busy per tick (steady clock; ${steady.commitMedian.toFixed(1)} ms wall to commit)`);
} finally {
  await ctx.close();
  server.kill();
}
