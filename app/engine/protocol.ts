/** Messages between the page (WorkerEngineHost) and the engine worker (engine.worker.ts). Plain data. */
import type { SnapshotMsg } from "./snapshotDiff.ts";

export interface CmdResult { out: string; err: string; code: number }

export interface LoadOptions {
  seed?: number;
  startTime?: number;
}

export type Request =
  | { id: number; op: "exec"; line: string; stdin?: string }
  | { id: number; op: "query"; line: string }
  | { id: number; op: "load"; script: string; opts: LoadOptions }
  | { id: number; op: "snapshot" }
  /** Stop the running long operation after its current chunk (no reply of its own). */
  | { id: number; op: "cancel" };

/** The session script changed: drop everything from `from` on, then append `sources`. */
export interface ScriptDelta { from: number; sources: string[] }

export interface Progress {
  /** Request id of the long operation. */
  id: number;
  label: string;
  done: number;
  total: number;
  /** Unit of done/total: virtual milliseconds (advance) or commands (load). */
  unit: "ms" | "commands";
}

export type Response =
  | { id: number; kind: "reply"; result: CmdResult; script: ScriptDelta; snap?: SnapshotMsg; cancelled?: boolean; recorded?: string }
  | { id: number; kind: "error"; message: string }
  | { id: number; kind: "progress"; progress: Progress; snap?: SnapshotMsg }
  /** Several of the above, to be handled in order in one task. */
  | { kind: "batch"; items: Response[] };
