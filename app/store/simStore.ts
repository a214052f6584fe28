/**
 * The one bridge between the UI and the engine: a vanilla zustand store. Components read with
 * selectors (`useSim(s => s.snapshot.pods[key])`) and call actions; actions talk to an EngineHost
 * with plain data only (script lines in, results and snapshots out). Host replies may be synchronous
 * (in-thread engine) or Promises (engine in a Web Worker): actions handle both with `when`.
 *
 * Besides the cluster, the store keeps the session's timeline (one item per recorded command with its
 * virtual start/end time), which is what share links, autosave, scrubbing and forking work from: any
 * past moment is rebuilt by loading the script cut at that moment (app/scenario/timeline.ts).
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { useStore } from "zustand";
import { checkAnswer, formatGoDuration, parseGoDuration, parseScript, type Lesson } from "../../src/index.ts";
import { LocalEngineHost, type CmdResult } from "../engine/host.ts";
import type { Snapshot } from "../engine/snapshot.ts";
import { parseDocuments, objId, type DocError, type ObjId } from "../editor/applyPlan.ts";
import { cutAtStep, cutAtTime, histItem, manifestAt, scriptOf, type Cut, type HistItem } from "../scenario/timeline.ts";

export type Speed = 1 | 10 | 60;
export type EntrySource = "console" | "button" | "editor" | "play" | "init" | "replay" | "lesson" | "import";
export type Awaitable<T> = T | Promise<T>;

/** Run `f` on a value that may still be on its way. */
export function when<T, U>(x: Awaitable<T>, f: (t: T) => U): Awaitable<U> {
  return x instanceof Promise ? x.then(f) : f(x);
}

interface Reply {
  result: CmdResult;
  snapshot: Snapshot;
  cancelled?: boolean;
  /** The line the engine recorded when it differs from the one sent (a cancelled `sim advance 168h` ran 3h12m). */
  recorded?: string;
}
interface ProgressLike { label: string; done: number; total: number; unit: string }

/** What the store needs from an engine host (app/engine/host.ts's EngineHost, sync or async). */
export interface StoreHost {
  exec(line: string, stdin?: string): Awaitable<Reply>;
  query(line: string): Awaitable<CmdResult>;
  snapshot(): Snapshot;
  script(): string;
  load(script: string, opts?: { seed?: number; startTime?: number }): Awaitable<Reply>;
  cancel?(): void;
  onProgress?(fn: (p: ProgressLike | null) => void): () => void;
  /** Snapshots that arrive while a long operation runs (worker host). */
  onSnapshot?(fn: (s: Snapshot) => void): () => void;
}

export interface ConsoleEntry {
  id: number;
  line: string;
  stdin?: string;
  out: string;
  err: string;
  at: number;
  source: EntrySource;
}

export interface Selection {
  kind: string;
  name: string;
  namespace: string;
}

export interface ApplyStatus {
  state: "idle" | "ok" | "error" | "blocked" | "pending";
  text: string;
}

export interface Banner {
  kind: "error" | "info";
  text: string;
}

/** A long operation the page shows a progress bar for. */
export interface Busy {
  label: string;
  done: number;
  total: number;
  /** Cancel was pressed; the engine stops after its current slice and its reply ends the bar. */
  cancelling?: boolean;
  /** What done/total count: virtual milliseconds (a fast-forward) or commands (default). */
  unit?: "ms" | "commands";
}

export interface LessonState {
  id: string;
  lesson: Lesson;
  /** Index of the next step to run (= steps done). */
  next: number;
  /** Answers given to step questions. */
  answers: Record<number, { given: string; correct: boolean }>;
}

/** A past moment on view (the timeline was scrubbed back). */
export interface PastView {
  at: number;
  /** Last command (whole or cut) of the full history at that moment. */
  step: number;
}

