#!/usr/bin/env node
// The engine-only bench scenarios (tests/bench/scenarios.ts) in Chromium, where kubeplay really runs:
// bundled with esbuild (as the production build bundles the engine), one fresh page per run, so each
// figure is a cold start (JIT not warmed by other scenarios). Wall time only (a page has no CPU clock).
// Prints a table and writes reports/bench-browser.json.
//
//   node scripts/bench-browser.mjs [--runs 3] [cronday rs30k classroom]
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg, cpus } from "node:os";
import { join } from "node:path";

const argv = process.argv.slice(2);
const ri = argv.indexOf("--runs");
const RUNS = ri >= 0 ? Number(argv[ri + 1]) : 3;
const names = argv.filter((a, i) => !a.startsWith("--") && !(ri >= 0 && i === ri + 1));
const wanted = names.length ? names : ["cronday", "rs30k", "classroom"];

const dir = mkdtempSync(join(tmpdir(), "kp-bench-browser-"));
const bundle = join(dir, "bench.js");
await build({ entryPoints: ["tests/bench/browser.ts"], bundle: true, format: "iife", platform: "browser", target: "es2022", outfile: bundle, logLevel: "warning" });

const load0 = loadavg();
console.log(`load average ${load0.map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} cores`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--enable-precise-memory-info", "--js-flags=--max-old-space-size=4096"],
});
const rows = [];
for (const name of wanted) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage();
    page.on("pageerror", (e) => console.error(`pageerror: ${e}`));
    await page.setContent("<!doctype html><title>bench</title>");
    await page.addScriptTag({ path: bundle });
    runs.push(await page.evaluate((n) => globalThis.__benchRun(n), name));
    await page.close();
  }
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const r = { ...runs[0], wallMs: walls[Math.floor(walls.length / 2)], wallMsRuns: runs.map((x) => x.wallMs) };
  rows.push(r);
  console.error(`done ${name}: ${r.wallMsRuns.map((w) => w.toFixed(0)).join(", ")} ms wall`);
}
await browser.close();

const fmt = (n, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`| scenario (Chromium, cold page each run) | wall, median of ${RUNS} | runs | virtual time | pods |`);
console.log("|---|---:|---|---:|---:|");
for (const r of rows) console.log(`| ${r.scenario} | ${fmt(r.wallMs)} ms | ${r.wallMsRuns.map((w) => fmt(w)).join(" / ")} ms | ${fmt(r.virtualMs / 1000)} s | ${fmt(r.pods)} |`);
mkdirSync("reports", { recursive: true });
writeFileSync("reports/bench-browser.json", JSON.stringify({ date: new Date().toISOString(), loadavgStart: load0, runs: RUNS, rows }, null, 2));
