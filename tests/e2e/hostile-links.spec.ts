/**
 * Hostile share links (issue 6/8): a corpus of more than 30 links — compression bombs, truncated and
 * corrupt data, XSS payloads in names, labels, args and view fields, `__proto__`/`constructor` keys,
 * giant counts, endless clocks — built here with encodeShare/fflate. Each must leave the page
 * responsive, show a clear message (the codec's own text for a bad link), execute nothing (no dialog,
 * no `window.__pwned`, no injected element) and keep the user's autosaved work intact.
 */
import { expect, test, type Page } from "@playwright/test";
import { deflateSync } from "fflate";
import { base64urlEncode, encodeShare, parseShareHash } from "../../src/scenario/share.ts";
import { open, podsInStore } from "./helpers.ts";

const START = Date.UTC(2025, 0, 1);
const enc = (s: string) => new TextEncoder().encode(s);
const raw = (bytes: Uint8Array) => `#s=1.${base64urlEncode(deflateSync(bytes, { level: 9 }))}`;
const rawJson = (json: string) => raw(enc(json));
const link = (script: string, extra: Record<string, unknown> = {}) => encodeShare({ v: 1, script, seed: 1, startTime: START, at: START, ...extra } as never);

const PWN = `window.__pwned=1`;
const IMG = `<img src=x onerror="${PWN}">`;
const SCRIPT_TAG = `<script>${PWN}</script>`;

const pod = (name: string, extra = "") => `kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${extra}spec:
  containers:
  - name: c
    image: busybox
    command:
    - sh
    - -c
    - echo '${IMG}'; echo '${SCRIPT_TAG}'; sleep 3600
EOF
`;

const valid = encodeShare({ v: 1, script: "sim node add w1\nkubectl create deployment web --image=nginx --replicas=2\nsim advance 30s\n", seed: 1, startTime: START, at: START + 30_000 });

type Case = { name: string; hash: string; expect: "codec" | "refused" | "opens" | "long" };

