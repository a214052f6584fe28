import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import type { CmdResult } from "../types.ts";
export function runExplain(_sim: Simulation, _args: ParsedArgs): CmdResult {
  return { out: "", err: "error: explain: not implemented yet\n", code: 1 };
}
