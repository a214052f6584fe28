/**
 * The kubelet's pod status: phase (O1, kubelet `getPhase`), conditions and container statuses, computed from
 * the runtime's view of the containers. Pure: must not read the store.
 */
import { rfc3339 as rfc3339Slow } from "../util/time.ts";

/** rfc3339 with a one-entry memo per second (status building formats the same few instants many times). */
const memo = new Map<number, string>();
function rfc3339(ms: number): string {
  const k = Math.floor(ms / 1000);
  let v = memo.get(k);
  if (v === undefined) {
    if (memo.size > 4096) memo.clear();
    v = rfc3339Slow(ms);
    memo.set(k, v);
  }
  return v;
}

export interface TermState { exitCode: number; reason: string; startedAt: number; finishedAt: number; containerID: string; signal?: number; message?: string }

export interface ContainerView {
  name: string;
  image: string;
  imageFull: string;
  imageID: string;
  state: "waiting" | "running" | "terminated";
  waitReason?: string;
  waitMessage?: string;
  startedAt?: number;
  term?: TermState;
  last?: TermState;
  restartCount: number;
  containerID?: string;
  ready: boolean;
  started: boolean;
  /** A native sidecar (init container with restartPolicy Always). */
  restartable?: boolean;
}

export type Phase = "Pending" | "Running" | "Succeeded" | "Failed";

/**
 * O1 (kubelet getPhase). `initDone`: every init container succeeded; `initFailedNever`: an init container
 * failed and restartPolicy is Never. `terminal`: the pod is being deleted and no container runs any more.
 */
export function podPhase(app: ContainerView[], restartPolicy: string, initDone: boolean, initFailedNever: boolean, terminal = false): Phase {
  if (initFailedNever) return "Failed";
  if (!initDone) return "Pending";
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const c of app) {
    if (c.state === "running") running++;
    else if (c.state === "terminated") { stopped++; if (c.term!.exitCode === 0) succeeded++; }
    else if (c.last) stopped++;
    else waiting++;
  }
  if (waiting > 0 && !terminal) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0 || terminal) {
    if (terminal) return stopped === succeeded && waiting === 0 ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

function termJson(t: TermState) {
  return {
    containerID: t.containerID,
    exitCode: t.exitCode,
    finishedAt: rfc3339(t.finishedAt),
    ...(t.message ? { message: t.message } : {}),
    reason: t.reason,
    ...(t.signal ? { signal: t.signal } : {}),
    startedAt: rfc3339(t.startedAt),
  };
}

/**
 * One container's status. prober_manager UpdatePodStatus: `started` only while running (isContainerStarted);
 * a regular init container that exited 0 is `ready`.
 */
export function containerStatus(c: ContainerView, init = false): Record<string, unknown> {
  let state: Record<string, unknown>;
  if (c.state === "running") state = { running: { startedAt: rfc3339(c.startedAt!) } };
  else if (c.state === "terminated") state = { terminated: termJson(c.term!) };
  else state = { waiting: { ...(c.waitMessage ? { message: c.waitMessage } : {}), reason: c.waitReason ?? "ContainerCreating" } };
  return {
    ...(c.containerID ? { containerID: c.containerID } : {}),
    image: c.containerID ? c.imageFull : c.image,
    imageID: c.containerID ? c.imageID : "",
    lastState: c.last ? { terminated: termJson(c.last) } : {},
    name: c.name,
    ready: init && !c.restartable ? c.state === "terminated" && c.term!.exitCode === 0 : c.ready,
    restartCount: c.restartCount,
    started: c.state === "running" && c.started,
    state,
  };
}

export interface CondTimes {
  /** Remembered transitions: type → {status, time}. Updated in place when a status flips. */
  get(type: string): { status: string; time: number } | undefined;
  set(type: string, v: { status: string; time: number }): void;
}

export interface StatusInput {
  now: number;
  phase: Phase;
  sandboxReady: boolean;
  init: ContainerView[];
  app: ContainerView[];
  initDone: boolean;
  hostIP: string;
  podIP?: string;
  startTime?: number;
  qosClass?: string;
  /** The conditions the pod has now (PodScheduled and others we do not own are kept). */
  existing: Array<Record<string, any>>;
  times: CondTimes;
}

/** The status the kubelet posts: conditions in the kubelet's order, then the IPs and container statuses. */
export function buildPodStatus(s: StatusInput): Record<string, unknown> {
  const terminal = s.phase === "Succeeded" || s.phase === "Failed";
  const cond = (type: string, ok: boolean, reason?: string, message?: string) => {
    const status = ok ? "True" : "False";
    let prev = s.times.get(type);
    const ex = s.existing.find((c) => c.type === type);
    // someone else changed it meanwhile (node lifecycle's MarkPodsNotReady): the stored condition is the truth
    if (ex && prev && ex.status !== prev.status && ex.lastTransitionTime) prev = { status: ex.status, time: Date.parse(ex.lastTransitionTime) };
    let time = prev && prev.status === status ? prev.time : s.now;
    if (!prev && ex && ex.status === status && ex.lastTransitionTime) time = Date.parse(ex.lastTransitionTime);
    s.times.set(type, { status, time });
    return { lastProbeTime: null, lastTransitionTime: rfc3339(time), ...(message ? { message } : {}), ...(reason ? { reason } : {}), status, type };
  };
  // GenerateContainersReadyCondition: sidecars (restartable init containers) first, then the app containers
  const unreadyApp = [...s.init.filter((c) => c.restartable && !c.ready), ...s.app.filter((c) => !c.ready)].map((c) => c.name);
  const incompleteInit = s.init.filter((c) => (c.restartable ? !(c.state === "running" && c.started) : !(c.state === "terminated" && c.term!.exitCode === 0))).map((c) => c.name);
  const allReady = unreadyApp.length === 0 && s.initDone && !terminal;
  const notReadyReason = terminal ? (s.phase === "Succeeded" ? "PodCompleted" : "PodFailed") : "ContainersNotReady";
  const notReadyMsg = terminal ? undefined : `containers with unready status: [${unreadyApp.join(" ")}]`;
  const conditions: Array<Record<string, unknown>> = [
    cond("PodReadyToStartContainers", s.sandboxReady && !terminal),
    s.initDone ? cond("Initialized", true, s.phase === "Succeeded" ? "PodCompleted" : undefined)
      : cond("Initialized", false, "ContainersNotInitialized", `containers with incomplete status: [${incompleteInit.join(" ")}]`),
    allReady ? cond("Ready", true) : cond("Ready", false, notReadyReason, notReadyMsg),
    allReady ? cond("ContainersReady", true) : cond("ContainersReady", false, notReadyReason, notReadyMsg),
  ];
  const ours = new Set(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"]);
  for (const c of s.existing) if (!ours.has(c.type)) conditions.push(c);
  const st: Record<string, unknown> = { conditions };
  if (s.init.length) st.initContainerStatuses = s.init.map((c) => containerStatus(c, true));
  st.containerStatuses = s.app.map((c) => containerStatus(c));
  st.hostIP = s.hostIP;
  st.hostIPs = [{ ip: s.hostIP }];
  st.phase = s.phase;
  if (s.podIP) {
    st.podIP = s.podIP;
    st.podIPs = [{ ip: s.podIP }];
  }
  if (s.qosClass) st.qosClass = s.qosClass;
  if (s.startTime !== undefined) st.startTime = rfc3339(s.startTime);
  return st;
}
