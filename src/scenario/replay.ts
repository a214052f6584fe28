/**
 * Replay: rebuild a session at any moment of its script — for the timeline, share links (`at`), lessons
 * and undo.
 *
 * A script fully determines time: the clock moves only inside commands — `sim advance`, and kubectl's
 * waits (`rollout status`, `delete`, `drain`), which run the virtual clock until done — and each command
 * starts at the time the commands before it left. So "the session at time T" is: run every command that
 * starts at or before T; an advance that would carry the clock past T is cut so the clock ends exactly at
 * T (recorded in the history as the shorter `sim advance`, so `session.script()` still reproduces the
 * state). A `rollout status`/`wait` spanning T only watches, so a cut one is stood in for by an advance;
 * a cut `delete` is issued with `--wait=false`, then the clock advances. `drain` is not cut: a target
 * inside one lands at its end.
 *
 * Sessions cannot be copied (the simulation holds closures), so there are no snapshots: a past moment is
 * reached by re-running from the start, or from a checkpoint session parked for that purpose
 * ({@link Replayer}). Measured (tests/engine/replay/lessons-replay.test.ts logs it): the built-in lessons
 * replay in 2–40 ms each, so rebuilding is instant at lesson size; a classroom-size session (20 nodes,
 * 200 pods, ~5 virtual minutes, 82 commands) took 1.8 s for a full run on the 2-core build machine when
 * idle (10 s under heavy load), which is what the checkpoints are for.
 *
 * @example
 * const s = replayTo(script, { seed: 1 }, { at: DEFAULT_START + 90_000 }) // the cluster 1m30s in
 * const marks = timelineMarks(s)                                      // for the timeline
 * const { session, dropped } = forkAt(s, 2)                           // keep commands 0..2, undoable
 */
import { Session, type HistoryEntry, type SessionOptions } from "./session.ts";
import { parseScript, ScriptError, type ScriptCommand } from "./script.ts";
import { tokenize } from "./tokenize.ts";
import { formatGoDuration, parseGoDuration } from "../util/time.ts";
import { parseShareHash, type ShareErrorKind, type SharePayload } from "./share.ts";

export type ReplayOptions = SessionOptions;

/** Where to stop: after command `step` (0-based index into the script's commands), or at virtual time `at`. */
export type ReplayTarget = { step: number } | { at: number };

export interface ReplayResult {
  session: Session;
  /** Index of the last command run (fully or cut short); -1 when none ran. */
  step: number;
  /** True when the last command was a `sim advance` cut short to stop at the target time. */
  partial: boolean;
  /** The parsed commands of the whole script. */
  commands: ScriptCommand[];
}

/** One command on the timeline. */
export interface ActionMark {
  /** Index of the command in the script (= index in `session.history`). */
  step: number;
  /** Virtual time the command started at. */
  at: number;
  /** Virtual time it finished at (= `at` except for `sim advance`). */
  end: number;
  /** The command line (heredoc body left out). */
  line: string;
  /** `advance` for `sim advance`, `setup` for `sim seed`/`sim clock`, `sim` for other sim lines, else `kubectl`. */
  kind: "kubectl" | "sim" | "advance" | "setup";
  /** The command printed an error. */
  failed: boolean;
}

const MAX_ADVANCE = 366 * 24 * 3600_000;

/**
 * Duration of a well-formed `sim advance D` line, in ms; undefined for any other line (including a
 * malformed advance, which the session rejects without moving the clock).
 */
export function advanceDuration(line: string): number | undefined {
  if (!/^\s*sim\s+advance\b/.test(line)) return undefined;
  let words: string[];
  try { words = tokenize(line); } catch { return undefined; }
  if (words.length !== 3 || words[0] !== "sim" || words[1] !== "advance") return undefined;
  let ms: number;
  try { ms = parseGoDuration(words[2]!); } catch { return undefined; }
  return ms >= 0 && ms <= MAX_ADVANCE ? ms : undefined;
}

/** `sim seed N` / `sim clock T`: they reset the session and may only come first. */
export function isSetupLine(line: string): boolean {
  return /^\s*sim\s+(seed|clock)\b/.test(line);
}

