/**
 * Container logs as `kubectl logs` reads them. TODO(kubelet owner): implement.
 * Throws Error with kubectl's text when the pod/container is unknown or has no previous instance, e.g.
 * `previous terminated container "c" in pod "p" not found`,
 * `a container name must be specified for pod p, choose one of: [a b]`.
 */
import type { Simulation } from "../simulation.ts";

export interface LogOptions {
  container?: string;
  previous?: boolean;
  timestamps?: boolean;
  tail?: number;
}

export function getLogs(_sim: Simulation, _namespace: string, _pod: string, _opts: LogOptions = {}): string {
  throw new Error("logs: not implemented yet");
}
