/**
 * The engine side of the UI bridge. Everything crossing it is plain data — command lines in,
 * CmdResults and Snapshots out. Two implementations:
 *  - LocalEngineHost: runs src/ in the calling thread, synchronously (tests, benchmarks, and the
 *    fallback when Web Workers are unavailable);
 *  - WorkerEngineHost (workerHost.ts): the same engine in a module Web Worker, over postMessage,
 *    so a big apply or a long fast-forward never freezes the page. Its replies are Promises.
 * Callers treat results as `Awaitable` and must not assume which one they have.
 */
import { Session, runKubectl, parseScript, formatCommand, formatGoDuration, parseGoDuration } from "../../src/index.ts";
import { tokenizeLine } from "./tokenize.ts";
import { SnapshotBuilder, type Snapshot } from "./snapshot.ts";
import type { CmdResult, LoadOptions, Progress } from "./protocol.ts";
import type { SnapshotMsg } from "./snapshotDiff.ts";

export type { CmdResult, LoadOptions, Progress } from "./protocol.ts";
export type Awaitable<T> = T | Promise<T>;

export interface ExecReply {
  result: CmdResult;
  snapshot: Snapshot;
  /** The operation was cancelled part way (worker host). */
  cancelled?: boolean;
  /** The line the session recorded when it differs from the one sent (a cancelled `sim advance 1h` is recorded as `sim advance 12m`). */
  recorded?: string;
}

export interface EngineHost {
  /** Run one script line (recorded in the session script). */
  exec(line: string, stdin?: string): Awaitable<ExecReply>;
  /** A read-only kubectl command (describe, get) that is not recorded in the script. */
  query(line: string): Awaitable<CmdResult>;
  /** The latest snapshot this side holds (synchronous on both hosts). */
  snapshot(): Snapshot;
  /** The session so far, as a script (synchronous on both hosts: the page mirrors it). */
  script(): string;
  /**
   * Replace the session with a fresh one that runs `script` (share links, lessons, timeline).
   * A failing command does not stop it (as `kubeplay run`); a script that cannot be parsed rejects.
   */
  load(script: string, opts?: LoadOptions): Awaitable<ExecReply>;
  /** Stop the running long operation (fast-forward, load) after its current chunk. */
  cancel(): void;
  /** Progress of long operations; `null` when one ends. Returns an unsubscribe function. */
  onProgress(fn: (p: Progress | null) => void): () => void;
  /** Snapshots that arrive between replies, while a long operation runs (worker host only). */
  onSnapshot?(fn: (s: Snapshot) => void): () => void;
  /** True when replies arrive asynchronously (worker). */
  readonly async: boolean;
}

export const EMPTY_SNAPSHOT: Snapshot = { now: 0, start: 0, version: 0, nodes: [], pods: {}, podKeys: [], controllers: [], events: [] };

/** `sim advance D` with a valid D: the one command the worker runs in chunks. */
export function advanceMsOf(line: string): number | undefined {
  const m = /^\s*sim\s+advance\s+(\S+)\s*$/.exec(line);
  if (!m) return undefined;
  try {
    const ms = parseGoDuration(m[1]!);
    return ms >= 0 && ms <= 366 * 24 * 3600_000 ? ms : undefined;
  } catch {
    return undefined;
  }
}

export class LocalEngineHost implements EngineHost {
  private _session: Session;
  private builder = new SnapshotBuilder();
  private last: Snapshot | undefined;
  readonly async = false;

  constructor(opts: { seed?: number } = {}) {
    this._session = new Session(opts.seed !== undefined ? { seed: opts.seed } : {});
  }

  exec(line: string, stdin?: string): ExecReply {
    const result = this.run(line, stdin);
    return { result, snapshot: this.snapshot() };
  }

  /** exec without building a snapshot (the worker core asks for a message when it replies). */
  run(line: string, stdin?: string): CmdResult {
    let result: CmdResult;
    try {
      result = this._session.exec(line, stdin);
    } catch (e) {
      result = { out: "", err: `error: ${(e as Error).message}\n`, code: 1 };
    }
    this.last = undefined;
    return result;
  }

  query(line: string): CmdResult {
    const words = tokenizeLine(line);
    if (words[0] !== "kubectl") return { out: "", err: "error: only kubectl queries\n", code: 1 };
    try {
      return runKubectl(this._session.sim, words.slice(1));
    } catch (e) {
      return { out: "", err: `error: ${(e as Error).message}\n`, code: 1 };
    }
  }

  load(script: string, opts: LoadOptions = {}): ExecReply {
    const commands = parseScript(script);
    this._session = new Session(opts);
    this.builder = new SnapshotBuilder();
    let out = "", err = "";
    for (const c of commands) {
      const r = this._session.exec(c.line, c.stdin);
      out += r.out; err += r.err;
    }
    this.last = undefined;
    return { result: { out, err, code: err ? 1 : 0 }, snapshot: this.snapshot() };
  }

  cancel(): void { /* synchronous: nothing runs in the background */ }

  onProgress(): () => void {
    return () => {};
  }

  snapshot(): Snapshot {
    if (!this.last) {
      try {
        this.last = this.builder.build(this._session.sim);
      } catch (e) {
        this.last = this.failed(e);
      }
    }
    return this.last;
  }

  /**
   * The worker's snapshot message: the whole snapshot when `full`, else a diff against the last
   * message (see SnapshotBuilder.message).
   */
  message(full: boolean): SnapshotMsg {
    try {
      return this.builder.message(this._session.sim, full);
    } catch (e) {
      return { full: this.failed(e) };
    }
  }

  /** An empty snapshot after a failed build; the builder starts over from the store next time. */
  private failed(e: unknown): Snapshot {
    console.warn("snapshot failed", e);
    this.builder.reset();
    return { ...EMPTY_SNAPSHOT, now: this._session.sim.now, start: this._session.sim.startTime, version: -1 };
  }

  script(): string {
    return this._session.script();
  }

  /** The live session (the worker core and tests; the UI goes through exec/query). */
  get session(): Session {
    return this._session;
  }

  /** The live simulation (tests and benchmarks only; the UI goes through exec/query). */
  get sim() {
    return this._session.sim;
  }

  /** Rebuild the snapshot after a change made directly on `sim` (tests and benchmarks). */
  refresh(): Snapshot {
    this.last = undefined;
    return this.snapshot();
  }
}

export { formatCommand, formatGoDuration };
