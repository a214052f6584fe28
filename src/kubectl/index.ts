/** `kubectl ARGS…` against a simulation: find the verb, parse its flags, print kubectl's errors. */
import { ApiError } from "../api/errors.ts";
import type { Simulation } from "../simulation.ts";
import { FlagError, parseArgs } from "./args.ts";
import { verb } from "./verbs/index.ts";
import { fail, type CmdResult } from "./types.ts";

/** kubectl's cmdutil.CheckErr wording for an API error. */
export function formatApiError(e: ApiError): string {
  if (e.reason === "Invalid" && e.details && e.details.causes.length) {
    const causes = e.details.causes.map((c) => `${c.field}: ${c.message}`);
    const head = `The ${e.details.kind} "${e.details.name}" is invalid: `;
    return causes.length === 1 ? head + causes[0] : head + "\n" + causes.map((c) => `* ${c}`).join("\n");
  }
  return `Error from server (${e.reason}): ${e.message}`;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return formatApiError(e);
  if (e instanceof FlagError) return `error: ${e.message}\nSee 'kubectl --help' for usage.`;
  if (e instanceof Error) return e.message.startsWith("error: ") || e.message.startsWith("Error") ? e.message : `error: ${e.message}`;
  return `error: ${String(e)}`;
}

export function runKubectl(sim: Simulation, argv: string[], stdin?: string): CmdResult {
  const name = argv[0];
  if (!name) return fail("error: a command is required. See 'kubectl --help'.");
  const v = verb(name);
  if (!v) return fail(`error: unknown command "${name}" for "kubectl"`);
  try {
    const args = parseArgs(argv.slice(1), v.flags);
    return sim.act(() => v.run(sim, args, stdin));
  } catch (e) {
    if (e instanceof FlagError) return fail(`error: ${e.message}\nSee 'kubectl ${name} --help' for usage.`);
    return fail(errorText(e));
  }
}
