/**
 * Runs one generated sequence through a fresh Session, checking every invariant after every step, and
 * renders it as a script (so a failing, shrunk sequence is a reproducible `kubeplay run` file).
 */
import { Session } from "../../../src/scenario/session.ts";
import { formatCommand } from "../../../src/scenario/script.ts";
import { type Action, NODES, type Sequence, toCommand } from "./actions.ts";
import { Checker, type Violation } from "./invariants.ts";


export interface RunResult {
  script: string;
  transcript: string;
  violations: Array<Violation & { step: number; line: string }>;
}

/** The setup actions every sequence starts with: its initial nodes, then a little time. */
export function withSetup(seq: Sequence): Action[] {
  return [...seq.nodes.map((node) => ({ t: "nodeAdd" as const, node })), ...seq.initial, { t: "advance", ms: 30_000 }, ...seq.actions];
}

export function runSequence(seq: Sequence, opts: { stopAtFirst?: boolean } = {}): RunResult {
  const session = new Session({ seed: seq.seed });
  const checker = new Checker(session);
  const violations: RunResult["violations"] = [];
  let script = `sim seed ${seq.seed}\n`;
  let transcript = "";
  const actions = withSetup(seq);
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    const cmd = toCommand(a, session);
    checker.before(a);
    const t0 = session.sim.now;
    const r = session.exec(cmd.line, cmd.stdin);
    script += formatCommand(cmd.line, cmd.stdin) + "\n";
    transcript += `$ ${cmd.line}\n${r.out}${r.err}`;
    const settled = a.t === "settle" || (a.t === "advance" && a.ms >= 120_000);
    checker.after(a, cmd.line, r, t0, settled);
    for (const v of checker.violations.splice(0)) violations.push({ ...v, step: i, line: cmd.line });
    if (violations.length && opts.stopAtFirst) break;
  }
  return { script, transcript, violations };
}

export function describeFailure(r: RunResult): string {
  const v = r.violations[0]!;
  return `[${v.fact}] ${v.message}\n  at step ${v.step}: ${v.line}\n--- script ---\n${r.script}`;
}

export { NODES, type Sequence };
