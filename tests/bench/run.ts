/**
 * `npm run bench`: engine speed and memory, printed as a table and written to reports/bench.json.
 * Figures only — nothing here is asserted by `npm test`.
 *
 *   npm run bench                 all scenarios
 *   npm run bench -- floor rs30k  only the named ones
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createSimulation, type KeyQueue } from "../../src/simulation.ts";
import type { KubeObject } from "../../src/api/types.ts";
import { TITLES, classroom, cronday, daemonset, deployment, nodes, podCount, rs30k, settlePods, type Run } from "./scenarios.ts";
import { setSchedulerOptions } from "../../src/scheduler/scheduler.ts";
import { fromLabelSelector } from "../../src/api/labels.ts";

interface Row { scenario: string; wallMs: number; cpuMs: number; virtualMs: number; heapMB: number; pods: number; podsPerSec: number; note?: string; target?: string }

const gc = (globalThis as { gc?: () => void }).gc;
/** Live JS heap after a full GC, plus ArrayBuffer memory (the Event log's typed arrays live outside the JS heap). */
function heapMB(): number {
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/** CPU time (user + system) of this process, ms: the machine is shared, so wall time is noisy. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Outcome extends Run { keep?: unknown; cpuMs?: number; rateOf?: number }

/**
 * Run one scenario. `rateOf` (optional) names how many pods the timed part handled when the scenario
 * times only a phase of its work (it then also returns that phase's `cpuMs`).
 */
function measure(scenario: string, fn: () => Outcome, target?: string): Row {
  const h0 = heapMB();
  const c0 = cpuNow();
  const t0 = performance.now();
  const r = fn();
  const wallMs = performance.now() - t0;
  const cpuMs = r.cpuMs ?? cpuNow() - c0;
  const heap = heapMB() - h0; // measured while the result (sim / maps) is still alive
  void r.keep;
  return { scenario, wallMs, cpuMs, virtualMs: r.virtualMs, heapMB: heap, pods: r.pods, podsPerSec: (r.rateOf ?? r.pods) / (cpuMs / 1000), ...(r.note ? { note: r.note } : {}), ...(target ? { target } : {}) };
}

/** (2) Scheduler throughput at 5,000 nodes: the binding phase only (pods created up front, no kubelet work timed). */
function schedThroughput(scoreAll: boolean): Outcome {
  const sim = createSimulation({ seed: 1 });
  nodes(sim, 5000);
  sim.settle();
  setSchedulerOptions(sim, { scoreAll });
  const N = 20_000;
  const pods: KubeObject[] = [];
  for (let i = 0; i < N; i++) {
    pods.push({ apiVersion: "v1", kind: "Pod", metadata: { name: `p-${i}`, namespace: "default", labels: { app: "s" } } as unknown as KubeObject["metadata"],
      spec: { containers: [{ name: "c", image: "nginx", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] } });
  }
  // Create them with only the scheduler's queue drained: time just the scheduling.
  for (const p of pods) sim.store.create(p);
  const c0 = cpuNow();
  const t0 = performance.now();
  const sched = sim.ctx.sim as unknown as { queues: KeyQueue[]; indexOf: Map<string, number> };
  const q = sched.queues[sched.indexOf.get("scheduler")!]!;
  const keys = q.keys.slice(0, q.size);
  q.clear();
  const def = (sim as unknown as { controllers: Array<{ name: string; reconcile: (c: unknown, k: string) => void }> }).controllers.find((c) => c.name === "scheduler")!;
  for (const k of keys) def.reconcile(sim.ctx, k);
  const cpuMs = cpuNow() - c0;
  const wall = performance.now() - t0;
  let bound = 0;
  for (const p of sim.store.list("Pod")) if (p.spec?.nodeName) bound++;
  return { sim, virtualMs: 0, pods: bound, cpuMs, rateOf: bound, note: `${fmt(wall)} ms wall for the scheduling phase` };
}

const scenarios: Record<string, () => Row> = {
  /** (5) the floor: allocating and indexing the same number of plain pod-shaped objects. */
  floor: () => measure("floor: 150k pod-shaped objects + 5k nodes into indexed maps", () => {
    const byKey = new Map<string, unknown>(), byNode = new Map<string, Set<string>>(), byLabel = new Map<string, Set<string>>();
    for (let i = 0; i < 150_000; i++) {
      const node = `node-${i % 5000}`, app = `app-${i % 1500}`;
      const o = { apiVersion: "v1", kind: "Pod", metadata: { name: `p-${i}`, namespace: "default", uid: `uid-${i}`, labels: { app }, resourceVersion: String(i), creationTimestamp: "2025-01-01T00:00:00Z", ownerReferences: [{ uid: app }] }, spec: { nodeName: node, containers: [{ name: "app", image: "nginx" }] }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }], containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: { running: { startedAt: "2025-01-01T00:00:00Z" } } }] } };
      const k = `default/p-${i}`;
      byKey.set(k, o);
      (byNode.get(node) ?? byNode.set(node, new Set()).get(node)!).add(k);
      (byLabel.get(app) ?? byLabel.set(app, new Set()).get(app)!).add(k);
    }
    return { virtualMs: 0, pods: byKey.size, keep: [byKey, byNode, byLabel] };
  }),

  /** issue 2: 1,000 nodes and a ReplicaSet of 30,000 pods settle. */
  rs30k: () => measure(TITLES.rs30k, rs30k, "a few seconds"),

  /** (1) the envelope: 5,000 nodes, 1,500 Deployments = 150,000 pods, a DaemonSet on every node. */
  envelope: () => measure("envelope: 5,000 nodes, 1,500 Deployments (150k pods) + DaemonSet", () => {
    const sim = createSimulation({ seed: 1 });
    nodes(sim, 5000);
    sim.settle();
    sim.store.create(daemonset("agent"));
    for (let i = 0; i < 1500; i++) sim.store.create(deployment(`app-${i}`, 100));
    const v = settlePods(sim);
    return { sim, virtualMs: v, pods: podCount(sim) };
  }, "≤ 10 s, ≤ 300 MB, ≤ 5× floor"),

  /** (2) scheduler throughput, percentageOfNodesToScore sampling (upstream default, adaptive). */
  sched5k: () => measure("scheduler: 20,000 pods onto 5,000 nodes, sampling (adaptive %)", () => schedThroughput(false), "≥ 20,000 pods/s"),
  /** (2') the same, scoring every node. */
  sched5kall: () => measure("scheduler: 20,000 pods onto 5,000 nodes, score all", () => schedThroughput(true), "(reference)"),

  /** (3) a virtual hour at the envelope with 20 pods/s of churn (delete a pod; its Deployment replaces it). */
  envhour: () => measure("envelope + 1 virtual hour at 20 pod deletions/s", () => {
    const sim = createSimulation({ seed: 1 });
    nodes(sim, 5000);
    sim.settle();
    sim.store.create(daemonset("agent"));
    for (let i = 0; i < 1500; i++) sim.store.create(deployment(`app-${i}`, 100));
    settlePods(sim);
    const c0 = cpuNow();
    let deleted = 0;
    const HOUR = 3600_000;
    const end = sim.now + HOUR;
    while (sim.now < end) {
      // 20 deletions in each virtual second, spread over the Deployments deterministically.
      for (let j = 0; j < 20; j++) {
        const app = `app-${(deleted * 7919) % 1500}`;
        const victims = sim.store.list("Pod", { namespace: "default", selector: fromLabelSelector({ matchLabels: { app } }) });
        const v = victims.find((p) => !p.metadata.deletionTimestamp);
        if (v) { sim.store.delete("Pod", "default", v.metadata.name); deleted++; }
        else deleted++;
      }
      sim.advance(1000);
    }
    const cpuMs = cpuNow() - c0;
    return { sim, virtualMs: HOUR, pods: podCount(sim), cpuMs, rateOf: deleted, note: `${fmt(deleted)} pods churned; CPU of the hour only` };
  }, "≤ 60 s"),

  /** The envelope at one fifth (1,000 nodes, 300 Deployments, 30k pods): the same shape, for quick profiles. */
  envsmall: () => measure("envelope/5: 1,000 nodes, 300 Deployments (30k pods) + DaemonSet", () => {
    const sim = createSimulation({ seed: 1 });
    nodes(sim, 1000);
    sim.settle();
    sim.store.create(daemonset("agent"));
    for (let i = 0; i < 300; i++) sim.store.create(deployment(`app-${i}`, 100));
    const v = settlePods(sim);
    return { sim, virtualMs: v, pods: podCount(sim) };
  }, "(profiling aid)"),

  /** (4) classroom: 50 nodes, 1,500 pods, one virtual day. */
  classroom: () => measure(TITLES.classroom, classroom, "≤ 5 s"),

  /** issue 3: a CronJob every minute for a virtual day. */
  cronday: () => measure(TITLES.cronday, cronday, "well under 1 s"),
};