const corpus: Case[] = [
  // --- transport damage
  { name: "truncated to half", hash: valid.slice(0, Math.floor(valid.length / 2)), expect: "codec" },
  { name: "truncated by one char", hash: valid.slice(0, -1), expect: "codec" },
  { name: "truncated by three chars", hash: valid.slice(0, -3), expect: "codec" },
  { name: "only the prefix", hash: "#s=1.", expect: "codec" },
  { name: "no version", hash: "#s=abc", expect: "codec" },
  { name: "a newer format", hash: "#s=2.AAAA", expect: "codec" },
  { name: "bad characters", hash: "#s=1.@@@@!!!!", expect: "codec" },
  { name: "percent-encoded script tag", hash: `#s=1.%3Cscript%3E${PWN}%3C%2Fscript%3E`, expect: "codec" },
  { name: "not deflate", hash: `#s=1.${base64urlEncode(enc("hello, this is not compressed"))}`, expect: "codec" },
  { name: "over 64 KiB encoded", hash: `#s=1.${"A".repeat(70_000)}`, expect: "codec" },
  // --- bombs
  { name: "compression bomb (20 MiB of zeros)", hash: raw(new Uint8Array(20 * 1024 * 1024)), expect: "codec" },
  { name: "compression bomb (16 MiB of JSON spaces)", hash: raw(enc(`{"v":1,"script":"${" ".repeat(16 * 1024 * 1024)}"}`)), expect: "codec" },
  { name: "nesting bomb", hash: rawJson("[".repeat(200_000)), expect: "codec" },
  // --- not a payload
  { name: "not UTF-8", hash: raw(new Uint8Array([0xff, 0xfe, 0xfd, 0x80])), expect: "codec" },
  { name: "not JSON", hash: rawJson("{v:1, script: 'x'}"), expect: "codec" },
  { name: "JSON null", hash: rawJson("null"), expect: "codec" },
  { name: "JSON array", hash: rawJson("[1,2,3]"), expect: "codec" },
  { name: "script is not text", hash: rawJson(`{"v":1,"script":{"toString":"${PWN}"},"seed":1,"startTime":${START},"at":${START}}`), expect: "codec" },
  { name: "negative seed", hash: rawJson(`{"v":1,"script":"","seed":-1,"startTime":${START},"at":${START}}`), expect: "codec" },
  { name: "infinite time", hash: rawJson(`{"v":1,"script":"","seed":1,"startTime":${START},"at":1e999}`), expect: "codec" },
  { name: "at before start", hash: rawJson(`{"v":1,"script":"","seed":1,"startTime":${START},"at":0}`), expect: "codec" },
  { name: "at ten years on", hash: rawJson(`{"v":1,"script":"","seed":1,"startTime":${START},"at":${START + 10 * 365 * 86_400_000}}`), expect: "codec" },
  { name: "view.selected too long", hash: rawJson(`{"v":1,"script":"","seed":1,"startTime":${START},"at":${START},"view":{"selected":"${"x".repeat(600)}"}}`), expect: "codec" },
  // --- prototype pollution (parses; the forbidden keys are dropped)
  { name: "__proto__ at the top", hash: rawJson(`{"__proto__":{"polluted":1,"v":1},"v":1,"script":"sim node add proto\\n","seed":1,"startTime":${START},"at":${START}}`), expect: "opens" },
  { name: "constructor.prototype in view", hash: rawJson(`{"v":1,"script":"sim node add ctor\\n","seed":1,"startTime":${START},"at":${START},"view":{"constructor":{"prototype":{"polluted":1}},"__proto__":{"polluted":1}}}`), expect: "opens" },
  // --- XSS payloads that run as scenarios: everything must render as text
  { name: "XSS in a node name", hash: link(`sim node add "${IMG}"\nsim node add ok1\n`), expect: "opens" },
  { name: "XSS in a label", hash: link(`sim node add lab --label "x=${SCRIPT_TAG}" --label "y=javascript:alert(1)"\n`), expect: "opens" },
  { name: "XSS in a taint", hash: link(`sim node add t1 --taint "${IMG}:NoSchedule"\n`), expect: "opens" },
  { name: "XSS in a pod name", hash: link(pod(`"${IMG}"`)), expect: "opens" },
  { name: "XSS in container args and logs", hash: link(`sim node add w1\n${pod("xss")}sim advance 10s\nkubectl logs xss\n`), expect: "opens" },
  { name: "XSS in annotations", hash: link(`sim node add w1\n${pod("ann", `  annotations:\n    x: "${IMG.replace(/"/g, "'")}"\n`)}sim advance 5s\n`), expect: "opens" },
  { name: "XSS in a console line", hash: link(`${IMG}\n${SCRIPT_TAG}\nkubectl get "${IMG}"\n`), expect: "opens" },
  { name: "XSS in view fields", hash: link("sim node add v1\n", { view: { selected: `Pod/default/${IMG}`, panel: SCRIPT_TAG, lesson: "../../etc/passwd", step: 3 } }), expect: "opens" },
  { name: "YAML alias bomb in a manifest", hash: link(`kubectl apply -f - <<EOF\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nEOF\n`), expect: "opens" },
  { name: "unterminated heredoc", hash: link("kubectl apply -f - <<EOF\napiVersion: v1\n"), expect: "refused" },
  // --- giant counts and endless clocks
  { name: "a million replicas", hash: link(`sim node add w1\nkubectl create deployment big --image=nginx --replicas=1000000\n`), expect: "refused" },
  { name: "replicas in YAML", hash: link(`kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n  replicas: 99999999\n  selector:\n    matchLabels: {app: big}\n  template:\n    metadata:\n      labels: {app: big}\n    spec:\n      containers: [{name: c, image: nginx}]\nEOF\n`), expect: "refused" },
  { name: "scale to 50 million", hash: link(`kubectl scale deployment web --replicas=50000000\n`), expect: "refused" },
  { name: "Job parallelism 1e6", hash: link(`kubectl apply -f - <<EOF\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: wide\nspec:\n  parallelism: 1000000\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\nEOF\n`), expect: "refused" },
  { name: "a year of clock", hash: link(`sim node add w1\nsim advance 8760h\n`), expect: "refused" },
  { name: "25,000 commands", hash: link("sim advance 1ms\n".repeat(25_000)), expect: "refused" },
];

/** The autosaved work (an editor never typed in has no saved text: it shows the default one). */
async function ownWork(page: Page) {
  return page.evaluate(() => ({
    saved: localStorage.getItem("kubeplay.session.v1"),
    editor: (localStorage.getItem("kubeplay.editor.v1") ?? "(default)").replace(/^apiVersion: apps\/v1\nkind: DaemonSet\nmetadata:\n  labels:\n    k8s-app: fluentd-logging[\s\S]*$/, "(default)"),
  }));
}

async function assertSafe(page: Page, dialogs: string[]) {
  // Responsive: a round trip through the page's event loop answers at once.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(1))));
  expect(Date.now() - t0).toBeLessThan(5_000);
  expect(dialogs).toEqual([]);
  const marks = await page.evaluate(() => ({
    pwned: (window as any).__pwned,
    polluted: ({} as any).polluted ?? (Object.prototype as any).v,
    injected: document.querySelectorAll('img[src="x"], svg[onload], script:not([src])').length,
  }));
  expect(marks).toEqual({ pwned: undefined, polluted: undefined, injected: 0 });
}

test.describe.configure({ mode: "serial" });

