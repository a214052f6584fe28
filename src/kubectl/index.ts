/** `kubectl ARGS…` against a simulation: find the verb, parse its flags, print kubectl's errors. */
import { ApiError } from "../api/errors.ts";
import type { Simulation } from "../simulation.ts";
import { FlagError, parseArgs } from "./args.ts";
import { verb } from "./verbs/index.ts";
import { fail, type CmdResult } from "./types.ts";

import { formatApiError } from "./errors.ts";
export { formatApiError };

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return formatApiError(e);
  if (e instanceof FlagError) return `error: ${e.message}\nSee 'kubectl --help' for usage.`;
  if (e instanceof Error) return e.message.startsWith("error: ") || e.message.startsWith("Error") ? e.message : `error: ${e.message}`;
  return `error: ${String(e)}`;
}

/** Real kubectl commands that need a terminal, a network or a metrics server: what to do instead here. */
const NOT_HERE: Record<string, string> = {
  edit: "hint: kubeplay has no terminal editor: `kubectl get <type>/<name> -o yaml`, change the YAML in the editor and Apply (or use kubectl patch, scale, set image)",
  exec: "hint: kubeplay's containers are simulated: read what a container printed with `kubectl logs`",
  attach: "hint: kubeplay's containers are simulated: read what a container printed with `kubectl logs`",
  "port-forward": "hint: kubeplay has no network to forward to",
  proxy: "hint: kubeplay has no API server to proxy to",
  top: "hint: kubeplay has no metrics server; `kubectl describe node` shows requests against allocatable",
  expose: "hint: write the Service as YAML and apply it",
  autoscale: "hint: kubeplay has no HorizontalPodAutoscaler; use kubectl scale",
};

export function runKubectl(sim: Simulation, argv: string[], stdin?: string): CmdResult {
  const name = argv[0];
  if (!name) return fail("error: a command is required. See 'kubectl --help'.");
  const v = verb(name);
  if (!v) {
    const hint = NOT_HERE[name];
    return fail(`error: unknown command "${name}" for "kubectl"${hint ? `\n${hint}` : ""}`);
  }
  try {
    const args = parseArgs(argv.slice(1), v.flags);
    return sim.act(() => v.run(sim, args, stdin));
  } catch (e) {
    if (e instanceof FlagError) return fail(`error: ${e.message}\nSee 'kubectl ${name} --help' for usage.`);
    return fail(errorText(e));
  }
}
