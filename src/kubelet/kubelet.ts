/**
 * The simulated kubelets: one controller ("kubelet") keyed by pod, acting only for pods bound to a node whose
 * kubelet runs. Timers (sandbox ready, image pulled, a program's sleep, probes, backoff) change the runtime
 * state and enqueue the pod; `syncPod` makes the decisions (start the next container, restart with backoff
 * O2, terminate gracefully O5) and posts the status (O1, O3).
 */
import type { ControllerDef } from "../controllers/types.ts";
import type { Ctx, Simulation } from "../simulation.ts";
import type { KubeObject, ObjectKey, Pod } from "../api/types.ts";
import { splitKey } from "../api/types.ts";
import type { TimerId } from "../clock/clock.ts";
import { hex8 } from "../clock/rng.ts";
import { FileSystem, Volume, type Mount } from "./shell/fs.ts";
import { BUILTINS, Shell, type IO, type Prog, type ShellHost } from "./shell/interp.ts";
import { PARKED, PARKED_SERVER, Process, serverPolicy, shellPolicy, type ProcessOwner, type SignalPolicy } from "./process.ts";
import { imageDefaults, imageDigest, imageKind, imageRoot, imageSize, parseImage, serverProgram, fnv, type ImageRef, type ServerCtx } from "./images.ts";
import { buildPodStatus, ipList, podPhase, type CondTimes, type ContainerView, type StatusInput, type TermState } from "./status.ts";
import { containerEnv, expandK8sRefs } from "./env.ts";
import { runProbe, type ProbeKind } from "./probes.ts";
import { jsonEqual } from "../util/jsonEqual.ts";
import { QuietKeys } from "../controllers/util/quiet.ts";

export const KUBELET = "kubelet";
const SANDBOX_MS = 1000;
const BACKOFF_INITIAL = 10_000;
const BACKOFF_MAX = 300_000;
const MAX_LOG_CHUNKS = 5000;
/** How often a failing mount / container config is retried (and its Warning event repeated). */
const MOUNT_RETRY_MS = 30_000;
const CONFIG_RETRY_MS = 10_000;

export interface LogLine { t: number; stream: "stdout" | "stderr"; text: string }

export interface ProbeRt { timer?: TimerId; successes: number; failures: number }

/** ContainerRt.flags: the state (two bits), then one bit per boolean, then what runtimeChanged saw last (see there). */
const C_STATE = 3, C_INIT = 4, C_READY = 8, C_STARTED = 16, C_EVER_STARTED = 32, C_TERM_SENT = 64;
const C_SIG_SHIFT = 8;
const STATE_NAMES = ["waiting", "running", "terminated"] as const;
type CState = (typeof STATE_NAMES)[number];

/**
 * What only some containers need (a wait message, a previous run, probes, back-off, config retries, a built fs/env):
 * a container record gets one on the first such value, so a plain running server's record stays small.
 */
class ContainerMore {
  waitMessage: string | undefined = undefined;
  last: TermState | undefined = undefined;
  prevLogs: LogLine[] | undefined = undefined;
  probes: Partial<Record<ProbeKind, ProbeRt>> = NO_PROBES;
  backoffUntil: number | undefined = undefined;
  configRetryAt: number | undefined = undefined;
  killedBy: string | undefined = undefined;
  startFs: FileSystem | undefined = undefined;
  startEnv: Array<[string, string]> | undefined = undefined;
  /** runtimeChanged's copy of waitMessage ("" while there is no record). */
  sigWaitMessage = "";
}

/**
 * The kubelet's record of one container of a pod: a class of fixed layout holding the fields every running container
 * uses; booleans and the state are bits of `flags`, rarer fields live in a ContainerMore made on first use, and what
 * follows from the spec (name, image, imageFull, restartable) or the image (ref, imageID) are getters. (Node runs
 * without pointer compression: every field is 8 bytes per container.)
 */
export class ContainerRt implements ContainerView, ProcessOwner {
  flags: number;
  waitReason: string | undefined;
  startedAt: number | undefined = undefined;
  term: TermState | undefined = undefined;
  restartCount = 0;
  containerID: string | undefined = undefined;
  lastStatus: Record<string, unknown> | undefined = undefined;
  /** Its program (PARKED_SERVER for a server suspended for good: see there). */
  proc: Process | undefined = undefined;
  /** Its pod's record (set by newPodRt). */
  rt!: PodRt;
  /**
   * The current start: the pod's metadata and spec then (what its fs and env are built from, on first use, fresh per
   * start) and the controller context (see createAndStart). The record is also the owner its Process reports to.
   */
  ctx: Ctx | undefined = undefined;
  /** The labels and annotations then (the rest of the metadata fs/env read — name, namespace, uid — is the pod's record's). */
  startLabels: Pod["metadata"]["labels"] = undefined;
  startAnnotations: Pod["metadata"]["annotations"] = undefined;
  startSpec: Pod["spec"] | undefined = undefined;
  logs: LogLine[] = NO_LOGS;
  /** What runtimeChanged saw last (see there; the booleans and state are in flags). */
  sigWaitReason: string | undefined = undefined;
  sigRestartCount: number | undefined = undefined;
  sigExitCode: number | string | undefined = undefined;
  more: ContainerMore | undefined = undefined;

  constructor(readonly spec: any, init: boolean, private readonly img: { ref: ImageRef; digest: string }) {
    this.flags = init ? C_INIT : 0;
    this.waitReason = init ? "PodInitializing" : "ContainerCreating";
  }

  get name(): string { return this.spec.name; }
  get image(): string { return this.spec.image; }
  get imageFull(): string { return this.img.ref.full; }
  get ref(): ImageRef { return this.img.ref; }
  get imageID(): string { return this.img.digest; }
  /** An init container (regular or sidecar). */
  get init(): boolean { return (this.flags & C_INIT) !== 0; }
  /** A native sidecar (isSidecar). */
  get restartable(): boolean { return this.init && this.spec.restartPolicy === "Always"; }

  get state(): CState { return STATE_NAMES[this.flags & C_STATE]!; }
  set state(s: CState) { this.flags = (this.flags & ~C_STATE) | (s === "waiting" ? 0 : s === "running" ? 1 : 2); }
  get ready(): boolean { return (this.flags & C_READY) !== 0; }
  set ready(v: boolean) { this.flags = v ? this.flags | C_READY : this.flags & ~C_READY; }
  get started(): boolean { return (this.flags & C_STARTED) !== 0; }
  set started(v: boolean) { this.flags = v ? this.flags | C_STARTED : this.flags & ~C_STARTED; }
  get everStarted(): boolean { return (this.flags & C_EVER_STARTED) !== 0; }
  set everStarted(v: boolean) { this.flags = v ? this.flags | C_EVER_STARTED : this.flags & ~C_EVER_STARTED; }
  /** SIGTERM already sent while the pod terminates (sidecars are stopped after the app containers). */
  get termSent(): boolean { return (this.flags & C_TERM_SENT) !== 0; }
  set termSent(v: boolean) { this.flags = v ? this.flags | C_TERM_SENT : this.flags & ~C_TERM_SENT; }

  /** Its ContainerMore, made on first use. */
  private extra(): ContainerMore { return (this.more ??= new ContainerMore()); }
  // (a setter given the default value makes no record)
  get waitMessage(): string | undefined { return this.more?.waitMessage; }
  set waitMessage(v: string | undefined) { if (v !== undefined || this.more !== undefined) this.extra().waitMessage = v; }
  /** The termination before the current run (lastState). */
  get last(): TermState | undefined { return this.more?.last; }
  set last(v: TermState | undefined) { if (v !== undefined || this.more !== undefined) this.extra().last = v; }
  get prevLogs(): LogLine[] | undefined { return this.more?.prevLogs; }
  set prevLogs(v: LogLine[] | undefined) { if (v !== undefined || this.more !== undefined) this.extra().prevLogs = v; }
  get probes(): Partial<Record<ProbeKind, ProbeRt>> { return this.more?.probes ?? NO_PROBES; }
  set probes(v: Partial<Record<ProbeKind, ProbeRt>>) { if (v !== NO_PROBES || this.more !== undefined) this.extra().probes = v; }
  get backoffUntil(): number | undefined { return this.more?.backoffUntil; }
  set backoffUntil(v: number | undefined) { if (v !== undefined || this.more !== undefined) this.extra().backoffUntil = v; }
  /** The last start attempt failed with CreateContainerConfigError; retried on the next sync. */
  get configRetryAt(): number | undefined { return this.more?.configRetryAt; }
  set configRetryAt(v: number | undefined) { if (v !== undefined || this.more !== undefined) this.extra().configRetryAt = v; }
  /** Why the kubelet killed it (liveness/startup), for the restart decision. */
  get killedBy(): string | undefined { return this.more?.killedBy; }
  set killedBy(v: string | undefined) { if (v !== undefined || this.more !== undefined) this.extra().killedBy = v; }

