/**
 * The scheduler's node cache (upstream `internal/cache`): per node, allocatable and the requests of the pods
 * bound to it, kept **incrementally** from watch events — a pod is added when it is bound, removed when it is
 * deleted or reaches a terminal phase (K3). Filtering and scoring never re-sum a node's pods.
 */
import type { KubeObject, Node, Pod, WatchEvent } from "../api/types.ts";
import { bytes, DEFAULT_MEMORY, DEFAULT_MILLI_CPU, milliCpu, parseQuantity, podRequests, type Requests } from "./resources.ts";
import { plainTotal } from "./score.ts";

export interface NodeInfo {
  name: string;
  node: Node;
  allocatable: { cpu: number; memory: number; ephemeral: number; pods: number; other: Record<string, number> };
  requested: Requests;
  /** Requests with the scoring defaults applied to zero cpu/memory requests. */
  nonZero: { cpu: number; memory: number };
  podCount: number;
  /** Neither unschedulable nor tainted: only the resource filters can reject a plain pod here. */
  plain?: boolean;
  /** "proto/hostIP/port" → number of pods using it. */
  usedPorts: Map<string, number>;
  /**
   * The hot loops' plain numbers, kept by the cache (NodeInfos built elsewhere, e.g. in tests, lack them):
   * free = allocatable − requested (the same subtraction fitsResources does), pods left, and a version that
   * changes whenever allocatable or requested does (scoreInto's per-node memo).
   */
  fast?: NodeFast;
  /** The pod contributions counted here, shared by the pods with the same requests (see SchedulerCache.onPod). */
  contribs?: PodContribution[];
}

export interface NodeFast {
  freeCpu: number;
  freeMem: number;
  freeEph: number;
  podsLeft: number;
  allocCpu: number;
  allocMem: number;
  reqCpu: number;
  reqMem: number;
  nzCpu: number;
  nzMem: number;
  version: number;
  /** Position in SchedulerCache.list (and its `free` array). */
  pos: number;
  /** scoreInto's memo: the resource part of the score for a pod requesting (memoCpu, memoMem) at memoVersion. */
  memoVersion: number;
  memoCpu: number;
  memoMem: number;
  memoScore: number;
}

function refreshFast(info: NodeInfo, pos: number): NodeFast {
  const a = info.allocatable, r = info.requested;
  const f = info.fast ??= {
    freeCpu: 0, freeMem: 0, freeEph: 0, podsLeft: 0, allocCpu: 0, allocMem: 0, reqCpu: 0, reqMem: 0, nzCpu: 0, nzMem: 0,
    version: 0, pos, memoVersion: -1, memoCpu: 0, memoMem: 0, memoScore: 0,
  };
  f.pos = pos;
  f.freeCpu = a.cpu - r.cpu;
  f.freeMem = a.memory - r.memory;
  f.freeEph = a.ephemeral - r.ephemeral;
  f.podsLeft = a.pods - info.podCount;
  f.allocCpu = a.cpu;
  f.allocMem = a.memory;
  f.reqCpu = r.cpu;
  f.reqMem = r.memory;
  f.nzCpu = info.nonZero.cpu;
  f.nzMem = info.nonZero.memory;
  f.version++;
  return f;
}

/**
 * Stride of SchedulerCache.free: podsLeft (−1 when the node is not plain), free cpu, memory, ephemeral-storage,
 * and the node's version (NodeFast.version, ≥ 1).
 */
export const FREE_STRIDE = 5;
/**
 * The scheduler's fast check at `free[o..]` (one node's FREE_STRIDE numbers): a plain node with a pod slot left
 * where requests of `cpu`, `memory` and `ephemeral` fit (fitsResources for a pod without extended resources).
 */
export function fitsFree(free: Float64Array, o: number, cpu: number, memory: number, ephemeral: number): boolean {
  return free[o]! >= 1 && !(cpu > 0 && cpu > free[o + 1]!) && !(memory > 0 && memory > free[o + 2]!) && !(ephemeral > 0 && ephemeral > free[o + 3]!);
}

/** Stride of SchedulerCache.memo: the version it was computed at (0: none), the pod's cpu and memory, the score. */
export const MEMO_STRIDE = 4;

/**
 * One plain pod shape — cpu, memory and ephemeral-storage requests, no extended resources — with every node's
 * fast-path fit and plain score (plainTotal) kept current by the cache on each node change. When no node in a
 * pod's rotation window is unfit, the scheduler takes the window as it is: no filter pass, no scoring pass.
 */
