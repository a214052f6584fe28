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
  /** The status containerStatus built last for this container (owned by it; frozen). */
  lastStatus?: Record<string, unknown>;
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
  for (let i = 0; i < app.length; i++) {
    const c = app[i]!;
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
  return Object.freeze({
    containerID: t.containerID,
    exitCode: t.exitCode,
    finishedAt: rfc3339(t.finishedAt),
    ...(t.message ? { message: t.message } : {}),
    reason: t.reason,
    ...(t.signal ? { signal: t.signal } : {}),
    startedAt: rfc3339(t.startedAt),
  });
}

const NO_LAST_STATE = Object.freeze({});
const RUNNING = new Map<string, Readonly<Record<string, unknown>>>();
/** `{ running: { startedAt } }`: one frozen object per start second, shared by the containers started then. */
function runningState(startedAt: string): Readonly<Record<string, unknown>> {
  let r = RUNNING.get(startedAt);
  if (r === undefined) {
    if (RUNNING.size >= 4096) RUNNING.clear();
    RUNNING.set(startedAt, (r = Object.freeze({ running: Object.freeze({ startedAt }) })));
  }
  return r;
}
const WAITING = new Map<string, Readonly<Record<string, unknown>>>();
/** `{ waiting: { reason } }` without a message: one frozen object per reason. */
function waitingState(reason: string): Readonly<Record<string, unknown>> {
  let w = WAITING.get(reason);
  if (!w) WAITING.set(reason, (w = Object.freeze({ waiting: Object.freeze({ reason }) })));
  return w;
}

/** A termination's JSON, built once per TermState (frozen; kept on a WeakMap, the TermState is never changed). */
const TERM_JSON = new WeakMap<TermState, Readonly<Record<string, unknown>>>();
function termJsonOf(t: TermState): Readonly<Record<string, unknown>> {
  let j = TERM_JSON.get(t);
  if (!j) TERM_JSON.set(t, (j = termJson(t)));
  return j;
}

/** Does `prev` (a status containerStatus built) say exactly what a new one for `c` would? */
function sameStatus(prev: Record<string, any>, c: ContainerView, ready: boolean, started: boolean): boolean {
  if (prev.containerID !== (c.containerID || undefined) || prev.restartCount !== c.restartCount || prev.ready !== ready || prev.started !== started) return false;
  if (c.last ? prev.lastState.terminated !== termJsonOf(c.last) : prev.lastState !== NO_LAST_STATE) return false;
  const st = prev.state;
  if (c.state === "running") return st.running !== undefined && st.running.startedAt === rfc3339(c.startedAt!);
  if (c.state === "terminated") return st.terminated === termJsonOf(c.term!);
  const w = st.waiting;
  return w !== undefined && w.reason === (c.waitReason ?? "ContainerCreating") && w.message === (c.waitMessage || undefined);
}

/**
 * One container's status. prober_manager UpdatePodStatus: `started` only while running (isContainerStarted);
 * a regular init container that exited 0 is `ready`. Frozen (deep); while nothing it is built from changed,
 * the container's previous one (`c.lastStatus`) is returned again, so statuses posted one after another share
 * their unchanged entries.
 */
export function containerStatus(c: ContainerView, init = false): Record<string, unknown> {
  const ready = init && !c.restartable ? c.state === "terminated" && c.term!.exitCode === 0 : c.ready;
  const started = c.state === "running" && c.started;
  const prev = c.lastStatus;
  if (prev !== undefined && sameStatus(prev, c, ready, started)) return prev;
  let state: Readonly<Record<string, unknown>>;
  if (c.state === "running") state = runningState(rfc3339(c.startedAt!));
  else if (c.state === "terminated") state = Object.freeze({ terminated: termJsonOf(c.term!) });
  else if (c.waitMessage) state = Object.freeze({ waiting: Object.freeze({ message: c.waitMessage, reason: c.waitReason ?? "ContainerCreating" }) });
  else state = waitingState(c.waitReason ?? "ContainerCreating");
  const lastState = c.last ? Object.freeze({ terminated: termJsonOf(c.last) }) : NO_LAST_STATE;
  // (two literals rather than a conditional spread: the same keys in the same order, without temporaries)
  const cs = Object.freeze(c.containerID
    ? { containerID: c.containerID, image: c.imageFull, imageID: c.imageID, lastState, name: c.name, ready, restartCount: c.restartCount, started, state }
    : { image: c.image, imageID: "", lastState, name: c.name, ready, restartCount: c.restartCount, started, state }) as Record<string, unknown>;
  c.lastStatus = cs;
  return cs;
}

