/** The kubectl layer's contracts: a verb takes parsed args (+ stdin) and returns what it printed. */
import type { Simulation } from "../simulation.ts";
import type { FlagSpec, ParsedArgs } from "./args.ts";

export interface CmdResult {
  /** What went to stdout. Ends with "\n" when non-empty. */
  out: string;
  /** What went to stderr (errors). Ends with "\n" when non-empty. */
  err: string;
  code: number;
}

export interface VerbDef {
  name: string;
  flags: FlagSpec[];
  run(sim: Simulation, args: ParsedArgs, stdin: string | undefined): CmdResult;
}

export const ok = (out = ""): CmdResult => ({ out: out && !out.endsWith("\n") ? out + "\n" : out, err: "", code: 0 });
export const fail = (err: string, out = "", code = 1): CmdResult => ({ out: out && !out.endsWith("\n") ? out + "\n" : out, err: err.endsWith("\n") ? err : err + "\n", code });