export interface PlainShape {
  cpu: number;
  memory: number;
  ephemeral: number;
  /** A pod's requests of this shape (plainTotal reads only cpu and memory). */
  req: Requests;
  /** Nodes when kept (the cache drops every shape when a node is added or deleted). */
  n: number;
  /** plainTotal of the node at position i, at i and again at i + n: any rotation window is one subarray. */
  score: Float64Array;
  /** Positions of the nodes that fail the fast check for this shape (not plain, full, or short of a resource). */
  unfit: Set<number>;
  /** Last use (the least recently used shape is dropped first). */
  used: number;
}

/** At most this many shapes are kept (each costs O(1) per node change, O(nodes) memory and O(nodes) to build). */
const MAX_SHAPES = 4;

const NO_PORTS: string[] = Object.freeze([]) as unknown as string[];

/**
 * What a counted pod adds to its node: its requests (the scoring defaults are applied when they are added) and
 * its host ports, kept aside in SchedulerCache.podPorts as few pods have any. One of these per bound pod, so two
 * fields only (with three more it was 64 bytes: Node runs without pointer compression).
 */
export interface PodContribution {
  readonly node: string;
  readonly req: Requests;
}

/** Distinct contributions a node keeps to share (pods of a few templates per node are the usual case). */
const MAX_CONTRIBS = 4;

/** The pod's host ports ("proto/hostIP/port"); one shared frozen empty list when it has none. */
export function hostPorts(pod: Pod): string[] {
  let out: string[] | undefined;
  const cs = pod.spec?.containers;
  if (!cs) return NO_PORTS;
  // (index loops: for-of here made an iterator object per call, twice per pod)
  for (let i = 0; i < cs.length; i++) {
    const ps = cs[i]!.ports;
    if (!ps) continue;
    for (let j = 0; j < ps.length; j++) {
      const p = ps[j]!;
      if (p.hostPort) (out ??= []).push(`${p.protocol ?? "TCP"}/${p.hostIP || "0.0.0.0"}/${p.hostPort}`);
    }
  }
  return out ?? NO_PORTS;
}

/**
 * podRequests, computed once per pod template: pods whose spec shares the containers list (a bound pod
 * keeps its unbound version's; template-made pods may share one) share one frozen result. Pods with init
 * containers or overhead are computed each time.
 */
const reqMemo = new WeakMap<object, Requests>();
export function podRequestsOf(pod: Pod): Requests {
  const spec = pod.spec;
  const cs = spec?.containers;
  if (!cs || spec.initContainers || spec.overhead) return podRequests(pod);
  let r = reqMemo.get(cs);
  if (r === undefined) {
    r = sameRequests(podRequests(pod));
    reqMemo.set(cs, r);
  }
  return r;
}

/**
 * Frozen requests without extended resources, by value: templates that ask the same (the usual case: most
 * Deployments' templates differ only in labels) share one, so their pods can share a cache entry (onPod).
 */
const plainRequests = new Map<string, Requests>();

/** `r` frozen, or the frozen one of the same values when it has no extended resources. */
function sameRequests(r: Requests): Requests {
  for (const _ in r.other) return Object.freeze(r); // (other: kept per template)
  const k = `${r.cpu}/${r.memory}/${r.ephemeral}`;
  const hit = plainRequests.get(k);
  if (hit !== undefined) return hit;
  Object.freeze(r.other);
  if (plainRequests.size >= 256) plainRequests.clear(); // (a bound on a module-level table: a miss only costs sharing)
  plainRequests.set(k, Object.freeze(r));
  return r;
}

/** Do any of `want` conflict with `used` (0.0.0.0 conflicts with every IP on the same proto/port)? */
export function portsConflict(want: string[], used: Map<string, number>): boolean {
  if (!want.length || !used.size) return false;
  for (const w of want) {
    const [proto, ip, port] = w.split("/");
    for (const u of used.keys()) {
      const [p2, ip2, port2] = u.split("/");
      if (p2 !== proto || port2 !== port) continue;
      if (ip === ip2 || ip === "0.0.0.0" || ip2 === "0.0.0.0") return true;
    }
  }
  return false;
}

function allocatableOf(node: Node): NodeInfo["allocatable"] {
  const a = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  const other: Record<string, number> = {};
  for (const [k, v] of Object.entries(a)) {
    if (k !== "cpu" && k !== "memory" && k !== "ephemeral-storage" && k !== "pods" && !k.startsWith("hugepages-")) other[k] = parseQuantity(v);
  }
  return {
    cpu: milliCpu(a.cpu ?? "0"),
    memory: bytes(a.memory ?? "0"),
    ephemeral: bytes(a["ephemeral-storage"] ?? "0"),
    pods: a.pods !== undefined ? Math.floor(parseQuantity(a.pods)) : 110,
    other,
  };
}