/**
 * Remembered transitions of our four conditions (PodReadyToStartContainers, Initialized, Ready, ContainersReady,
 * slots 0–3 in that order): per condition its status code (0 none yet, 1 True, 2 False) in two bits of `condCodes`
 * (slot 0 lowest), and the lastTransitionTime text it was last given in condTime0…3 — updated in place. The
 * kubelet's pod record holds them as its own fields (no array of its own per pod).
 */
export interface CondTimes { condCodes: number; condTime0: string; condTime1: string; condTime2: string; condTime3: string }

function condTime(t: CondTimes, slot: number): string {
  return slot === 0 ? t.condTime0 : slot === 1 ? t.condTime1 : slot === 2 ? t.condTime2 : t.condTime3;
}

function setCondTime(t: CondTimes, slot: number, ltt: string): void {
  if (slot === 0) t.condTime0 = ltt;
  else if (slot === 1) t.condTime1 = ltt;
  else if (slot === 2) t.condTime2 = ltt;
  else t.condTime3 = ltt;
}

const CODE_STATUS = ["", "True", "False"];

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
  /** The conditions of the status this kubelet posted last (their unchanged ones are reused), if any. */
  posted?: readonly unknown[];
  /** ipList(hostIP) / ipList(podIP), when the caller keeps them. */
  hostIPs?: ReadonlyArray<Readonly<{ ip: string }>>;
  podIPs?: ReadonlyArray<Readonly<{ ip: string }>>;
}