  /** Forget the current start's fs and env (built again on first use). */
  resetStartViews(): void {
    if (this.more !== undefined) { this.more.startFs = undefined; this.more.startEnv = undefined; }
  }

  /** The current start's filesystem, built on first use. */
  get fs(): FileSystem | undefined {
    return this.ctx === undefined ? undefined : (this.extra().startFs ??= containerFs(podView(this), this.rt, this));
  }

  /** The current start's environment, built on first use. */
  get env(): Array<[string, string]> | undefined {
    const ctx = this.ctx;
    return ctx === undefined ? undefined : (this.extra().startEnv ??= containerEnv(ctx.store, podView(this), this.spec, this.rt.podIP ?? "", hostIPOf(ctx, this.rt.node)));
  }

  /**
   * runtimeChanged for this container: did its state, waitReason, waitMessage, restartCount, ready, started, having a
   * containerID or exitCode (undefined read as "") change since the last call (then remember them)? The state and the
   * three booleans are compared as one code in flags (with a bit set once anything was remembered).
   */
  sigChanged(): boolean {
    const flags = this.flags;
    const code = 64 | ((flags & C_STATE) << 3) | ((flags & C_READY) !== 0 ? 1 : 0) | ((flags & C_STARTED) !== 0 ? 2 : 0) | (this.containerID ? 4 : 0);
    const waitReason = this.waitReason ?? "", restartCount = this.restartCount, exitCode = this.term?.exitCode ?? "";
    const more = this.more, waitMessage = more?.waitMessage ?? "";
    if (((flags >> C_SIG_SHIFT) & 127) === code && this.sigWaitReason === waitReason && (more?.sigWaitMessage ?? "") === waitMessage
      && this.sigRestartCount === restartCount && this.sigExitCode === exitCode) return false;
    this.flags = (flags & ~(127 << C_SIG_SHIFT)) | (code << C_SIG_SHIFT);
    this.sigWaitReason = waitReason;
    if (more !== undefined) more.sigWaitMessage = waitMessage;
    this.sigRestartCount = restartCount;
    this.sigExitCode = exitCode;
    return true;
  }

  /** Deliver a signal to its running program; true when the program ended. */
  signal(sig: string): boolean {
    const p = this.proc!;
    if (p !== PARKED_SERVER) return p.signal(sig);
    this.processExited(p, sig === "KILL" ? 137 : serverPolicy(sig)!);
    return true;
  }

  /** End its running program now with `code`. */
  stop(code: number): void {
    const p = this.proc!;
    if (p !== PARKED_SERVER) p.stop(code);
    else this.processExited(p, code);
  }

  processExited(p: Process, code: number): void {
    onExit(this.ctx!, this.rt, this, p, code);
  }

  processLabel(): string {
    return ["container ", this.rt.key, "/", this.name].join("");
  }
}

/**
 * A native sidecar (KEP-753, on by default since 1.29): an init container with `restartPolicy: Always`.
 * It starts in init order, lets the next init container start once it has started (startupProbe passed),
 * keeps running next to the app containers, is restarted whenever it exits, and is stopped after them.
 */
export function isSidecar(c: ContainerRt): boolean {
  return c.init && c.spec.restartPolicy === "Always";
}

/** PodRt.flags: one bit per boolean, the final phase (two bits), our conditions' codes (CondTimes), runtimeChanged's code. */
const P_SANDBOX_READY = 1, P_REMOVED = 2, P_VOLUMES_READY = 4, P_INITIALIZED = 8;
const P_PHASE_SHIFT = 4, P_COND_SHIFT = 6, P_SIG_SHIFT = 14;
const FINAL_PHASES = [undefined, "Succeeded", "Failed"] as const;

/** What only some pods need (termination, restarts, a failed mount, volumes): made on first use. */
class PodMore {
  terminating: { killTimer?: TimerId } | undefined = undefined;
  /** Per container name (created on the first restart). */
  backoff: Map<string, { period: number; lastUpdate: number }> | undefined = undefined;
  mountRetry: number | undefined = undefined;
  volumes: Map<string, Volume> = NO_VOLUMES;
}

/**
 * The kubelet's record of one pod: a class of fixed layout (no fields added later), its booleans, final phase and
 * condition codes bits of `flags`, its rarer fields in a PodMore made on first use.
 */
export class PodRt implements CondTimes {
  flags = 0;
  sandboxTimer: TimerId | undefined = undefined;
  podIP: string | undefined = undefined;
  /** [{ ip: podIP }] (frozen), made once for the statuses. */
  podIPs: ReadonlyArray<Readonly<{ ip: string }>> | undefined = undefined;
  busy: TimerId | "sync" | undefined = undefined;
  /** Our conditions' transition times (CondTimes, see status.ts; their codes are in flags). */
  condTime0 = "";
  condTime1 = "";
  condTime2 = "";
  condTime3 = "";
  /** The status object we last wrote or found unchanged (postStatus: skip rebuilding while runtimeChanged says no). */
  lastWritten: unknown = undefined;
  /** The conditions of the status we last wrote (buildPodStatus reuses the unchanged ones). */
  postedConditions: unknown[] | undefined = undefined;
  more: PodMore | undefined = undefined;

  constructor(
    readonly uid: string,
    readonly key: ObjectKey,
    /** The key's parts. */
    readonly namespace: string,
    readonly name: string,
    readonly node: string,
    readonly init: ContainerRt[],
    readonly app: ContainerRt[],
    readonly startTime: number,
  ) {}

  private bit(b: number): boolean { return (this.flags & b) !== 0; }
  private setBit(b: number, v: boolean): void { this.flags = v ? this.flags | b : this.flags & ~b; }
  get sandboxReady(): boolean { return this.bit(P_SANDBOX_READY); }
  set sandboxReady(v: boolean) { this.setBit(P_SANDBOX_READY, v); }
  get removed(): boolean { return this.bit(P_REMOVED); }
  set removed(v: boolean) { this.setBit(P_REMOVED, v); }
  get volumesReady(): boolean { return this.bit(P_VOLUMES_READY); }
  set volumesReady(v: boolean) { this.setBit(P_VOLUMES_READY, v); }
  /**
   * Every init container has completed (sidecars: started) once; stays true afterwards, as the
   * kubelet's Initialized condition does once a regular container has started.
   */
  get initialized(): boolean { return this.bit(P_INITIALIZED); }
  set initialized(v: boolean) { this.setBit(P_INITIALIZED, v); }
  get finalPhase(): "Succeeded" | "Failed" | undefined { return FINAL_PHASES[(this.flags >> P_PHASE_SHIFT) & 3]; }
  set finalPhase(p: "Succeeded" | "Failed" | undefined) {
    this.flags = (this.flags & ~(3 << P_PHASE_SHIFT)) | ((p === undefined ? 0 : p === "Succeeded" ? 1 : 2) << P_PHASE_SHIFT);
  }
  /** CondTimes' codes: 8 bits of flags. */
  get condCodes(): number { return (this.flags >> P_COND_SHIFT) & 255; }
  set condCodes(v: number) { this.flags = (this.flags & ~(255 << P_COND_SHIFT)) | ((v & 255) << P_COND_SHIFT); }

  private extra(): PodMore { return (this.more ??= new PodMore()); }
  // (a setter given the default value makes no record)
  get terminating(): { killTimer?: TimerId } | undefined { return this.more?.terminating; }
  set terminating(v: { killTimer?: TimerId } | undefined) { if (v !== undefined || this.more !== undefined) this.extra().terminating = v; }
  get backoff(): Map<string, { period: number; lastUpdate: number }> | undefined { return this.more?.backoff; }
  set backoff(v: Map<string, { period: number; lastUpdate: number }> | undefined) { if (v !== undefined || this.more !== undefined) this.extra().backoff = v; }
  get mountRetry(): number | undefined { return this.more?.mountRetry; }
  set mountRetry(v: number | undefined) { if (v !== undefined || this.more !== undefined) this.extra().mountRetry = v; }
  /** By volume name (a shared empty map until the pod has volumes). */
  get volumes(): Map<string, Volume> { return this.more?.volumes ?? NO_VOLUMES; }
  set volumes(v: Map<string, Volume>) { if (v !== NO_VOLUMES || this.more !== undefined) this.extra().volumes = v; }

