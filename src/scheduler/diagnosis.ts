/**
 * Why a pending pod is not scheduled, for the UI and `kubectl describe`. TODO(scheduler owner): implement.
 */
import type { Simulation } from "../simulation.ts";

export interface Diagnosis {
  /** The FailedScheduling message (K4), e.g. "0/3 nodes are available: …". */
  message: string;
  /** node name → reasons of the first failing filter plugin (K1). */
  perNode: Record<string, { plugin: string; reasons: string[] }>;
}

export function getSchedulingDiagnosis(_sim: Simulation, _podKey: string): Diagnosis | undefined {
  return undefined;
}
