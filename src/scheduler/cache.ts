/**
 * The scheduler's node cache (upstream `internal/cache`): per node, allocatable and the requests of the pods
 * bound to it, kept **incrementally** from watch events — a pod is added when it is bound, removed when it is
 * deleted or reaches a terminal phase (K3). Filtering and scoring never re-sum a node's pods.
 */
import type { KubeObject, Node, Pod, WatchEvent } from "../api/types.ts";
import { bytes, milliCpu, parseQuantity, podRequests, type Requests } from "./resources.ts";

/** Scoring's non-zero defaults for pods without requests (schedutil.DefaultMilliCPURequest / DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

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
}

interface PodContribution {
  node: string;
  req: Requests;
  nonZero: { cpu: number; memory: number };
  ports: string[];
}

export function hostPorts(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push(`${p.protocol ?? "TCP"}/${p.hostIP || "0.0.0.0"}/${p.hostPort}`);
    }
  }
  return out;
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
  private pods = new Map<string, PodContribution>();
  /** Pods counted on a node that does not exist (yet): applied when the node appears. */
  private orphans = new Map<string, Set<string>>();

  onEvent(ev: WatchEvent): void {
    if (ev.kind === "Node") this.onNode(ev);
    else if (ev.kind === "Pod") this.onPod(ev.key, ev.type === "DELETED" ? undefined : ev.object);
  }

  private onNode(ev: WatchEvent) {
    const name = ev.key;
    if (ev.type === "DELETED") {
      // Pods still bound to the name keep counting against it: upstream's cache keeps the NodeInfo
      // while pods remain, so a node re-added under the same name starts with them (K3).
      const bound = new Set<string>();
      for (const [k, c] of this.pods) if (c.node === name) bound.add(k);
      if (bound.size) this.orphans.set(name, bound);
      this.nodes.delete(name);
      this.nodeOrder = this.nodeOrder.filter((n) => n !== name);
      this.list = this.list.filter((n) => n.name !== name);
      return;
    }
    const node = ev.object as Node;
    const cur = this.nodes.get(name);
    const plain = !node.spec?.unschedulable && !node.spec?.taints?.length;
    if (cur) {
      cur.node = node;
      cur.plain = plain;
      cur.allocatable = allocatableOf(node);
      return;
    }
    const info: NodeInfo = {
      name, node, plain, allocatable: allocatableOf(node),
      requested: { cpu: 0, memory: 0, ephemeral: 0, other: {} }, nonZero: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: new Map(),
    };
    this.nodes.set(name, info);
    this.nodeOrder.push(name);
    this.list.push(info);
    for (const k of this.orphans.get(name) ?? []) {
      const c = this.pods.get(k);
      if (c) this.apply(info, c, 1);
    }
    this.orphans.delete(name);
  }

  private onPod(key: string, pod: KubeObject | undefined) {
    const want = countedOn(pod);
    const have = this.pods.get(key);
    if (have && have.node === want) return;
    if (have) {
      const info = this.nodes.get(have.node);
      if (info) this.apply(info, have, -1);
      else this.orphans.get(have.node)?.delete(key);
      this.pods.delete(key);
    }
    if (want && pod) {
      const req = podRequests(pod as Pod);
      const c: PodContribution = {
        node: want, req,
        nonZero: { cpu: req.cpu || DEFAULT_MILLI_CPU, memory: req.memory || DEFAULT_MEMORY },
        ports: hostPorts(pod as Pod),
      };
      this.pods.set(key, c);
      const info = this.nodes.get(want);
      if (info) this.apply(info, c, 1);
      else {
        let s = this.orphans.get(want);
        if (!s) this.orphans.set(want, (s = new Set()));
        s.add(key);
      }
    }
  }

  private apply(info: NodeInfo, c: PodContribution, sign: 1 | -1) {
    info.podCount += sign;
    info.requested.cpu += sign * c.req.cpu;
    info.requested.memory += sign * c.req.memory;
    info.requested.ephemeral += sign * c.req.ephemeral;
    for (const [k, v] of Object.entries(c.req.other)) info.requested.other[k] = (info.requested.other[k] ?? 0) + sign * v;
    info.nonZero.cpu += sign * c.nonZero.cpu;
    info.nonZero.memory += sign * c.nonZero.memory;
    for (const p of c.ports) {
      const n = (info.usedPorts.get(p) ?? 0) + sign;
      if (n <= 0) info.usedPorts.delete(p);
      else info.usedPorts.set(p, n);
    }
  }
}
