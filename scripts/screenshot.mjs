#!/usr/bin/env node
// Screenshots of the production build (run `npm run build` first):
//   node scripts/screenshot.mjs [default|rolling|pending|all] [outDir=docs]
// Serves dist/ with `vite preview` under /playground/, drives Debian's chromium with playwright-core.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const which = process.argv[2] ?? "all";
const outDir = process.argv[3] ?? "docs";
const PORT = Number(process.env.SHOT_PORT ?? 4181);
const base = `http://127.0.0.1:${PORT}/playground/`;

const server = spawn("node_modules/.bin/vite", ["preview", "--base", "/playground/", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], { stdio: "pipe" });
async function waitUp() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(base)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("preview server did not start");
}

const exec = (page, line, stdin) => page.evaluate(([l, s]) => window.__kubeplay.store.getState().exec(l, s ?? undefined, "console"), [line, stdin ?? null]);

async function setEditor(page, text) {
  await page.waitForFunction(() => !!window.__kubeplayEditor);
  await page.evaluate((t) => window.__kubeplayEditor.model.setValue(t), text);
}

async function applyAndWait(page, text) {
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await page.getByRole("status", { name: "Apply status" }).filter({ hasText: text }).waitFor({ timeout: 10_000 });
}

const scenarios = {
  async default(page) {
    await page.getByRole("button", { name: "Advance 10s" }).click();
  },
  async rolling(page) {
    await setEditor(page, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels: { app: web }
  strategy:
    rollingUpdate: { maxSurge: 1, maxUnavailable: 1 }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: { path: /, port: 80 }
          initialDelaySeconds: 5
`);
    await applyAndWait(page, "deployment.apps/web created");
    await page.getByRole("button", { name: "Advance 1m" }).click();
    await exec(page, "kubectl set image deployment/web nginx=nginx:1.28");
    await page.getByRole("button", { name: "Advance 1s" }).click();
    await page.getByRole("button", { name: "Advance 1s" }).click();
    await page.locator('[data-kind="Deployment"]').first().click().catch(() => {});
  },
  async pending(page) {
    await setEditor(page, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  replicas: 3
  selector:
    matchLabels: { app: big }
  template:
    metadata:
      labels: { app: big }
    spec:
      containers:
      - name: app
        image: nginx
        resources:
          requests: { cpu: "3", memory: 1Gi }
`);
    await applyAndWait(page, "deployment.apps/big created");
    await page.getByRole("button", { name: "Advance 10s" }).click();
    // Closer on the unscheduled lane, so the scheduler's reason is readable.
    await page.locator(".react-flow__node-pendingPod").first().waitFor();
    await page.waitForTimeout(400);
    const box = await page.locator(".react-flow__node-lane").boundingBox();
    if (box) {
      await page.mouse.move(box.x + 20, box.y + box.height / 2);
      for (let i = 0; i < 1; i++) { await page.mouse.wheel(0, -120); await page.waitForTimeout(60); }
    }
  },
};

try {
  await waitUp();
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  for (const name of which === "all" ? Object.keys(scenarios) : [which]) {
    // A fresh context per picture: empty localStorage, so each starts from the default scenario.
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 960 } });
    const page = await ctx.newPage();
    page.on("console", (m) => { if (m.type() === "error") console.error(`[${name}] console: ${m.text()}`); });
    page.on("pageerror", (e) => console.error(`[${name}] pageerror: ${e}`));
    await page.goto(base);
    await page.waitForSelector(".monaco-editor .view-lines", { timeout: 20_000 });
    await scenarios[name](page);
    await page.waitForTimeout(1500); // let transitions finish for a still picture
    const file = join(outDir, `screenshot-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await ctx.close();
  }
  await browser.close();
} finally {
  server.kill();
}
