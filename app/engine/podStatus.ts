/**
 * Colour families for the graph's pod chips. The STATUS text itself comes from kubectl's printer
 * (src/kubectl/printers/podstatus.ts, O3) so the graph and `kubectl get pods` always agree.
 */

/** Colour family of a STATUS text (legend order). */
export const STATUS_CLASSES = ["Pending", "ContainerCreating", "Running", "Completed", "Error", "CrashLoopBackOff", "Terminating"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export function statusClass(status: string): StatusClass {
  if (status === "Terminating" || status === "Unknown") return "Terminating";
  if (/BackOff$/.test(status) || /(^|:)(ErrImagePull|CreateContainerError|CreateContainerConfigError)$/.test(status)) return "CrashLoopBackOff";
  if (status === "Running") return "Running";
  if (status === "NotReady") return "ContainerCreating";
  if (status === "Pending" || status === "SchedulingGated") return "Pending";
  if (status === "ContainerCreating" || status === "PodInitializing" || status.startsWith("Init:")) {
    return /^Init:(\d+\/\d+)?$/.test(status) || status === "ContainerCreating" || status === "PodInitializing" ? "ContainerCreating" : "Error";
  }
  if (status === "Completed" || status === "Succeeded") return "Completed";
  return "Error";
}
