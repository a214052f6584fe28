/**
 * The UI at scale: ~500 nodes and a few thousand pods. The engine runs in a Web Worker, so the page
 * keeps handling clicks while it works; the graph shows per-node aggregates and, zoomed out, the
 * canvas overview. No timing asserts beyond "it finishes" (the machine is shared).
 */
import { expect, test } from "@playwright/test";
import { consoleRun } from "./helpers.ts";

const NODES = 500;
const REPLICAS = 3000;

test("500 nodes / 3,000 pods from the console: page stays responsive, overview renders", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("./");
  await page.waitForFunction(() => !!(window as any).__kubeplay);
  expect(await page.evaluate(() => (window as any).__kubeplay.host.async)).toBe(true);

  // 500 nodes: straight through the store (typing 500 lines would only test the console's input).
  await page.evaluate(async (n) => {
    const st = () => (window as any).__kubeplay.store.getState();
    const runs: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) runs.push(st().exec(`sim node add big${String(i).padStart(3, "0")} --cpu 16 --memory 64Gi`, undefined, "console"));
    await Promise.all(runs);
  }, NODES);
  await expect.poll(() => page.evaluate(() => (window as any).__kubeplay.store.getState().snapshot.nodes.length), { timeout: 60_000 }).toBeGreaterThanOrEqual(NODES);

  // The workload through the console, as a user would type it.
  await consoleRun(page, `kubectl create deployment big --image=nginx --replicas=${REPLICAS}`);
  await consoleRun(page, "sim advance 1m");
  // While the engine works, the page still handles a click (the click itself returns promptly).
  const t0 = Date.now();
  await page.getByRole("button", { name: "Advance 1s", exact: true }).click({ timeout: 30_000 });
  expect(Date.now() - t0).toBeLessThan(30_000);
  await expect.poll(() => page.evaluate(() => {
    const s = (window as any).__kubeplay.store.getState().snapshot;
    return s.podKeys.filter((k: string) => s.pods[k].status === "Running" && s.pods[k].name.startsWith("big-")).length;
  }), { timeout: 120_000 }).toBe(REPLICAS);

  // Fitted to 500 nodes the graph is the canvas overview: one <canvas>, no pod chips mounted.
  const canvas = page.locator("canvas.overview");
  await expect(canvas).toHaveAttribute("data-overview", "on", { timeout: 20_000 });
  await expect(canvas).toHaveAttribute("aria-label", /Cluster overview: 50\d nodes .*Running/);
  expect(await page.locator(".react-flow__node").count()).toBeLessThanOrEqual(300);
  const painted = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 16) if (d[i]! > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(1000);
  await page.screenshot({ path: "test-results/scale-overview.png" });

  // Zoom in on a node (click it on the overview): aggregate cards with status counts, still few mounted.
  // The middle of the fitted overview is the node grid; a click there picks the card under it or,
  // in the thin gap between cards, the nearest one (graphLod.test.ts: no dead gaps).
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator(".selection")).toContainText(/node\/big\d+/);
  await expect(canvas).toHaveAttribute("data-overview", "off", { timeout: 10_000 });
  await expect(page.locator(".k8snode.agg").first()).toBeVisible();
  await expect(page.getByRole("group", { name: /^Node big\d+: Ready; \d+ pods: \d+ Running/ }).first()).toBeVisible();
  expect(await page.locator(".react-flow__node").count()).toBeLessThanOrEqual(300);
  await page.screenshot({ path: "test-results/scale-zoomed.png" });
});

test("a long fast-forward shows progress and Cancel stops it; the script records what ran", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("./");
  await page.waitForFunction(() => !!(window as any).__kubeplay);
  await page.evaluate(async () => {
    const st = () => (window as any).__kubeplay.store.getState();
    const runs: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) runs.push(st().exec(`sim node add ff${String(i).padStart(3, "0")}`, undefined, "console"));
    await Promise.all(runs);
    // Work for every virtual minute (a Job a minute): an idle cluster fast-forwards a week in well
    // under a second, too quick to see the bar and press Cancel on a loaded machine.
    const cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox\n";
    await st().exec("kubectl apply -f - <<EOF", cron, "console");
  });
  await consoleRun(page, "kubectl create deployment ff --image=nginx --replicas=1000");
  const before = await page.evaluate(() => (window as any).__kubeplay.store.getState().snapshot.now as number);
  await consoleRun(page, "sim advance 168h");
  const bar = page.getByRole("progressbar", { name: /sim advance 168h/ });
  await expect(bar).toBeVisible({ timeout: 30_000 });
  // Progress in virtual time, not raw milliseconds ("1h23m of 7d of virtual time").
  await expect(bar).toContainText(/\d+[dhms]\w* of 7d of virtual time/);
  await page.screenshot({ path: "test-results/scale-progress.png" });
  // The bar re-renders with every progress message; a dispatched click does not wait for it to settle.
  await bar.getByRole("button", { name: "Cancel" }).dispatchEvent("click");
  // The bar stays ("Cancelling…") until the engine has stopped and its reply is recorded.
  await page.screenshot({ path: "test-results/scale-cancelling.png" });
  await expect(bar).toBeHidden({ timeout: 30_000 });
  const { now, end, last, hostLast, out } = await page.evaluate(() => {
    const k = (window as any).__kubeplay;
    const s = k.store.getState();
    const lastLine = (t: string) => t.trim().split("\n").pop() as string;
    return {
      now: s.snapshot.now as number, end: s.hist[s.hist.length - 1].end as number,
      last: lastLine(s.script()), hostLast: lastLine(k.host.script()), out: s.entries[s.entries.length - 1].err as string,
    };
  });
  expect(now - before).toBeGreaterThan(0);
  expect(now - before).toBeLessThan(168 * 3600_000);
  // The session script (share links, autosave, the timeline) and the engine's agree: the part that ran.
  expect(last).toMatch(/^sim advance \d/);
  expect(last).not.toBe("sim advance 168h");
  expect(hostLast).toBe(last);
  expect(end).toBe(now);
  expect(out).toContain(`(recorded as "${last}")`);
});