export interface SimState {
  snapshot: Snapshot;
  entries: ConsoleEntry[];
  selected: Selection | null;
  playing: boolean;
  speed: Speed;
  editorText: string;
  /** Bumps when editorText is set from outside the editor (the editor then shows it). */
  editorRev: number;
  appliedIds: ObjId[];
  applyStatus: ApplyStatus;
  /** Errors kubectl reported for the last apply, per document (for editor markers). */
  applyErrors: DocError[];
  applySeq: number;
  /** The live session, command by command (while viewing the past too). */
  hist: HistItem[];
  seed: number;
  startTime: number;
  /** The page's own work (autosaved) or a guest scenario (a link, a lesson, an import: not autosaved). */
  mode: "own" | "guest";
  guestLabel: string;
  banner: Banner | null;
  busy: Busy | null;
  view: PastView | null;
  /** After acting from a past moment: how many later commands were dropped (Undo fork restores them). */
  forked: { dropped: number; hist: HistItem[] } | null;
  /** Commands sent to the engine whose reply has not landed yet (they will be the next steps of `hist`). */
  pending: number;
  /**
   * A seek on its way: the step it shows once loaded (`null`: the live session). Previous/Next step
   * on from it, so two quick clicks go back two actions.
   */
  seekTo: { step: number | null } | null;
  lesson: LessonState | null;
  panel: "lessons" | null;
}

export interface LoadOpts {
  seed: number;
  startTime?: number;
  /** Show this moment once loaded (timeline). */
  at?: number;
  mode: "own" | "guest";
  guestLabel?: string;
  /** Editor text after the load (default: the last manifest the script applied). */
  editorText?: string;
  label?: string;
}

export type LoadResult = "ok" | "invalid" | "cancelled" | "failed";

export interface SimActions {
  exec(line: string, stdin?: string, source?: EntrySource): Awaitable<CmdResult>;
  /** Read-only kubectl (describe) — not recorded in the session script. */
  query(line: string): Awaitable<CmdResult>;
  advance(ms: number, source?: EntrySource): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(s: Speed): void;
  select(sel: Selection | null): void;
  setEditorText(text: string): void;
  /** Replace the editor's text from outside the editor (lesson step, timeline, load). */
  showInEditor(text: string, applied?: boolean): void;
  setApplyResult(r: { status: ApplyStatus; errors: DocError[]; appliedIds?: ObjId[] }): void;
  /** The live session as a script (also while a past moment is on view). */
  script(): string;
  /**
   * Replace the session by running a script command by command (progress shown). "invalid": the script
   * does not parse (nothing changed); "cancelled"/"failed": the engine holds a partial session — the
   * caller restores the user's work.
   */
  load(script: string, o: LoadOpts): Promise<LoadResult>;
  /** Show a past moment (`null` = back to the live session). */
  seek(target: { at: number } | { step: number } | null): Promise<void>;
  undoFork(): Promise<void>;
  cancelBusy(): void;
  setBanner(b: Banner | null): void;
  setMode(mode: "own" | "guest", guestLabel?: string): void;
  openPanel(p: "lessons" | null): void;
  startLesson(id: string, lesson: Lesson): Promise<void>;
  answerLesson(step: number, given: string): boolean;
  runLessonStep(): Promise<void>;
  endLesson(): void;
}

export type SimStore = StoreApi<SimState & SimActions>;

export const PLAY_TICK_MS = 250;
const MAX_ENTRIES = 400;
export const EDITOR_KEY = "kubeplay.editor.v1";
export const DEFAULT_SEED = 1;

let nextId = 1;

const APPLY_RE = /^(kubectl|k)\s+(apply|create)\b.*\s-f\s+-/;

/** Editor-owned object ids of a manifest (what an Apply from the editor would delete when they leave it). */
export function idsOf(text: string): ObjId[] {
  try {
    return parseDocuments(text).filter((d) => !d.empty && d.kind && d.name).map(objId);
  } catch {
    return [];
  }
}

