/**
 * A session = a simulation + the script lines that built it. Runs `kubectl …` and `sim …` lines and
 * records them, so the session *is* a script (share links, replay, lessons and tests all use this).
 */
import { createSimulation, type Simulation } from "../simulation.ts";
import { runKubectl, errorText } from "../kubectl/index.ts";
import { fail, ok, type CmdResult } from "../kubectl/types.ts";
import { tokenize } from "./tokenize.ts";
import { formatCommand, parseScript, ScriptError, type ScriptCommand } from "./script.ts";
import { addNode, failPod, startKubelet, stopKubelet } from "../kubelet/node.ts";
import { formatGoDuration, parseGoDuration } from "../util/time.ts";
import { runSimCommand } from "./simCommands.ts";

export interface HistoryEntry {
  /** Source text of the command (heredoc included). */
  source: string;
  line: string;
  stdin?: string;
  result: CmdResult;
  /** Virtual time when the command ran. */
  at: number;
}

export interface SessionOptions {
  seed?: number;
  startTime?: number;
}

export class Session {
  sim: Simulation;
  readonly history: HistoryEntry[] = [];
  private seed: number;
  private startTime: number | undefined;

  constructor(opts: SessionOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.startTime = opts.startTime;
    this.sim = this.fresh();
  }

  private fresh(): Simulation {
    return createSimulation({ seed: this.seed, ...(this.startTime !== undefined ? { startTime: this.startTime } : {}) });
  }

  /** True while only `sim seed`/`sim clock` have run (they may only come first). */
  get pristine(): boolean {
    return this.history.every((h) => /^sim\s+(seed|clock)\b/.test(h.line));
  }

  reset(seed: number, startTime?: number): void {
    this.seed = seed;
    this.startTime = startTime;
    this.sim = this.fresh();
  }

  /** Run one command line (with optional heredoc body) and record it. */
  exec(line: string, stdin?: string): CmdResult {
    const at = this.sim.now;
    let result: CmdResult;
    try {
      result = this.dispatch(line.trim(), stdin);
    } catch (e) {
      result = fail(errorText(e));
    }
    this.history.push({ source: formatCommand(line.trim(), stdin), line: line.trim(), ...(stdin !== undefined ? { stdin } : {}), result, at });
    return result;
  }

  private dispatch(line: string, stdin: string | undefined): CmdResult {
    let words: string[];
    try {
      words = tokenize(line.replace(/\s*<<\s*['"]?\w+['"]?\s*$/, ""));
    } catch (e) {
      return fail(`error: ${(e as Error).message}`);
    }
    if (words.length === 0) return ok();
    const [cmd, ...rest] = words;
    if (cmd === "kubectl" || cmd === "k") return runKubectl(this.sim, rest, stdin);
    if (cmd === "sim") return runSimCommand(this, rest);
    return fail(`kubeplay: ${cmd}: command not found (lines start with "kubectl" or "sim")`, "", 127);
  }

  /** The session as script text. */
  script(): string {
    return this.history.map((h) => h.source).join("\n") + (this.history.length ? "\n" : "");
  }
}

export interface TranscriptOptions extends SessionOptions {}

/** Run a whole script and return `$ command` + output blocks (the `kubeplay run` transcript). */
export function runScript(text: string, opts: TranscriptOptions = {}): { transcript: string; session: Session; commands: ScriptCommand[] } {
  const session = new Session(opts);
  let commands: ScriptCommand[];
  try {
    commands = parseScript(text);
  } catch (e) {
    if (e instanceof ScriptError) throw e;
    throw e;
  }
  let transcript = "";
  for (const c of commands) {
    const r = session.exec(c.line, c.stdin);
    // stdout that does not end a line (e.g. -o jsonpath) still ends its block in the transcript
    const out = r.out && !r.out.endsWith("\n") ? r.out + "\n" : r.out;
    transcript += `$ ${c.line}\n${out}${r.err}`;
  }
  return { transcript, session, commands };
}

export { addNode, failPod, startKubelet, stopKubelet, parseGoDuration, formatGoDuration };
