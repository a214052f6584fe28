/**
 * Invariants checked after every step of a random action sequence. Each check is an independent oracle
 * written from /work/shared/k8s-semantics.md (fact ids in the messages), not from the engine's code: it
 * reads the store, never the controllers' internals. A `Checker` also keeps the little history the checks
 * need (when nodes were deleted, which owners were deleted with --cascade=orphan, rollout baselines).
 */
import type { Session } from "../../../src/scenario/session.ts";
import type { Simulation } from "../../../src/simulation.ts";
import type { CmdResult } from "../../../src/kubectl/types.ts";
import type { KubeObject, Pod, WatchEvent } from "../../../src/api/types.ts";
import { type Action, CRASHING_IMAGES, DEPLOY_STRATEGY, existing, NAMES } from "./actions.ts";

export interface Violation {
  fact: string;
  message: string;
}

// ------------------------------------------------------------------ small independent helpers

const isTerminal = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
/** X4 */
const isActive = (p: Pod) => !isTerminal(p) && !p.metadata.deletionTimestamp;
const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
const controllerUid = (o: KubeObject) => o.metadata.ownerReferences?.find((r) => r.controller)?.uid;

/** cpu in millicores, memory in bytes; only the suffixes the generator and nodes use (plus plain numbers). */
export function quantity(q: string | number | undefined, cpu: boolean): number {
  if (q === undefined) return 0;
  const s = String(q);
  const m = s.match(/^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/);
  if (!m) throw new Error(`unparsable quantity ${s}`);
  const n = Number(m[1]);
  const mult: Record<string, number> = { "": cpu ? 1000 : 1, m: cpu ? 1 : 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9 };
  return n * mult[m[2] ?? ""]!;
}

function podRequests(p: Pod): { cpu: number; memory: number } {
  let cpu = 0, memory = 0;
  for (const c of p.spec.containers ?? []) {
    cpu += quantity(c.resources?.requests?.cpu as string | undefined, true);
    memory += quantity(c.resources?.requests?.memory as string | undefined, false);
  }
  for (const c of p.spec.initContainers ?? []) {
    cpu = Math.max(cpu, quantity(c.resources?.requests?.cpu as string | undefined, true));
    memory = Math.max(memory, quantity(c.resources?.requests?.memory as string | undefined, false));
  }
  return { cpu, memory };
}

interface Toleration { key?: string; operator?: string; value?: string; effect?: string }
interface Taint { key: string; value?: string; effect: string }

/** N1 */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== "Exists") return false;
  if (t.operator === "Exists") return true;
  return (t.value ?? "") === (taint.value ?? "");
}

/** D2: the tolerations every DaemonSet pod gets (hostNetwork is never used by the generator). */
const DS_AUTO_TOLERATIONS: Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

/** D1: NodeShouldRunDaemonPod → [shouldRun, shouldContinueRunning]. */
export function nodeShouldRunDaemonPod(ds: KubeObject, node: KubeObject): [boolean, boolean] {
  const spec = ds.spec.template.spec ?? {};
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return [false, false];
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((spec.nodeSelector ?? {}) as Record<string, string>)) if (labels[k] !== v) return [false, false];
  const tols: Toleration[] = [...(spec.tolerations ?? []), ...DS_AUTO_TOLERATIONS];
  const untolerated = ((node.spec?.taints ?? []) as Taint[]).filter((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tols.some((tol) => tolerates(tol, t)));
  if (untolerated.length === 0) return [true, true];
  return [false, !untolerated.some((t) => t.effect === "NoExecute")];
}

/** The node a DaemonSet pod is for: its nodeName, else the matchFields affinity (D3). */
function dsPodNode(p: Pod): string | undefined {
  if (p.spec.nodeName) return p.spec.nodeName;
  const terms = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === "metadata.name" && f.values?.length === 1) return f.values[0];
  return undefined;
}