function entriesOf(hist: HistItem[], outs: CmdResult[] | undefined, source: EntrySource): ConsoleEntry[] {
  const from = Math.max(0, hist.length - MAX_ENTRIES);
  const out: ConsoleEntry[] = [];
  for (let i = from; i < hist.length; i++) {
    const h = hist[i]!;
    const r = outs?.[i];
    out.push({ id: nextId++, line: h.line, ...(h.stdin !== undefined ? { stdin: h.stdin } : {}), out: r?.out ?? "", err: r?.err ?? "", at: h.end, source });
  }
  return out;
}

/** Yield to the browser so a progress bar paints (a macrotask; no timers in the engine). */
const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

export function createSimStore(host: StoreHost = new LocalEngineHost() as unknown as StoreHost, initialText = ""): SimStore {
  let timer: ReturnType<typeof setInterval> | undefined;
  let inflight = 0;
  /** Settles when the last command sent to the engine has landed (a seek waits for it: it belongs to the session). */
  let lastExec: Promise<unknown> = Promise.resolve();
  /** The seek/undo in flight: a command waits for it, so acting right after a scrub forks from the moment shown. */
  let seeking: Promise<void> | null = null;
  const afterSeeks = async () => { while (seeking) await seeking; };
  /** Run `body` as the timeline operation in flight (commands sent meanwhile wait for it). */
  const timelineOp = async (token: number, body: () => Promise<void>): Promise<void> => {
    const run = (async () => {
      await lastExec;
      if (token !== loadToken) return;
      await body();
    })();
    seeking = run;
    try {
      await run;
    } finally {
      if (seeking === run) { seeking = null; store.setState({ seekTo: null }); }
    }
  };
  /** Virtual time after the last reply (a command starts where the previous one ended). */
  let lastNow = host.snapshot().now;
  /** Bumps to cancel a running load/seek. */
  let loadToken = 0;
  /** Console outputs per step, kept only for the current console (not persisted). */
  const store = createStore<SimState & SimActions>()((set, get) => {
    const applyReply = (line: string, stdin: string | undefined, source: EntrySource, r: Reply): CmdResult => {
      const { result, snapshot } = r;
      // The timeline (share links, autosave, scrubbing) keeps what the engine ran: a cancelled
      // advance as the part that ran, so replaying the script rebuilds this cluster.
      const item = histItem(r.recorded ?? line, stdin, lastNow, snapshot.now, result.code);
      lastNow = snapshot.now;
      const entry: ConsoleEntry = { id: nextId++, line: line.trim(), ...(stdin !== undefined ? { stdin } : {}), out: result.out, err: result.err, at: snapshot.now, source };
      set((s) => ({ snapshot, entries: appendEntry(s.entries, entry), selected: stillThere(s.selected, snapshot), hist: [...s.hist, item] }));
      return result;
    };

    /** Load a history (a cut of the live one): the host runs its script; the store's hist is left alone. */
    const loadHist = (h: HistItem[]): Awaitable<Reply> => host.load(scriptOf(h), { seed: get().seed, startTime: get().startTime });

    /** Make the moment on view the live session before a new command runs (forking the session). */
    const forkIfPast = (): Awaitable<void> | undefined => {
      const v = get().view;
      if (!v) return undefined;
      const full = get().hist;
      const cut: Cut = cutAtTime(full, v.at);
      const dropped = full.length - 1 - v.step;
      set({ view: null, hist: cut.hist, forked: dropped > 0 ? { dropped, hist: full } : null, entries: entriesOf(cut.hist, undefined, "replay") });
      lastNow = cut.at;
      return undefined;
    };

    /** Load the moment `target` (after the commands already sent have landed). */
    const seekNow = async (target: { at: number } | { step: number } | null, token: number): Promise<void> => {
      const s = get();
      const full = s.hist;
      const liveNow = full.length ? full[full.length - 1]!.end : s.snapshot.now;
      let cut: Cut | null;
      if (target === null) cut = null;
      else if ("step" in target) cut = target.step >= full.length - 1 ? null : cutAtStep(full, target.step);
      else cut = target.at >= liveNow ? null : cutAtTime(full, target.at);
      if (!cut && !s.view) return;
      const wasLive = !s.view;
      const r = await loadHist(cut ? cut.hist : full);
      if (token !== loadToken) return;
      lastNow = r.snapshot.now;
      if (!cut) {
        // Back to the live session: the editor shows the live text again.
        set((st) => ({ snapshot: r.snapshot, view: null, selected: stillThere(st.selected, r.snapshot), ...(liveEditor !== null ? { editorText: liveEditor, editorRev: st.editorRev + 1, appliedIds: liveApplied } : {}) }));
        liveEditor = null;
        return;
      }
      if (wasLive) { liveEditor = s.editorText; liveApplied = s.appliedIds; }
      const manifest = manifestAt(cut.hist, cut.hist.length - 1) ?? "";
      set((st) => ({
        snapshot: r.snapshot, view: { at: r.snapshot.now, step: cut.step }, selected: stillThere(st.selected, r.snapshot),
        ...(manifest !== st.editorText ? { editorText: manifest, editorRev: st.editorRev + 1 } : {}), appliedIds: idsOf(manifest),
      }));
    };

    return {
      snapshot: host.snapshot(),
      entries: [],
      selected: null,
      playing: false,
      speed: 1,
      editorText: initialText,
      editorRev: 0,
      appliedIds: [],
      applyStatus: { state: "idle", text: "" },
      applyErrors: [],
      applySeq: 0,
      hist: [],
      seed: DEFAULT_SEED,
      startTime: host.snapshot().start,
      mode: "own",
      guestLabel: "",
      banner: null,
      busy: null,
      view: null,
      forked: null,
      pending: 0,
      seekTo: null,
      lesson: null,
      panel: null,

      exec(line, stdin, source = "console") {
        set((s) => ({ pending: s.pending + 1 }));
        const landed = () => set((s) => ({ pending: s.pending - 1 }));
        const run = (): Awaitable<CmdResult> => {
          forkIfPast();
          inflight++;
          let r: Awaitable<Reply>;
          try {
            r = host.exec(line, stdin);
          } catch (e) {
            inflight--; landed();
            throw e;
          }
          const done = (x: Reply) => { inflight--; const res = applyReply(line, stdin, source, x); landed(); return res; };
          if (r instanceof Promise) {
            const p = r.then(done, (e: unknown) => { inflight--; landed(); throw e; });
            lastExec = p.then(() => undefined, () => undefined);
            return p;
          }
          return done(r);
        };
        // A scrub/step/undo still loading: the command runs on the moment it will show (a fork).
        if (seeking) {
          const p = afterSeeks().then(run);
          lastExec = p.then(() => undefined, () => undefined);
          return p;
        }
        return run();
      },
      query(line) {
        return host.query(line);
      },
      advance(ms, source = "button") {
        void get().exec(`sim advance ${formatGoDuration(ms)}`, undefined, source);
      },
      play() {
        if (timer) return;
        if (get().view) { get().pause(); }
        timer = setInterval(() => {
          const s = get();
          if (inflight > 0 || s.busy) return; // a slow tick: skip rather than pile up
          void s.exec(`sim advance ${formatGoDuration(PLAY_TICK_MS * s.speed)}`, undefined, "play");
        }, PLAY_TICK_MS);
        set({ playing: true });
      },
      pause() {
        if (timer) clearInterval(timer);
        timer = undefined;
        set({ playing: false });
      },
      togglePlay() {
        if (get().playing) get().pause(); else get().play();
      },
      setSpeed(speed) {
        set({ speed });
      },
      select(selected) {
        set({ selected });
      },
      setEditorText(editorText) {
        set({ editorText });
      },
      showInEditor(text, applied = true) {
        set((s) => ({ editorText: text, editorRev: s.editorRev + 1, ...(applied ? { appliedIds: idsOf(text) } : {}) }));
      },
      setApplyResult({ status, errors, appliedIds }) {
        set((s) => ({ applyStatus: status, applyErrors: errors, applySeq: s.applySeq + 1, ...(appliedIds ? { appliedIds } : {}) }));
      },
      script() {
        return scriptOf(get().hist);
      },

      async load(script, o) {
        const token = ++loadToken;
        get().pause();
        let commands;
        try {
          commands = parseScript(script);
        } catch (e) {
          set({ banner: { kind: "error", text: `This scenario cannot be run (${(e as Error).message}).` } });
          return "invalid";
        }
        const label = o.label ?? "Replaying the scenario…";
        set({ busy: { label, done: 0, total: commands.length } });
        const outs: CmdResult[] = [];
        const hist: HistItem[] = [];
        try {
          let r = await host.load("", { seed: o.seed, ...(o.startTime !== undefined ? { startTime: o.startTime } : {}) });
          let now = r.snapshot.now;
          const start = r.snapshot.start;
          let lastYield = performance.now();
          for (let i = 0; i < commands.length; i++) {
            if (token !== loadToken) return "cancelled";
            const c = commands[i]!;
            r = await host.exec(c.line, c.stdin);
            if (r.cancelled) { set({ busy: null }); return "cancelled"; }
            hist.push(histItem(c.line, c.stdin, now, r.snapshot.now, r.result.code));
            outs.push(r.result);
            now = r.snapshot.now;
            if (performance.now() - lastYield > 40) {
              set({ busy: { label, done: i + 1, total: commands.length }, snapshot: r.snapshot });
              await yieldToPage();
              lastYield = performance.now();
            }
          }
          if (token !== loadToken) return "cancelled";
          lastNow = now;
          const manifest = o.editorText ?? manifestAt(hist, hist.length - 1);
          set((s) => ({
            snapshot: r.snapshot, hist, entries: entriesOf(hist, outs, "replay"), seed: o.seed, startTime: start,
            mode: o.mode, guestLabel: o.guestLabel ?? "", view: null, forked: null, busy: null, selected: null,
            applyStatus: { state: "idle", text: "" }, applyErrors: [], applySeq: s.applySeq + 1,
            ...(manifest !== undefined ? { editorText: manifest, editorRev: s.editorRev + 1 } : {}),
            appliedIds: idsOf(manifestAt(hist, hist.length - 1) ?? ""),
          }));
          if (o.at !== undefined && o.at < now) await get().seek({ at: o.at });
          return "ok";
        } catch (e) {
          set({ busy: null, banner: { kind: "error", text: `The scenario could not be replayed: ${(e as Error)?.message ?? String(e)}` } });
          return "failed";
        }
      },

      async seek(target) {
        const token = ++loadToken;
        get().pause();
        {
          // Where this seek lands, as far as known now (commands still on their way are live steps).
          const h = get().hist;
          const live = h.length ? h[h.length - 1]!.end : get().snapshot.now;
          const step = target === null ? null
            : "step" in target ? (target.step >= h.length - 1 + get().pending ? null : target.step)
            : (target.at >= live ? null : cutAtTime(h, target.at).step);
          set({ seekTo: { step } });
        }
        return timelineOp(token, () => seekNow(target, token));
      },

      async undoFork() {
        if (!get().forked) return;
        const token = ++loadToken;
        get().pause();
        return timelineOp(token, async () => {
          const f = get().forked;
          if (!f) return;
          const r = await loadHist(f.hist);
          if (token !== loadToken) return;
          lastNow = r.snapshot.now;
          set({ snapshot: r.snapshot, hist: f.hist, forked: null, view: null, entries: entriesOf(f.hist, undefined, "replay") });
        });
      },

      cancelBusy() {
        const b = get().busy;
        if (b && b.label.startsWith("engine:")) {
          // A command running in the engine (a long advance): the bar stays, saying so, until its
          // reply lands and is recorded (the line then says how much ran).
          if (b.cancelling) return;
          host.cancel?.();
          set({ busy: { ...b, cancelling: true } });
          return;
        }
        loadToken++;
        host.cancel?.();
        set({ busy: null });
      },
      setBanner(banner) {
        set({ banner });
      },
      setMode(mode, guestLabel = "") {
        set({ mode, guestLabel });
      },
      openPanel(panel) {
        set({ panel });
      },

      async startLesson(id, lesson) {
        const ok = await get().load("", { seed: DEFAULT_SEED, mode: "guest", guestLabel: `lesson: ${lesson.title}`, editorText: "", label: "Starting the lesson…" });
        if (ok !== "ok") return;
        set({ lesson: { id, lesson, next: 0, answers: {} }, panel: "lessons", entries: [] });
      },
      answerLesson(step, given) {
        const l = get().lesson;
        if (!l) return false;
        const correct = checkAnswer(l.lesson.steps[step]?.answer, given);
        set({ lesson: { ...l, answers: { ...l.answers, [step]: { given, correct } } } });
        return correct;
      },
      async runLessonStep() {
        const l = get().lesson;
        if (!l) return;
        const step = l.lesson.steps[l.next];
        if (!step) return;
        if (get().view) await get().seek(null);
        set({ lesson: { ...l, next: l.next + 1 } });
        for (const c of step.commands) {
          if (c.stdin !== undefined && APPLY_RE.test(c.line)) get().showInEditor(c.stdin);
          await get().exec(c.line, c.stdin, "lesson");
        }
      },
      endLesson() {
        set({ lesson: null, panel: null });
      },
    };
  });
  let liveEditor: string | null = null;
  let liveApplied: ObjId[] = [];
  host.onSnapshot?.((snapshot) => store.setState({ snapshot }));
  host.onProgress?.((p) => {
    const s = store.getState();
    if (p === null) { if (s.busy && s.busy.label.startsWith("engine:")) store.setState({ busy: null }); return; }
    if (p.unit === "ms" && p.total >= 60_000) {
      const label = `engine: ${p.label}`;
      store.setState({ busy: { label, done: p.done, total: p.total, unit: "ms", ...(s.busy?.label === label && s.busy.cancelling ? { cancelling: true } : {}) } });
    }
  });
  return store;
}

