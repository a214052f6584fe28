/**
 * Page start and the scenario plumbing around the store: the default scenario, autosave and its
 * restore, share links in and out. Everything that reads or writes location/localStorage is here.
 */
import { encodeShare, parseShareHash, type SharePayload, type ShareView } from "../../src/index.ts";
import { EDITOR_KEY, type SimStore, type Selection } from "../store/simStore.ts";
import { DEFAULT_NODE_LINES, DEFAULT_YAML } from "../store/defaultScenario.ts";
import { applyEditorText } from "../editor/applyEditor.ts";
import { parseSavedSession, readStorage, writeStorage, SESSION_KEY, type SavedSession } from "./autosave.ts";
import { preflight } from "./preflight.ts";
import { loadLesson, lessonIndex } from "./lessonsData.ts";

/** Links longer than this get a "Download scenario" notice (some chat apps and browsers cut them). */
export const LONG_LINK = 8000;

/** The default scenario: a kind-like cluster, the editor's manifests applied, a little time to start. */
export async function buildDefault(store: SimStore, text: string): Promise<void> {
  const st = store.getState();
  for (const line of DEFAULT_NODE_LINES) await st.exec(line, undefined, "init");
  await applyEditorText(store, text, []);
  await st.exec("sim advance 30s", undefined, "init");
}

/** The page's own work: the autosaved session (replayed) or the default scenario. */
export async function bootOwn(store: SimStore): Promise<void> {
  const editor = readStorage(EDITOR_KEY);
  const saved = parseSavedSession(readStorage(SESSION_KEY));
  if (saved && saved.script.trim()) {
    const ok = await store.getState().load(saved.script, {
      seed: saved.seed, startTime: saved.startTime, mode: "own", label: "Restoring your session…",
      ...(editor !== null ? { editorText: editor } : {}),
    });
    if (ok === "ok") return;
  }
  const text = editor ?? DEFAULT_YAML;
  await store.getState().load("", { seed: 1, mode: "own", editorText: text, label: "Starting…" });
  await buildDefault(store, text);
}

export function savedSession(store: SimStore): SavedSession {
  const s = store.getState();
  return { v: 1, script: s.script(), seed: s.seed, startTime: s.startTime };
}

/** Save the session (own mode only). */
export function saveNow(store: SimStore): boolean {
  const s = store.getState();
  if (s.mode !== "own" || s.busy) return false;
  return writeStorage(SESSION_KEY, JSON.stringify(savedSession(store)));
}

/** Autosave: the session after every change of the page's own work; a stale share hash is dropped. */
export function startAutosave(store: SimStore): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  const unsub = store.subscribe((s, p) => {
    if (s.mode !== "own" || s.busy) return;
    if (s.hist === p.hist && s.mode === p.mode && s.busy === p.busy) return;
    if (s.hist !== p.hist && s.hist.length > p.hist.length && location.hash.startsWith("#s=")) clearHash();
    clearTimeout(t);
    t = setTimeout(() => saveNow(store), 300);
  });
  const flush = () => { saveNow(store); };
  window.addEventListener("pagehide", flush);
  saveNow(store); // what boot built (the default scenario, a restored session)
  return () => { unsub(); clearTimeout(t); window.removeEventListener("pagehide", flush); };
}

export function clearHash(): void {
  try { history.replaceState(null, "", location.pathname + location.search); } catch { /* ignore */ }
}

const SEL = /^(Pod|Node|Deployment|ReplicaSet|DaemonSet|StatefulSet|Job|CronJob)\/([a-z0-9][-a-z0-9.]{0,252})?\/([a-z0-9][-a-z0-9.]{0,252})$/;

export function selectionString(sel: Selection | null): string | undefined {
  return sel ? `${sel.kind}/${sel.kind === "Node" ? "" : sel.namespace}/${sel.name}` : undefined;
}

export function parseSelection(s: string | undefined): Selection | null {
  const m = s ? SEL.exec(s) : null;
  return m ? { kind: m[1]!, namespace: m[2] ?? "", name: m[3]! } : null;
}

