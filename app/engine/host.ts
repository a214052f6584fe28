/**
 * The engine side of the UI bridge. Everything crossing it is plain data — command lines in,
 * CmdResults and Snapshots out — so this class can move into a Web Worker behind postMessage
 * without changing the store's actions (only their results would arrive asynchronously).
 */
import { Session, runKubectl } from "../../src/index.ts";
import { tokenizeLine } from "./tokenize.ts";
import { SnapshotBuilder, type Snapshot } from "./snapshot.ts";

export interface CmdResult { out: string; err: string; code: number }

export interface ExecReply { result: CmdResult; snapshot: Snapshot }

export interface EngineHost {
  /** Run one script line (recorded in the session script). */
  exec(line: string, stdin?: string): ExecReply;
  /** A read-only kubectl command (describe, get) that is not recorded in the script. */
  query(line: string): CmdResult;
  snapshot(): Snapshot;
  /** The session so far, as a script. */
  script(): string;
}

export class LocalEngineHost implements EngineHost {
  private session: Session;
  private builder = new SnapshotBuilder();
  private last: Snapshot | undefined;

  constructor(opts: { seed?: number } = {}) {
    this.session = new Session(opts.seed !== undefined ? { seed: opts.seed } : {});
  }

  exec(line: string, stdin?: string): ExecReply {
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
      return runKubectl(this.session.sim, words.slice(1));
    } catch (e) {
      return { out: "", err: `error: ${(e as Error).message}\n`, code: 1 };
    }
  }

  snapshot(): Snapshot {
    if (!this.last) {
      try {
        this.last = this.builder.build(this.session.sim);
      } catch (e) {
        console.warn("snapshot failed", e);
        this.last = { now: this.session.sim.now, start: this.session.sim.startTime, version: -1, nodes: [], pods: {}, podKeys: [], controllers: [], events: [] };
      }
    }
    return this.last;
  }

  script(): string {
    return this.session.script();
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