/**
 * Consecutive `sim advance` lines from Play merge into one entry (same effect: timers fire in time
 * order either way), so playing for a minute does not flood the console.
 */
export function appendEntry(entries: ConsoleEntry[], e: ConsoleEntry): ConsoleEntry[] {
  const last = entries[entries.length - 1];
  if (e.source === "play" && last?.source === "play" && !e.out && !e.err && !last.out && !last.err) {
    const a = advanceMs(last.line), b = advanceMs(e.line);
    if (a !== undefined && b !== undefined) {
      const merged = { ...last, line: `sim advance ${formatGoDuration(a + b)}`, at: e.at };
      return [...entries.slice(0, -1), merged];
    }
  }
  const out = [...entries, e];
  return out.length > MAX_ENTRIES ? out.slice(out.length - MAX_ENTRIES) : out;
}

function advanceMs(line: string): number | undefined {
  const m = /^sim advance (\S+)$/.exec(line);
  if (!m) return undefined;
  try { return parseGoDuration(m[1]!); } catch { return undefined; }
}

function stillThere(sel: Selection | null, snap: Snapshot): Selection | null {
  if (!sel) return null;
  if (sel.kind === "Node") return snap.nodes.some((n) => n.name === sel.name) ? sel : null;
  if (sel.kind === "Pod") return snap.pods[`${sel.namespace}/${sel.name}`] ? sel : null;
  return snap.controllers.some((c) => c.kind === sel.kind && c.name === sel.name && c.namespace === sel.namespace) ? sel : null;
}
export { stillThere };

/** The kubeplay-run transcript of the console entries: `$ line` then what it printed. */
export function transcript(entries: ConsoleEntry[]): string {
  return entries.map((e) => `$ ${e.line}\n${e.out}${e.err}`).join("");
}

// ---- the app's store instance and hook -------------------------------------------------------

let appStore: SimStore | undefined;
export function setAppStore(s: SimStore): void {
  appStore = s;
}
export function getAppStore(): SimStore {
  if (!appStore) throw new Error("store not initialised");
  return appStore;
}
export function useSim<T>(selector: (s: SimState & SimActions) => T): T {
  return useStore(getAppStore(), selector);
}
