#!/usr/bin/env node
// `npm run bench [-- scenario…]`: the engine bench (tests/bench/run.ts: table + reports/bench.json), then,
// when no scenario is named and Chromium is there, the engine-only scenarios again in Chromium, cold
// (scripts/bench-browser.mjs: reports/bench-browser.json), and the UI bench in Chromium
// (scripts/bench-ui.mjs: frame times at 50/500/5,000 nodes and the tick redraw cost; reports/bench-ui.json).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const args = process.argv.slice(2);
const engine = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", "tests/bench/run.ts", ...args], { stdio: "inherit" });
if (engine.status !== 0) process.exit(engine.status ?? 1);
if (args.length) process.exit(0);
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.log(`\nUI bench skipped: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH).`);
  process.exit(0);
}
console.log("\nEngine in Chromium (cold page per run):");
const br = spawnSync(process.execPath, ["scripts/bench-browser.mjs"], { stdio: "inherit" });
if (br.status !== 0) process.exit(br.status ?? 1);
console.log("\nUI bench (Chromium, production build):");
const ui = spawnSync(process.execPath, ["scripts/bench-ui.mjs"], { stdio: "inherit" });
process.exit(ui.status ?? 1);