/**
 * { node, req } for a pod counted on `info`: the node's shared one for these requests (one per bound pod was
 * 40 bytes each; a node's pods mostly come from a few templates), else a new one. Never changed once made.
 */
function contribution(info: NodeInfo, req: Requests): PodContribution {
  const list = (info.contribs ??= []);
  for (let i = 0; i < list.length; i++) if (list[i]!.req === req) return list[i]!;
  const c: PodContribution = Object.freeze({ node: info.name, req });
  if (list.length < MAX_CONTRIBS) list.push(c);
  return c;
}

function countedOn(pod: KubeObject | undefined): string | undefined {
  if (!pod) return undefined;
  const node = pod.spec?.nodeName as string | undefined;
  if (!node) return undefined;
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return undefined;
  return node;
}

export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  /** Node names in a stable order (insertion), the order filters walk. */
  nodeOrder: string[] = [];
  /** The same order as NodeInfo objects (the hot loop walks this). */
  list: NodeInfo[] = [];
  /**
   * Per node of `list`, FREE_STRIDE numbers (see FREE_STRIDE): the plain-pod filter reads only this dense array,
   * touching a NodeInfo only when the node is taken.
   */
  free = new Float64Array(FREE_STRIDE * 64);
  /**
   * Per node of `list`, MEMO_STRIDE numbers: the resource part of the score (leastAllocated + balancedAllocation)
   * last computed for a pod's cpu/memory, valid while the node's version is unchanged (the scheduler's fast path).
   */
  memo = new Float64Array(MEMO_STRIDE * 64);
  /** Plain pod shapes kept current (see PlainShape), at most MAX_SHAPES. */
  private shapes: PlainShape[] = [];
  private shapeTick = 0;
  /**
   * Node visits the scheduler made for plain pods of shapes not kept: a shape is built (O(nodes)) only once that
   * work reaches the node count, so building costs at most as much as the filtering it replaces.
   */
  private shapeBudget = 0;
  private pods = new Map<string, PodContribution>();
  /** The host ports of the counted pods that have some (by pod key). */
  private podPorts = new Map<string, string[]>();
  /** Pods counted on a node that does not exist (yet): applied when the node appears. */
  private orphans = new Map<string, Set<string>>();

  /** The kept shape of these requests, if any. */
  shape(cpu: number, memory: number, ephemeral: number): PlainShape | undefined {
    for (const s of this.shapes) {
      if (s.cpu === cpu && s.memory === memory && s.ephemeral === ephemeral) {
        s.used = ++this.shapeTick;
        return s;
      }
    }
    return undefined;
  }

  /** The scheduler visited `visits` nodes for a plain pod with requests `req` whose shape is not kept. */
  shapeMissed(req: Requests, visits: number): void {
    this.shapeBudget += visits;
    const n = this.list.length;
    if (this.shapeBudget < n) return;
    this.shapeBudget -= n;
    const s: PlainShape = {
      cpu: req.cpu, memory: req.memory, ephemeral: req.ephemeral, req, n,
      score: new Float64Array(2 * n), unfit: new Set(), used: ++this.shapeTick,
    };
    for (let i = 0; i < n; i++) this.shapeAt(s, i);
    if (this.shapes.length >= MAX_SHAPES) {
      let lru = 0;
      for (let i = 1; i < this.shapes.length; i++) if (this.shapes[i]!.used < this.shapes[lru]!.used) lru = i;
      this.shapes.splice(lru, 1);
    }
    this.shapes.push(s);
  }

  /** Bring shape `s` up to date for the node at `pos` (free already refreshed). */
  private shapeAt(s: PlainShape, pos: number): void {
    if (fitsFree(this.free, pos * FREE_STRIDE, s.cpu, s.memory, s.ephemeral)) s.unfit.delete(pos);
    else s.unfit.add(pos);
    const v = plainTotal(s.req, this.list[pos]!);
    s.score[pos] = v;
    s.score[pos + s.n] = v;
  }

  onEvent(ev: WatchEvent): void {
    if (ev.kind === "Node") this.onNode(ev);
    else if (ev.kind === "Pod") {
      // A pod update that does not move it between nodes (or in/out of counting) changes nothing here: the
      // cache already holds what the previous event (ev.old) said. Most pod events are status writes.
      if (ev.type === "MODIFIED" && ev.old !== undefined && countedOn(ev.old) === countedOn(ev.object)) return;
      // A new pod not bound yet: not counted, and no entry for its key (its last event, if any, was a DELETED).
      if (ev.type === "ADDED" && countedOn(ev.object) === undefined) return;
      this.onPod(ev.key, ev.type === "DELETED" ? undefined : ev.object);
    }
  }

  private onNode(ev: WatchEvent) {
    const name = ev.key;
    const cur = this.nodes.get(name);
    if (!cur || ev.type === "DELETED") this.shapes.length = 0; // positions and the node count change
    if (ev.type === "DELETED") {
      // Pods still bound to the name keep counting against it: upstream's cache keeps the NodeInfo
      // while pods remain, so a node re-added under the same name starts with them (K3).
      const bound = new Set<string>();
      for (const [k, c] of this.pods) if (c.node === name) bound.add(k);
      if (bound.size) this.orphans.set(name, bound);
      this.nodes.delete(name);
      this.nodeOrder = this.nodeOrder.filter((n) => n !== name);
      this.list = this.list.filter((n) => n.name !== name);
      for (let i = 0; i < this.list.length; i++) this.refresh(this.list[i]!, i);
      this.memo.fill(0); // rows moved: forget every memo
      return;
    }
    const node = ev.object as Node;
    const plain = !node.spec?.unschedulable && !node.spec?.taints?.length;
    if (cur) {
      cur.node = node;
      cur.plain = plain;
      cur.allocatable = allocatableOf(node);
      this.refresh(cur, cur.fast!.pos);
      return;
    }
    const info: NodeInfo = {
      name, node, plain, allocatable: allocatableOf(node),
      requested: { cpu: 0, memory: 0, ephemeral: 0, other: {} }, nonZero: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: new Map(),
    };
    this.refresh(info, this.list.length);
    this.nodes.set(name, info);
    this.nodeOrder.push(name);
    this.list.push(info);
    for (const k of this.orphans.get(name) ?? []) {
      const c = this.pods.get(k);
      if (c) this.apply(info, c, this.portsOf(k), 1);
    }
    this.orphans.delete(name);
  }

  private onPod(key: string, pod: KubeObject | undefined) {
    const want = countedOn(pod);
    const have = this.pods.get(key);
    if (have && have.node === want) return;
    if (have) {
      const info = this.nodes.get(have.node);
      if (info) this.apply(info, have, this.portsOf(key), -1);
      else this.orphans.get(have.node)?.delete(key);
      this.pods.delete(key);
      if (this.podPorts.size) this.podPorts.delete(key);
    }
    if (want && pod) {
      const info = this.nodes.get(want);
      const req = podRequestsOf(pod as Pod);
      const c = info ? contribution(info, req) : { node: want, req };
      this.pods.set(key, c);
      const ports = hostPorts(pod as Pod);
      if (ports.length) this.podPorts.set(key, ports);
      if (info) this.apply(info, c, ports, 1);
      else {
        let s = this.orphans.get(want);
        if (!s) this.orphans.set(want, (s = new Set()));
        s.add(key);
      }
    }
  }

  private portsOf(key: string): string[] {
    return this.podPorts.size ? this.podPorts.get(key) ?? NO_PORTS : NO_PORTS;
  }

  private apply(info: NodeInfo, c: PodContribution, ports: string[], sign: 1 | -1) {
    info.podCount += sign;
    info.requested.cpu += sign * c.req.cpu;
    info.requested.memory += sign * c.req.memory;
    info.requested.ephemeral += sign * c.req.ephemeral;
    const other = c.req.other;
    for (const k in other) info.requested.other[k] = (info.requested.other[k] ?? 0) + sign * other[k]!;
    info.nonZero.cpu += sign * (c.req.cpu || DEFAULT_MILLI_CPU);
    info.nonZero.memory += sign * (c.req.memory || DEFAULT_MEMORY);
    for (const p of ports) {
      const n = (info.usedPorts.get(p) ?? 0) + sign;
      if (n <= 0) info.usedPorts.delete(p);
      else info.usedPorts.set(p, n);
    }
    this.refresh(info, info.fast!.pos);
  }

  /** Bring the node's plain numbers (NodeInfo.fast and `free`) up to date; `pos` is its index in `list`. */
  private refresh(info: NodeInfo, pos: number) {
    const f = refreshFast(info, pos);
    let free = this.free;
    if (free.length < (pos + 1) * FREE_STRIDE) {
      free = new Float64Array(Math.max((pos + 1) * FREE_STRIDE, free.length * 2));
      free.set(this.free);
      this.free = free;
      const memo = new Float64Array((free.length / FREE_STRIDE) * MEMO_STRIDE);
      memo.set(this.memo);
      this.memo = memo;
    }
    const o = pos * FREE_STRIDE;
    free[o] = info.plain ? f.podsLeft : -1;
    free[o + 1] = f.freeCpu;
    free[o + 2] = f.freeMem;
    free[o + 3] = f.freeEph;
    free[o + 4] = f.version;
    for (const s of this.shapes) this.shapeAt(s, pos);
  }
}
