import { expect, type Page } from "@playwright/test";

/** Open the playground and wait until the default scenario and the editor are up. */
export async function open(page: Page): Promise<void> {
  await page.goto("./");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
  await expect(page.locator(".editor-host[data-loaded=true] .monaco-editor .view-lines")).toBeVisible({ timeout: 20_000 });
}

/** Replace the editor text by pasting (typing multi-line YAML into Monaco is unreliable). */
export async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator(".editor-host .monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("ControlOrMeta+V");
  await expect.poll(() => page.evaluate(() => (window as any).__kubeplay.store.getState().editorText)).toBe(text);
}

/** Click Apply and wait until the apply has run (it first waits for the schema check to catch up). */
export async function apply(page: Page): Promise<void> {
  const seq = () => page.evaluate(() => (window as any).__kubeplay.store.getState().applySeq as number);
  const before = await seq();
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect.poll(seq).toBeGreaterThan(before);
}

export const status = (page: Page) => page.getByRole("status", { name: "Apply status" });

/** Click "Advance …" and wait until the engine's reply has landed (the clock and the timeline moved). */
export async function advance(page: Page, what: "1s" | "10s" | "1m", times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await page.getByRole("button", { name: `Advance ${what}`, exact: true }).click();
    await settled(page);
  }
}

/** No command on its way to the engine and no timeline seek loading. */
export async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => {
    const s = (window as any).__kubeplay.store.getState();
    return s.pending === 0 && s.seekTo === null;
  })).toBe(true);
}

/** Pod chips on the graph whose name starts with `prefix`. */
export const pods = (page: Page, prefix: string) => page.locator(`.pod[data-pod^="${prefix}"]`);

/** name → {nodeName, status} straight from the UI store (what the graph renders). */
export function podsInStore(page: Page): Promise<Record<string, { nodeName: string; status: string; ready: string }>> {
  return page.evaluate(() => {
    const s = (window as any).__kubeplay.store.getState().snapshot;
    const out: Record<string, { nodeName: string; status: string; ready: string }> = {};
    for (const k of s.podKeys) { const p = s.pods[k]; out[p.name] = { nodeName: p.nodeName, status: p.status, ready: p.ready }; }
    return out;
  });
}

export async function consoleRun(page: Page, line: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Command" });
  await input.fill(line);
  await input.press("Enter");
}

export function deployment(name: string, replicas: number, extra = ""): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: nginx:1.27
${extra}`;
}

/** Click a node card on its header (pod chips sit on top of the card's body). */
export async function selectNode(page: Page, name: string): Promise<void> {
  await page.getByRole("group", { name: new RegExp(`^Node ${name}: `) }).click({ position: { x: 30, y: 12 } });
  await expect(page.locator(".selection")).toContainText(`node/${name}`);
}

/** Press "Advance 10s" until `cond` holds (at most `max` times) — the kubelet's delays are virtual. */
export async function advanceUntil(page: Page, cond: () => Promise<boolean>, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await cond()) return;
    await advance(page, "10s");
  }
  expect(await cond()).toBe(true);
}

/** True when every pod whose name starts with `prefix` is Running (and there is at least one). */
export async function allRunning(page: Page, prefix: string): Promise<boolean> {
  const ps = Object.entries(await podsInStore(page)).filter(([n]) => n.startsWith(prefix));
  return ps.length > 0 && ps.every(([, p]) => p.status === "Running");
}
