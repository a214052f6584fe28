/** Builders for ReplicaSet / GC / node lifecycle tests: objects built directly, no kubectl. */
import type { Node, Pod, ReplicaSet } from "../../../src/api/types.ts";
import type { Simulation } from "../../../src/simulation.ts";
import { rfc3339 } from "../../../src/util/time.ts";

export const T0 = Date.UTC(2025, 0, 1);

export interface PodOpts {
  name?: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  /** ms since T0 when Ready turned True */
  readyAt?: number;
  created?: number;
  restarts?: number;
  cost?: number;
  uid?: string;
  labels?: Record<string, string>;
}

/** A stored-looking pod (for pure tests). */
export function pod(o: PodOpts = {}): Pod {
  const name = o.name ?? "p";
  const conditions = o.ready !== undefined ? [{ type: "Ready", status: o.ready ? "True" : "False", lastTransitionTime: rfc3339(T0 + (o.readyAt ?? 0)) }] : [];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name, namespace: "default", uid: o.uid ?? `uid-${name}`, resourceVersion: "1",
      creationTimestamp: rfc3339(T0 + (o.created ?? 0)),
      labels: o.labels ?? { app: "web" },
      ...(o.cost !== undefined ? { annotations: { "controller.kubernetes.io/pod-deletion-cost": String(o.cost) } } : {}),
    },
    spec: { containers: [{ name: "c", image: "nginx" }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      ...(o.phase ? { phase: o.phase } : {}),
      conditions,
      ...(o.restarts !== undefined ? { containerStatuses: [{ name: "c", image: "nginx", imageID: "", ready: !!o.ready, restartCount: o.restarts }] } : {}),
    },
  } as unknown as Pod;
}

export function rsManifest(name: string, replicas: number, extra: Record<string, unknown> = {}): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "nginx" }] } },
      ...extra,
    },
  } as unknown as ReplicaSet;
}

/** A Ready node with room for pods (as the kubelet would post it). */
export function nodeManifest(name: string, labels: Record<string, string> = {}, now = T0): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } },
    spec: {},
    status: {
      allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
      capacity: { cpu: "4", memory: "8Gi", pods: "110" },
      conditions: [
        { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available", lastHeartbeatTime: rfc3339(now), lastTransitionTime: rfc3339(now) },
        { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure", lastHeartbeatTime: rfc3339(now), lastTransitionTime: rfc3339(now) },
        { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available", lastHeartbeatTime: rfc3339(now), lastTransitionTime: rfc3339(now) },
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: rfc3339(now), lastTransitionTime: rfc3339(now) },
      ],
    },
  } as unknown as Node;
}

/** Play kubelet for a bound pod: Running and Ready now. */
export function runPod(sim: Simulation, p: Pod): Pod {
  const now = rfc3339(sim.now);
  const cur = sim.store.get<Pod>("Pod", p.metadata.namespace, p.metadata.name)!;
  return sim.store.updateStatus<Pod>(cur, {
    ...cur.status,
    phase: "Running",
    conditions: [
      { type: "PodScheduled", status: "True", lastTransitionTime: now },
      { type: "Ready", status: "True", lastTransitionTime: now },
    ],
  });
}

/** Play kubelet for every bound pod that is not Running yet. */
export function runAll(sim: Simulation): void {
  sim.act(() => {
    for (const p of sim.store.list<Pod>("Pod")) {
      if (p.spec.nodeName && p.status?.phase !== "Running" && !p.metadata.deletionTimestamp) runPod(sim, p);
    }
  });
}

/** Play kubelet for terminating pods: finish the deletion (remove the object). */
export function finishTerminating(sim: Simulation, node?: string): void {
  sim.act(() => {
    for (const p of sim.store.list<Pod>("Pod")) {
      if (p.metadata.deletionTimestamp && (!node || p.spec.nodeName === node)) sim.store.delete("Pod", p.metadata.namespace, p.metadata.name, { gracePeriodSeconds: 0 });
    }
  });
}