/** The share payload of the page as it is now (the moment on view, selection, open lesson). */
export function currentPayload(store: SimStore): SharePayload {
  const s = store.getState();
  const view: ShareView = {};
  const sel = selectionString(s.selected);
  if (sel) view.selected = sel;
  if (s.panel) view.panel = s.panel;
  if (s.lesson) { view.lesson = s.lesson.id; view.step = s.lesson.next; }
  const at = s.view?.at ?? s.snapshot.now;
  return { v: 1, script: s.script(), seed: s.seed, startTime: s.startTime, at: Math.max(at, s.startTime), ...(Object.keys(view).length ? { view } : {}) };
}

export type ShareResult = { ok: true; url: string; hash: string; length: number; long: boolean } | { ok: false; error: string };

/** Encode the page into a link; put it in the address bar (history.replaceState). */
export function makeShareLink(store: SimStore): ShareResult {
  let hash: string;
  try {
    hash = encodeShare(currentPayload(store));
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const base = location.href.split("#")[0]!;
  const url = base + hash;
  try { history.replaceState(null, "", hash); } catch { /* sandboxed iframe */ }
  return { ok: true, url, hash, length: url.length, long: url.length > LONG_LINK };
}

/**
 * Open the scenario in a URL fragment. Returns "none" when the hash holds no scenario; on a bad link
 * the page keeps (or restores) the user's own work and shows the codec's message.
 */
export async function openHash(store: SimStore, hash: string): Promise<"none" | "opened" | "error" | "restored"> {
  const r = parseShareHash(hash);
  if (!r.ok) {
    if (r.kind === "none") return "none";
    store.getState().setBanner({ kind: "error", text: r.error });
    return "error";
  }
  const p = r.payload;
  const pre = preflight(p.script);
  if (!pre.ok) {
    store.getState().setBanner({ kind: "error", text: `This link cannot be opened: ${pre.error}` });
    return "error";
  }
  const ok = await store.getState().load(p.script, {
    seed: p.seed, startTime: p.startTime, at: p.at, mode: "guest", guestLabel: "shared link", label: "Opening the shared scenario…",
  });
  if (ok === "invalid") return "error";
  if (ok !== "ok") {
    // The engine holds part of the link's scenario: bring the user's own work back.
    if (ok === "cancelled") store.getState().setBanner({ kind: "error", text: "Opening the link was cancelled." });
    await bootOwn(store);
    return "restored";
  }
  const sel = parseSelection(p.view?.selected);
  const st = store.getState();
  if (sel) st.select(sel);
  if (p.view?.lesson) {
    try {
      const idx = await lessonIndex();
      if (idx.some((e) => e.id === p.view!.lesson)) {
        const lesson = await loadLesson(p.view.lesson);
        store.setState({ lesson: { id: p.view.lesson, lesson, next: Math.min(p.view.step ?? 0, lesson.steps.length), answers: {} }, panel: "lessons" });
      }
    } catch { /* the lesson text is not available: the cluster is still shown */ }
  } else if (p.view?.panel === "lessons") st.openPanel("lessons");
  return "opened";
}

/** First load: a link in the fragment wins (as a guest); otherwise the user's own work. */
export async function boot(store: SimStore): Promise<void> {
  const hash = location.hash;
  const r = hash ? await openHash(store, hash) : "none";
  if (r === "none" || r === "error") await bootOwn(store);
}

/** Leave a guest scenario (link, lesson, import): back to the autosaved work. */
export async function backToOwn(store: SimStore): Promise<void> {
  clearHash();
  store.setState({ lesson: null, panel: null, banner: null });
  await bootOwn(store);
}

/** Adopt the guest scenario as the page's own work (it is autosaved from now on). */
export function keepScenario(store: SimStore): void {
  clearHash();
  store.getState().setMode("own");
  saveNow(store);
  const s = store.getState();
  writeStorage(EDITOR_KEY, s.editorText);
}

/** Leave the user's work (autosaved) for a guest scenario. */
export function stashOwn(store: SimStore): void {
  saveNow(store);
}

export function download(name: string, text: string, type = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
