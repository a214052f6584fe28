/**
 * The playground against the production build, in real Chromium. Facts: D1/D2 (DaemonSet on every
 * node), N4/N7/N9 (NotReady, taint eviction after 300s), O1–O3 (restarts, CrashLoopBackOff, STATUS).
 */
import { expect, test } from "@playwright/test";
import { advance, advanceUntil, allRunning, apply, consoleRun, deployment, open, paste, pods, podsInStore, selectNode, status } from "./helpers.ts";

test("default scenario: kind-like cluster with fluentd on every node (D1)", async ({ page }) => {
  await open(page);
  for (const n of ["control-plane", "w1", "w2"]) {
    await expect(page.getByRole("group", { name: new RegExp(`^Node ${n}: Ready`) })).toBeVisible();
  }
  await expect(pods(page, "fluentd-elasticsearch-")).toHaveCount(3);
  await advance(page, "10s");
  await expect(page.locator('.pod[data-pod^="fluentd-elasticsearch-"][data-status="Running"]')).toHaveCount(3);
  const placed = Object.values(await podsInStore(page)).map((p) => p.nodeName).sort();
  expect(placed).toEqual(["control-plane", "w1", "w2"]);
});

test("paste a Deployment, Apply: pods appear and reach Running as the clock moves", async ({ page }) => {
  await open(page);
  await paste(page, deployment("web", 3));
  await apply(page);
  await expect(status(page)).toContainText("deployment.apps/web created");
  await expect(pods(page, "web-")).toHaveCount(3);
  // The DaemonSet that left the editor is deleted on this apply (its pods go).
  await expect(page.getByRole("log", { name: "Console output" })).toContainText("$ kubectl delete daemonset fluentd-elasticsearch -n kube-system");
  await advance(page, "1m");
  await expect(page.locator('.pod[data-pod^="web-"][data-status="Running"]')).toHaveCount(3);
  for (const chip of await pods(page, "web-").all()) {
    await expect(chip).toHaveAttribute("aria-label", /^Pod web-[a-z0-9]+-[a-z0-9]{5}: Running, 1\/1 ready/);
  }
});

test("a schema error shows a marker and leaves the cluster as it was", async ({ page }) => {
  await open(page);
  const before = await podsInStore(page);
  const lines = await page.getByRole("log", { name: "Console output" }).locator(".entry").count();
  await paste(page, deployment("web", 3).replace("replicas: 3", "replicas: three"));
  await expect(page.locator(".monaco-editor .squiggly-warning").first()).toBeVisible({ timeout: 15_000 });
  await apply(page);
  await expect(status(page)).toContainText("Not applied");
  await expect(status(page)).toContainText("line 6");
  expect(await page.getByRole("log", { name: "Console output" }).locator(".entry").count()).toBe(lines);
  expect(Object.keys(await podsInStore(page)).sort()).toEqual(Object.keys(before).sort());
  await expect(pods(page, "web-")).toHaveCount(0);
});

test("Add node → a DaemonSet pod appears on it (D1)", async ({ page }) => {
  await open(page);
  await page.getByRole("button", { name: "Add node", exact: true }).click();
  const form = page.getByRole("dialog", { name: "Add node" });
  await expect(form.getByLabel("Name")).toHaveValue("w3");
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("group", { name: /^Node w3: / })).toBeVisible();
  await expect(page.getByRole("log", { name: "Console output" })).toContainText("$ sim node add w3 --cpu 4 --memory 8Gi");
  await advance(page, "10s");
  await expect.poll(async () => Object.values(await podsInStore(page)).filter((p) => p.nodeName === "w3").length).toBe(1);
  await expect(pods(page, "fluentd-elasticsearch-")).toHaveCount(4);
});

