/**
 * Scenarios in the page, in real Chromium against the production build: share links (issue 6),
 * the timeline (scrub, step, fork, undo), lessons, the iframe embed, export, autosave, the CSP and
 * panel error boundaries (issue 8). Hostile links live in hostile-links.spec.ts.
 */
import { expect, test, type Page } from "@playwright/test";
import { advance, consoleRun, open, podsInStore, settled } from "./helpers.ts";

/** Boot finished (default scenario, autosave restore or a link replayed). */
async function ready(page: Page): Promise<void> {
  await expect(page.locator("html[data-ready=true]")).toBeAttached({ timeout: 20_000 });
  await expect(page.locator(".busy")).toHaveCount(0, { timeout: 20_000 });
}

const now = (page: Page) => page.evaluate(() => (window as any).__kubeplay.store.getState().snapshot.now as number);
const histLen = (page: Page) => page.evaluate(() => (window as any).__kubeplay.store.getState().hist.length as number);
const events = (page: Page) => page.evaluate(() => ((window as any).__kubeplay.store.getState().snapshot.events as Array<{ reason: string; object: string; count: number }>)
  .map((e) => `${e.reason} ${e.object} x${e.count}`));
const saved = (page: Page) => page.evaluate(() => localStorage.getItem("kubeplay.session.v1"));

/** CSP violations and page errors, collected for the whole test. */
function watchConsole(page: Page): string[] {
  const bad: string[] = [];
  page.on("console", (m) => { if (m.type() === "error" || /Content Security Policy/i.test(m.text())) bad.push(m.text()); });
  page.on("pageerror", (e) => bad.push(String(e)));
  return bad;
}

/** Build a small session with the toolbar and the console: a node by button, a Deployment typed, time, a failed pod. */
async function buildSession(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Add node", exact: true }).click();
  await page.getByRole("dialog", { name: "Add node" }).getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("group", { name: /^Node w3: / })).toBeVisible();
  await consoleRun(page, "kubectl create deployment web --image=nginx --replicas=4");
  await expect(page.getByRole("log", { name: "Console output" })).toContainText("deployment.apps/web created");
  await advance(page, "10s", 2);
  await expect(page.locator('.pod[data-pod^="web-"][data-status="Running"]')).toHaveCount(4);
  await consoleRun(page, "kubectl scale deployment web --replicas=2");
  await advance(page, "1s");
}

