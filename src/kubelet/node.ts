/**
 * Node-level actions that a real cluster does not let you type (`sim node add|stop|start|delete`,
 * `sim pod fail`). TODO(kubelet owner): implement. Signatures are the contract used by the script runner and UI.
 */
import type { Simulation } from "../simulation.ts";

export interface AddNodeOptions {
  name: string;
  /** CPU cores, e.g. "4" or "3500m". Default "2". */
  cpu?: string;
  /** Memory quantity, e.g. "8Gi". Default "4Gi". */
  memory?: string;
  /** Max pods. Default 110. */
  pods?: number;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

export function addNode(_sim: Simulation, _opts: AddNodeOptions): void {
  throw new Error("sim node add: not implemented yet");
}
/** The kubelet stops posting status; containers keep running. */
export function stopKubelet(_sim: Simulation, _name: string): void {
  throw new Error("sim node stop: not implemented yet");
}
export function startKubelet(_sim: Simulation, _name: string): void {
  throw new Error("sim node start: not implemented yet");
}
/** The container (default: the first) exits now with exitCode (default 1). */
export function failPod(_sim: Simulation, _namespace: string, _pod: string, _opts: { container?: string; exitCode?: number }): void {
  throw new Error("sim pod fail: not implemented yet");
}