const OURS = new Set(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"]);
const HOST_IPS = new Map<string, ReadonlyArray<Readonly<{ ip: string }>>>();
/** `[{ ip }]`, frozen and shared (hostIPs/podIPs of every pod with that address). */
export function ipList(ip: string): ReadonlyArray<Readonly<{ ip: string }>> {
  let l = HOST_IPS.get(ip);
  if (!l) {
    if (HOST_IPS.size > 100_000) HOST_IPS.clear();
    HOST_IPS.set(ip, (l = Object.freeze([Object.freeze({ ip })])));
  }
  return l;
}

/** One of our conditions, its transition time kept while its status holds (a plain function: no closure per build). */
function cond(s: StatusInput, slot: number, type: string, ok: boolean, reason?: string, message?: string): Record<string, unknown> {
  const existing = s.existing;
  const status = ok ? "True" : "False";
  const code = ok ? 1 : 2;
  const t = s.times, shift = 2 * slot;
  let prevCode = (t.condCodes >> shift) & 3;
  // (the text of the time it last changed: rfc3339 of that instant, as it was first formatted)
  let prevLtt = prevCode !== 0 ? condTime(t, slot) : "";
  let ex: Record<string, any> | undefined;
  for (let i = 0; i < existing.length; i++) if (existing[i]!.type === type) { ex = existing[i]; break; }
  // reused only when it is one we built (same keys in the same order): it is in the conditions we posted last
  const own = ex !== undefined && s.posted !== undefined && s.posted.includes(ex);
  // someone else changed it meanwhile (node lifecycle's MarkPodsNotReady): the stored condition is the truth
  if (ex && prevCode !== 0 && ex.status !== CODE_STATUS[prevCode] && ex.lastTransitionTime) {
    prevCode = ex.status === "True" ? 1 : ex.status === "False" ? 2 : 3;
    prevLtt = rfc3339(Date.parse(ex.lastTransitionTime));
  }
  let ltt = prevCode !== 0 && prevCode === code ? prevLtt : rfc3339(s.now);
  if (prevCode === 0 && ex && ex.status === status && ex.lastTransitionTime) ltt = rfc3339(Date.parse(ex.lastTransitionTime));
  t.condCodes = (t.condCodes & ~(3 << shift)) | (code << shift);
  setCondTime(t, slot, ltt);
  // the condition we posted last time, unchanged: post the same (frozen) object again
  if (ex && own && ex.status === status && ex.lastTransitionTime === ltt && ex.reason === reason && ex.message === message
    && ex.lastProbeTime === null) return ex;
  return internCondition(ltt, status, type, reason, message);
}

/** Conditions by lastTransitionTime text: pods whose condition changed in the same second share one frozen object. */
const CONDITIONS = new Map<string, Array<Readonly<Record<string, unknown>>>>();

function internCondition(ltt: string, status: string, type: string, reason?: string, message?: string): Record<string, unknown> {
  let list = CONDITIONS.get(ltt);
  if (list === undefined) {
    if (CONDITIONS.size >= 512) CONDITIONS.clear();
    CONDITIONS.set(ltt, (list = []));
  }
  for (const c of list) if (c.type === type && c.status === status && c.reason === reason && c.message === message) return c;
  // (literals per shape rather than conditional spreads: the same keys in the same order, without temporaries)
  let made: Readonly<Record<string, unknown>>;
  if (message) {
    made = Object.freeze(reason
      ? { lastProbeTime: null, lastTransitionTime: ltt, message, reason, status, type }
      : { lastProbeTime: null, lastTransitionTime: ltt, message, status, type });
  } else made = Object.freeze(reason ? { lastProbeTime: null, lastTransitionTime: ltt, reason, status, type } : { lastProbeTime: null, lastTransitionTime: ltt, status, type });
  if (list.length < 64) list.push(made);
  return made;
}

/** `containers with unready status: [${names}]` per names text, shared (built for most pods twice while they start). */
const UNREADY_MSG = new Map<string, string>();
function unreadyMessage(names: string): string {
  let m = UNREADY_MSG.get(names);
  if (m === undefined) {
    if (UNREADY_MSG.size >= 256) UNREADY_MSG.clear();
    UNREADY_MSG.set(names, (m = `containers with unready status: [${names}]`));
  }
  return m;
}

/** Frozen condition lists by their first condition (see conditionList). */
const CONDITION_LISTS = new Map<object, Array<ReadonlyArray<Record<string, unknown>>>>();

/**
 * [c0, c1, c2, c3] or [c0, c1, c2, c3, other]: when every condition is frozen (ours are; another component's usually
 * is), one frozen list shared by every status with the same condition objects (pods that changed in the same seconds),
 * else a new list.
 */
function conditionList(c0: Record<string, unknown>, c1: Record<string, unknown>, c2: Record<string, unknown>, c3: Record<string, unknown>,
  other: Record<string, unknown> | undefined): ReadonlyArray<Record<string, unknown>> {
  if (!(Object.isFrozen(c0) && Object.isFrozen(c1) && Object.isFrozen(c2) && Object.isFrozen(c3) && (other === undefined || Object.isFrozen(other)))) {
    return other === undefined ? [c0, c1, c2, c3] : [c0, c1, c2, c3, other];
  }
  let lists = CONDITION_LISTS.get(c0);
  if (lists === undefined) {
    if (CONDITION_LISTS.size >= 1024) CONDITION_LISTS.clear();
    CONDITION_LISTS.set(c0, (lists = []));
  }
  const n = other === undefined ? 4 : 5;
  for (let i = 0; i < lists.length; i++) {
    const l = lists[i]!;
    if (l.length === n && l[1] === c1 && l[2] === c2 && l[3] === c3 && l[4] === other) return l;
  }
  const made = Object.freeze(other === undefined ? [c0, c1, c2, c3] : [c0, c1, c2, c3, other]);
  if (lists.length >= 16) lists.shift();
  lists.push(made);
  return made;
}

/** The containers' statuses, in an array of exactly their number (see buildPodStatus). */
function statusList(list: ContainerView[], init: boolean): unknown[] {
  if (list.length === 1) return [containerStatus(list[0]!, init)];
  return list.map((c) => containerStatus(c, init));
}

/**
 * The status the kubelet posts: conditions in the kubelet's order, then the IPs and container statuses. Its arrays
 * are built at their final length and its usual shapes as one literal each: an array pushed past its literal length
 * grows its backing store to ~20 slots, and an object built key by key outgrows its in-object slots into a property
 * array — both kept as long as the status is stored.
 */
export function buildPodStatus(s: StatusInput): Record<string, unknown> {
  const terminal = s.phase === "Succeeded" || s.phase === "Failed";
  const init = s.init, app = s.app;
  // GenerateContainersReadyCondition: sidecars (restartable init containers) first, then the app containers
  let unready = "", incomplete = "", anyUnready = false;
  for (let i = 0; i < init.length; i++) {
    const c = init[i]!;
    if (c.restartable && !c.ready) { unready += (anyUnready ? " " : "") + c.name; anyUnready = true; }
  }
  for (let i = 0; i < app.length; i++) {
    const c = app[i]!;
    if (!c.ready) { unready += (anyUnready ? " " : "") + c.name; anyUnready = true; }
  }
  let anyIncomplete = false;
  for (let i = 0; i < init.length; i++) {
    const c = init[i]!;
    if (c.restartable ? !(c.state === "running" && c.started) : !(c.state === "terminated" && c.term!.exitCode === 0)) {
      incomplete += (anyIncomplete ? " " : "") + c.name;
      anyIncomplete = true;
    }
  }
  const allReady = !anyUnready && s.initDone && !terminal;
  const notReadyReason = terminal ? (s.phase === "Succeeded" ? "PodCompleted" : "PodFailed") : "ContainersNotReady";
  const notReadyMsg = terminal ? undefined : unreadyMessage(unready);
  const c0 = cond(s, 0, "PodReadyToStartContainers", s.sandboxReady && !terminal);
  const c1 = s.initDone ? cond(s, 1, "Initialized", true, s.phase === "Succeeded" ? "PodCompleted" : undefined)
    : cond(s, 1, "Initialized", false, "ContainersNotInitialized", `containers with incomplete status: [${incomplete}]`);
  const c2 = allReady ? cond(s, 2, "Ready", true) : cond(s, 2, "Ready", false, notReadyReason, notReadyMsg);
  const c3 = allReady ? cond(s, 3, "ContainersReady", true) : cond(s, 3, "ContainersReady", false, notReadyReason, notReadyMsg);
  // then the conditions we do not own (PodScheduled, …), in their order
  const existing = s.existing;
  let others = 0, other: Record<string, unknown> | undefined;
  for (let i = 0; i < existing.length; i++) if (!OURS.has(existing[i]!.type)) { if (others++ === 0) other = existing[i]; }
  let conditions: ReadonlyArray<Record<string, unknown>>;
  if (others <= 1) conditions = conditionList(c0, c1, c2, c3, other);
  else {
    const list = [c0, c1, c2, c3];
    for (let i = 0; i < existing.length; i++) if (!OURS.has(existing[i]!.type)) list.push(existing[i]!);
    conditions = list;
  }
  const initContainerStatuses = init.length ? statusList(init, true) : undefined;
  const containerStatuses = statusList(app, false);
  const hostIP = s.hostIP, hostIPs = s.hostIPs ?? ipList(s.hostIP), phase = s.phase;
  const podIP = s.podIP, qosClass = s.qosClass;
  if (initContainerStatuses === undefined && qosClass && s.startTime !== undefined) {
    // the usual shapes (same keys in the same order as the general case below)
    const startTime = rfc3339(s.startTime);
    if (podIP) return { conditions, containerStatuses, hostIP, hostIPs, phase, podIP, podIPs: s.podIPs ?? ipList(podIP), qosClass, startTime };
    return { conditions, containerStatuses, hostIP, hostIPs, phase, qosClass, startTime };
  }
  const st: Record<string, unknown> = { conditions };
  if (initContainerStatuses !== undefined) st.initContainerStatuses = initContainerStatuses;
  st.containerStatuses = containerStatuses;
  st.hostIP = hostIP;
  st.hostIPs = hostIPs;
  st.phase = phase;
  if (podIP) {
    st.podIP = podIP;
    st.podIPs = s.podIPs ?? ipList(podIP);
  }
  if (qosClass) st.qosClass = qosClass;
  if (s.startTime !== undefined) st.startTime = rfc3339(s.startTime);
  return st;
}
