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

  const steady = await measure("steady", "sim advance 1s");
  console.log(`tick redraw, steady (${setup.nodes} nodes / ${domPods} pod chips): main thread ${steady.commit} [engine ${steady.engine}; to 2nd frame ${steady.frame}]`);
  await page.evaluate(() => window.__kubeplay.store.getState().exec("kubectl rollout restart deployment/bench", undefined, "console"));
  const churn = await measure("rollout", "sim advance 1s");
  console.log(`tick redraw, during a rolling restart: main thread ${churn.commit} [engine ${churn.engine}; to 2nd frame ${churn.frame}]`);
  console.log(`RESULT main-thread cost of a tick redraw at ${setup.nodes} nodes / ${domPods} pods: ${steady.commitMedian.toFixed(1)} ms (median, steady clock)`);
} finally {
  await ctx.close();
  server.kill();
}