  /**
   * runtimeChanged's pod part: did sandboxReady, terminal, having a podIP (it is set once, from none) or finalPhase
   * change since the last call (then remember them, as one code in flags with a bit set once anything was remembered)?
   */
  sigChanged(terminal: boolean): boolean {
    const flags = this.flags;
    const code = 32 | (flags & P_SANDBOX_READY) | (terminal ? 2 : 0) | (this.podIP ? 4 : 0) | (((flags >> P_PHASE_SHIFT) & 3) << 3);
    if (((flags >> P_SIG_SHIFT) & 63) === code) return false;
    this.flags = (flags & ~(63 << P_SIG_SHIFT)) | (code << P_SIG_SHIFT);
    return true;
  }
}

export interface NodeRt {
  index: number;
  /** "10.244.3.": the node's pod CIDR without the host number (node.ts nodeAddressing). */
  podPrefix: string;
  nextIP: number;
  usedIPs: Set<number>;
  images: Set<string>;
  hostPaths: Map<string, Volume>;
  /** hostIPOf's memo: the Node object it last read and the InternalIP found there. */
  hostIPOf?: object;
  hostIP?: string;
  /** ipList(hostIP). */
  hostIPs?: ReadonlyArray<Readonly<{ ip: string }>>;
}

export interface KubeletState {
  nodes: Map<string, NodeRt>;
  pods: Map<ObjectKey, PodRt>;
  /** Pods whose queued re-sync is only the echo of the kubelet's own status write and can do nothing (see quietEcho). */
  quiet: QuietKeys;
  nodeCount: number;
  pvcVolumes: Map<string, Volume>;
}

export function kubeletState(sim: Simulation): KubeletState {
  let st = sim.ext.get(KUBELET) as KubeletState | undefined;
  if (!st) {
    st = { nodes: new Map(), pods: new Map(), quiet: new QuietKeys(sim), nodeCount: 0, pvcVolumes: new Map() };
    sim.ext.set(KUBELET, st);
  }
  return st;
}

function kubeletRunning(sim: Simulation, node: string): boolean {
  return sim.nodeRuntime.get(node)?.kubeletRunning === true;
}

/** Character codes of the hex digits, and hex()'s scratch buffer of codes. */
const HEX_DIGITS = [..."0123456789abcdef"].map((ch) => ch.charCodeAt(0));
const hexCodes: number[] = [];

/**
 * `prefix` then n lowercase hex digits: the first n of hex8(next()) + hex8(next()) + … (⌈n/8⌉ draws), built as one flat string
 * from character codes (the concatenation made ~12 intermediate strings per 64-digit container ID).
 */
function hex(ctx: Ctx, n: number, prefix = ""): string {
  const words = Math.ceil(n / 8);
  const codes = hexCodes;
  const p = prefix.length;
  codes.length = p + words * 8;
  for (let i = 0; i < p; i++) codes[i] = prefix.charCodeAt(i);
  for (let w = 0; w < words; w++) {
    const x = ctx.rng.next();
    for (let d = 0; d < 8; d++) codes[p + w * 8 + d] = HEX_DIGITS[(x >>> (28 - 4 * d)) & 15]!;
  }
  if (codes.length !== p + n) codes.length = p + n;
  return String.fromCharCode.apply(null, codes);
}

/** The former hex(): kept for the table test (tests/engine/kubelet/hexid.test.ts). */
export function hexByConcat(next: () => number, n: number): string {
  let s = "";
  while (s.length < n) s += hex8(next());
  return s.length === n ? s : s.slice(0, n);
}

function source(node: string) {
  return { component: "kubelet", host: node };
}

/** Go's Duration.String for the pull time, millisecond precision: 1.234s, 850ms. */
function goDur(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return `${(ms / 1000).toString()}s`;
}

// ------------------------------------------------------------------ runtime setup

/** Shared frozen starting values of a container record (replaced, never changed, when it starts / gets probes). */
const NO_LOGS: LogLine[] = Object.freeze([]) as unknown as LogLine[];
const NO_PROBES: Partial<Record<ProbeKind, ProbeRt>> = Object.freeze({});
/** Never written: setupVolumes gives a pod its own map before adding to it. */
const NO_VOLUMES = new Map<string, Volume>();

/** parseImage + imageDigest per image text, shared by every container of that image (the ref is frozen). */
const imageMemo = new Map<string, { ref: ImageRef; digest: string }>();
function imageInfo(image: string): { ref: ImageRef; digest: string } {
  let m = imageMemo.get(image);
  if (m === undefined) {
    if (imageMemo.size >= 4096) imageMemo.clear();
    const ref = Object.freeze(parseImage(image));
    imageMemo.set(image, (m = Object.freeze({ ref, digest: imageDigest(ref) })));
  }
  return m;
}

/**
 * The pod as the container saw it at start, for its fs and env, which read only the metadata's name, namespace,
 * uid, labels and annotations, and the spec. (Not the pod version's metadata itself: keeping it would keep every
 * running pod's first metadata object and resourceVersion alive besides the current one.)
 */
function podView(c: ContainerRt): Pod {
  const rt = c.rt;
  const metadata = { name: rt.name, namespace: rt.namespace, uid: rt.uid, labels: c.startLabels, annotations: c.startAnnotations };
  return { apiVersion: "v1", kind: "Pod", metadata, spec: c.startSpec! } as Pod;
}

function newContainer(spec: any, init: boolean): ContainerRt {
  return new ContainerRt(spec, init, imageInfo(spec.image ?? ""));
}

/** rt.init of a pod without init containers (never written). */
const NO_CONTAINERS: ContainerRt[] = Object.freeze([]) as unknown as ContainerRt[];

function newPodRt(pod: Pod, key: ObjectKey, now: number): PodRt {
  const init = pod.spec.initContainers?.length ? pod.spec.initContainers.map((c) => newContainer(c, true)) : NO_CONTAINERS;
  const app = pod.spec.containers.map((c) => newContainer(c, false));
  // While init containers run, app containers wait with PodInitializing (O3).
  if (init.length) for (const c of app) c.waitReason = "PodInitializing";
  else for (const c of app) c.waitReason = "ContainerCreating";
  for (const c of init) c.waitReason = "PodInitializing";
  const rt = new PodRt(pod.metadata.uid, key, pod.metadata.namespace!, pod.metadata.name, pod.spec.nodeName!, init, app, now);
  for (const c of init) c.rt = rt;
  for (const c of app) c.rt = rt;
  return rt;
}

function decodeB64(s: string): string {
  try {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    return s;
  }
}

/** Build the pod's volumes (emptyDir, configMap, secret, downwardAPI, hostPath, PVC). */
function setupVolumes(ctx: Ctx, pod: Pod, rt: PodRt) {
  const st = kubeletState(ctx.sim);
  const ns = pod.metadata.namespace!;
  for (const v of (pod.spec.volumes ?? []) as any[]) {
    let vol: Volume;
    if (v.configMap || v.secret) {
      vol = new Volume(true);
      const isCm = !!v.configMap;
      const src = isCm ? v.configMap : v.secret;
      const obj = ctx.store.get(isCm ? "ConfigMap" : "Secret", ns, isCm ? src.name : src.secretName);
      const data: Record<string, string> = {};
      if (obj) {
        for (const [k, val] of Object.entries((obj.data ?? {}) as Record<string, string>)) data[k] = isCm ? val : decodeB64(val);
      }
      if (src.items?.length) for (const it of src.items) { if (data[it.key] !== undefined) vol.addFile(it.path, data[it.key]!); }
      else for (const [k, val] of Object.entries(data)) vol.addFile(k, val);
    } else if (v.downwardAPI) {
      vol = new Volume(true);
      for (const it of v.downwardAPI.items ?? []) {
        const f = it.fieldRef?.fieldPath as string | undefined;
        let val = "";
        if (f === "metadata.labels") val = Object.entries(pod.metadata.labels ?? {}).sort().map(([k, x]) => `${k}="${x}"`).join("\n");
        else if (f === "metadata.annotations") val = Object.entries(pod.metadata.annotations ?? {}).sort().map(([k, x]) => `${k}="${x}"`).join("\n");
        else if (f === "metadata.name") val = pod.metadata.name;
        else if (f === "metadata.namespace") val = ns;
        else if (f === "metadata.uid") val = pod.metadata.uid;
        vol.addFile(it.path, val);
      }
    } else if (v.hostPath) {
      const nrt = st.nodes.get(rt.node);
      const path = String(v.hostPath.path ?? "/");
      vol = nrt?.hostPaths.get(path) ?? new Volume();
      nrt?.hostPaths.set(path, vol);
    } else if (v.persistentVolumeClaim) {
      const k = `${ns}/${v.persistentVolumeClaim.claimName}`;
      vol = st.pvcVolumes.get(k) ?? new Volume();
      st.pvcVolumes.set(k, vol);
    } else {
      vol = new Volume();
    }
    if (rt.volumes === NO_VOLUMES) rt.volumes = new Map();
    rt.volumes.set(v.name, vol);
  }
}