function fmt(n: number, d = 0) {
  return n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
}

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : ["floor", "rs30k", "cronday", "classroom", "sched5k", "sched5kall", "envelope", "envhour"];
const rows: Row[] = [];
for (const n of names) {
  const s = scenarios[n];
  if (!s) { console.error(`unknown scenario ${n}; known: ${Object.keys(scenarios).join(", ")}`); process.exit(2); }
  try {
    const r = s();
    rows.push(r);
    console.error(`done ${n}: ${fmt(r.wallMs)} ms wall, ${fmt(r.cpuMs)} ms CPU, ${fmt(r.heapMB, 1)} MB`);
  } catch (e) {
    console.error(`scenario ${n} failed: ${(e as Error).stack}`);
    process.exitCode = 1;
  }
}
const floor = rows.find((r) => r.scenario.startsWith("floor"));
console.log("| scenario | CPU | wall | virtual time | heap Δ | pods | pods/s (CPU) | × floor (CPU/pod) | target |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---|");
for (const r of rows) {
  const ratio = floor && r !== floor && r.pods ? (r.cpuMs / r.pods) / (floor.cpuMs / floor.pods) : undefined;
  console.log(`| ${r.scenario} | ${fmt(r.cpuMs)} ms | ${fmt(r.wallMs)} ms | ${fmt(r.virtualMs / 1000)} s | ${fmt(r.heapMB, 1)} MB | ${fmt(r.pods)} | ${fmt(r.podsPerSec)} | ${ratio ? fmt(ratio, 1) + "×" : ""} | ${r.target ?? ""}${r.note ? ` (${r.note})` : ""} |`);
}
mkdirSync("reports", { recursive: true });
const out = process.env.BENCH_OUT ?? "reports/bench.json";
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
