/**
 * The engine side of the UI bridge. Everything crossing it is plain data — command lines in,
 * CmdResults and Snapshots out — so this class can move into a Web Worker behind postMessage
 * without changing the store's actions (only their results would arrive asynchronously).
 */
import { Session, runKubectl, Replayer, replay, timelineMarks, type ActionMark, type ReplayTarget } from "../../src/index.ts";
import { tokenizeLine } from "./tokenize.ts";
import { SnapshotBuilder, type Snapshot } from "./snapshot.ts";

export interface CmdResult { out: string; err: string; code: number }

export interface ExecReply { result: CmdResult; snapshot: Snapshot }

/** Session parameters (what a share link or an autosave needs besides the script). */
export interface SessionInfo { seed: number; startTime: number; now: number; commands: number }

/** Rebuild a session from a script: `at` = virtual time to stop at (default: run it all). */
export interface LoadRequest { script: string; seed: number; startTime?: number; at?: number }
export type LoadReply = { ok: true; snapshot: Snapshot; info: SessionInfo } | { ok: false; error: string };

/** One recorded command (for the console after a load, and the editor at a past moment). */
export interface HistoryItem { line: string; stdin?: string; out: string; err: string; code: number; at: number }

export interface EngineHost {
  /** Run one script line (recorded in the session script). */
  exec(line: string, stdin?: string): ExecReply;
  /** A read-only kubectl command (describe, get) that is not recorded in the script. */
  query(line: string): CmdResult;
  snapshot(): Snapshot;
  /** The session so far, as a script. */
  script(): string;
  info(): SessionInfo;
  /** Replace the session by replaying a script (share links, autosave, imports). Never throws. */
  load(req: LoadRequest): LoadReply;
  /** Recorded commands from index `from` on. */
  history(from?: number): HistoryItem[];
  /** Timeline marks of the live session. */
  marks(): ActionMark[];
  /**
   * Look at a past moment of the live session (display only): until the next seek(null), fork() or exec(),
   * snapshot() and query() answer for that moment. `null` = back to the live session.
   */
  seek(target: ReplayTarget | null): Snapshot;
  /** Make the moment on view the live session (later commands dropped; undoFork() brings them back). */
  fork(): { dropped: number };
  /** Return to the session as it was before the last fork(). False when there is nothing to undo. */
  undoFork(): boolean;
  /** Idle-time work for seek (one replay checkpoint); false when there is nothing left to do. */
  warm(): boolean;
}

export class LocalEngineHost implements EngineHost {
  private session: Session;
  private builder = new SnapshotBuilder();
  private last: Snapshot | undefined;
  /** The past moment on view (seek), and the Replayer over the live script that built it. */
  private viewed: Session | undefined;
  private replayer: Replayer | undefined;
  private beforeFork: Session | undefined;

  constructor(opts: { seed?: number } = {}) {
    this.session = new Session(opts.seed !== undefined ? { seed: opts.seed } : {});
  }

  /** The session snapshot()/query() read: the past moment on view, else the live one. */
  private get shown(): Session {
    return this.viewed ?? this.session;
  }

  exec(line: string, stdin?: string): ExecReply {
    this.viewed = undefined;
    this.replayer = undefined;
    let result: CmdResult;
    try {
      result = this.session.exec(line, stdin);
    } catch (e) {
      result = { out: "", err: `error: ${(e as Error).message}\n`, code: 1 };
    }
    this.last = undefined;
    return { result, snapshot: this.snapshot() };
  }

  query(line: string): CmdResult {
    const words = tokenizeLine(line);
    if (words[0] !== "kubectl") return { out: "", err: "error: only kubectl queries\n", code: 1 };
    try {
      return runKubectl(this.shown.sim, words.slice(1));
    } catch (e) {
      return { out: "", err: `error: ${(e as Error).message}\n`, code: 1 };
    }
  }

  snapshot(): Snapshot {
    if (!this.last) {
      try {
        this.last = this.builder.build(this.shown.sim);
      } catch (e) {
        console.warn("snapshot failed", e);
        this.last = { now: this.shown.sim.now, start: this.shown.sim.startTime, version: -1, nodes: [], pods: {}, podKeys: [], controllers: [], events: [] };
      }
    }
    return this.last;
  }

  script(): string {
    return this.session.script();
  }

  info(): SessionInfo {
    const sim = this.session.sim;
    return { seed: sim.seed, startTime: sim.startTime, now: sim.now, commands: this.session.history.length };
  }

  load(req: LoadRequest): LoadReply {
    let session: Session;
    try {
      const opts = { seed: req.seed, ...(req.startTime !== undefined ? { startTime: req.startTime } : {}) };
      session = replay(req.script, opts, req.at !== undefined ? { at: req.at } : { step: Number.MAX_SAFE_INTEGER }).session;
    } catch (e) {
      return { ok: false, error: (e as Error)?.message ?? String(e) };
    }
    this.session = session;
    this.viewed = undefined;
    this.replayer = undefined;
    this.beforeFork = undefined;
    this.last = undefined;
    return { ok: true, snapshot: this.snapshot(), info: this.info() };
  }

  history(from = 0): HistoryItem[] {
    return this.session.history.slice(from).map((h) => ({
      line: h.line, ...(h.stdin !== undefined ? { stdin: h.stdin } : {}), out: h.result.out, err: h.result.err, code: h.result.code, at: h.at,
    }));
  }

  marks(): ActionMark[] {
    return timelineMarks(this.session);
  }

  seek(target: ReplayTarget | null): Snapshot {
    const live = this.session.sim;
    if (target === null || ("at" in target && target.at >= live.now) || ("step" in target && target.step >= this.session.history.length - 1)) {
      this.viewed = undefined;
    } else {
      this.replayer ??= new Replayer(this.session.script(), { seed: live.seed, startTime: live.startTime });
      this.viewed = this.replayer.seek(target);
    }
    this.last = undefined;
    return this.snapshot();
  }

  fork(): { dropped: number } {
    const v = this.viewed && this.replayer ? this.replayer.detach() : undefined;
    this.viewed = undefined;
    this.replayer = undefined;
    if (!v) return { dropped: 0 };
    const dropped = Math.max(0, this.session.history.length - v.history.length);
    this.beforeFork = this.session;
    this.session = v;
    this.last = undefined;
    return { dropped };
  }

  undoFork(): boolean {
    if (!this.beforeFork) return false;
    this.session = this.beforeFork;
    this.beforeFork = undefined;
    this.viewed = undefined;
    this.replayer = undefined;
    this.last = undefined;
    return true;
  }

  warm(): boolean {
    return this.replayer?.warm() ?? false;
  }

  /** The live simulation (tests and benchmarks only; the UI goes through exec/query). */
  get sim() {
    return this.session.sim;
  }

  /** Rebuild the snapshot after a change made directly on `sim` (tests and benchmarks). */
  refresh(): Snapshot {
    this.last = undefined;
    return this.snapshot();
  }
}
