import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createSimulation } from "../../../src/simulation.ts";
import { addNode } from "../../../src/kubelet/node.ts";
import { requeuePod } from "../../../src/kubelet/kubelet.ts";
import type { KubeObject } from "../../../src/api/types.ts";

// The kubelet's re-sync after its own status write returns at once when it could do nothing (quietEcho/echoIsNoOp in
// src/kubelet/kubelet.ts; the key keeps its queue position). Differential check: the same runs with that re-sync
// forced back — a watcher wakes the pod (requeuePod) for every write of a bound pod, right after the simulation's
// own dispatch — must give the same watch events (objects, resourceVersions, order) and the same seeded draws. The runs roll,
// scale and delete while pods are still starting (O1, O2, O3, O5; D9 rolling updates), with init containers,
// native sidecars, probes and servers.
const IMAGES = ["nginx:1.27", "redis:7", "httpd:2.4", "busybox"];

function deployment(i: number, image: string): KubeObject {
  const c: Record<string, unknown> = { name: "app", image };
  if (image === "busybox") c.command = ["sh", "-c", "sleep 3600"];
  if (i === 1) c.readinessProbe = { tcpSocket: { port: 6379 }, periodSeconds: 1 };
  const spec: Record<string, unknown> = { containers: [c] };
  if (i === 2) spec.initContainers = [{ name: "init", image: "busybox", command: ["sh", "-c", "sleep 1"] }];
  if (i === 3) spec.initContainers = [{ name: "side", image: "busybox", restartPolicy: "Always", command: ["sh", "-c", "sleep 3600"] }];
  return {
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: { name: `d${i}`, namespace: "default" } as KubeObject["metadata"],
    spec: {
      replicas: 6 + i, selector: { matchLabels: { app: `d${i}` } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: i % 2 ? "50%" : 1, maxUnavailable: i % 3 ? 0 : "25%" } },
      template: { metadata: { labels: { app: `d${i}` } }, spec },
    },
  };
}

function run(offset: number, forceEcho: boolean): string {
  const sim = createSimulation({ seed: 7 + offset });
  const h = createHash("sha1");
  sim.store.watch((e) => {
    h.update(`${e.type} ${e.kind} ${e.key} ${JSON.stringify(e.object)}\n`);
    if (forceEcho && e.kind === "Pod" && e.type === "MODIFIED" && e.object.spec?.nodeName) requeuePod(sim, e.key);
  });
  for (let n = 0; n < 8; n++) addNode(sim, { name: `node-${n}`, cpu: "8", memory: "32Gi", pods: 110 });
  sim.settle();
  for (let i = 0; i < 5; i++) sim.store.create(deployment(i, IMAGES[i % 4]!));
  sim.settle();
  sim.advance(offset);
  for (let i = 0; i < 5; i++) {
    const d = sim.store.get("Deployment", "default", `d${i}`)!;
    const next = deployment(i, IMAGES[(i + 1) % 4]!);
    next.metadata = d.metadata;
    if (i % 2) (next.spec as { replicas: number }).replicas = 3;
    sim.act(() => sim.store.update(next));
  }
  sim.advance((offset % 700) + 100);
  let n = 0;
  for (const p of sim.store.list("Pod")) if (n++ % 5 === 0) sim.act(() => sim.store.delete("Pod", p.metadata.namespace, p.metadata.name));
  sim.advance(60_000);
  h.update(`rng ${sim.rng.next()}`);
  return h.digest("hex");
}

describe("kubelet: skipping its no-op re-sync after its own status write changes nothing (O1, O3)", () => {
  it.each([[0], [450], [1000], [1700], [2600], [3300], [4100]])("roll/scale/delete at +%i ms", (offset) => {
    expect(run(offset, false)).toBe(run(offset, true));
  });
});
