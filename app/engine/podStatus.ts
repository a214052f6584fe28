/**
 * The STATUS and READY columns of `kubectl get pods` (O3/O4), for the graph's pod chips.
 * Pure. Mirrors kubectl's printPod; the console shows kubectl's own printer, and the e2e test
 * "console matches the graph" keeps the two in step.
 */
import type { Pod } from "../../src/index.ts";

export function podReady(pod: Pod): string {
  const cs = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? cs.length;
  let ready = 0;
  for (const c of cs) if (c.ready && c.state?.running) ready++;
  return `${ready}/${total}`;
}

export function podRestarts(pod: Pod): number {
  let n = 0;
  for (const c of pod.status?.containerStatuses ?? []) n += c.restartCount ?? 0;
  return n;
}

export function podStatusText(pod: Pod): string {
  const st = pod.status ?? {};
  let reason: string = st.reason || st.phase || "Pending";
  const initStatuses = st.initContainerStatuses ?? [];
  const nInit = pod.spec?.initContainers?.length ?? 0;
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t) {
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== "PodInitializing") {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${nInit}`;
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const cs = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      const w = c.state?.waiting, t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) {
      const readyCond = st.conditions?.find((c: { type: string; status: string }) => c.type === "Ready");
      reason = readyCond?.status === "True" ? "Running" : "NotReady";
    }
  }
  if (pod.metadata.deletionTimestamp && st.phase !== "Succeeded" && st.phase !== "Failed") {
    reason = st.reason === "NodeLost" ? "Unknown" : "Terminating";
  }
  return reason;
}

/** Colour family of a STATUS text (legend order). */
export const STATUS_CLASSES = ["Pending", "ContainerCreating", "Running", "Completed", "Error", "CrashLoopBackOff", "Terminating"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export function statusClass(status: string, ready: string): StatusClass {
  if (status === "Terminating" || status === "Unknown") return "Terminating";
  if (status === "Running") return "Running";
  if (status === "NotReady") return "ContainerCreating";
  if (status === "Pending" || status === "SchedulingGated") return "Pending";
  if (status === "ContainerCreating" || status === "PodInitializing" || status.startsWith("Init:")) {
    return /^Init:(\d+\/\d+)?$/.test(status) || status === "ContainerCreating" || status === "PodInitializing" ? "ContainerCreating" : "Error";
  }
  if (status === "Completed" || status === "Succeeded") return "Completed";
  if (/BackOff$/.test(status) || status === "ErrImagePull" || status === "CreateContainerError") return "CrashLoopBackOff";
  void ready;
  return "Error";
}
