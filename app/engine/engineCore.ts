/**
 * The worker side of the bridge, free of worker globals so it runs under Vitest too: a queue of
 * requests, run one at a time, each answered with a result, the script delta and a snapshot diff.
 *
 * Long operations run in chunks so progress can be posted and a cancel can get in:
 *  - `sim advance D` advances in slices of virtual time sized to ~CHUNK_WALL_MS of work each.
 *    advanceTo(a) then advanceTo(b) is exactly advanceTo(b) (timers fire in time order; a timer due
 *    at a slice boundary fires in the first slice), so the result does not depend on the slicing
 *    and the recorded line stays `sim advance D`. A cancelled advance is recorded as the duration
 *    actually run, so the script still rebuilds the same cluster.
 *  - `load` (replay a script) runs command by command, each advance sliced the same way.
 */
import { parseScript, formatCommand, formatGoDuration, type Session } from "../../src/index.ts";
import { LocalEngineHost, advanceMsOf } from "./host.ts";
import type { CmdResult, LoadOptions, Progress, Request, Response } from "./protocol.ts";

export const CHUNK_WALL_MS = 40;
/** At most this often a progress message carries a snapshot. */
const PROGRESS_SNAPSHOT_MS = 300;

export interface CoreOptions {
  /** Give queued messages (a cancel) a chance to arrive. */
  yieldNow?: () => Promise<void>;
  /** Wall clock for chunk sizing (never affects results). */
  wall?: () => number;
  seed?: number;
  /** Virtual-time chunk bounds (tests force tiny chunks). */
  minChunkMs?: number;
  maxChunkMs?: number;
}

const ok = (out = ""): CmdResult => ({ out, err: "", code: 0 });

export class EngineCore {
  private host: LocalEngineHost;
  private queue: Array<Exclude<Request, { op: "cancel" }>> = [];
  private running = false;
  private cancelled = false;
  /** The next snapshot message must be whole (the page holds none of this session's). */
  private needFull = true;
  /** Virtual time (and start) of the last snapshot sent. */
  private sentNow = NaN;
  private sentStart = NaN;
  /** Replies held back to be posted as one batch (see send), and since when. */
  private held: Response[] = [];
  private heldSince = 0;
  /** History length the page has been told about. */
  private told = 0;
  private readonly yieldNow: () => Promise<void>;
  private readonly wall: () => number;
  private readonly minChunk: number;
  private readonly maxChunk: number;
  private lastProgressSnap = -Infinity;

  constructor(private post: (r: Response) => void, opts: CoreOptions = {}) {
    this.host = new LocalEngineHost(opts.seed !== undefined ? { seed: opts.seed } : {});
    this.yieldNow = opts.yieldNow ?? (() => new Promise((r) => setTimeout(r, 0)));
    this.wall = opts.wall ?? (() => performance.now());
    this.minChunk = opts.minChunkMs ?? 100;
    this.maxChunk = opts.maxChunkMs ?? 3600_000;
  }

  /** Entry point for every message from the page. */
  receive(req: Request): void {
    if (req.op === "cancel") {
      if (this.running) this.cancelled = true;
      return;
    }
    this.queue.push(req);
    if (!this.running) void this.pump();
  }

  /** Resolves when the queue is empty (tests). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length) await this.yieldNow();
  }

  get session(): Session {
    return this.host.session;
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const req = this.queue.shift()!;
        this.cancelled = false;
        try {
          await this.handle(req);
        } catch (e) {
          this.send({ id: req.id, kind: "error", message: (e as Error).message ?? String(e) });
        }
      }
    } finally {
      // Nothing is left to carry held replies (a skipped snapshot always has a request queued after it).
      this.flush();
      this.running = false;
      this.cancelled = false;
    }
  }

  private async handle(req: Exclude<Request, { op: "cancel" }>): Promise<void> {
    switch (req.op) {
      case "query":
        this.send({ id: req.id, kind: "reply", result: this.host.query(req.line), script: this.scriptDelta() });
        return;
      case "snapshot":
        this.needFull = true;
        this.send({ id: req.id, kind: "reply", result: ok(), script: { from: 0, sources: this.sources(0) }, snap: this.snapMsg() });
        this.told = this.session.history.length;
        return;
      case "exec": {
        const r = await this.exec(req.id, req.line, req.stdin);
        // Page messages are macrotasks: let those already sent arrive, so the reply knows whether a
        // queued request will carry the snapshot (skipSnapshot).
        await this.yieldNow();
        this.reply(req.id, r.result, r.cancelled, false, r.recorded);
        return;
      }
      case "load": {
        const r = await this.load(req.id, req.script, req.opts);
        this.reply(req.id, r.result, r.cancelled, true);
        return;
      }
    }
  }

  private reply(id: number, result: CmdResult, cancelled: boolean, all = false, recorded?: string): void {
    const script = all ? { from: 0, sources: this.sources(0) } : this.scriptDelta();
    const skip = this.skipSnapshot();
    const snap = skip ? undefined : this.snapMsg();
    this.send({ id, kind: "reply", result, script, ...(snap ? { snap } : {}), ...(cancelled ? { cancelled: true } : {}), ...(recorded ? { recorded } : {}) }, skip);
  }

  /**
   * Post `r`, after the replies held back. A reply without a snapshot may be held (`hold`) and posted
   * with the next message, as one batch, for up to CHUNK_WALL_MS: the page then handles a burst of
   * replies in one task (one render, not one per command) and sees each reply in order.
   */
  private send(r: Response, hold = false): void {
    if (!this.held.length && !hold) { this.post(r); return; }
    if (!this.held.length) this.heldSince = this.wall();
    this.held.push(r);
    if (!hold || this.wall() - this.heldSince >= CHUNK_WALL_MS) this.flush();
  }

