/**
 * Node-level actions that a real cluster does not let you type (`sim node add|stop|start`, `sim pod fail`).
 * Signatures are the contract used by the script runner and UI.
 */
import type { Simulation } from "../simulation.ts";
import type { Node } from "../api/types.ts";
import { rfc3339 } from "../util/time.ts";
import { failContainer, kubeletState, requeuePod } from "./kubelet.ts";
import { mixHash } from "./images.ts";

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

export const KUBELET_VERSION = "v1.33.1";
export const CONTAINER_RUNTIME = "containerd://2.1.1";

function conditions(now: string, ready: boolean) {
  const c = (type: string, status: string, reason: string, message: string) => ({ lastHeartbeatTime: now, lastTransitionTime: now, message, reason, status, type });
  return [
    c("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    c("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    c("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ready ? c("Ready", "True", "KubeletReady", "kubelet is posting ready status") : c("Ready", "False", "KubeletNotReady", "container runtime status check may not have completed yet"),
  ];
}

/** Second octets of the pod /24s, in allocation order: 10.244–10.255 first (kind's 10.244.0.0/16), then the rest of 10/8 except the Service range 10.96.0.0/12. */
const POD_NET_OCTETS: number[] = [];
for (let o = 244; o <= 255; o++) POD_NET_OCTETS.push(o);
for (let o = 0; o < 244; o++) if (o < 96 || o > 111) POD_NET_OCTETS.push(o);

export interface NodeAddressing {
  /** The node's InternalIP. */
  internalIP: string;
  /** spec.podCIDR. */
  podCIDR: string;
  /** The pod CIDR's first three octets with the dot ("10.244.3."): a pod IP is this plus its host number. */
  podPrefix: string;
}

/**
 * The addresses of the index-th registered node (0-based), as kind numbers them: InternalIP 172.18.0.(index+2)
 * and pod CIDR 10.244.index.0/24 — continued validly past one octet (172.18.1.0, 10.245.0.0/24, …) instead of
 * "172.18.0.434" / "10.244.432.0/24".
 */
export function nodeAddressing(index: number): NodeAddressing {
  const k = index + 2;
  const internalIP = `172.${18 + Math.floor(k / 65536)}.${(k >> 8) & 255}.${k & 255}`;
  const block = index >> 8;
  const podPrefix = `10.${POD_NET_OCTETS[block % POD_NET_OCTETS.length]}.${index & 255}.`;
  return { internalIP, podCIDR: `${podPrefix}0/24`, podPrefix };
}

function hexOf(s: string, n: number): string {
  let out = "";
  for (let i = 0; out.length < n; i++) out += mixHash(`${s}#${i}`).toString(16).padStart(8, "0");
  return out.slice(0, n);
}

/** Register a Node like a kubelet does (labels, capacity/allocatable, conditions, nodeInfo, addresses, podCIDR). */
export function addNode(sim: Simulation, opts: AddNodeOptions): void {
  const st = kubeletState(sim);
  const name = opts.name;
  if (sim.store.get("Node", undefined, name)) throw new Error(`nodes "${name}" already exists`);
  const index = st.nodeCount++;
  const now = rfc3339(sim.now);
  const cpu = opts.cpu ?? "2";
  const memory = opts.memory ?? "4Gi";
  const pods = String(opts.pods ?? 110);
  const resources = { cpu, "ephemeral-storage": "100Gi", "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory, pods };
  const addr = nodeAddressing(index);
  const uidSeed = hexOf(`node/${name}/${sim.seed}`, 32);
  const node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        ...(opts.labels ?? {}),
      },
      annotations: {
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {
      podCIDR: addr.podCIDR,
      podCIDRs: [addr.podCIDR],
      ...(opts.taints?.length ? { taints: opts.taints.map((t) => ({ key: t.key, ...(t.value !== undefined && t.value !== "" ? { value: t.value } : {}), effect: t.effect })) } : {}),
    },
    status: {
      addresses: [{ address: addr.internalIP, type: "InternalIP" }, { address: name, type: "Hostname" }],
      allocatable: { ...resources },
      capacity: { ...resources },
      conditions: conditions(now, true),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: "amd64",
        bootID: `${uidSeed.slice(0, 8)}-${uidSeed.slice(8, 12)}-${uidSeed.slice(12, 16)}-${uidSeed.slice(16, 20)}-${uidSeed.slice(20, 32)}`,
        containerRuntimeVersion: CONTAINER_RUNTIME,
        kernelVersion: "6.8.0-1021-gcp",
        kubeProxyVersion: KUBELET_VERSION,
        kubeletVersion: KUBELET_VERSION,
        machineID: hexOf(`machine/${name}`, 32),
        operatingSystem: "linux",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        systemUUID: hexOf(`uuid/${name}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"),
      },
    },
  };
  st.nodes.set(name, { index, podPrefix: addr.podPrefix, nextIP: 2, usedIPs: new Set(), images: new Set(), hostPaths: new Map(), hostIPOf: undefined, hostIP: undefined, hostIPs: undefined });
  sim.nodeRuntime.set(name, { kubeletRunning: true, lastHeartbeat: sim.now });
  const created = sim.store.create<Node>(node as never);
  // The status is the kubelet's: the API server keeps what the kubelet posts.
  if (!created.status?.conditions) sim.store.updateStatus(created, node.status);
  const n = sim.store.get<Node>("Node", undefined, name)!;
  const src = { component: "kubelet", host: name };
  sim.events.event(n, "Normal", "Starting", "Starting kubelet.", src);
  sim.events.event(n, "Normal", "NodeHasSufficientMemory", `Node ${name} status is now: NodeHasSufficientMemory`, src);
  sim.events.event(n, "Normal", "NodeHasNoDiskPressure", `Node ${name} status is now: NodeHasNoDiskPressure`, src);
  sim.events.event(n, "Normal", "NodeHasSufficientPID", `Node ${name} status is now: NodeHasSufficientPID`, src);
  sim.events.event(n, "Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", src);
  sim.enqueue("nodelifecycle", name);
  ensureHeartbeat(sim);
}

const HEARTBEAT_KEY = "kubelet.heartbeat";
const HEARTBEAT_PERIOD_MS = 10_000;
interface Heartbeat { tick: number }

/**
 * Every 10s (nodeStatusUpdateFrequency / lease renewal) every running kubelet heartbeats. The beat is
 * lazy: one regular clock tick for all kubelets (not a timer: nothing runs at a beat, kubectl's waits
 * still step through it), whose latest time a kubelet's own `lastHeartbeat` is brought up to when it
 * stops, the only time anyone reads it (N4).
 */
function ensureHeartbeat(sim: Simulation) {
  if (sim.ext.has(HEARTBEAT_KEY)) return;
  const hb: Heartbeat = { tick: sim.clock.tick(sim.now + HEARTBEAT_PERIOD_MS, HEARTBEAT_PERIOD_MS) };
  sim.ext.set(HEARTBEAT_KEY, hb);
}

/** The last heartbeat of a running kubelet: its start (registration/restart) or the latest beat since. */
function lastBeat(sim: Simulation, since: number): number {
  const hb = sim.ext.get(HEARTBEAT_KEY) as Heartbeat | undefined;
  if (!hb) return since;
  const last = sim.clock.lastTick(hb.tick);
  return last > since ? last : since;
}

/** The kubelet stops posting status; containers keep running. */
export function stopKubelet(sim: Simulation, name: string): void {
  const rt = sim.nodeRuntime.get(name);
  if (!rt || !sim.store.get("Node", undefined, name)) throw new Error(`nodes "${name}" not found`);
  if (!rt.kubeletRunning) return;
  rt.lastHeartbeat = lastBeat(sim, rt.lastHeartbeat);
  rt.kubeletRunning = false;
  sim.enqueue("nodelifecycle", name);
}

export function startKubelet(sim: Simulation, name: string): void {
  const rt = sim.nodeRuntime.get(name);
  const node = sim.store.get<Node>("Node", undefined, name);
  if (!rt || !node) throw new Error(`nodes "${name}" not found`);
  if (rt.kubeletRunning) return;
  rt.kubeletRunning = true;
  rt.lastHeartbeat = sim.now;
  const now = rfc3339(sim.now);
  // Post Ready=True (and the pressure conditions) again, as a restarted kubelet does.
  const fresh = conditions(now, true);
  const old = (node.status?.conditions ?? []) as any[];
  const merged = fresh.map((c) => {
    const o = old.find((x) => x.type === c.type);
    return o && o.status === c.status ? { ...c, lastTransitionTime: o.lastTransitionTime } : c;
  });
  for (const o of old) if (!merged.some((c) => c.type === o.type)) merged.push(o);
  sim.store.updateStatus(node, { ...node.status, conditions: merged });
  const ready = old.find((x) => x.type === "Ready");
  if (!ready || ready.status !== "True") {
    sim.events.event(node, "Normal", "NodeReady", `Node ${name} status is now: NodeReady`, { component: "kubelet", host: name });
  }
  // sync every pod bound here
  for (const p of sim.store.podsOnNode(name)) requeuePod(sim, `${p.metadata.namespace}/${p.metadata.name}`);
  for (const key of kubeletState(sim).pods.keys()) requeuePod(sim, key);
  sim.enqueue("nodelifecycle", name);
}

/** The container (default: the first running one) exits now with exitCode (default 1). */
export function failPod(sim: Simulation, namespace: string, pod: string, opts: { container?: string; exitCode?: number }): void {
  failContainer(sim, namespace, pod, opts.container, opts.exitCode ?? 1);
}
