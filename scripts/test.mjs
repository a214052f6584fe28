#!/usr/bin/env node
// `npm test`: typecheck, Vitest (engine), production build, Playwright (real Chromium), then one
// closing line "N passed, N failed" summing both runners. Exit code non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const t0 = Date.now();
const step = (s) => console.log(`== ${s} (${Math.round((Date.now() - t0) / 1000)}s)`);
// Each step has a ceiling so a hang (a synchronous endless loop cannot be interrupted by a test timeout)
// fails the run in minutes instead of holding CI for half an hour.
const run = (cmd, args, env = {}, timeoutMin = 20) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env }, timeout: timeoutMin * 60_000, killSignal: "SIGKILL" });
  if (r.error?.code === "ETIMEDOUT") console.error(`${cmd} ${args[0]}: no result after ${timeoutMin} minutes, killed`);
  return r.status ?? 1;
};
mkdirSync("reports", { recursive: true });
let failedSteps = [];

step("typecheck");
if (run("node_modules/.bin/tsc", ["--noEmit", "-p", "."]) !== 0) failedSteps.push("typecheck");

step("unit tests (vitest)");
if (run("node_modules/.bin/vitest", ["run", "--reporter=default", "--reporter=json", "--outputFile.json=reports/vitest.json"]) !== 0) failedSteps.push("vitest");

step("build");
if (run("node_modules/.bin/vite", ["build", "--logLevel", "warn"]) !== 0) failedSteps.push("build");

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let e2eRan = false;
if (!existsSync(chromium)) {
  console.error(`e2e: no Chromium at ${chromium}. Install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`);
  failedSteps.push("e2e (no chromium)");
} else if (!failedSteps.includes("build")) {
  step("e2e (playwright, chromium)");
  e2eRan = true;
  if (run("node_modules/.bin/playwright", ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: "reports/playwright.json" }) !== 0) failedSteps.push("e2e");
}

step("summary");
let passed = 0, failed = 0;
try {
  const v = JSON.parse(readFileSync("reports/vitest.json", "utf8"));
  passed += v.numPassedTests; failed += v.numFailedTests;
} catch { failed += 1; }
if (e2eRan) {
  try {
    const p = JSON.parse(readFileSync("reports/playwright.json", "utf8")).stats;
    passed += p.expected; failed += p.unexpected + p.flaky;
  } catch { failed += 1; }
}
if (failedSteps.length) console.error(`failed steps: ${failedSteps.join(", ")}`);
if (passed + failed === 0) { console.error("no tests ran"); process.exit(1); }
if (failedSteps.length && failed === 0) failed = failedSteps.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || failedSteps.length ? 1 : 0);
