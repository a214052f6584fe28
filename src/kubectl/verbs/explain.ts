/** `kubectl explain RESOURCE[.field…] [--recursive]`. */
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { explain } from "../explain.ts";
import { KubectlError } from "../resources.ts";
import type { CmdResult } from "../types.ts";

export function runExplain(_sim: Simulation, args: ParsedArgs): CmdResult {
  const [path, ...extra] = args.positional;
  if (!path) throw new KubectlError("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.");
  if (extra.length) throw new KubectlError("error: We accept only this format: explain RESOURCE");
  return { out: explain(path, args.bool("recursive")), err: "", code: 0 };
}
