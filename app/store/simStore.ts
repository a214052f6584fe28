/**
 * The one bridge between the UI and the engine: a vanilla zustand store. Components read with
 * selectors (`useSim(s => s.snapshot.pods[key])`) and call actions; actions talk to an EngineHost
 * with plain data only (script lines in, results and snapshots out), so the engine could move to a
 * Web Worker without touching components.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { useStore } from "zustand";
import { formatGoDuration, parseGoDuration } from "../../src/index.ts";
import { LocalEngineHost, type CmdResult, type EngineHost } from "../engine/host.ts";
import type { Snapshot } from "../engine/snapshot.ts";
import type { DocError, ObjId } from "../editor/applyPlan.ts";

export type Speed = 1 | 10 | 60;
export type EntrySource = "console" | "button" | "editor" | "play" | "init";

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

export interface SimState {
  snapshot: Snapshot;
  entries: ConsoleEntry[];
  selected: Selection | null;
  playing: boolean;
  speed: Speed;
  editorText: string;
  appliedIds: ObjId[];
  applyStatus: ApplyStatus;
  /** Errors kubectl reported for the last apply, per document (for editor markers). */
  applyErrors: DocError[];
  applySeq: number;
}

export interface SimActions {
  exec(line: string, stdin?: string, source?: EntrySource): CmdResult;
  /** Read-only kubectl (describe) — not recorded in the session script. */
  query(line: string): CmdResult;
  advance(ms: number, source?: EntrySource): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(s: Speed): void;
  select(sel: Selection | null): void;
  setEditorText(text: string): void;
  setApplyResult(r: { status: ApplyStatus; errors: DocError[]; appliedIds?: ObjId[] }): void;
  script(): string;
}

export type SimStore = StoreApi<SimState & SimActions>;

export const PLAY_TICK_MS = 250;
const MAX_ENTRIES = 400;
export const EDITOR_KEY = "kubeplay.editor.v1";

let nextId = 1;

export function createSimStore(host: EngineHost = new LocalEngineHost(), initialText = ""): SimStore {
  let timer: ReturnType<typeof setInterval> | undefined;
  return createStore<SimState & SimActions>()((set, get) => ({
    snapshot: host.snapshot(),
    entries: [],
    selected: null,
    playing: false,
    speed: 1,
    editorText: initialText,
    appliedIds: [],
    applyStatus: { state: "idle", text: "" },
    applyErrors: [],
    applySeq: 0,

    exec(line, stdin, source = "console") {
      const { result, snapshot } = host.exec(line, stdin);
      const entry: ConsoleEntry = { id: nextId++, line: line.trim(), ...(stdin !== undefined ? { stdin } : {}), out: result.out, err: result.err, at: snapshot.now, source };
      set((s) => ({ snapshot, entries: appendEntry(s.entries, entry), selected: stillThere(s.selected, snapshot) }));
      return result;
    },
    query(line) {
      return host.query(line);
    },
    advance(ms, source = "button") {
      get().exec(`sim advance ${formatGoDuration(ms)}`, undefined, source);
    },
    play() {
      if (timer) return;
      timer = setInterval(() => {
        const s = get();
        s.exec(`sim advance ${formatGoDuration(PLAY_TICK_MS * s.speed)}`, undefined, "play");
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
    setApplyResult({ status, errors, appliedIds }) {
      set((s) => ({ applyStatus: status, applyErrors: errors, applySeq: s.applySeq + 1, ...(appliedIds ? { appliedIds } : {}) }));
    },
    script() {
      return host.script();
    },
  }));
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