test("Taint node NoExecute → a pod that does not tolerate it leaves (N2, N7)", async ({ page }) => {
  await open(page);
  await paste(page, `apiVersion: v1
kind: Pod
metadata:
  name: solo
spec:
  nodeName: w1
  containers:
  - name: app
    image: nginx
`);
  await apply(page);
  await expect(status(page)).toContainText("pod/solo created");
  await advanceUntil(page, () => allRunning(page, "solo"));
  await expect(page.locator('.pod[data-pod="solo"]')).toHaveAttribute("data-status", "Running");
  await selectNode(page, "w1");
  await page.getByRole("button", { name: "Taint node", exact: true }).click();
  const form = page.getByRole("dialog", { name: "Taint node" });
  await form.getByRole("textbox").fill("maintenance=true:NoExecute");
  await form.getByRole("button", { name: "Add taint" }).click();
  await expect(page.getByRole("log", { name: "Console output" })).toContainText("$ kubectl taint nodes w1 maintenance=true:NoExecute");
  // Deleted at once (not tolerated, N7); nginx stops on SIGTERM well within its grace period.
  await advance(page, "10s");
  await expect(page.locator('.pod[data-pod="solo"]')).toHaveCount(0);
  const events = page.getByRole("region", { name: "Events" });
  await events.getByRole("searchbox", { name: "Filter events" }).fill("TaintManagerEviction");
  await expect(events.locator("tbody tr:not(.spacer)").first()).toContainText("pod/solo");
  await expect(events.locator("tbody tr:not(.spacer)", { hasNotText: "TaintManagerEviction" })).toHaveCount(0);
});

test("Stop kubelet → node NotReady, its pods evicted after 5m of virtual time (N4, N9)", async ({ page }) => {
  await open(page);
  await paste(page, deployment("web", 2));
  await apply(page);
  await expect(status(page)).toContainText("deployment.apps/web created");
  await advanceUntil(page, () => allRunning(page, "web-"));
  const web = Object.entries(await podsInStore(page)).filter(([n]) => n.startsWith("web-"));
  const node = web[0]![1].nodeName;
  const onNode = web.filter(([, p]) => p.nodeName === node).map(([n]) => n);
  await selectNode(page, node);
  await page.getByRole("button", { name: "Stop kubelet", exact: true }).click();
  await expect(page.getByRole("log", { name: "Console output" })).toContainText(`$ sim node stop ${node}`);
  await advance(page, "1m");
  await expect(page.getByRole("group", { name: new RegExp(`^Node ${node}: NotReady`) })).toBeVisible();
  // Within the 300s toleration the pods stay (still Running as far as the API knows).
  for (const n of onNode) await expect(page.locator(`.pod[data-pod="${n}"]`)).toHaveAttribute("data-status", "Running");
  await advance(page, "1m", 5);
  await advance(page, "10s");
  for (const n of onNode) await expect(page.locator(`.pod[data-pod="${n}"]`)).toHaveAttribute("data-status", "Terminating");
  // Replacements run elsewhere.
  await advance(page, "10s");
  await expect.poll(async () => Object.entries(await podsInStore(page))
    .filter(([n, p]) => n.startsWith("web-") && p.nodeName !== node && p.status === "Running").length).toBe(2);
});

test("Fail pod → restart, then CrashLoopBackOff (O1, O2)", async ({ page }) => {
  await open(page);
  await paste(page, deployment("web", 1));
  await apply(page);
  await advanceUntil(page, () => allRunning(page, "web-"));
  const chip = pods(page, "web-");
  await expect(chip).toHaveAttribute("data-status", "Running");
  await chip.click();
  for (let i = 0; i < 2; i++) {
    await page.getByRole("button", { name: "Fail pod", exact: true }).click();
    const form = page.getByRole("dialog", { name: "Fail pod" });
    await form.getByRole("textbox").fill("1");
    await form.getByRole("button", { name: "Fail" }).click();
    if (i === 0) {
      await advance(page, "1s");
      await expect(chip).toContainText("↻1");
    }
  }
  await expect(page.getByRole("log", { name: "Console output" })).toContainText(/\$ sim pod fail web-\S+ --exit-code 1/);
  await expect(chip).toHaveAttribute("data-status", /CrashLoopBackOff|Error/);
  await advance(page, "1s");
  await expect(chip).toHaveAttribute("data-status", "CrashLoopBackOff");
  await expect(chip).toHaveClass(/st-CrashLoopBackOff/);
});