/** X6 + P3 */
export function fenceposts(replicas: number, maxSurge: number | string | undefined, maxUnavailable: number | string | undefined): { surge: number; unavailable: number } {
  const scaled = (v: number | string | undefined, up: boolean) => (v === undefined ? 0 : typeof v === "number" ? v : up ? Math.ceil((Number(v.slice(0, -1)) * replicas) / 100) : Math.floor((Number(v.slice(0, -1)) * replicas) / 100));
  const surge = scaled(maxSurge, true);
  let unavailable = scaled(maxUnavailable, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

// ------------------------------------------------------------------ the checker

/** PodGC (N10): 20s period + 40s quarantine. */
export const PODGC_WINDOW_MS = 60_000;

const ENGINE_BUG_MESSAGE = /did not settle|Maximum call stack|Cannot read prop|is not a function|is not iterable|Cannot convert|undefined|\[object Object\]|NaN/;

export class Checker {
  readonly violations: Violation[] = [];
  /** Internal errors thrown inside the engine (TypeError & co.), even when Session.exec turned them into text. */
  readonly internalErrors: unknown[] = [];
  private sim!: Simulation;
  private lastRv = 0;
  private nodeDeletedAt = new Map<string, number>();
  private orphanDeletedUids = new Set<string>();
  /** Names whose objects were ever deleted with --cascade=orphan: re-adoption makes some bounds transient. */
  private orphanTainted = new Set<string>();
  /** object uid → controller uid, as first seen in a watch event. */
  private controllerSeen = new Map<string, string>();
  /** Deployment name → availability baseline (P5). */
  private baseline = new Map<string, { uid: string; replicas: number }>();

  constructor(readonly session: Session) {
    this.attach();
  }

  private attach() {
    const sim = this.session.sim;
    if (this.sim === sim) return;
    this.sim = sim;
    this.lastRv = sim.store.resourceVersion;
    sim.store.watch((ev) => this.onEvent(ev));
    const internal = this.internalErrors;
    const record = (e: unknown) => {
      if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || (e instanceof Error && /did not settle/.test(e.message))) internal.push(e);
    };
    const settle = sim.settle.bind(sim);
    sim.settle = () => { try { settle(); } catch (e) { record(e); throw e; } };
    const act = sim.act.bind(sim);
    sim.act = <T>(fn: () => T): T => act(() => { try { return fn(); } catch (e) { record(e); throw e; } });
  }

  private onEvent(ev: WatchEvent) {
    const rv = Number(ev.object.metadata.resourceVersion);
    if (!(rv > this.lastRv)) this.fail("API", `resourceVersion not strictly increasing: ${ev.type} ${ev.kind} ${ev.key} rv=${ev.object.metadata.resourceVersion} after ${this.lastRv}`);
    if (rv > this.lastRv) this.lastRv = rv;
    if (ev.kind === "Node" && ev.type === "DELETED") this.nodeDeletedAt.set(ev.object.metadata.name, this.sim.now);
    if (ev.kind === "Node" && ev.type === "ADDED") this.nodeDeletedAt.delete(ev.object.metadata.name);
    const c = controllerUid(ev.object);
    if (c && !this.controllerSeen.has(ev.object.metadata.uid)) this.controllerSeen.set(ev.object.metadata.uid, c);
    if (c && ev.kind === "Pod" && ev.type === "ADDED") this.checkOrderedCreate(ev.object as Pod, c);
  }

  /**
   * S3 as a creation rule: an OrderedReady StatefulSet creates pod N only when 0..N-1 exist, are not
   * terminating and are Running+Ready. (Afterwards a lower ordinal may vanish, e.g. `kubectl delete pod`,
   * and is not recreated while an earlier one is unready, so "N exists ⇒ 0..N-1 exist" is not a state
   * invariant upstream either.)
   */
  private checkOrderedCreate(pod: Pod, ownerUid: string) {
    const sts = this.sim.store.getByUid(ownerUid);
    if (!sts || sts.kind !== "StatefulSet" || (sts.spec.podManagementPolicy ?? "OrderedReady") !== "OrderedReady" || this.orphanTainted.has(sts.metadata.name)) return;
    const name = sts.metadata.name;
    const m = pod.metadata.name.match(new RegExp(`^${name}-(\\d+)$`));
    if (!m) return;
    for (let i = 0; i < Number(m[1]); i++) {
      const prev = this.sim.store.get<Pod>("Pod", pod.metadata.namespace, `${name}-${i}`);
      const why = !prev ? "does not exist" : prev.metadata.deletionTimestamp ? "is terminating" : prev.status?.phase !== "Running" || !isReady(prev) ? "is not Running and Ready" : "";
      if (why) { this.fail("S3", `StatefulSet ${name} (OrderedReady) created ${pod.metadata.name} while ${name}-${i} ${why}`); return; }
    }
  }

  private fail(fact: string, message: string) {
    this.violations.push({ fact, message });
  }

  /** Called before a command runs (records what the invariants need to know about it). */
  before(a: Action) {
    this.attach();
    const store = this.sim.store;
    // the same resolution toCommand applies (an absent pool name is redirected to an existing object)
    const target = (a.t === "delete" || a.t === "scale") ? existing(this.session, a.kind, a.name, NAMES[a.kind], a.t === "scale") : "";
    if (a.t === "delete" && a.cascade === "orphan") {
      const o = store.get(a.kind, "default", target);
      if (o) {
        this.orphanDeletedUids.add(o.metadata.uid);
        this.orphanTainted.add(target);
        // an orphaned ReplicaSet of a Deployment gets re-adopted: its Deployment's bounds become transient too
        const owner = o.metadata.ownerReferences?.find((r) => r.controller);
        if (owner) this.orphanTainted.add(owner.name);
      }
    }
    // Anything that legitimately reduces availability ends every rollout baseline (P5 holds only without it):
    // pod failures and deletions, node disruption, and deleting or scaling a ReplicaSet directly.
    const disruptive = a.t === "podFail" || a.t === "podDelete" || a.t === "drain" || a.t === "nodeDelete" || a.t === "nodeStop"
      || (a.t === "taint" && a.effect === "NoExecute" && !a.remove)
      || ((a.t === "delete" || a.t === "scale") && (a.kind === "ReplicaSet" || a.kind === "Pod"));
    if (disruptive) this.baseline.clear();
    if ((a.t === "delete" || a.t === "scale") && a.kind === "Deployment") this.baseline.delete(target);
  }

  /** Called after each command with its result; `settled` = the step was an advance of ≥ 2m. */
  after(a: Action, line: string, r: CmdResult, beforeNow: number, settled: boolean) {
    this.attach();
    const sim = this.sim;
    // No uncaught exception; clear errors.
    for (const e of this.internalErrors.splice(0)) this.fail("ENGINE", `internal error during \`${line}\`: ${(e as Error)?.stack ?? String(e)}`);
    if (r.code !== 0 && (r.err.trim() === "" || /\n\s+at .+:\d+:\d+/.test(r.err) || ENGINE_BUG_MESSAGE.test(r.err))) this.fail("ENGINE", `unclear error from \`${line}\`: ${JSON.stringify(r.err)}`);
    if (a.t === "advance" || a.t === "settle") {
      const want = a.t === "settle" ? 120_000 : a.ms;
      if (r.code !== 0 || sim.now - beforeNow !== want) this.fail("ENGINE", `\`${line}\` moved the clock by ${sim.now - beforeNow}ms (code ${r.code})`);
    }
    this.checkDaemonSets(settled);
    this.checkDeployments();
    this.checkJobs();
    this.checkCronJobs();
    this.checkStatefulSets();
    this.checkPodGC();
    this.checkResources();
    this.checkOwners(settled);
  }

  private podsOf(owner: KubeObject): Pod[] {
    return this.sim.store.list<Pod>("Pod").filter((p) => controllerUid(p) === owner.metadata.uid);
  }

  /** D4 (≤1 non-terminating pod per node, 2 during a surge update: D10), D1/D5/D7 after settling. */
  private checkDaemonSets(settled: boolean) {
    const store = this.sim.store;
    const nodes = store.list("Node");
    for (const ds of store.list("DaemonSet")) {
      if (ds.metadata.deletionTimestamp) continue;
      const ru = ds.spec.updateStrategy?.rollingUpdate;
      const surge = ds.spec.updateStrategy?.type === "RollingUpdate" && ru?.maxSurge && ru.maxSurge !== "0" && ru.maxSurge !== "0%";
      const perNode = new Map<string, Pod[]>();
      /** D4: a terminating (or failed, in backoff) pod still counts as "a pod exists" on its node. */
      const anyOnNode = new Set<string>();
      for (const p of this.podsOf(ds)) {
        const pn = dsPodNode(p);
        if (pn) anyOnNode.add(pn);
        if (!isActive(p)) continue;
        const n = dsPodNode(p);
        if (!n) { this.fail("D3", `DaemonSet ${ds.metadata.name} pod ${p.metadata.name} is not tied to a node`); continue; }
        perNode.set(n, [...(perNode.get(n) ?? []), p]);
      }
      for (const [n, ps] of perNode) {
        if (ps.length > (surge ? 2 : 1)) this.fail(surge ? "D10" : "D4", `DaemonSet ${ds.metadata.name} has ${ps.length} non-terminating pods on node ${n}: ${ps.map((p) => p.metadata.name).join(", ")}`);
      }
      if (!settled) continue;
      let desired = 0;
      for (const node of nodes) {
        const [shouldRun, shouldContinue] = nodeShouldRunDaemonPod(ds, node);
        const here = perNode.get(node.metadata.name) ?? [];
        if (shouldRun) {
          desired++;
          if (!anyOnNode.has(node.metadata.name)) this.fail("D1", `after settling, DaemonSet ${ds.metadata.name} has no pod on eligible node ${node.metadata.name}`);
        }
        if (!shouldContinue && here.length > 0) this.fail("D7", `after settling, DaemonSet ${ds.metadata.name} still runs ${here.map((p) => p.metadata.name).join(", ")} on ${node.metadata.name}, which has an untolerated NoExecute taint`);
      }
      if (ds.status?.desiredNumberScheduled !== desired) this.fail("D5", `after settling, DaemonSet ${ds.metadata.name} desiredNumberScheduled=${ds.status?.desiredNumberScheduled}, want ${desired}`);
    }
  }

  /** P3/P5: Σ RS spec and active pods ≤ replicas+surge; available ≥ replicas−maxUnavailable during a clean rollout. */
  private checkDeployments() {
    const store = this.sim.store;
    const allNodesHealthy = store.list("Node").every((n) => this.sim.nodeRuntime.get(n.metadata.name)?.kubeletRunning === true
      && n.status?.conditions?.some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True"));
    for (const d of store.list("Deployment")) {
      const name = d.metadata.name;
      if (d.metadata.deletionTimestamp || this.orphanTainted.has(name)) { this.baseline.delete(name); continue; }
      const replicas: number = d.spec.replicas ?? 1;
      const st = DEPLOY_STRATEGY[name];
      const rolling = d.spec.strategy?.type !== "Recreate";
      const { surge, unavailable } = rolling
        ? fenceposts(replicas, d.spec.strategy?.rollingUpdate?.maxSurge ?? "25%", d.spec.strategy?.rollingUpdate?.maxUnavailable ?? "25%")
        : { surge: 0, unavailable: replicas };
      void st;
      const rses = store.list("ReplicaSet").filter((rs) => controllerUid(rs) === d.metadata.uid);
      const specSum = rses.reduce((s, rs) => s + (rs.spec.replicas ?? 1), 0);
      const pods = rses.flatMap((rs) => this.podsOf(rs)).filter(isActive);
      if (specSum > replicas + surge) this.fail("P5", `Deployment ${name}: Σ ReplicaSet spec.replicas = ${specSum} > replicas ${replicas} + maxSurge ${surge}`);
      if (pods.length > replicas + surge) this.fail("P3", `Deployment ${name}: ${pods.length} active pods > replicas ${replicas} + maxSurge ${surge} (${pods.map((p) => p.metadata.name).join(", ")})`);
      // Availability during a rollout, only from a clean, fully available start (see Checker.before).
      const crashing = rses.some((rs) => ((rs.spec.replicas ?? 1) > 0 || this.podsOf(rs).length > 0) && rs.spec.template.spec.containers.some((c: { image: string }) => CRASHING_IMAGES.has(c.image)));
      const available = pods.filter(isReady).length;
      // A pod bound to a deleted node still looks Ready until PodGC removes it (N10): not a clean start.
      const stranded = pods.some((p) => p.spec.nodeName && !store.get("Node", undefined, p.spec.nodeName));
      const b = this.baseline.get(name);
      if (!rolling || crashing || stranded || !allNodesHealthy || (b && (b.uid !== d.metadata.uid || b.replicas !== replicas))) { this.baseline.delete(name); continue; }
      if (!b) {
        if (available >= replicas && d.status?.observedGeneration === d.metadata.generation) this.baseline.set(name, { uid: d.metadata.uid, replicas });
        continue;
      }
      if (available < replicas - unavailable) this.fail("P5", `Deployment ${name}: ${available} available pods < replicas ${replicas} − maxUnavailable ${unavailable} during a rollout with no disruption`);
    }
  }

  /** J4: active ≤ parallelism; J5: succeeded ≤ completions (NonIndexed). */
  private checkJobs() {
    for (const job of this.sim.store.list("Job")) {
      if (job.metadata.deletionTimestamp) continue;
      const active = this.podsOf(job).filter(isActive);
      const parallelism = job.spec.suspend ? 0 : job.spec.parallelism ?? 1;
      // J4 work queue (completions unset): after the first success wantActive = active, so a lowered
      // parallelism kills nothing (soak seed 55); only a suspended Job must drop to 0.
      const workQueueDone = job.spec.completions == null && (job.status?.succeeded ?? 0) > 0 && !job.spec.suspend;
      if (!workQueueDone && active.length > parallelism) this.fail("J4", `Job ${job.metadata.name}: ${active.length} active pods > parallelism ${parallelism}`);
      const completions = job.spec.completions;
      if (completions != null && job.spec.completionMode !== "Indexed" && (job.status?.succeeded ?? 0) > completions) this.fail("J5", `Job ${job.metadata.name}: status.succeeded ${job.status?.succeeded} > completions ${completions}`);
    }
  }

  /** C6: a Forbid CronJob never has two active Jobs. */
  private checkCronJobs() {
    const store = this.sim.store;
    for (const cj of store.list("CronJob")) {
      if (cj.spec.concurrencyPolicy !== "Forbid" || cj.metadata.name !== "cj-a") continue;
      const activeRefs = cj.status?.active?.length ?? 0;
      const unfinished = store.list("Job").filter((j) => controllerUid(j) === cj.metadata.uid && !j.status?.conditions?.some((c: { type: string; status: string }) => (c.type === "Complete" || c.type === "Failed") && c.status === "True"));
      if (activeRefs > 1) this.fail("C6", `CronJob ${cj.metadata.name} (Forbid): status.active has ${activeRefs} Jobs`);
      if (unfinished.length > 1) this.fail("C6", `CronJob ${cj.metadata.name} (Forbid): ${unfinished.length} unfinished Jobs: ${unfinished.map((j) => j.metadata.name).join(", ")}`);
    }
  }

  /** S1: ordinals unique and in the pod-name form (S3 is checked on creation, see checkOrderedCreate). */
  private checkStatefulSets() {
    for (const sts of this.sim.store.list("StatefulSet")) {
      if (sts.metadata.deletionTimestamp) continue;
      const name = sts.metadata.name;
      const ords: number[] = [];
      for (const p of this.podsOf(sts)) {
        const m = p.metadata.name.match(new RegExp(`^${name}-(\\d+)$`));
        if (!m) { this.fail("S1", `StatefulSet ${name} owns pod ${p.metadata.name} whose name is not <sts>-<ordinal>`); continue; }
        ords.push(Number(m[1]));
      }
      if (new Set(ords).size !== ords.length) this.fail("S1", `StatefulSet ${name}: duplicate ordinals ${ords.join(",")}`);
    }
  }

  /** N10: no pod stays bound to a deleted node beyond PodGC's window. */
  private checkPodGC() {
    const store = this.sim.store;
    const now = this.sim.now;
    for (const [node, at] of this.nodeDeletedAt) {
      if (store.get("Node", undefined, node) || now - at <= PODGC_WINDOW_MS) continue;
      const left = store.podsOnNode(node);
      if (left.length) this.fail("N10", `${left.length} pod(s) still bound to node ${node} ${(now - at) / 1000}s after it was deleted: ${left.map((p) => p.metadata.name).join(", ")}`);
    }
  }

  /** K3: Σ requests of scheduled non-terminal pods ≤ allocatable (cpu, memory, pods). */
  private checkResources() {
    const store = this.sim.store;
    for (const node of store.list("Node")) {
      const alloc = node.status?.allocatable ?? {};
      const pods = store.podsOnNode(node.metadata.name).filter((p) => !isTerminal(p));
      let cpu = 0, memory = 0;
      for (const p of pods) { const r = podRequests(p); cpu += r.cpu; memory += r.memory; }
      const n = node.metadata.name;
      if (cpu > quantity(alloc.cpu, true)) this.fail("K3", `node ${n}: requested cpu ${cpu}m > allocatable ${alloc.cpu} (${pods.map((p) => p.metadata.name).join(", ")})`);
      if (memory > quantity(alloc.memory, false)) this.fail("K3", `node ${n}: requested memory ${memory} > allocatable ${alloc.memory}`);
      if (pods.length > Number(alloc.pods ?? 110)) this.fail("K3", `node ${n}: ${pods.length} pods > allocatable pods ${alloc.pods}`);
    }
  }

  /** G1: ownerReferences acyclic; after settling no dangling owner and no dependent orphaned without --cascade=orphan. */
  private checkOwners(settled: boolean) {
    const store = this.sim.store;
    const kinds = ["Pod", "ReplicaSet", "Job", "ControllerRevision", "Deployment", "DaemonSet", "StatefulSet", "CronJob"];
    const objs = kinds.flatMap((k) => store.list(k));
    // acyclic: follow owner chains (every chain in a sane cluster is ≤ 3 long)
    for (const o of objs) {
      let cur: KubeObject | undefined = o;
      for (let depth = 0; cur; depth++) {
        if (depth > 8) { this.fail("G1", `ownerReferences cycle through ${o.kind}/${o.metadata.name}`); break; }
        const ref: string | undefined = cur.metadata.ownerReferences?.[0]?.uid;
        cur = ref ? store.getByUid(ref) : undefined;
      }
    }
    if (!settled) return;
    for (const o of objs) {
      if (o.metadata.deletionTimestamp) continue;
      for (const ref of o.metadata.ownerReferences ?? []) {
        if (!store.getByUid(ref.uid)) this.fail("G1", `after settling, ${o.kind}/${o.metadata.name} still refers to deleted owner ${ref.kind}/${ref.name}`);
      }
      const seen = this.controllerSeen.get(o.metadata.uid);
      if (seen && !controllerUid(o) && !this.orphanDeletedUids.has(seen)) this.fail("G1", `after settling, ${o.kind}/${o.metadata.name} lost its controller owner although nothing was deleted with --cascade=orphan`);
    }
  }
}
