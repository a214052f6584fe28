/**
 * `kubectl get pods` READY / STATUS / RESTARTS (O3, O4), after printPod in
 * pkg/printers/internalversion/printers.go. Pure: exported for the UI (pod colours, tooltips).
 */
import type { Pod } from "../../api/types.ts";
import { humanDuration, parseTime } from "../../util/time.ts";

export interface PodDisplayStatus {
  /** `1/1` */
  ready: string;
  readyCount: number;
  total: number;
  /** STATUS column: Running, Pending, ContainerCreating, CrashLoopBackOff, Init:0/1, Completed, Terminating… */
  status: string;
  restarts: number;
  /** RESTARTS column: `0`, `2 (15s ago)` */
  restartsText: string;
}

const NODE_UNREACHABLE_POD_REASON = "NodeLost";

function isRestartableInit(c: { restartPolicy?: string } | undefined): boolean {
  return c?.restartPolicy === "Always";
}

export function podDisplayStatus(pod: Pod, now: number): PodDisplayStatus {
  const spec = pod.spec ?? ({} as Pod["spec"]);
  const st = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = 0;
  let lastRestartableInitRestart = 0;
  const phase = st.phase ?? "Pending";
  let reason: string = phase;
  if (st.reason) reason = st.reason;
  for (const c of st.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }
  const inits = new Map<string, { restartPolicy?: string }>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isRestartableInit(c)) total++;
  }
  let initializing = false;
  const ics = st.initContainerStatuses ?? [];
  for (let i = 0; i < ics.length; i++) {
    const c = ics[i]!;
    restarts += c.restartCount ?? 0;
    const fin = parseTime(c.lastState?.terminated?.finishedAt) ?? 0;
    if (c.lastState?.terminated && fin > lastRestart) lastRestart = fin;
    const restartable = isRestartableInit(inits.get(c.name));
    if (restartable) {
      restartableInitRestarts += c.restartCount ?? 0;
      if (c.lastState?.terminated && fin > lastRestartableInitRestart) lastRestartableInitRestart = fin;
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (restartable && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (wait && wait.reason && wait.reason !== "PodInitializing") {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = (st.conditions ?? []).some((c) => c.type === "Initialized" && c.status === "True");
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const cs = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      restarts += c.restartCount ?? 0;
      const fin = parseTime(c.lastState?.terminated?.finishedAt) ?? 0;
      if (c.lastState?.terminated && fin > lastRestart) lastRestart = fin;
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait && wait.reason) reason = wait.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      const podReady = (st.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
      reason = podReady ? "Running" : "NotReady";
    }
  }
  if (pod.metadata.deletionTimestamp && st.reason === NODE_UNREACHABLE_POD_REASON) reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart > 0) restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, readyCount: ready, total, status: reason, restarts, restartsText };
}