/** configMap/secret volumes whose object is missing (and not optional): the kubelet cannot mount them. */
function missingVolumeSources(ctx: Ctx, pod: Pod): Array<{ volume: string; error: string }> {
  const out: Array<{ volume: string; error: string }> = [];
  const ns = pod.metadata.namespace!;
  for (const v of (pod.spec.volumes ?? []) as any[]) {
    if (v.configMap && !v.configMap.optional && !ctx.store.get("ConfigMap", ns, v.configMap.name)) out.push({ volume: v.name, error: `configmap "${v.configMap.name}" not found` });
    if (v.secret && !v.secret.optional && !ctx.store.get("Secret", ns, v.secret.secretName)) out.push({ volume: v.name, error: `secret "${v.secret.secretName}" not found` });
    if (v.persistentVolumeClaim && !ctx.store.get("PersistentVolumeClaim", ns, v.persistentVolumeClaim.claimName)) out.push({ volume: v.name, error: `persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" not found` });
  }
  return out;
}

/** CreateContainerConfigError: env/envFrom references to a missing ConfigMap/Secret or key (kubelet makeEnvironmentVariables). */
export function containerConfigError(ctx: Ctx, pod: Pod, spec: any): string | undefined {
  if (!spec.envFrom && !spec.env) return undefined;
  const ns = pod.metadata.namespace!;
  for (const ef of (spec.envFrom ?? []) as any[]) {
    if (ef.configMapRef && !ef.configMapRef.optional && !ctx.store.get("ConfigMap", ns, ef.configMapRef.name)) return `configmap "${ef.configMapRef.name}" not found`;
    if (ef.secretRef && !ef.secretRef.optional && !ctx.store.get("Secret", ns, ef.secretRef.name)) return `secret "${ef.secretRef.name}" not found`;
  }
  for (const e of (spec.env ?? []) as any[]) {
    const cm = e.valueFrom?.configMapKeyRef, sec = e.valueFrom?.secretKeyRef;
    if (cm && !cm.optional) {
      const o = ctx.store.get("ConfigMap", ns, cm.name);
      if (!o) return `configmap "${cm.name}" not found`;
      if ((o.data ?? {})[cm.key] === undefined) return `couldn't find key ${cm.key} in ConfigMap ${ns}/${cm.name}`;
    }
    if (sec && !sec.optional) {
      const o = ctx.store.get("Secret", ns, sec.name);
      if (!o) return `secret "${sec.name}" not found`;
      if ((o.data ?? {})[sec.key] === undefined) return `couldn't find key ${sec.key} in Secret ${ns}/${sec.name}`;
    }
  }
  return undefined;
}