  private flush(): void {
    if (!this.held.length) return;
    this.post(this.held.length === 1 ? this.held[0]! : { kind: "batch", items: this.held });
    this.held = [];
  }

  /**
   * A reply may leave its snapshot out when a request already queued will carry one (its diff then holds
   * this one's changes too): a burst of commands (5,000 `sim node add` sent at once) then costs one
   * snapshot, not one per command, on both sides. Only when the clock did not move: the page takes each
   * reply's `snapshot.now` as the command's end time (the timeline), and keeps the snapshot it holds.
   */
  private skipSnapshot(): boolean {
    if (this.needFull || this.session.sim.now !== this.sentNow || this.session.sim.startTime !== this.sentStart) return false;
    // Not a queued load: an unparsable script is answered with an error, which carries no snapshot.
    return this.queue.some((r) => r.op === "exec" || r.op === "snapshot");
  }

  private sources(from: number): string[] {
    return this.session.history.slice(from).map((h) => h.source);
  }

  private scriptDelta() {
    const from = Math.min(this.told, this.session.history.length);
    const d = { from, sources: this.sources(from) };
    this.told = this.session.history.length;
    return d;
  }

  private snapMsg() {
    const msg = this.host.message(this.needFull);
    this.needFull = false;
    const s = "full" in msg ? msg.full : msg.diff;
    this.sentNow = s.now;
    this.sentStart = s.start;
    return msg;
  }

  private async exec(id: number, line: string, stdin?: string, progress?: (p: Progress) => void): Promise<{ result: CmdResult; cancelled: boolean; recorded?: string }> {
    const ms = stdin === undefined ? advanceMsOf(line) : undefined;
    if (ms === undefined) return { result: this.host.run(line, stdin), cancelled: false };
    return this.advance(id, line.trim(), ms, progress);
  }

  /** `sim advance ms`, sliced; recorded in the session history as one line. */
  private async advance(id: number, line: string, ms: number, progress?: (p: Progress) => void): Promise<{ result: CmdResult; cancelled: boolean; recorded?: string }> {
    const session = this.session;
    const sim = session.sim;
    const start = sim.now, target = start + ms;
    let chunk = Math.min(ms, this.minChunk * 10);
    let result = ok();
    let cancelled = false;
    try {
      let t0 = this.wall();
      for (;;) {
        const c0 = this.wall();
        sim.advanceTo(Math.min(target, sim.now + chunk));
        const dt = this.wall() - c0;
        if (sim.now >= target) break;
        // Size the next slice to ~CHUNK_WALL_MS of work.
        if (dt < CHUNK_WALL_MS / 2) chunk = Math.min(this.maxChunk, chunk * 2);
        else if (dt > CHUNK_WALL_MS * 2) chunk = Math.max(this.minChunk, Math.floor(chunk / 2));
        if (this.wall() - t0 >= CHUNK_WALL_MS) {
          const p: Progress = { id, label: line, done: sim.now - start, total: ms, unit: "ms" };
          if (progress) progress(p); else this.progress(p);
          await this.yieldNow();
          t0 = this.wall();
          if (this.cancelled) { cancelled = true; break; }
        }
      }
    } catch (e) {
      result = { out: "", err: `error: ${(e as Error).message}\n`, code: 1 };
    }
    const ran = sim.now - start;
    const recorded = cancelled ? `sim advance ${formatGoDuration(ran)}` : line;
    if (cancelled) result = { out: "", err: `cancelled after ${formatGoDuration(ran)} of ${formatGoDuration(ms)} (recorded as "${recorded}")\n`, code: 0 };
    session.history.push({ source: formatCommand(recorded), line: recorded, result, at: start });
    return { result, cancelled, ...(cancelled ? { recorded } : {}) };
  }

  private progress(p: Progress): void {
    const now = this.wall();
    if (now - this.lastProgressSnap >= PROGRESS_SNAPSHOT_MS) {
      this.lastProgressSnap = now;
      this.send({ id: p.id, kind: "progress", progress: p, snap: this.snapMsg() });
    } else {
      this.send({ id: p.id, kind: "progress", progress: p });
    }
  }

  private async load(id: number, script: string, opts: LoadOptions): Promise<{ result: CmdResult; cancelled: boolean }> {
    const commands = parseScript(script);
    this.host.load("", opts);
    this.needFull = true;
    this.told = 0;
    let out = "", err = "";
    let t0 = this.wall();
    const total = commands.length;
    let cancelled = false;
    for (let i = 0; i < commands.length; i++) {
      const c = commands[i]!;
      const r = await this.exec(id, c.line, c.stdin, (p) => this.progress({ id, label: `${c.line} (${p.label})`, done: i, total, unit: "commands" }));
      out += r.result.out; err += r.result.err;
      if (r.cancelled || this.cancelled) { cancelled = true; break; }
      if (this.wall() - t0 >= CHUNK_WALL_MS && i + 1 < commands.length) {
        this.progress({ id, label: c.line, done: i + 1, total, unit: "commands" });
        await this.yieldNow();
        t0 = this.wall();
        if (this.cancelled) { cancelled = true; break; }
      }
    }
    return { result: { out, err, code: err ? 1 : 0 }, cancelled };
  }
}
