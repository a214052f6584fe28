/**
 * EngineHost over postMessage: the engine runs in a module Web Worker (engine.worker.ts). Requests
 * are answered in order; each reply carries the script delta (so `script()` stays synchronous here)
 * and a snapshot diff applied onto the snapshot this side holds (unchanged views keep identity).
 */
import type { EngineHost, ExecReply, LoadOptions, Progress } from "./host.ts";
import { EMPTY_SNAPSHOT } from "./host.ts";
import { applySnapshotMsg, type SnapshotMsg } from "./snapshotDiff.ts";
import type { CmdResult, Request, Response, ScriptDelta } from "./protocol.ts";
import type { Snapshot } from "./snapshot.ts";

/** The part of `Worker` this host uses (tests pass an in-process fake). */
export interface WorkerLike {
  postMessage(m: Request): void;
  onmessage: ((ev: MessageEvent<Response>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

type Pending = { resolve: (r: ExecReply) => void; reject: (e: Error) => void };

export class WorkerEngineHost implements EngineHost {
  readonly async = true;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private snap: Snapshot = EMPTY_SNAPSHOT;
  private sources: string[] = [];
  private listeners = new Set<(p: Progress | null) => void>();
  private progressId = 0;
  /** Snapshot listeners: progress messages move the cluster while a long operation runs. */
  private snapListeners = new Set<(s: Snapshot) => void>();

  constructor(private worker: WorkerLike) {
    worker.onmessage = (ev) => this.receive(ev.data);
    worker.onerror = (ev) => {
      const err = new Error(`engine worker failed: ${ev.message ?? "error"}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  /** Resolves with the first full snapshot (the worker's initial state). */
  ready(): Promise<ExecReply> {
    return this.request({ id: 0, op: "snapshot" });
  }

  exec(line: string, stdin?: string): Promise<ExecReply> {
    return this.request({ id: 0, op: "exec", line, ...(stdin !== undefined ? { stdin } : {}) });
  }

  async query(line: string): Promise<CmdResult> {
    return (await this.request({ id: 0, op: "query", line })).result;
  }

  load(script: string, opts: LoadOptions = {}): Promise<ExecReply> {
    return this.request({ id: 0, op: "load", script, opts });
  }

  cancel(): void {
    this.worker.postMessage({ id: 0, op: "cancel" });
  }

  onProgress(fn: (p: Progress | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called with snapshots that arrive between replies (during a long operation). */
  onSnapshot(fn: (s: Snapshot) => void): () => void {
    this.snapListeners.add(fn);
    return () => this.snapListeners.delete(fn);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  script(): string {
    return this.sources.join("\n") + (this.sources.length ? "\n" : "");
  }

  /** Requests still waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  terminate(): void {
    this.worker.terminate();
  }

  private request(req: Request): Promise<ExecReply> {
    const id = this.nextId++;
    return new Promise<ExecReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } as Request);
    });
  }

  private applySnap(msg: SnapshotMsg | undefined): void {
    if (!msg) return;
    const next = applySnapshotMsg(this.snap, msg);
    if (next) { this.snap = next; return; }
    // A diff against a snapshot we do not hold (should not happen): ask for the whole thing.
    void this.request({ id: 0, op: "snapshot" }).then(() => {
      for (const l of this.snapListeners) l(this.snap);
    });
  }

  private applyScript(d: ScriptDelta): void {
    this.sources.length = Math.min(this.sources.length, d.from);
    for (const s of d.sources) this.sources.push(s);
  }

  private receive(m: Response): void {
    if (m.kind === "batch") {
      for (const r of m.items) this.receive(r);
      return;
    }
    if (m.kind === "progress") {
      this.applySnap(m.snap);
      this.progressId = m.id;
      for (const l of this.listeners) l(m.progress);
      if (m.snap) for (const l of this.snapListeners) l(this.snap);
      return;
    }
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (this.progressId === m.id) {
      this.progressId = 0;
      for (const l of this.listeners) l(null);
    }
    if (m.kind === "error") { p?.reject(new Error(m.message)); return; }
    this.applyScript(m.script);
    this.applySnap(m.snap);
    p?.resolve({ result: m.result, snapshot: this.snap, ...(m.cancelled ? { cancelled: true } : {}), ...(m.recorded ? { recorded: m.recorded } : {}) });
  }
}
