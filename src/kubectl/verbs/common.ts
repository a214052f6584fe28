/** Helpers shared by the verbs: waiting on virtual time, error wording, object naming. */
import { ApiError } from "../../api/errors.ts";
import type { Simulation } from "../../simulation.ts";
import { formatApiError } from "../errors.ts";

/**
 * What kubectl's waits (delete --wait, drain) do on a real cluster — block while the cluster moves on —
 * done here by running the virtual clock timer by timer until `done()` or `timeoutMs` has passed.
 * Returns whether `done()` became true.
 */
export function waitFor(sim: Simulation, done: () => boolean, timeoutMs: number): boolean {
  const deadline = sim.now + timeoutMs;
  sim.settle();
  while (!done()) {
    const next = sim.clock.peek();
    if (next === undefined || next > deadline) return false;
    sim.advanceTo(next);
  }
  return true;
}

/** cmdutil.AddSourceToErr: `error when creating "STDIN": …` inside a StatusError's message (not for Invalid). */
export function withSource(e: unknown, verb: string, source: string): string {
  if (e instanceof ApiError) {
    if (e.reason === "Invalid" && e.details) return formatApiError(e);
    return `Error from server (${e.reason}): error when ${verb} "${source}": ${e.message}`;
  }
  return errorString(e);
}

export function errorString(e: unknown): string {
  if (e instanceof ApiError) return formatApiError(e);
  const m = e instanceof Error ? e.message : String(e);
  return m.startsWith("error: ") || m.startsWith("Error") || m.startsWith("Warning") ? m : `error: ${m}`;
}
