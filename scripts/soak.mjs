#!/usr/bin/env node
// `npm run test:soak [-- --runs 100000 --workers 2 --max-length 12 --seed 1]`
// Runs the model-based property (tests/property) over many random action sequences, in parallel workers,
// and prints the count, the wall time and every failing seed with its shrunk script.
// Exit code 1 if any sequence failed.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const runs = opt("runs", 100_000);
const workers = Math.max(1, opt("workers", 2));
const maxLength = opt("max-length", 12);
const seed = opt("seed", 1);
const chunk = opt("chunk", 500);

const t0 = Date.now();
const per = Math.ceil(runs / workers);
const state = Array.from({ length: workers }, () => ({ done: 0, failures: 0 }));
const failures = [];
let lastPrint = 0;

function print(force = false) {
  const now = Date.now();
  if (!force && now - lastPrint < 10_000) return;
  lastPrint = now;
  const done = state.reduce((s, w) => s + w.done, 0);
  const secs = (now - t0) / 1000;
  console.log(`soak: ${done}/${runs} sequences, ${failures.length} failing, ${secs.toFixed(0)}s (${(done / Math.max(secs, 1e-3)).toFixed(1)}/s)`);
}

const children = [];
for (let w = 0; w < workers; w++) {
  const n = Math.min(per, runs - per * w);
  if (n <= 0) break;
  // disjoint seed ranges per worker: each chunk uses its own seed
  const wSeed = seed + w * 1_000_000;
  const child = spawn(process.execPath, ["--import", "tsx", "tests/property/soak-worker.ts",
    "--runs", String(n), "--seed", String(wSeed), "--max-length", String(maxLength), "--chunk", String(chunk)],
  { stdio: ["ignore", "pipe", "inherit"] });
  children.push(new Promise((resolve) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      let msg;
      try { msg = JSON.parse(line); } catch { console.log(line); return; }
      if (msg.progress) { state[w].done = msg.progress.done; state[w].failures = msg.progress.failures; print(); }
      if (msg.done) state[w].done = msg.done.runs;
      if (msg.failure) {
        failures.push(msg.failure);
        console.log(`\n=== FAILING sequence (worker ${w}, fast-check seed ${msg.failure.chunkSeed}, path ${msg.failure.counterexamplePath}) ===\n${msg.failure.message}\n`);
      }
    });
    child.on("exit", (code) => resolve(code));
  }));
}

const codes = await Promise.all(children);
print(true);
const done = state.reduce((s, w) => s + w.done, 0);
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`soak finished: ${done} sequences in ${secs}s wall with ${children.length} workers, ${failures.length} failing`);
for (const f of failures) console.log(`  failing: fast-check seed ${f.chunkSeed} [${f.fact}] ${f.message.split("\n")[0]}`);
if (codes.some((c) => c !== 0)) console.log(`worker exit codes: ${codes.join(", ")}`);
process.exit(failures.length || codes.some((c) => c !== 0) ? 1 : 0);