test(`a corpus of ${corpus.length} hostile links: clear messages, nothing executed, own work intact`, async ({ page }) => {
  test.setTimeout(240_000);
  expect(corpus.length).toBeGreaterThanOrEqual(30);
  const dialogs: string[] = [];
  const csp: string[] = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on("console", (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) csp.push(m.text()); });
  await open(page);
  await expect(page.locator("html[data-ready=true]")).toBeAttached({ timeout: 20_000 });
  // The user's own work: something beyond the default scenario, autosaved.
  await page.getByRole("button", { name: "Advance 10s", exact: true }).click();
  await expect.poll(async () => (await ownWork(page)).saved).toContain("sim advance 10s");
  const own = await ownWork(page);
  const ownPods = await podsInStore(page);

  for (const c of corpus) {
    await test.step(c.name, async () => {
      await page.evaluate(() => (window as any).__kubeplay.store.getState().setBanner(null));
      await page.evaluate((h) => { location.hash = h; }, c.hash);
      if (c.expect === "codec") {
        const r = parseShareHash(c.hash);
        expect(r.ok, c.name).toBe(false);
        const err = (r as { error: string }).error;
        await expect(page.getByRole("alert", { name: "Error" })).toContainText(err);
        expect(err).toMatch(/^This link (is|was)/);
      } else if (c.expect === "refused") {
        await expect(page.getByRole("alert", { name: "Error" })).toContainText(/This (link|scenario) cannot (be opened|be run)/);
      } else {
        await expect(page.getByRole("status", { name: "Guest scenario" })).toBeVisible({ timeout: 20_000 });
        await expect(page.locator(".busy")).toHaveCount(0, { timeout: 20_000 });
      }
      await assertSafe(page, dialogs);
      expect(await ownWork(page)).toEqual(own);
    });
  }
  // Payloads really reached the page as text (so "nothing executed" was tested, not "nothing shown").
  await page.evaluate((h) => { location.hash = h; }, corpus.find((c) => c.name === "XSS in container args and logs")!.hash);
  await expect(page.getByRole("log", { name: "Console output" })).toContainText(IMG);
  await expect(page.getByRole("log", { name: "Console output" })).toContainText(SCRIPT_TAG);
  await assertSafe(page, dialogs);
  expect(csp).toEqual([]);

  // Back to my work: exactly what was there.
  await page.getByRole("button", { name: "Back to my work" }).click();
  await expect(page.getByRole("status", { name: "Guest scenario" })).toHaveCount(0);
  await expect.poll(() => podsInStore(page)).toEqual(ownPods);
  expect(await ownWork(page)).toEqual(own);
});

test("hostile links on a fresh load (boot path): bomb, truncated, XSS — the page comes up with the user's work", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await open(page);
  await expect(page.locator("html[data-ready=true]")).toBeAttached({ timeout: 20_000 });
  await page.getByRole("button", { name: "Advance 1m", exact: true }).click();
  await expect.poll(async () => (await ownWork(page)).saved).toContain("sim advance 1m");
  const own = await ownWork(page);
  const pick = ["compression bomb (20 MiB of zeros)", "truncated by three chars", "a million replicas"];
  for (const name of pick) {
    const c = corpus.find((x) => x.name === name)!;
    await page.goto("./" + c.hash);
    await expect(page.locator("html[data-ready=true]")).toBeAttached({ timeout: 20_000 });
    await expect(page.getByRole("alert", { name: "Error" })).toBeVisible();
    await expect(page.getByRole("alert", { name: "Error" })).toContainText("Your own work is unchanged.");
    // The user's work was restored from the autosave, not replaced.
    expect(await page.evaluate(() => (window as any).__kubeplay.store.getState().mode)).toBe("own");
    expect(await page.evaluate(() => (window as any).__kubeplay.store.getState().script())).toContain("sim advance 1m");
    await page.getByRole("button", { name: "Dismiss" }).click();
    await expect(page.getByRole("alert", { name: "Error" })).toHaveCount(0);
    await assertSafe(page, dialogs);
    expect(await ownWork(page)).toEqual(own);
  }
  // An XSS scenario on a fresh load opens as a guest and renders as text.
  await page.goto("./" + corpus.find((x) => x.name === "XSS in a node name")!.hash);
  await expect(page.getByRole("status", { name: "Guest scenario" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("log", { name: "Console output" })).toContainText(IMG);
  await assertSafe(page, dialogs);
  expect(await ownWork(page)).toEqual(own);
});

test("a link that runs long can be cancelled: the page stays usable and the user's work comes back", async ({ page }) => {
  await open(page);
  await expect(page.locator("html[data-ready=true]")).toBeAttached({ timeout: 20_000 });
  await expect.poll(async () => (await ownWork(page)).saved).toContain("sim advance 30s");
  const own = await ownWork(page);
  // 30 virtual days of a CronJob every minute (under the 31-day cap): minutes of engine time.
  const cron = `kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: every-minute
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
            command: ["sh", "-c", "date"]
EOF
`;
  await page.evaluate((h) => { location.hash = h; }, link(`sim node add w1\n${cron}sim advance 720h\n`));
  const busy = page.getByRole("progressbar");
  await expect(busy).toBeVisible();
  // Responsive while it runs (the engine is in a worker; the page paints the progress).
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(1))));
  expect(Date.now() - t0).toBeLessThan(2_000);
  await busy.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("alert", { name: "Error" })).toContainText("Opening the link was cancelled.");
  await expect(page.locator(".busy")).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(() => page.evaluate(() => (window as any).__kubeplay.store.getState().mode)).toBe("own");
  await expect.poll(async () => Object.keys(await podsInStore(page)).filter((n) => n.startsWith("fluentd-")).length).toBe(3);
  expect(await ownWork(page)).toEqual(own);
});