/**
 * Commands that only watch while the clock runs (`kubectl rollout status`, `kubectl wait`): on a real
 * cluster they block; here they move the virtual clock until done. Between their start and end the
 * cluster is exactly what a `sim advance` would give, so replay by time can stand one in for them.
 */
export function isObserverWait(line: string): boolean {
  return /^\s*(kubectl|k)\s+(rollout\s+status|wait)\b/.test(line) && !/\s(-w|--watch)=false\b/.test(line);
}

/**
 * `kubectl delete` waits (by default) until the objects are gone. Cut by a replay target, it becomes
 * the same delete with `--wait=false` followed by an advance: the deletions were issued when it started.
 */
export function isDeleteWait(line: string): boolean {
  return /^\s*(kubectl|k)\s+delete\b/.test(line) && !/\s--wait(=false|\s+false)\b/.test(line);
}

/** Lines whose end time replay by time needs to know in advance. */
function isCuttableWait(line: string): boolean {
  return isObserverWait(line) || isDeleteWait(line);
}

/** `kubectl delete … --wait=false`, keeping a trailing heredoc marker last. */
function noWait(line: string): string {
  const m = line.match(/\s*<<-?\s*['"]?\w+['"]?\s*$/);
  return m ? `${line.slice(0, m.index)} --wait=false${m[0]}` : `${line} --wait=false`;
}

/** End time of every command of a full run (the clock after it), for replay by time over waits. */
export function commandEnds(commands: ScriptCommand[], opts: ReplayOptions): number[] {
  const s = new Session(opts);
  return commands.map((c) => { s.exec(c.line, c.stdin); return s.sim.now; });
}

/** A Go duration that parses back to exactly `ms`. */
export function advanceLine(ms: number): string {
  const go = formatGoDuration(ms);
  let back: number | undefined;
  try { back = parseGoDuration(go); } catch { back = undefined; }
  return `sim advance ${back === ms ? go : `${ms}ms`}`;
}

function toCommands(script: string | ScriptCommand[]): ScriptCommand[] {
  return typeof script === "string" ? parseScript(script) : script;
}

/**
 * Rebuild the session at `target`. Throws ScriptError only if the script text does not parse
 * (e.g. an unterminated heredoc), like runScript.
 */
export function replay(script: string | ScriptCommand[], opts: ReplayOptions, target: ReplayTarget, ends?: number[]): ReplayResult {
  const commands = toCommands(script);
  const session = new Session(opts);
  const e = "at" in target && !ends && commands.some((c) => isCuttableWait(c.line)) ? commandEnds(commands, opts) : ends;
  const r = runForward(session, commands, 0, target, e);
  return { session, commands, ...r };
}

/** {@link replay}, returning only the session. */
export function replayTo(script: string | ScriptCommand[], opts: ReplayOptions, target: ReplayTarget): Session {
  return replay(script, opts, target).session;
}

/**
 * Run `commands[from…]` on `session` until `target`. Returns the last step run and whether it was cut.
 * The session must be exactly "after command from−1, not partial".
 */
function runForward(session: Session, commands: ScriptCommand[], from: number, target: ReplayTarget, ends?: number[]): { step: number; partial: boolean } {
  let step = from - 1;
  if ("step" in target) {
    const last = Math.min(target.step, commands.length - 1);
    for (let i = from; i <= last; i++) {
      const c = commands[i]!;
      session.exec(c.line, c.stdin);
      step = i;
    }
    return { step, partial: false };
  }
  const at = target.at;
  for (let i = from; i < commands.length; i++) {
    const c = commands[i]!;
    // Setup lines come first and define the time frame (`sim clock`), so they always run.
    if (!(isSetupLine(c.line) && session.pristine)) {
      const now = session.sim.now;
      if (now > at) break;
      const d = advanceDuration(c.line);
      // A wait that would carry the clock past the target is cut: an observer (rollout status) is
      // stood in for by an advance (what it prints lies in the future); a delete is issued without
      // waiting, then the clock advances.
      const end = isCuttableWait(c.line) ? ends?.[i] : d !== undefined ? now + d : undefined;
      if (end !== undefined && end > at) {
        if (isDeleteWait(c.line)) {
          session.exec(noWait(c.line), c.stdin);
          if (session.sim.now < at) session.exec(advanceLine(at - session.sim.now));
          return { step: i, partial: true };
        }
        if (at === now) return { step, partial: false };
        session.exec(advanceLine(at - now));
        return { step: i, partial: true };
      }
    }
    session.exec(c.line, c.stdin);
    step = i;
  }
  return { step, partial: false };
}

/**
 * Open a share link's payload: the session rebuilt at `payload.at`. The script's full timeline (for
 * scrubbing past `at`) is `scriptTimeline(payload.script, …)` or a `Replayer`.
 */
export function sessionFromShare(payload: SharePayload): Session {
  return replayTo(payload.script, { seed: payload.seed, startTime: payload.startTime }, { at: payload.at });
}

/**
 * Everything the page needs on load: parse `location.hash` and rebuild the session it carries.
 * Never throws: a bad link (or a script that does not parse, e.g. an unterminated heredoc) comes back as
 * `{ ok: false, kind, error }` with a message to show, so the caller can keep its current session.
 *
 * @example
 * const r = openShare(location.hash)
 * if (r.ok) useSession(r.session, r.payload.view)
 * else if (r.kind !== "none") toast(r.error)
 */
export function openShare(hash: string):
  | { ok: true; session: Session; payload: SharePayload }
  | { ok: false; kind: ShareErrorKind | "script"; error: string } {
  const r = parseShareHash(hash);
  if (!r.ok) return r;
  try {
    return { ok: true, session: sessionFromShare(r.payload), payload: r.payload };
  } catch (e) {
    const why = e instanceof ScriptError ? e.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`;
    return { ok: false, kind: "script", error: `This link's scenario cannot be run (${why}).` };
  }
}

/**
 * Timeline marks for a session's history. A command ends when the next one starts (or at the current
 * clock for the last one): `sim advance` moves the clock, and so do kubectl's waits (`rollout status`,
 * `delete`, `drain`), which run the virtual clock until done.
 */
export function timelineMarks(session: Session): ActionMark[] {
  const start = session.sim.startTime;
  const h = session.history;
  return h.map((e, step) => {
    const setup = isSetupLine(e.line);
    // A `sim clock` line ran in the old time frame; put setup lines at the (final) start.
    const at = setup ? start : e.at;
    const next = h[step + 1];
    const end = setup ? start : next ? (isSetupLine(next.line) ? at : next.at) : session.sim.now;
    const d = advanceDuration(e.line);
    return {
      step, at, end: Math.max(at, end),
      line: e.line,
      kind: setup ? "setup" : d !== undefined ? "advance" : /^\s*sim\b/.test(e.line) ? "sim" : "kubectl",
      failed: e.result.code !== 0,
    };
  });
}

/** Run a whole script and return its marks plus the time span (for a timeline of the whole scenario). */
export function scriptTimeline(script: string | ScriptCommand[], opts: ReplayOptions = {}): { marks: ActionMark[]; start: number; end: number; session: Session } {
  const { session } = replay(script, opts, { step: Number.MAX_SAFE_INTEGER });
  return { marks: timelineMarks(session), start: session.sim.startTime, end: session.sim.now, session };
}

/**
 * Keep commands `0..step` of `session` and drop the rest. Returns a new session rebuilt from the kept
 * commands (the old one is left untouched) and the dropped history entries, so the UI can undo
 * (`for (const h of dropped) session.exec(h.line, h.stdin)` redoes them). When nothing is dropped the same
 * session comes back.
 *
 * `opts` are the options the session was created with; by default they are read from the simulation,
 * which is right unless a dropped `sim seed`/`sim clock` line changed them.
 */
export function forkAt(session: Session, step: number, opts?: ReplayOptions): { session: Session; dropped: HistoryEntry[] } {
  const keep = Math.max(-1, Math.floor(step));
  if (keep >= session.history.length - 1) return { session, dropped: [] };
  const kept = session.history.slice(0, keep + 1);
  const dropped = session.history.slice(keep + 1);
  const o: ReplayOptions = opts ?? { seed: session.sim.seed, startTime: session.sim.startTime };
  const fresh = new Session(o);
  for (const h of kept) fresh.exec(h.line, h.stdin);
  return { session: fresh, dropped };
}

/** The `kubeplay run` transcript of a session's history (`$ line` + output per command). */
export function transcriptOf(session: Session): string {
  let out = "";
  for (const h of session.history) out += `$ ${h.line}\n${h.result.out}${h.result.err}`;
  return out;
}

/**
 * Scrubbing over one script. The session `seek` returns belongs to the Replayer and is valid until the
 * next `seek`: do not run commands on it (call {@link Replayer.detach} first to take it over).
 *
 * Soundness: sessions cannot be copied and only move forward, so
 *  - seeking forward continues the current session (a cut advance is finished with the rest of its
 *    duration, and the history entry merged back into one line);
 *  - seeking backward starts from the latest *parked checkpoint* at or before the target, or from scratch.
 *    A checkpoint is a session built by {@link Replayer.warm} (call it when idle) and parked at a command
 *    boundary; nobody else ever sees it, and it is used up (moved forward) by the seek that takes it;
 *  - a session changed behind the Replayer's back (history, clock or store revision moved) is discarded.
 *
 * Measured (tests/engine/replay/classroom-bench.test.ts): lessons replay in 2–40 ms, so a rebuild is instant;
 * a classroom-size session (20 nodes, 200 pods, 5 virtual minutes) takes seconds, and with 4 warmed
 * checkpoints a backward seek re-runs at most a fifth of the script.
 */
export class Replayer {
  readonly commands: ScriptCommand[];
  private cur: { session: Session; step: number; partial: boolean; fingerprint: string } | undefined;
  /** Parked checkpoints, at command boundaries, ascending by step. Never handed out until used up. */
  private parked: Array<{ session: Session; step: number }> = [];
  private readonly checkpoints: number;
  private ends: number[] | undefined;
  private readonly hasWaits: boolean;
  /** Counters for tests and the bench. */
  readonly stats = { rebuilds: 0, forward: 0, hits: 0, fromCheckpoint: 0, warmed: 0 };

  constructor(script: string | ScriptCommand[], readonly opts: ReplayOptions = {}, options: { checkpoints?: number } = {}) {
    this.commands = toCommands(script);
    this.checkpoints = Math.max(0, Math.floor(options.checkpoints ?? 4));
    this.hasWaits = this.commands.some((c) => isCuttableWait(c.line));
  }

  /** Command end times, computed once (a full run) when the script has observer waits. */
  private endsFor(target: ReplayTarget): number[] | undefined {
    if (!("at" in target) || !this.hasWaits) return undefined;
    return (this.ends ??= commandEnds(this.commands, this.opts));
  }

  seek(target: ReplayTarget): Session {
    const c = this.cur;
    if (c && fingerprint(c.session) === c.fingerprint && !isBehind(c.session, c.step, c.partial, target)) {
      if (isAtTarget(c.session, c.step, c.partial, target, this.commands)) {
        this.stats.hits++;
        return c.session;
      }
      // A cut wait (rollout status, delete) cannot be resumed: what it prints depends on where it
      // started. Only a cut `sim advance` continues; anything else is rebuilt.
      if (!c.partial || advanceDuration(this.commands[c.step]!.line) !== undefined) {
        this.stats.forward++;
        return this.forward(c.session, c.step, c.partial, target);
      }
    }
    const cp = this.takeCheckpoint(target);
    if (cp) {
      this.stats.fromCheckpoint++;
      return this.forward(cp.session, cp.step, false, target);
    }
    this.stats.rebuilds++;
    const r = replay(this.commands, this.opts, target, this.endsFor(target));
    this.set(r.session, r.step, r.partial);
    return r.session;
  }

  /**
   * Build one missing checkpoint (a full replay to an evenly spaced command). Returns false when all
   * are in place. Meant for idle time (requestIdleCallback / a worker's quiet moments).
   */
  warm(): boolean {
    const n = this.commands.length;
    for (let k = 1; k <= this.checkpoints; k++) {
      const step = Math.floor((k * n) / (this.checkpoints + 1)) - 1;
      if (step < 0 || this.parked.some((p) => p.step === step)) continue;
      const r = replay(this.commands, this.opts, { step });
      this.parked.push({ session: r.session, step });
      this.parked.sort((a, b) => a.step - b.step);
      this.stats.warmed++;
      return true;
    }
    return false;
  }

  /** Index of the last command the current session ran, and whether it was cut short. */
  get position(): { step: number; partial: boolean } | undefined {
    return this.cur && { step: this.cur.step, partial: this.cur.partial };
  }

  /** Steps of the parked checkpoints (for tests and debugging). */
  get checkpointSteps(): number[] {
    return this.parked.map((p) => p.step);
  }

  /** Hand the current session over to the caller (it may now run commands on it); the Replayer forgets it. */
  detach(): Session | undefined {
    const s = this.cur?.session;
    this.cur = undefined;
    return s;
  }

  private takeCheckpoint(target: ReplayTarget): { session: Session; step: number } | undefined {
    for (let i = this.parked.length - 1; i >= 0; i--) {
      const p = this.parked[i]!;
      // A parked session after command `step` is a prefix of the target's replay iff the target keeps
      // all of commands 0..step whole: by step, step ≤ target; by time, the session ends at or before it.
      const ok = "step" in target ? p.step <= target.step : p.session.sim.now <= target.at;
      if (ok) {
        this.parked.splice(i, 1);
        return p;
      }
    }
    return undefined;
  }

  /** Move `session` (after command `step`, maybe cut short) forward to `target`. */
  private forward(session: Session, step0: number, partial: boolean, target: ReplayTarget): Session {
    const from = step0 + 1;
    if (partial) {
      // Finish (part of) the cut advance, then merge the two history entries into one line.
      const cmd = this.commands[step0]!;
      const total = advanceDuration(cmd.line)!;
      const first = session.history.pop()!;
      const startAt = first.at;
      const goal = "at" in target ? Math.min(target.at, startAt + total) : startAt + total;
      session.sim.advanceTo(goal);
      const ms = goal - startAt;
      const full = ms === total;
      const line = full ? cmd.line : advanceLine(ms);
      session.history.push({ ...first, line, source: full ? cmd.source : line });
      if (!full) {
        this.set(session, step0, true);
        return session;
      }
    }
    const r = runForward(session, this.commands, from, target, this.endsFor(target));
    const ran = r.step >= from;
    this.set(session, ran ? r.step : step0, ran ? r.partial : false);
    return session;
  }

  private set(session: Session, step: number, partial: boolean) {
    this.cur = { session, step, partial, fingerprint: fingerprint(session) };
  }
}

function fingerprint(s: Session): string {
  const last = s.history[s.history.length - 1];
  return `${s.history.length}|${last?.line ?? ""}|${s.sim.now}|${s.sim.store.resourceVersion}|${s.sim.seed}|${s.sim.startTime}`;
}

/** Is the session already past the target (so reaching it needs a rebuild)? */
function isBehind(s: Session, step: number, partial: boolean, target: ReplayTarget): boolean {
  if ("step" in target) return step > target.step || (step === target.step && partial);
  void partial;
  return s.sim.now > target.at;
}

/** Would running further change anything for this target? */
function isAtTarget(s: Session, step: number, partial: boolean, target: ReplayTarget, commands: ScriptCommand[]): boolean {
  if ("step" in target) return !partial && step === Math.min(target.step, commands.length - 1);
  if (partial) return s.sim.now === target.at;
  // Not partial: done if the next command starts after the target (or there is none).
  const next = commands[step + 1];
  if (!next || s.sim.now > target.at) return true;
  if (s.sim.now < target.at) return false;
  // At the target time: only a real advance (or a wait) may be left for later.
  const d = advanceDuration(next.line);
  return (d !== undefined && d > 0) || isObserverWait(next.line);
}
