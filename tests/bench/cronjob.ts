/**
 * Bench entry for issue 3: a CronJob every minute for one virtual day (1,440 runs, history 3/1).
 * The CronJob controller keeps one delayed requeue per CronJob at its next time, so the day costs
 * 1,440 syncs of it plus the Jobs and pods they start.
 */
import { createSimulation } from "../../src/simulation.ts";
import { addNode } from "../../src/kubelet/node.ts";
import type { KubeObject } from "../../src/api/types.ts";

export interface BenchResult { name: string; wallMs: number; virtualMs: number; note?: string }

export async function benchCronJobDay(): Promise<BenchResult> {
  const sim = createSimulation({ seed: 1 });
  for (let i = 0; i < 3; i++) addNode(sim, { name: `node-${i}` });
  sim.settle();
  const day = 24 * 3600_000;
  const t0 = performance.now();
  sim.act(() => sim.store.create({
    apiVersion: "batch/v1", kind: "CronJob",
    metadata: { name: "hello", namespace: "default" } as KubeObject["metadata"],
    spec: {
      schedule: "* * * * *",
      jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "hello", image: "busybox", command: ["sh", "-c", "date; echo Hello from the Kubernetes cluster"] }] } } } },
    },
  }));
  sim.advance(day);
  const wallMs = performance.now() - t0;
  const cj = sim.store.get("CronJob", "default", "hello");
  return { name: "cronjob-day", wallMs, virtualMs: day, note: `${sim.store.count("Job")} jobs kept, last schedule ${cj?.status?.lastScheduleTime}` };
}