function containerFs(pod: Pod, rt: PodRt, c: ContainerRt): FileSystem {
  const root = imageRoot(c.ref);
  const hostname = podHostname(pod);
  root.addFile("etc/hostname", hostname + "\n");
  root.addFile("etc/hosts", `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${rt.podIP ?? ""}\t${podFqdn(pod) !== hostname ? `${podFqdn(pod)}\t` : ""}${hostname}\n`);
  root.addFile("etc/resolv.conf", `search ${pod.metadata.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
  root.addFile("var/run/secrets/kubernetes.io/serviceaccount/namespace", pod.metadata.namespace!);
  root.addFile("var/run/secrets/kubernetes.io/serviceaccount/token", "eyJhbGciOiJSUzI1NiIsImtpZCI6InNpbSJ9.sim.token");
  root.addFile("var/run/secrets/kubernetes.io/serviceaccount/ca.crt", "-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n");
  const mounts: Mount[] = [];
  for (const m of (c.spec.volumeMounts ?? []) as any[]) {
    const vol = rt.volumes.get(m.name);
    if (!vol) continue;
    let v = vol;
    if (m.subPath) {
      // a subPath mount shares the sub-directory: model it as a view on a child volume
      v = subVolume(vol, m.subPath);
    }
    mounts.push({ path: m.mountPath, volume: v, readOnly: !!m.readOnly });
  }
  return new FileSystem(root, mounts);
}

/** A subPath as its own volume whose contents are kept in sync with the parent (copy-on-create). */
function subVolume(parent: Volume, sub: string): Volume {
  const v = new Volume(parent.readOnly);
  const pre = sub.replace(/^\/+|\/+$/g, "") + "/";
  for (const [k, c] of parent.files) if (k.startsWith(pre)) v.files.set(k.slice(pre.length), c);
  const single = parent.files.get(pre.slice(0, -1));
  if (single !== undefined) v.files.set("", single);
  return v;
}

export function podHostname(pod: Pod): string {
  return (pod.spec.hostname as string | undefined) ?? pod.metadata.name.slice(0, 63);
}
export function podFqdn(pod: Pod): string {
  const h = podHostname(pod);
  return pod.spec.subdomain ? `${h}.${pod.spec.subdomain}.${pod.metadata.namespace}.svc.cluster.local` : h;
}

// ------------------------------------------------------------------ logging

/**
 * Container output is kept as chunks (one per instant and stream), not lines: a server's start-up burst is one
 * string. `logs.ts` splits chunks into lines on read, each line stamped with the time its chunk was written.
 */
function writer(ctx: Ctx, c: ContainerRt, stream: "stdout" | "stderr"): (s: string) => void {
  return (s: string) => {
    if (!s) return;
    const t = ctx.now();
    let logs = c.logs;
    if (logs.length === 0) { c.logs = firstChunk(t, stream, s); return; } // most containers write one chunk
    if (Object.isFrozen(logs)) logs = c.logs = [{ ...logs[0]! }]; // a shared first chunk: a private copy to write to
    const last = logs[logs.length - 1]!;
    if (last.t === t && last.stream === stream) last.text += s;
    else logs.push({ t, stream, text: s });
    if (logs.length > MAX_LOG_CHUNKS) logs.splice(0, logs.length - MAX_LOG_CHUNKS);
  };
}

/** The last list firstChunk made. */
let lastFirstChunk: LogLine[] | undefined;

/**
 * A container's first chunk as a frozen one-chunk list, the same list as the previous container's when that one's
 * first chunk was the same (instant, stream and text: replicas started together print the same shared start-up
 * burst), so a running server keeps no log objects of its own (~100 B each). writer copies it before adding.
 */
function firstChunk(t: number, stream: "stdout" | "stderr", text: string): LogLine[] {
  const l = lastFirstChunk?.[0];
  if (l !== undefined && l.t === t && l.stream === stream && l.text === text) return lastFirstChunk!;
  return (lastFirstChunk = Object.freeze([Object.freeze({ t, stream, text })]) as unknown as LogLine[]);
}

function flushPartial(_ctx: Ctx, _c: ContainerRt) {
  // chunks keep partial lines; nothing to flush
}

// ------------------------------------------------------------------ programs

/** Command + args as Kubernetes joins them: command (else ENTRYPOINT) then args (else CMD when no command). */
export function containerArgv(spec: any, ref: ImageRef, env: Map<string, string>): string[] {
  const d = imageDefaults(ref);
  const cmd: string[] | undefined = spec.command?.length ? spec.command : undefined;
  const args: string[] | undefined = spec.args?.length ? spec.args : undefined;
  const exp = (a: string[]) => a.map((x) => expandK8sRefs(String(x), env));
  if (cmd) return [...exp(cmd), ...(args ? exp(args) : [])];
  return [...d.entrypoint, ...(args ? exp(args) : d.cmd)];
}

function startError(argv0: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${argv0}": executable file not found in $PATH: unknown`;
}

interface Program { gen: Prog; policy: SignalPolicy }

/** What a server program sees of its container (methods on a prototype: no closures per start). */
class ContainerServerCtx implements ServerCtx {
  constructor(private readonly ctx: Ctx, private readonly c: ContainerRt, readonly podIP: string, readonly hostname: string) {}
  now(): number { return this.ctx.now(); }
  listDir(p: string): string[] { const l = this.c.fs!.list(p); return typeof l === "string" ? [] : l; }
}

/** The shell's view of its container: the clock, the container's (lazy) filesystem, names, image programs. */
class ContainerShellHost implements ShellHost {
  constructor(private readonly ctx: Ctx, private readonly c: ContainerRt, private readonly rt: PodRt,
    readonly hostname: string, readonly fqdn: string, readonly podIP: string) {}
  now(): number { return this.ctx.now(); }
  get fs(): FileSystem { return this.c.fs!; }
  exec(av: string[], sio: IO, sh: Shell): Prog | undefined {
    return serverProgram(this.c.ref, av, sio, new ContainerServerCtx(this.ctx, this.c, this.rt.podIP ?? "", this.hostname), sh);
  }
}

function makeProgram(ctx: Ctx, pod: Pod, rt: PodRt, c: ContainerRt, argv: string[], io: IO): Program | { error: string } {
  const host = new ContainerShellHost(ctx, c, rt, podHostname(pod), podFqdn(pod), rt.podIP ?? "");
  const name = argv[0];
  const base0 = name ? name.slice(name.lastIndexOf("/") + 1) : "";
  if (name !== undefined && !/^(sh|bash|ash|dash)$/.test(base0)) {
    const server = host.exec!(argv, io, undefined as never);
    if (server) return { gen: server, policy: serverPolicy };
  }
  const sh = new Shell(host, { env: c.env!, argv0: "sh", pid: 1 });
  sh.trapOut = io.out;
  sh.trapErr = io.err;
  if (name === undefined) {
    // no command and an image with no known default: a server image's own program runs until stopped
    if (imageKind(c.ref) === "server") return { gen: (function* (): Prog { yield PARKED; return 0; })(), policy: serverPolicy };
    return { gen: (function* (): Prog { return 0; })(), policy: shellPolicy(sh) };
  }
  const base = name.slice(name.lastIndexOf("/") + 1);
  if (/^(sh|bash|ash|dash)$/.test(base)) {
    const ci = argv.indexOf("-c");
    if (ci >= 0) {
      sh.argv0 = argv[ci + 2] ?? base;
      sh.positional = argv.slice(ci + 3);
      return { gen: sh.main(argv[ci + 1] ?? "", io), policy: shellPolicy(sh) };
    }
    // an interactive shell without a TTY reads EOF and exits 0
    if (argv.length === 1) return { gen: (function* (): Prog { return 0; })(), policy: shellPolicy(sh) };
    return { gen: sh.runArgv(argv, io), policy: shellPolicy(sh) };
  }
  if (/^(python3?|node|ruby|perl|irb|jshell)$/.test(base) && argv.length === 1) {
    return { gen: (function* (): Prog { return 0; })(), policy: shellPolicy(sh) };
  }
  const known = knownCommand(sh, name);
  if (!known) {
    if (imageKind(c.ref) === "server") {
      // unknown binary in an unknown/server image: it is the image's program; it runs until stopped
      return { gen: (function* (): Prog { yield PARKED; return 0; })(), policy: serverPolicy };
    }
    return { error: startError(name) };
  }
  return { gen: sh.runArgv(argv, io), policy: shellPolicy(sh) };
}

function knownCommand(sh: Shell, name: string): boolean {
  if (name.includes("/")) return sh.host.fs.isFile(name) || /^\/(usr\/)?(local\/)?s?bin\//.test(name);
  return Object.prototype.hasOwnProperty.call(BUILTINS, name);
}

// ------------------------------------------------------------------ container lifecycle

function beginStart(ctx: Ctx, pod: Pod, rt: PodRt, c: ContainerRt) {
  const st = kubeletState(ctx.sim);
  const nrt = st.nodes.get(rt.node);
  const image = c.spec.image as string;
  const policy = c.spec.imagePullPolicy ?? "IfNotPresent";
  const present = nrt?.images.has(c.ref.full) ?? false;
  if (policy === "Always" || (!present && policy !== "Never")) {
    ctx.events.event(pod, "Normal", "Pulling", `Pulling image "${image}"`, source(rt.node));
    const h = fnv(`${c.ref.full}|${rt.node}|${c.restartCount}`);
    const ms = present ? 300 + (h % 700) : 1000 + (h % 2500);
    const size = imageSize(c.ref);
    rt.busy = ctx.clock.at(ctx.now() + ms, () => {
      rt.busy = undefined;
      if (rt.removed) return;
      nrt?.images.add(c.ref.full);
      const cur = ctx.store.get<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
      if (!cur || cur.metadata.uid !== rt.uid) return;
      ctx.events.event(cur, "Normal", "Pulled", `Successfully pulled image "${image}" in ${goDur(ms)} (${goDur(ms)} including waiting). Image size: ${size} bytes.`, source(rt.node));
      createAndStart(ctx, cur, rt, c);
      requeuePod(ctx.sim, rt.key);
    }, `pull ${rt.key}/${c.name}`);
    return;
  }
  if (policy === "Never" && !present) {
    // images are "present" for Never in the simulator: behave as a pre-loaded node
    nrt?.images.add(c.ref.full);
  }
  ctx.events.event(pod, "Normal", "Pulled", `Container image "${image}" already present on machine`, source(rt.node));
  createAndStart(ctx, pod, rt, c);
}

/** An empty environment for argv expansion (only read: expandK8sRefs looks names up). */
const NO_ENV = new Map<string, string>();

/** Does a command/args list use a $(VAR) reference? */
function hasK8sRef(list: unknown[] | undefined): boolean {
  if (list) for (const a of list) if (String(a).includes("$(")) return true;
  return false;
}

function createAndStart(ctx: Ctx, pod: Pod, rt: PodRt, c: ContainerRt) {
  const now = ctx.now();
  const cfgErr = containerConfigError(ctx, pod, c.spec);
  if (cfgErr) {
    ctx.events.event(pod, "Warning", "Failed", `Error: ${cfgErr}`, source(rt.node));
    if (!c.everStarted || c.state !== "terminated") { c.state = "waiting"; c.waitReason = "CreateContainerConfigError"; c.waitMessage = cfgErr; }
    c.configRetryAt = now + CONFIG_RETRY_MS;
    ctx.sim.enqueueAfter(KUBELET, rt.key, CONFIG_RETRY_MS);
    return;
  }
  c.configRetryAt = undefined;
  if (c.everStarted) {
    c.restartCount++;
    if (c.state === "terminated") c.last = c.term;
    c.prevLogs = c.logs;
  }
  c.logs = NO_LOGS;
  c.term = undefined;
  c.killedBy = undefined;
  // one flat string (join), not a tree of concatenations: it lives as long as the container and its statuses
  c.containerID = hex(ctx, 64, "containerd://"); // one flat string
  c.everStarted = true;
  // A fresh fs/env for this start (a restarted container does not keep the last one's files), built on first use
  // from what the container keeps of its pod: not the pod version (see podView).
  c.ctx = ctx;
  c.startLabels = pod.metadata.labels;
  c.startAnnotations = pod.metadata.annotations;
  c.startSpec = pod.spec;
  c.resetStartViews();
  ctx.events.event(pod, "Normal", "Created", `Created container: ${c.name}`, source(rt.node));
  const needsEnv = hasK8sRef(c.spec.command) || hasK8sRef(c.spec.args);
  const argv = containerArgv(c.spec, c.ref, needsEnv ? new Map(c.env) : NO_ENV);
  const io: IO = { stdin: "", out: writer(ctx, c, "stdout"), err: writer(ctx, c, "stderr") };
  const prog = makeProgram(ctx, pod, rt, c, argv, io);
  if ("error" in prog) {
    ctx.events.event(pod, "Warning", "Failed", `Error: ${prog.error}`, source(rt.node));
    c.state = "terminated";
    c.term = { exitCode: 128, reason: "StartError", message: prog.error, startedAt: 0, finishedAt: now, containerID: c.containerID };
    c.ready = false;
    c.started = false;
    return;
  }
  ctx.events.event(pod, "Normal", "Started", `Started container ${c.name}`, source(rt.node));
  c.state = "running";
  c.startedAt = now;
  c.waitReason = undefined;
  c.waitMessage = undefined;
  c.started = !c.spec.startupProbe;
  c.ready = (!c.init || isSidecar(c)) && !c.spec.readinessProbe && c.started;
  const proc = new Process(ctx.clock, prog.gen, prog.policy, c);
  c.proc = proc;
  armProbes(ctx, rt, c);
  proc.start();
  // a server suspended for good keeps nothing in its Process: share one (see PARKED_SERVER)
  if (c.proc === proc && proc.parkedServer) c.proc = PARKED_SERVER;
}

function onExit(ctx: Ctx, rt: PodRt, c: ContainerRt, proc: Process, code: number) {
  if (c.proc !== proc) return;
  flushPartial(ctx, c);
  cancelProbes(ctx, c);
  c.proc = undefined;
  c.state = "terminated";
  c.ready = false;
  c.term = {
    exitCode: code, reason: code === 0 ? "Completed" : "Error",
    startedAt: c.startedAt ?? ctx.now(), finishedAt: ctx.now(), containerID: c.containerID!,
  };
  requeuePod(ctx.sim, rt.key);
}

function hostIPOf(ctx: Ctx, node: string): string {
  const n = ctx.store.get("Node", undefined, node);
  // remembered per node object (a new Node version is looked at again)
  const nrt = kubeletState(ctx.sim).nodes.get(node);
  if (nrt && n && nrt.hostIPOf === n) return nrt.hostIP!;
  const a = (n?.status?.addresses ?? []).find((x: any) => x.type === "InternalIP");
  const ip: string = a?.address ?? "";
  if (nrt && n) { nrt.hostIPOf = n; nrt.hostIP = ip; }
  return ip;
}

// ------------------------------------------------------------------ probes

/** The probe kinds in the order they are armed, and their spec fields (constant keys: no name built per start). */
const PROBE_KINDS: ReadonlyArray<readonly [ProbeKind, string]> = [["startup", "startupProbe"], ["liveness", "livenessProbe"], ["readiness", "readinessProbe"]];

function armProbes(ctx: Ctx, rt: PodRt, c: ContainerRt) {
  const cs = c.spec;
  if (!cs.startupProbe && !cs.livenessProbe && !cs.readinessProbe) return;
  for (let i = 0; i < PROBE_KINDS.length; i++) {
    const [kind, field] = PROBE_KINDS[i]!;
    const spec = cs[field];
    if (!spec) continue;
    const pr: ProbeRt = { successes: 0, failures: 0 };
    if (c.probes === NO_PROBES) c.probes = {};
    c.probes[kind] = pr;
    const first = ctx.now() + (spec.initialDelaySeconds ?? 0) * 1000;
    const tick = () => {
      pr.timer = undefined;
      if (c.state !== "running" || rt.removed || rt.terminating) return;
      pr.timer = ctx.clock.at(ctx.now() + (spec.periodSeconds ?? 10) * 1000, tick, `probe ${rt.key}/${c.name}`);
      if (!kubeletRunning(ctx.sim, rt.node)) return;
      if (kind !== "startup" && !c.started) return;
      if (kind === "startup" && c.started) return;
      probeOnce(ctx, rt, c, kind, spec, pr);
    };
    pr.timer = ctx.clock.at(first, tick, `probe ${rt.key}/${c.name}`);
  }
}

function cancelProbes(ctx: Ctx, c: ContainerRt) {
  if (c.probes === NO_PROBES) return;
  for (const pr of Object.values(c.probes)) if (pr?.timer !== undefined) ctx.clock.cancel(pr.timer);
  c.probes = NO_PROBES;
}

const PROBE_NAME: Record<ProbeKind, string> = { liveness: "Liveness", readiness: "Readiness", startup: "Startup" };

function probeOnce(ctx: Ctx, rt: PodRt, c: ContainerRt, kind: ProbeKind, spec: any, pr: ProbeRt) {
  const pod = ctx.store.get<Pod>("Pod", splitKey(rt.key).namespace, splitKey(rt.key).name);
  if (!pod || pod.metadata.uid !== rt.uid) return;
  const res = runProbe(spec, { fs: c.fs!, env: c.env!, podIP: rt.podIP ?? "", hostname: podHostname(pod), fqdn: podFqdn(pod), now: () => ctx.now() });
  if (res.ok) {
    pr.failures = 0;
    pr.successes++;
    if (kind === "readiness" && !c.ready && pr.successes >= (spec.successThreshold ?? 1)) { c.ready = true; requeuePod(ctx.sim, rt.key); }
    if (kind === "startup" && !c.started) {
      c.started = true;
      if (!c.spec.readinessProbe) c.ready = true;
      requeuePod(ctx.sim, rt.key);
    }
    return;
  }
  pr.successes = 0;
  pr.failures++;
  ctx.events.event(pod, "Warning", "Unhealthy", `${PROBE_NAME[kind]} probe failed: ${res.message}`, source(rt.node));
  if (pr.failures < (spec.failureThreshold ?? 3)) return;
  if (kind === "readiness") {
    if (c.ready) { c.ready = false; requeuePod(ctx.sim, rt.key); }
    return;
  }
  // liveness/startup: kill and let the restart policy decide
  ctx.events.event(pod, "Normal", "Killing", `Container ${c.name} failed ${kind} probe, will be restarted`, source(rt.node));
  c.killedBy = kind;
  killContainer(ctx, rt, c, pod.spec.terminationGracePeriodSeconds ?? 30);
}

/** SIGTERM now, SIGKILL when the grace period ends. */
function killContainer(ctx: Ctx, rt: PodRt, c: ContainerRt, graceSeconds: number) {
  const proc = c.proc;
  if (!proc) return;
  cancelProbes(ctx, c);
  if (c.signal("TERM")) return;
  ctx.clock.at(ctx.now() + Math.max(0, graceSeconds) * 1000, () => { if (c.proc === proc) c.signal("KILL"); }, `kill ${rt.key}/${c.name}`);
}

// ------------------------------------------------------------------ sync

/** Restart a container that ended with `term` (its last termination while it waits in back-off)? */
function shouldRestart(policy: string, term: TermState | undefined): boolean {
  if (policy === "Always") return true;
  if (policy === "OnFailure") return (term?.exitCode ?? 0) !== 0;
  return false;
}

/**
 * O2: restart now (and grow the backoff) or wait in CrashLoopBackOff. Returns true when a start began.
 * client-go flowcontrol.Backoff: IsInBackOffSince(finishedAt) / Next(); entries expire after 2×max.
 */
function restartOrBackoff(ctx: Ctx, pod: Pod, rt: PodRt, c: ContainerRt): boolean {
  const now = ctx.now();
  const entry = rt.backoff?.get(c.name);
  const expired = !entry || now - entry.lastUpdate > 2 * BACKOFF_MAX;
  const finished = c.term?.finishedAt ?? now;
  if (entry && !expired && now - finished < entry.period) {
    const until = finished + entry.period;
    if (c.waitReason !== "CrashLoopBackOff" || c.backoffUntil !== until) {
      c.backoffUntil = until;
      c.waitReason = "CrashLoopBackOff";
      c.waitMessage = `back-off ${entry.period / 1000 >= 60 ? `${Math.floor(entry.period / 60000)}m${(entry.period % 60000) / 1000}s` : `${entry.period / 1000}s`} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
      c.last = c.term;
      c.state = "waiting";
      ctx.events.event(pod, "Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, source(rt.node));
      ctx.sim.enqueueAfter(KUBELET, rt.key, until - now);
    }
    return false;
  }
  (rt.backoff ??= new Map()).set(c.name, { period: expired ? BACKOFF_INITIAL : Math.min(entry!.period * 2, BACKOFF_MAX), lastUpdate: now });
  if (c.state === "waiting" && c.last) { c.state = "terminated"; c.term = c.last; }
  c.backoffUntil = undefined;
  beginStart(ctx, pod, rt, c);
  return true;
}

function releaseIP(ctx: Ctx, rt: PodRt) {
  if (!rt.podIP) return;
  const nrt = kubeletState(ctx.sim).nodes.get(rt.node);
  const last = Number(rt.podIP.split(".").pop());
  nrt?.usedIPs.delete(last);
}

function teardown(ctx: Ctx, rt: PodRt) {
  rt.removed = true;
  if (rt.sandboxTimer !== undefined) ctx.clock.cancel(rt.sandboxTimer);
  if (typeof rt.busy === "number") ctx.clock.cancel(rt.busy);
  for (const c of [...rt.init, ...rt.app]) {
    cancelProbes(ctx, c);
    // (its exit is not reported: the record no longer holds the process)
    if (c.proc) { const p = c.proc; c.proc = undefined; if (p !== PARKED_SERVER) p.stop(137); }
  }
  if (rt.terminating?.killTimer !== undefined) ctx.clock.cancel(rt.terminating.killTimer);
  releaseIP(ctx, rt);
}

function allocateIP(ctx: Ctx, rt: PodRt): string | undefined {
  const nrt = kubeletState(ctx.sim).nodes.get(rt.node);
  if (!nrt) return undefined;
  for (let i = 0; i < 253; i++) {
    const n = nrt.nextIP;
    nrt.nextIP = n >= 254 ? 2 : n + 1;
    if (!nrt.usedIPs.has(n)) { nrt.usedIPs.add(n); return [nrt.podPrefix, n].join(""); } // flat, not a concatenation
  }
  return undefined;
}

const NO_CONDITIONS: unknown[] = Object.freeze([]) as unknown as unknown[];

/**
 * Did the runtime state a status is built from change since the last call (then remember the new state)?
 * The state: sandboxReady, podIP, finalPhase, terminal, and per container (init, then app) state, waitReason,
 * waitMessage, restartCount, ready, started, has a containerID, exitCode — undefined read as "" — the fields the
 * signature text `….join("|")` was made of, compared one by one against copies kept in the records (PodRt.sigChanged,
 * ContainerRt.sigChanged; nothing remembered before the first call: never equal) instead of building and comparing
 * that text on every sync. (Whether a container has an ID is enough: a new ID comes only with a (re)start, which
 * also changes its state or restartCount.)
 */
function runtimeChanged(rt: PodRt, terminal: boolean): boolean {
  let changed = rt.sigChanged(terminal);
  const init = rt.init, app = rt.app;
  for (let j = 0; j < init.length; j++) if (init[j]!.sigChanged()) changed = true;
  for (let j = 0; j < app.length; j++) if (app[j]!.sigChanged()) changed = true;
  return changed;
}

/** Regular init containers succeeded and sidecars started (sticky: see PodRt.initialized). */
function initContainersDone(rt: PodRt): boolean {
  if (rt.initialized) return true;
  const done = rt.init.every((c) => (isSidecar(c) ? c.state === "running" && c.started : c.state === "terminated" && c.term!.exitCode === 0));
  if (done) rt.initialized = true;
  return done;
}

/** SIGTERM the last running sidecar not yet signalled (KEP-753: reverse order, one after another). */
function stopNextSidecar(ctx: Ctx, pod: Pod, rt: PodRt): boolean {
  for (let i = rt.init.length - 1; i >= 0; i--) {
    const c = rt.init[i]!;
    if (!isSidecar(c) || !c.proc) continue;
    if (c.termSent) return true; // wait for it to exit before the next one
    c.termSent = true;
    ctx.events.event(pod, "Normal", "Killing", `Stopping container ${c.name}`, source(rt.node));
    cancelProbes(ctx, c);
    c.signal("TERM");
    return true;
  }
  return false;
}

/** The pod's regular containers finished (restartPolicy Never/OnFailure): stop its sidecars within the grace period. */
function stopSidecars(ctx: Ctx, pod: Pod, rt: PodRt) {
  if (!stopNextSidecar(ctx, pod, rt)) return;
  const grace = (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  ctx.clock.at(ctx.now() + grace, () => {
    for (const c of rt.init) if (isSidecar(c) && c.proc) c.signal("KILL");
  }, `sidecars ${rt.key}`);
}

function postStatus(ctx: Ctx, pod: Pod, rt: PodRt, terminal = false) {
  // (the runtime state is remembered here, before anything below can change it, as the signature was)
  const sigChanged = runtimeChanged(rt, terminal);
  if (pod.status === rt.lastWritten && !sigChanged) return;
  const initDone = initContainersDone(rt);
  const policy = pod.spec.restartPolicy ?? "Always";
  const initFailedNever = policy === "Never" && rt.init.some((c) => !isSidecar(c) && c.state === "terminated" && c.term!.exitCode !== 0);
  let phase = rt.finalPhase ?? podPhase(rt.app, policy, initDone, initFailedNever, terminal);
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") phase = pod.status.phase;
  if ((phase === "Succeeded" || phase === "Failed") && !rt.finalPhase) {
    rt.finalPhase = phase;
    // the regular containers are done for good: the kubelet stops the sidecars (reverse order)
    stopSidecars(ctx, pod, rt);
  }
  const hostIP = hostIPOf(ctx, rt.node);
  const ps = pod.status as Record<string, any> | undefined;
  const podIP = rt.podIP;
  const nrt = kubeletState(ctx.sim).nodes.get(rt.node);
  // (every field in one literal, absent ones undefined: one shape, no property array grown per build)
  const input: StatusInput = {
    now: ctx.now(), phase, sandboxReady: rt.sandboxReady, init: rt.init, app: rt.app, initDone,
    hostIP, existing: (ps?.conditions ?? NO_CONDITIONS) as any[], times: rt, posted: rt.postedConditions,
    // (the pod's own list, not ipList's: a pod IP is one pod's, and that map would keep every one ever made)
    podIP, podIPs: podIP ? (rt.podIPs !== undefined && rt.podIPs[0]!.ip === podIP ? rt.podIPs : (rt.podIPs = Object.freeze([Object.freeze({ ip: podIP })]))) : undefined,
    hostIPs: nrt === undefined ? undefined : nrt.hostIPs !== undefined && nrt.hostIPs[0]!.ip === hostIP ? nrt.hostIPs : (nrt.hostIPs = ipList(hostIP)),
    startTime: rt.startTime, qosClass: ps?.qosClass,
  };
  const merged = buildPodStatus(input);
  // keep fields other components own (e.g. status.reason/message from eviction, nominatedNodeName)
  if (ps) {
    if (ps.reason !== undefined) merged.reason = ps.reason;
    if (ps.message !== undefined) merged.message = ps.message;
    if (ps.nominatedNodeName !== undefined) merged.nominatedNodeName = ps.nominatedNodeName;
  }
  if ((sigChanged && rt.lastWritten !== undefined) || !jsonEqual(merged, pod.status)) {
    // (mapPod marks this write's own re-sync quiet when it can do nothing: see quietEcho)
    quietEcho = echoIsNoOp(pod, rt) ? rt.uid : undefined;
    let w: Pod;
    try {
      w = ctx.store.updateStatus<Pod>(pod, merged);
    } finally {
      quietEcho = undefined;
    }
    rt.lastWritten = w.status;
    rt.postedConditions = merged.conditions as unknown[];
  } else {
    rt.lastWritten = pod.status;
  }
}

export function syncPod(ctx: Ctx, key: ObjectKey): void {
  const st = kubeletState(ctx.sim);
  let rt = st.pods.get(key);
  // a known pod's namespace/name are kept on its record (no key splitting per sync)
  const { namespace, name } = rt ?? splitKey(key);
  const pod = ctx.store.get<Pod>("Pod", namespace, name);
  if (rt && (!pod || pod.metadata.uid !== rt.uid)) {
    // the pod object is gone (or replaced): stop its containers
    if (kubeletRunning(ctx.sim, rt.node) || !pod) { teardown(ctx, rt); st.pods.delete(key); rt = undefined; }
  }
  if (!pod || !pod.spec.nodeName) return;
  const node = pod.spec.nodeName;
  if (!kubeletRunning(ctx.sim, node)) return;
  if (!st.nodes.has(node)) return; // not a node we run (e.g. deleted)
  if (!rt) {
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") {
      if (pod.metadata.deletionTimestamp) ctx.store.delete("Pod", namespace, name, { gracePeriodSeconds: 0 });
      return;
    }
    rt = newPodRt(pod, key, ctx.now());
    st.pods.set(key, rt);
  }
  const r = rt;
  if (pod.metadata.deletionTimestamp) return terminate(ctx, pod, r);
  if (r.finalPhase) {
    stopNextSidecar(ctx, pod, r);
    return postStatus(ctx, pod, r);
  }

  if (!r.volumesReady) {
    const missing = missingVolumeSources(ctx, pod);
    if (missing.length) {
      if (r.mountRetry === undefined || ctx.now() >= r.mountRetry) {
        for (const m of missing) ctx.events.event(pod, "Warning", "FailedMount", `MountVolume.SetUp failed for volume "${m.volume}" : ${m.error}`, source(r.node));
        r.mountRetry = ctx.now() + MOUNT_RETRY_MS;
        ctx.sim.enqueueAfter(KUBELET, key, MOUNT_RETRY_MS);
      }
      return postStatus(ctx, pod, r);
    }
    setupVolumes(ctx, pod, r);
    r.volumesReady = true;
  }
  if (!r.sandboxReady) {
    if (r.sandboxTimer === undefined) {
      r.sandboxTimer = ctx.clock.at(ctx.now() + SANDBOX_MS, () => {
        r.sandboxTimer = undefined;
        if (r.removed) return;
        r.sandboxReady = true;
        r.podIP = allocateIP(ctx, r);
        requeuePod(ctx.sim, key);
      }, `sandbox ${key}`);
    }
    return postStatus(ctx, pod, r);
  }
  if (r.busy !== undefined) return postStatus(ctx, pod, r);
  const policy = pod.spec.restartPolicy ?? "Always";

  // init containers, in order (each must succeed before the next; a sidecar must have started)
  for (const c of r.init) {
    if (isSidecar(c)) {
      if (c.state === "running" && (c.started || r.initialized)) continue;
      if (c.state === "running") return postStatus(ctx, pod, r); // its startupProbe has not passed yet
      if (!c.everStarted) {
        if (c.configRetryAt === undefined || ctx.now() >= c.configRetryAt) beginStart(ctx, pod, r, c);
        if (!r.initialized || r.busy !== undefined) return postStatus(ctx, pod, r);
        continue;
      }
      // exited (or waiting in back-off): a sidecar is always restarted, whatever the pod's restartPolicy
      const started = restartOrBackoff(ctx, pod, r, c);
      if (!r.initialized || (started && r.busy !== undefined)) return postStatus(ctx, pod, r);
      continue;
    }
    if (r.initialized) continue;
    if (c.state === "running") return postStatus(ctx, pod, r);
    if (c.state === "terminated" && c.term!.exitCode === 0) continue;
    if (!c.everStarted) {
      if (c.configRetryAt === undefined || ctx.now() >= c.configRetryAt) beginStart(ctx, pod, r, c);
      return postStatus(ctx, pod, r);
    }
    // failed
    if (policy === "Never") { r.finalPhase = "Failed"; return postStatus(ctx, pod, r); }
    restartOrBackoff(ctx, pod, r, c);
    return postStatus(ctx, pod, r);
  }
  // app containers (started one after another, like SyncPod does)
  for (let i = 0; i < r.app.length; i++) {
    const c = r.app[i]!;
    if (c.state === "running") continue;
    if (!c.everStarted) {
      if (c.waitReason === "PodInitializing") c.waitReason = "ContainerCreating";
      if (c.configRetryAt !== undefined && ctx.now() < c.configRetryAt) continue;
      beginStart(ctx, pod, r, c);
      if (r.busy !== undefined) return postStatus(ctx, pod, r);
      continue;
    }
    if ((c.state === "terminated" || c.state === "waiting") && shouldRestart(policy, c.state === "waiting" ? c.last : c.term)) {
      if (restartOrBackoff(ctx, pod, r, c) && r.busy !== undefined) return postStatus(ctx, pod, r);
    }
  }
  postStatus(ctx, pod, r);
}

/** O5: SIGTERM every container, SIGKILL at the end of the grace period, then remove the pod. */
function terminate(ctx: Ctx, pod: Pod, rt: PodRt) {
  const now = ctx.now();
  if (!rt.terminating) {
    rt.terminating = {};
    if (rt.sandboxTimer !== undefined) { ctx.clock.cancel(rt.sandboxTimer); rt.sandboxTimer = undefined; }
    if (typeof rt.busy === "number") { ctx.clock.cancel(rt.busy); rt.busy = undefined; }
    const deadline = pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : now;
    for (const c of [...rt.init, ...rt.app]) {
      if (c.state === "waiting" && !c.everStarted) continue;
      if (c.state === "waiting") { c.state = "terminated"; c.term = c.last; }
      if (!c.proc || isSidecar(c)) continue;
      ctx.events.event(pod, "Normal", "Killing", `Stopping container ${c.name}`, source(rt.node));
      cancelProbes(ctx, c);
      c.termSent = true;
      c.signal("TERM");
    }
    if ([...rt.init, ...rt.app].some((c) => c.proc)) {
      rt.terminating.killTimer = ctx.clock.at(Math.max(deadline, now), () => {
        for (const c of [...rt.init, ...rt.app]) if (c.proc) c.signal("KILL");
        requeuePod(ctx.sim, rt.key);
      }, `grace ${rt.key}`);
    }
  }
  // sidecars are stopped once the other containers have exited, last-defined first
  if (![...rt.init, ...rt.app].some((c) => c.proc && !isSidecar(c))) stopNextSidecar(ctx, pod, rt);
  if ([...rt.init, ...rt.app].some((c) => c.proc)) return postStatus(ctx, pod, rt);
  // every container stopped: post the terminal status, then remove the object
  for (const c of [...rt.init, ...rt.app]) if (c.state === "waiting" && !c.everStarted) { c.waitReason = c.waitReason ?? "ContainerCreating"; }
  const anyRan = [...rt.app].some((c) => c.everStarted);
  if (anyRan) postStatus(ctx, pod, rt, true);
  teardown(ctx, rt);
  kubeletState(ctx.sim).pods.delete(rt.key);
  const cur = ctx.store.get<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
  if (cur && cur.metadata.uid === rt.uid) ctx.store.delete("Pod", pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
}

/** `sim pod fail`: a running container exits now. */
export function failContainer(sim: Simulation, namespace: string, podName: string, container: string | undefined, exitCode: number): void {
  const st = kubeletState(sim);
  const key = `${namespace}/${podName}`;
  const pod = sim.store.get<Pod>("Pod", namespace, podName);
  if (!pod) throw new Error(`pods "${podName}" not found`);
  const rt = st.pods.get(key);
  const all = rt ? [...rt.app, ...rt.init] : [];
  const c = container ? all.find((x) => x.name === container) : all.find((x) => x.state === "running") ?? rt?.app[0];
  if (container && !c && !pod.spec.containers.some((x) => x.name === container) && !(pod.spec.initContainers ?? []).some((x) => x.name === container)) {
    throw new Error(`container "${container}" not found in pod "${podName}"`);
  }
  if (!c || !c.proc) throw new Error(`container "${container ?? pod.spec.containers[0]!.name}" in pod "${podName}" is not running`);
  c.stop(exitCode);
  requeuePod(sim, key);
}

/**
 * The uid of the pod whose status postStatus is writing right now, when the re-sync its watch event causes (run
 * in settle's next pass) can only find nothing to do: it would write, draw and record nothing. mapPod still
 * queues that re-sync (its queue position decides the order of the kubelet's syncs in that pass, and with it
 * resourceVersions) but marks the key quiet (QuietKeys), and its sync returns at once. Any other event for the pod
 * (mapPod) or enqueue of it (requeuePod) wakes the key first. Set only for the duration of that store call.
 */
let quietEcho: string | undefined;

/**
 * Would syncPod, run again right after this status write, return through postStatus with nothing changed? True for
 * a plain pod (no init containers: their path re-syncs to go on) that is not terminating nor finished, with its
 * volumes set up, and waiting on a timer (sandbox, image pull) or with every container running. Anything that
 * changes its runtime state later (a timer, a probe, an exit) enqueues the pod itself, as does any other write.
 */
function echoIsNoOp(pod: Pod, rt: PodRt): boolean {
  if (rt.init.length !== 0 || rt.terminating !== undefined || rt.finalPhase !== undefined || pod.metadata.deletionTimestamp || !rt.volumesReady) return false;
  if (!rt.sandboxReady) return rt.sandboxTimer !== undefined;
  if (rt.busy !== undefined) return true;
  for (let i = 0; i < rt.app.length; i++) if (rt.app[i]!.state !== "running") return false;
  return true;
}

/** Queue a pod's sync (waking it if it was quiet: something changed that the echo of its last write did not see). */
export function requeuePod(sim: Simulation, key: ObjectKey): void {
  kubeletState(sim).quiet.wake(key);
  sim.enqueue(KUBELET, key);
}

function mapPod(ev: { type: string; key: ObjectKey; object: KubeObject; old?: KubeObject }, ctx: Ctx): ObjectKey | undefined {
  const quiet = kubeletState(ctx.sim).quiet;
  if (quietEcho !== undefined && ev.type === "MODIFIED" && ev.object.metadata.uid === quietEcho) {
    // Quiet only when the echo is the one reason for the queued sync (a sync asked for earlier must run).
    if (!ctx.sim.isQueued(KUBELET, ev.key)) quiet.mark(ev.key, undefined);
    return ev.key;
  }
  quiet.wake(ev.key);
  if (ev.object.spec?.nodeName) return ev.key;
  if (ev.type === "DELETED" && kubeletState(ctx.sim).pods.has(ev.key)) return ev.key;
  return undefined;
}

export const kubeletController: ControllerDef = {
  name: KUBELET,
  watches: [{ kind: "Pod", map: mapPod }],
  reconcile(ctx, key) {
    // Only the echo of our own status write queued a quiet key's sync (quietEcho): it returns at once, in the
    // queue position the key took, so the order of the syncs around it is as before.
    kubeletState(ctx.sim).quiet.reconcile(ctx, key, syncPod);
  },
};

export function hexId(ctx: Ctx, n: number): string {
  return hex(ctx, n);
}
export type { TermState };
