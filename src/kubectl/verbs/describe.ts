import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import type { CmdResult } from "../types.ts";
export function runDescribe(_sim: Simulation, _args: ParsedArgs): CmdResult {
  return { out: "", err: "error: describe: not implemented yet\n", code: 1 };
}
