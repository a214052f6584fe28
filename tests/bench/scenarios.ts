/**
 * The bench scenarios that need nothing but the engine: run by tests/bench/run.ts in Node (`npm run bench`)
 * and by scripts/bench-browser.mjs in Chromium (bundled from tests/bench/browser.ts), so both time the
 * same work. No Node APIs here.
 */
import { createSimulation, type Simulation } from "../../src/simulation.ts";
import { addNode } from "../../src/kubelet/node.ts";
import type { KubeObject } from "../../src/api/types.ts";

export interface Run { sim?: Simulation; virtualMs: number; pods: number; note?: string }

export function podCount(sim: Simulation): number {
  return sim.store.count("Pod");
}

export function deployment(name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: { name, namespace: "default", labels: { app: name } } as unknown as KubeObject["metadata"],
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] } },
      ...extra,
    },
  };
}

export function daemonset(name: string): KubeObject {
  return {
    apiVersion: "apps/v1", kind: "DaemonSet",
    metadata: { name, namespace: "kube-system" } as unknown as KubeObject["metadata"],
    spec: {
      selector: { matchLabels: { name } },
      template: { metadata: { labels: { name } }, spec: { containers: [{ name, image: "fluentd:v1.16", resources: { requests: { cpu: "10m", memory: "20Mi" } } }] } },
    },
  };
}

export function nodes(sim: Simulation, n: number, prefix = "node") {
  for (let i = 0; i < n; i++) addNode(sim, { name: `${prefix}-${String(i).padStart(4, "0")}`, cpu: "32", memory: "128Gi", pods: 110 });
}

/** Advance in steps until no pod is Pending/ContainerCreating (or the limit). */
export function settlePods(sim: Simulation, stepMs = 5_000, limitMs = 10 * 60_000): number {
  const start = sim.now;
  for (;;) {
    sim.advance(stepMs);
    let busy = false;
    for (const p of sim.store.list("Pod")) {
      const st = p.status?.containerStatuses;
      if (!p.spec?.nodeName || !st || st.some((c: { state?: { running?: unknown } }) => !c.state?.running)) { busy = true; break; }
    }
    if (!busy || sim.now - start >= limitMs) return sim.now - start;
  }
}

export const TITLES = {
  rs30k: "1,000 nodes + ReplicaSet of 30,000 pods, to all Running",
  classroom: "classroom: 50 nodes, 1,500 pods, one virtual day",
  cronday: "CronJob every minute for a virtual day (1,440 runs)",
} as const;

/** issue 2: 1,000 nodes and a ReplicaSet of 30,000 pods settle. */
export function rs30k(): Run {
  const sim = createSimulation({ seed: 1 });
  nodes(sim, 1000);
  sim.settle();
  sim.store.create({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "big", namespace: "default" } as unknown as KubeObject["metadata"],
    spec: { replicas: 30_000, selector: { matchLabels: { app: "big" } }, template: { metadata: { labels: { app: "big" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } });
  const v = settlePods(sim);
  return { sim, virtualMs: v, pods: podCount(sim) };
}

/** (4) classroom: 50 nodes, 1,500 pods, one virtual day. */
export function classroom(): Run {
  const sim = createSimulation({ seed: 1 });
  nodes(sim, 50);
  for (let i = 0; i < 15; i++) sim.store.create(deployment(`web-${i}`, 100));
  sim.advance(24 * 3600_000);
  return { sim, virtualMs: 24 * 3600_000, pods: podCount(sim) };
}

/** issue 3: a CronJob every minute for a virtual day. */
export function cronday(): Run {
  const sim = createSimulation({ seed: 1 });
  nodes(sim, 3);
  sim.store.create({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "hello", namespace: "default" } as unknown as KubeObject["metadata"],
    spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "hello", image: "busybox", command: ["sh", "-c", "date; echo Hello from the Kubernetes cluster"] }] } } } } } });
  sim.advance(24 * 3600_000);
  return { sim, virtualMs: 24 * 3600_000, pods: podCount(sim), note: `${sim.store.count("Job")} jobs kept` };
}
