#!/usr/bin/env node
// `npm run fuzz -- --runs 1000000 [--seed 1] [--workers 2] [--target yaml,kubectl,share,script]`
// Long fuzzing campaigns over tests/fuzz/harness.ts (loaded through tsx: the npm script runs
// `node --import tsx`). --runs is the total number of inputs, split over the targets by cost
// (share 40%, script 40%, kubectl 15%, yaml 5%) and over the workers. Prints counts, wall time and
// every failing input; exit code 1 if any failed.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const WEIGHTS = { share: 0.4, script: 0.4, kubectl: 0.15, yaml: 0.05 };

if (argv.includes("--worker")) {
  const { runFuzz } = await import("../tests/fuzz/harness.ts");
  const runs = JSON.parse(opt("runs-json", "{}"));
  const seed = Number(opt("seed", "1"));
  const chunk = 5000;
  // run in chunks so progress shows; each chunk has its own seed (seed, seed+1, ...)
  const left = { ...runs };
  const total = { yaml: 0, kubectl: 0, share: 0, script: 0 };
  let slowest = 0, slowestWhat = "";
  for (let c = 0; Object.values(left).some((n) => n > 0); c++) {
    const part = {};
    const sum = Object.values(left).reduce((a, b) => a + b, 0);
    for (const [t, n] of Object.entries(left)) part[t] = Math.min(n, Math.ceil((chunk * n) / sum));
    const current = opt("current-file", "");
    const st = runFuzz({
      seed: seed + c, runs: part, maxFailures: 20,
      onFailure: (f) => process.stdout.write(JSON.stringify({ failure: f }) + "\n"),
      // the parent's hang watchdog reads this file when the worker stops making progress
      ...(current ? { onInput: (t, i, input) => writeFileSync(current, JSON.stringify({ target: t, seed: seed + c, index: i, input })) } : {}),
    });
    for (const [t, n] of Object.entries(part)) left[t] -= n;
    for (const [t, n] of Object.entries(st.counts)) total[t] += n;
    if (st.slowestMs > slowest) { slowest = st.slowestMs; slowestWhat = st.slowest ?? ""; }
    process.stdout.write(JSON.stringify({ progress: total, slowest, slowestWhat }) + "\n");
  }
  process.exit(0);
}

const runs = Number(opt("runs", "100000"));
const workers = Math.max(1, Number(opt("workers", "2")));
const seed = Number(opt("seed", "1"));
const targets = (opt("target", Object.keys(WEIGHTS).join(","))).split(",");
const wsum = targets.reduce((s, t) => s + (WEIGHTS[t] ?? 0), 0);
const t0 = Date.now();
const progress = [];
const failures = [];
let slowest = 0, slowestWhat = "";
let lastPrint = 0;
const totals = () => {
  const t = { yaml: 0, kubectl: 0, share: 0, script: 0 };
  for (const p of progress) if (p) for (const k of Object.keys(t)) t[k] += p[k];
  return t;
};
const print = (force = false) => {
  if (!force && Date.now() - lastPrint < 10_000) return;
  lastPrint = Date.now();
  const t = totals();
  const all = Object.values(t).reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${all}/${runs} inputs (${Object.entries(t).map(([k, v]) => `${k} ${v}`).join(", ")}), ${failures.length} failing, ${((Date.now() - t0) / 1000).toFixed(0)}s`);
};
const self = fileURLToPath(import.meta.url);
const kids = [];
for (let w = 0; w < workers; w++) {
  const per = {};
  for (const t of targets) per[t] = Math.round((runs * (WEIGHTS[t] ?? 0)) / wsum / workers);
  const current = join(tmpdir(), `kubeplay-fuzz-${process.pid}-${w}.json`);
  const child = spawn(process.execPath, ["--import", "tsx", self, "--worker", "--runs-json", JSON.stringify(per), "--seed", String(seed + w * 1_000_000), "--current-file", current], { stdio: ["ignore", "pipe", "inherit"] });
  // Hang watchdog: an input that never returns blocks the worker's thread, so the parent watches the
  // progress lines (one per 5,000-input chunk) and kills a worker that is silent for STALL_MS.
  let lastSeen = Date.now();
  const STALL_MS = Number(opt("stall-ms", "180000"));
  const timer = setInterval(() => {
    if (Date.now() - lastSeen < STALL_MS) return;
    let cur = {};
    try { cur = JSON.parse(readFileSync(current, "utf8")); } catch { /* none yet */ }
    failures.push({ target: cur.target, seed: cur.seed, index: cur.index, problem: `HANG: no progress for ${STALL_MS / 1000}s`, input: cur.input ?? "?" });
    console.log(`\n=== HANG in worker ${w} [${cur.target} seed ${cur.seed} #${cur.index}]: no progress for ${STALL_MS / 1000}s; last input:\n${cur.input}\n`);
    child.kill("SIGKILL");
  }, 5000);
  kids.push(new Promise((resolve) => {
    child.on("exit", () => clearInterval(timer));
    createInterface({ input: child.stdout }).on("line", (line) => {
      lastSeen = Date.now();
      let m; try { m = JSON.parse(line); } catch { console.log(line); return; }
      if (m.progress) { progress[w] = m.progress; if (m.slowest > slowest) { slowest = m.slowest; slowestWhat = m.slowestWhat; } print(); }
      if (m.failure) {
        failures.push(m.failure);
        const f = m.failure;
        console.log(`\n=== FAILING input [${f.target} seed ${f.seed} #${f.index}] ${f.problem}\n${f.input}${f.stdin !== undefined ? `\n<<EOF\n${f.stdin}EOF` : ""}\n`);
      }
    });
    child.on("exit", resolve);
  }));
}
const codes = await Promise.all(kids);
print(true);
const all = Object.values(totals()).reduce((a, b) => a + b, 0);
console.log(`fuzz finished: ${all} inputs in ${((Date.now() - t0) / 1000).toFixed(1)}s wall with ${workers} workers, ${failures.length} failing; slowest input ${slowest.toFixed(0)}ms (${String(slowestWhat).split("\n")[0].slice(0, 100)})`);
process.exit(failures.length || codes.some((c) => c !== 0) ? 1 : 0);