test("console `kubectl get pods -A` matches the graph (O3, O4)", async ({ page }) => {
  await open(page);
  await paste(page, deployment("web", 2));
  await apply(page);
  await advance(page, "1s");
  await consoleRun(page, "kubectl get pods -A");
  const out = page.getByRole("log", { name: "Console output" }).locator(".entry").last();
  await expect(out).toContainText("$ kubectl get pods -A");
  await expect(out).toContainText("NAMESPACE");
  const text = await out.locator("pre.out").innerText();
  const rows = text.trim().split("\n").slice(1).map((l) => l.trim().split(/\s{2,}|\s+/));
  const graph = await podsInStore(page);
  expect(rows.length).toBe(Object.keys(graph).length);
  for (const [, name, ready, st] of rows) {
    expect(graph[name!], name).toBeDefined();
    expect(graph[name!]!.ready).toBe(ready);
    expect(graph[name!]!.status).toBe(st);
    await expect(page.locator(`.pod[data-pod="${name}"]`)).toHaveAttribute("data-status", st!);
  }
  // History: ArrowUp recalls the line.
  const input = page.getByRole("textbox", { name: "Command" });
  await input.press("ArrowUp");
  await expect(input).toHaveValue("kubectl get pods -A");
});

test("reload keeps the editor text", async ({ page }) => {
  await open(page);
  const text = deployment("kept-after-reload", 1);
  await paste(page, text);
  await expect.poll(() => page.evaluate(() => localStorage.getItem("kubeplay.editor.v1"))).toBe(text);
  await page.reload();
  await expect(page.locator(".editor-host[data-loaded=true] .monaco-editor .view-lines")).toContainText("kept-after-reload", { timeout: 20_000 });
});

test("Play moves the virtual clock; Pause stops it", async ({ page }) => {
  await open(page);
  const clock = page.getByLabel("Virtual time");
  const t0 = (await clock.textContent())!;
  await page.getByRole("combobox", { name: "Speed" }).selectOption("60");
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(clock).not.toHaveText(t0);
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(page.getByRole("button", { name: "Play", exact: true })).toBeVisible();
  // A tick sent just before the click may still land; once it has, the clock stays put (still
  // playing, it would move every 250 ms and never hold for 500 ms).
  await expect.poll(async () => {
    const a = await clock.textContent();
    await page.waitForTimeout(500);
    return a === await clock.textContent();
  }).toBe(true);
  const t1 = (await clock.textContent())!;
  await page.waitForTimeout(600);
  await expect(clock).toHaveText(t1);
});

test("a server-side error marks the document it belongs to; Ctrl+Enter applies", async ({ page }) => {
  await open(page);
  const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
`;
  // Schema-valid, but the API server refuses it: the selector does not match the template labels.
  await paste(page, cm + deployment("web", 1).replace("  template:\n    metadata:\n      labels:\n        app: web", "  template:\n    metadata:\n      labels:\n        app: other"));
  await page.locator(".editor-host .monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect(status(page)).toContainText("configmap/settings created");
  await expect(status(page)).toContainText(/Deployment.*"web" is invalid/);
  const markers = await page.evaluate(() => {
    const { monaco, model } = (window as any).__kubeplayEditor;
    return monaco.editor.getModelMarkers({ resource: model.uri, owner: "kubeplay" }).map((m: any) => m.startLineNumber);
  });
  expect(markers.length).toBe(1);
  expect(markers[0]).toBeGreaterThan(7); // in the Deployment (document 2), not the ConfigMap
  await expect(pods(page, "web-")).toHaveCount(0);
});

test("a pod that fits nowhere waits in the unscheduled lane with the scheduler's reason (K4)", async ({ page }) => {
  await open(page);
  await paste(page, deployment("big", 1, `        resources:
          requests:
            cpu: "64"
`));
  await apply(page);
  await advance(page, "1s");
  const row = page.locator(".react-flow__node-pendingPod").filter({ has: page.locator('.pod[data-pod^="big-"]') });
  await expect(row.locator(".pending-reason")).toContainText(/^0\/3 nodes are available: .*Insufficient cpu\./);
  await expect(page.getByRole("group", { name: "Unscheduled pods: 1" })).toBeVisible();
});

test("the editor knows the Kubernetes schema: hover docs on a field", async ({ page }) => {
  await open(page);
  await paste(page, deployment("web", 2));
  await page.locator(".editor-host .view-line", { hasText: "replicas: 2" }).locator("span", { hasText: "replicas" }).first().hover();
  await expect(page.locator(".monaco-hover").filter({ hasText: /desired pods/i }).first()).toBeVisible({ timeout: 15_000 });
});