test("Share: the whole session in the fragment; a fresh browser opens it at the same moment (names, statuses, events, time)", async ({ page, browser }) => {
  const bad = watchConsole(page);
  await open(page);
  await ready(page);
  await buildSession(page);
  const before = { pods: await podsInStore(page), now: await now(page), events: await events(page), hist: await histLen(page) };
  await expect.poll(() => saved(page)).toContain("kubectl scale deployment web --replicas=2");

  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dlg = page.getByRole("dialog", { name: "Share" });
  const box = dlg.getByLabel("Share link");
  await expect(box).toHaveValue(/#s=1\.[A-Za-z0-9_-]+$/);
  const url = await box.inputValue();
  expect(new URL(url).search).toBe(""); // never in the query string
  await expect(dlg.getByLabel("Link length")).toHaveText(`${url.length.toLocaleString("en-US")} characters`);
  await expect(dlg.getByRole("status")).toHaveText("Copied to the clipboard");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  expect(await page.evaluate(() => location.href)).toBe(url); // history.replaceState
  await page.screenshot({ path: `${process.env.UPDATE_DOCS === "1" ? "docs" : "test-results"}/screenshot-share.png` });
  await page.keyboard.press("Escape");

  const ctx = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const p2 = await ctx.newPage();
  const bad2 = watchConsole(p2);
  await p2.goto(url);
  await ready(p2);
  expect(await podsInStore(p2)).toEqual(before.pods);
  expect(await now(p2)).toBe(before.now);
  expect(await events(p2)).toEqual(before.events);
  expect(await histLen(p2)).toBe(before.hist);
  await expect(p2.locator(".clock-time")).toHaveText(await page.locator(".clock-time").innerText());
  // Opened as a guest: nothing autosaved until the user keeps it.
  await expect(p2.getByRole("status", { name: "Guest scenario" })).toContainText("shared link");
  expect(await saved(p2)).toBeNull();
  await p2.getByRole("button", { name: "Keep this scenario" }).click();
  await expect(p2.getByRole("status", { name: "Guest scenario" })).toHaveCount(0);
  await expect.poll(() => saved(p2)).toContain("kubectl create deployment web");
  expect(await p2.evaluate(() => location.hash)).toBe("");
  await ctx.close();
  expect(bad).toEqual([]);
  expect(bad2).toEqual([]);
});

test("a link to a past moment opens there, and a long link offers Download scenario", async ({ page, browser }) => {
  await open(page);
  await ready(page);
  await buildSession(page);
  const end = await now(page);
  // Two quick clicks go back two actions (the second steps on from where the first is loading).
  await page.getByRole("button", { name: "Previous action" }).click(); // after the scale
  await page.getByRole("button", { name: "Previous action" }).click(); // after create deployment
  await expect(page.locator(".timeline.past")).toBeVisible();
  await expect(page.locator(".timeline .tl-pos")).toContainText("Viewing T+30s");
  await settled(page);
  const at = await now(page);
  expect(at).toBeLessThan(end);
  const pods = await podsInStore(page);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const url = await page.getByRole("dialog", { name: "Share" }).getByLabel("Share link").inputValue();
  await page.keyboard.press("Escape");

  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  await p2.goto(url);
  await ready(p2);
  expect(await now(p2)).toBe(at);
  expect(await podsInStore(p2)).toEqual(pods);
  // The rest of the session is still there to scrub forward to.
  await p2.getByRole("button", { name: "Back to live" }).click();
  await expect.poll(() => now(p2)).toBe(end);
  await ctx.close();

  // A long session: the Share dialog warns and offers the scenario file.
  await page.getByRole("button", { name: "Back to live" }).click();
  const long = Array.from({ length: 700 }, (_, i) => `kubectl label node w1 k${i}=${(i * 7919).toString(36)}${i.toString(16)} --overwrite`);
  await page.evaluate(async (lines) => { const st = (window as any).__kubeplay.store.getState(); for (const l of lines) await st.exec(l, undefined, "console"); }, long);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dlg = page.getByRole("dialog", { name: "Share" });
  await expect(dlg.getByRole("alert")).toContainText("This link is long");
  const download = page.waitForEvent("download");
  await dlg.getByRole("button", { name: "Download scenario" }).click();
  expect((await download).suggestedFilename()).toBe("scenario.kp");
});

test("Timeline: scrub back to an earlier action and forward again; acting in the past forks, Undo fork restores", async ({ page }) => {
  const bad = watchConsole(page);
  await open(page);
  await ready(page);
  await buildSession(page);
  const live = { pods: await podsInStore(page), now: await now(page), hist: await histLen(page), events: (await events(page)).length };
  const webPods = async () => Object.keys(await podsInStore(page)).filter((n) => n.startsWith("web-")).length;
  expect(await webPods()).toBe(2);

  // Drag the scrubber to just after the deployment was created (T+30s): 4 web pods, not Running yet.
  const start = await page.evaluate(() => (window as any).__kubeplay.store.getState().startTime as number);
  const scrub = page.getByRole("slider", { name: "Timeline position" });
  await scrub.fill(String(30_000));
  await expect(page.locator(".timeline.past")).toBeVisible();
  await expect.poll(() => now(page)).toBe(start + 30_000);
  await expect.poll(webPods).toBe(4);
  await expect(page.locator(".timeline .tl-pos")).toContainText("Viewing T+30s");
  expect((await events(page)).length).toBeLessThan(live.events);
  await page.screenshot({ path: `${process.env.UPDATE_DOCS === "1" ? "docs" : "test-results"}/screenshot-timeline.png` });

  // Step back to the first action, then forward action by action, back to live.
  await page.getByRole("button", { name: "Previous action" }).click();
  await expect(page.getByRole("group", { name: /^Node w3: / })).toBeVisible();
  await expect.poll(webPods).toBe(0);
  await page.getByRole("button", { name: "Next action" }).click();
  await expect.poll(webPods).toBe(4);
  await page.getByRole("button", { name: "Next action" }).click(); // the scale
  await expect.poll(webPods).toBe(2);
  await page.getByRole("button", { name: "Back to live" }).click();
  await expect(page.locator(".timeline.past")).toHaveCount(0);
  expect(await podsInStore(page)).toEqual(live.pods);
  expect(await now(page)).toBe(live.now);

  // The editor shows the manifest in effect at the moment on view; live, the user's own text comes back.
  const editorText = () => page.evaluate(() => (window as any).__kubeplay.store.getState().editorText as string);
  const liveText = await editorText();
  for (const l of ["kubectl apply -f - <<EOF", "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: late", "EOF"]) await consoleRun(page, l);
  await expect(page.getByRole("log", { name: "Console output" })).toContainText("configmap/late created");
  await advance(page, "1s");
  await page.getByRole("button", { name: "Previous action" }).click(); // after the ConfigMap apply
  await expect.poll(editorText).toContain("name: late");
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("name: late");
  await page.getByRole("button", { name: "Previous action" }).click(); // after the scale
  await expect.poll(editorText).toContain("fluentd-elasticsearch");
  await page.getByRole("button", { name: "Back to live" }).click();
  // (liveText is also the manifest after the scale: wait for the live moment itself.)
  await expect(page.locator(".timeline.past")).toHaveCount(0);
  await settled(page);
  await expect.poll(editorText).toBe(liveText);
  live.hist = await histLen(page);
  live.now = await now(page);
  live.pods = await podsInStore(page);

  // Fork: from T+30s, advance — later commands are dropped; Undo fork brings them back.
  await scrub.fill(String(30_000));
  await expect(page.locator(".timeline.past")).toBeVisible();
  await settled(page);
  expect(await now(page)).toBe(start + 30_000);
  await advance(page, "1m");
  await expect(page.locator(".fork-note")).toContainText("later commands dropped");
  await expect.poll(() => now(page)).toBe(start + 90_000);
  expect(await histLen(page)).toBeLessThan(live.hist);
  await page.getByRole("button", { name: "Undo fork" }).click();
  await expect(page.locator(".fork-note")).toHaveCount(0);
  await expect.poll(() => now(page)).toBe(live.now);
  expect(await histLen(page)).toBe(live.hist);
  expect(await podsInStore(page)).toEqual(live.pods);
  expect(bad).toEqual([]);
});

test("Lessons: play a lesson to its end with predictions; the editor shows each applied manifest", async ({ page }) => {
  const bad = watchConsole(page);
  await open(page);
  await ready(page);
  await expect.poll(() => saved(page)).toContain("sim advance 30s");
  const ownBefore = await saved(page);
  await page.getByRole("button", { name: "Lessons", exact: true }).click();
  const panel = page.getByRole("region", { name: "Lessons" });
  await panel.getByRole("button", { name: "Start lesson: Job: 6 completions, 3 at a time" }).click();
  await expect(panel.locator(".lesson-h")).toHaveText("Job: 6 completions, 3 at a time");
  let shot = false;
  for (let i = 0; i < 40; i++) {
    const finish = panel.getByRole("button", { name: /^(Run step|Finish)$/ });
    if (!(await finish.count())) break;
    const q = panel.getByLabel("Your prediction");
    if (await q.count()) {
      await q.fill("3");
      await panel.getByRole("button", { name: "Check" }).click();
      await expect(panel.locator(".verdict")).toBeVisible();
      if (!shot) { await page.screenshot({ path: `${process.env.UPDATE_DOCS === "1" ? "docs" : "test-results"}/screenshot-lesson.png` }); shot = true; }
    }
    const hasApply = (await panel.getByLabel("Commands of this step").count()) > 0
      && /kubectl apply -f -/.test(await panel.getByLabel("Commands of this step").innerText());
    await finish.click();
    if (hasApply) {
      await expect.poll(() => page.evaluate(() => (window as any).__kubeplay.store.getState().editorText)).toContain("kind: Job");
      await expect(page.locator(".monaco-editor .view-lines")).toContainText("kind: Job");
    }
  }
  await expect(panel.getByRole("status").filter({ hasText: "Lesson complete" })).toBeVisible();
  // The lesson ran as a guest: the user's own work was not overwritten.
  expect(await saved(page)).toBe(ownBefore);
  const jobs = await page.evaluate(() => (window as any).__kubeplay.store.getState().snapshot.controllers.filter((c: any) => c.kind === "Job").length);
  expect(jobs).toBeGreaterThan(0);
  await panel.getByRole("button", { name: "Back to my work" }).click();
  await expect.poll(async () => Object.keys(await podsInStore(page)).filter((n) => n.startsWith("fluentd-")).length).toBe(3);
  expect(bad).toEqual([]);
});

test("Embed: ?embed in an iframe shows the graph and clock controls of the fragment's scenario, no editor or console", async ({ page, baseURL }) => {
  const bad = watchConsole(page);
  await open(page);
  await ready(page);
  page.on("response", (r) => { if (r.status() >= 400) bad.push(`${r.status()} ${r.url()}`); });
  await consoleRun(page, "kubectl create deployment api --image=nginx --replicas=2");
  await advance(page, "10s");
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const url = await page.getByRole("dialog", { name: "Share" }).getByLabel("Share link").inputValue();
  const hash = new URL(url).hash;
  // A third-party page embedding the playground in an iframe.
  await page.setContent(`<!doctype html><link rel="icon" href="data:,"><title>blog post</title><h1>My post</h1><iframe id="kubeplay" width="1000" height="600" src="${baseURL}?embed${hash}"></iframe>`);
  const frame = page.frameLocator("iframe#kubeplay");
  await expect(frame.locator("html[data-ready=true]")).toBeAttached({ timeout: 20_000 });
  await expect(frame.locator('.pod[data-pod^="api-"]')).toHaveCount(2);
  await expect(frame.getByRole("toolbar", { name: "Clock controls" })).toBeVisible();
  await expect(frame.locator(".editor-pane")).toHaveCount(0);
  await expect(frame.locator(".console-pane")).toHaveCount(0);
  await frame.getByRole("button", { name: "Advance 10s" }).click();
  await expect(frame.locator('.pod[data-pod^="api-"][data-status="Running"]')).toHaveCount(2);
  await page.screenshot({ path: `${process.env.UPDATE_DOCS === "1" ? "docs" : "test-results"}/screenshot-embed.png` });
  expect(bad).toEqual([]);
});

test("Autosave: a reload replays the session (not only the editor text)", async ({ page }) => {
  await open(page);
  await ready(page);
  await buildSession(page);
  const before = { pods: await podsInStore(page), now: await now(page) };
  await expect.poll(() => saved(page)).toContain("kubectl scale deployment web --replicas=2");
  await page.reload();
  await ready(page);
  expect(await podsInStore(page)).toEqual(before.pods);
  expect(await now(page)).toBe(before.now);
  await expect(page.getByRole("status", { name: "Guest scenario" })).toHaveCount(0);
});

test("Export: manifests as YAML for kubectl apply -f and the script; Import applies a kubectl get -o yaml List", async ({ page }) => {
  await open(page);
  await ready(page);
  await consoleRun(page, "kubectl create deployment web --image=nginx --replicas=2");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const dlg = page.getByRole("dialog", { name: "Export" });
  let dl = page.waitForEvent("download");
  await dlg.getByRole("button", { name: "Download manifests (YAML)" }).click();
  const yamlFile = await dl;
  expect(yamlFile.suggestedFilename()).toBe("manifests.yaml");
  const yaml = await readDownload(yamlFile);
  expect(yaml).toContain("kind: Deployment");
  expect(yaml).toContain("kind: DaemonSet");
  expect(yaml).not.toMatch(/^\s*(status|uid|resourceVersion|creationTimestamp):/m);
  expect(yaml).not.toMatch(/^kind: (Pod|ReplicaSet)$/m);
  dl = page.waitForEvent("download");
  await dlg.getByRole("button", { name: "Download script (.kp)" }).click();
  const kp = await readDownload(await dl);
  expect(kp).toContain("kubectl create deployment web --image=nginx --replicas=2\n");
  await page.keyboard.press("Escape");

  // Import a `kubectl get -o yaml` List by paste.
  const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: imported
    namespace: default
    uid: 0b7d2c3e-1111-2222-3333-444455556666
    resourceVersion: "12"
  data:
    greeting: hello
`;
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("dialog", { name: "Import" }).getByLabel("Paste a scenario or YAML").fill(list);
  await page.getByRole("dialog", { name: "Import" }).getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status", { name: "Notice" })).toContainText("configmap/imported created");
  await consoleRun(page, "kubectl get configmap imported -o jsonpath={.data.greeting}");
  await expect(page.getByRole("log", { name: "Console output" })).toContainText("hello");
});

async function readDownload(d: import("@playwright/test").Download): Promise<string> {
  const p = await d.path();
  const { readFile } = await import("node:fs/promises");
  return readFile(p!, "utf8");
}

test("a crashing panel shows 'reload panel' and the rest of the page and the work go on", async ({ page }) => {
  await open(page);
  await ready(page);
  const before = await histLen(page);
  await page.evaluate(() => (window as any).__kubeplay.store.getState().select({ kind: "Node", name: "w1", namespace: "" }));
  await expect(page.getByRole("region", { name: "Describe" })).toBeVisible();
  await page.evaluate(() => dispatchEvent(new CustomEvent("kubeplay:crash-panel", { detail: "Describe" })));
  const crashed = page.getByRole("alert", { name: "Describe crashed" });
  await expect(crashed).toContainText("This panel crashed");
  // The rest of the page still works, and the work is intact.
  await advance(page, "10s");
  expect(await histLen(page)).toBe(before + 1);
  await expect(page.getByRole("region", { name: "Console" })).toBeVisible();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("fluentd-elasticsearch");
  await crashed.getByRole("button", { name: "Reload panel" }).click();
  await expect(page.getByRole("alert", { name: "Describe crashed" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Describe" })).toContainText("Name:");
});
