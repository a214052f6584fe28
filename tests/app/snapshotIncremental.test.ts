/**
 * The incremental SnapshotBuilder (views kept from the store's watch stream, per-node aggregates moved
 * pod by pod, newest Events from the event log's columns) against the snapshot as it was built before:
 * every object listed and every view made again, every Event read and sorted. Two sessions run the
 * same script with the same seed (the reference reads every Event, which would change what the event
 * log has cached in the session under test); after every command the builder's snapshot, and the
 * snapshot a receiver holds after applying the builder's messages, must equal the reference.
 */
import { describe, expect, it } from "vitest";
import { LocalEngineHost } from "../../app/engine/host.ts";
import { podView, nodeView, controllerView, CONTROLLER_KINDS, type NodeView, type Snapshot } from "../../app/engine/snapshot.ts";
import { eventView, NewestEvents } from "../../app/engine/newestEvents.ts";
import { applySnapshotMsg } from "../../app/engine/snapshotDiff.ts";
import { milliCpu, quantity } from "../../app/engine/quantity.ts";
import { STATUS_CLASSES, statusClass } from "../../app/engine/podStatus.ts";
import type { Node, Pod, Simulation } from "../../src/index.ts";
import { CACHED } from "../../src/api/eventlog.ts";

/** The snapshot's content as the previous, whole-cluster builder made it. */
function reference(sim: Simulation, maxEvents = 400) {
  const store = sim.store;
  const pods = store.list<Pod>("Pod").map((p) => podView(sim, p));
  const counts = new Map<string, number[]>();
  for (const v of pods) {
    if (!v.nodeName) continue;
    let c = counts.get(v.nodeName);
    if (!c) counts.set(v.nodeName, (c = new Array<number>(STATUS_CLASSES.length).fill(0)));
    c[STATUS_CLASSES.indexOf(statusClass(v.status))]!++;
  }
  const nodes: NodeView[] = store.list<Node>("Node").map((n) => {
    let cpu = 0, mem = 0, podCount = 0;
    for (const p of store.podsOnNode(n.metadata.name)) {
      podCount++;
      if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") continue;
      for (const c of p.spec?.containers ?? []) {
        cpu += milliCpu(c.resources?.requests?.cpu as string | undefined);
        mem += quantity(c.resources?.requests?.memory as string | undefined);
      }
    }
    return nodeView(sim, n, { cpu, mem, pods: podCount, counts: counts.get(n.metadata.name) ?? new Array<number>(STATUS_CLASSES.length).fill(0) });
  });
  const controllers = CONTROLLER_KINDS.flatMap((k) => store.list(k).map(controllerView));
  const events = store.list("Event").map(eventView).sort((a, b) => a.last - b.last);
  return { now: sim.now, nodes, pods, controllers, events: events.slice(Math.max(0, events.length - maxEvents)) };
}

/** Equal JSON texts, or the first difference with some context (the texts are long). */
function same(got: string, want: string, what: string): void {
  if (got === want) return;
  let i = 0;
  while (got[i] === want[i]) i++;
  expect(got.slice(Math.max(0, i - 300), i + 200), what).toBe(want.slice(Math.max(0, i - 300), i + 200));
}

const dump = (s: Snapshot) => JSON.stringify({ now: s.now, nodes: s.nodes, pods: s.podKeys.map((k) => s.pods[k]), controllers: s.controllers, events: s.events });
const dumpRef = (r: ReturnType<typeof reference>) => JSON.stringify(r);

const yaml = (doc: string) => ["kubectl apply -f - <<EOF", doc] as const;

/** Each step: a command line, optionally with stdin. */
const STEPS: Array<string | readonly [string, string]> = [
  "sim node add control-plane --label node-role.kubernetes.io/control-plane= --taint node-role.kubernetes.io/control-plane:NoSchedule",
  "sim node add w1 --cpu 4 --memory 8Gi",
  "sim node add w2 --cpu 4 --memory 8Gi",
  "kubectl create deployment web --image=nginx --replicas=6",
  "sim advance 20s",
  "kubectl create deployment bad --image=busybox --replicas=2",
  yaml(`apiVersion: v1
kind: Pod
metadata:
  name: frac
spec:
  containers:
  - name: c
    image: nginx
    resources:
      requests: {cpu: "0.0015", memory: 100m}
`),
  yaml(`apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: c
    image: nginx
    resources:
      requests: {cpu: "100"}
`),
  "sim advance 30s",
  "kubectl create job once --image=busybox",
  "kubectl create cronjob tick --image=busybox --schedule=*/1 * * * *",
  yaml(`apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: a
        image: nginx
        resources:
          requests: {cpu: 50m, memory: 64Mi}
`),
  "sim advance 2m",
  "kubectl cordon w1",
  "kubectl label node w2 node-role.kubernetes.io/worker=",
  "kubectl taint node w2 dedicated=x:NoSchedule",
  "kubectl scale deployment web --replicas=9",
  "sim advance 15s",
  "kubectl delete pod huge --wait=false",
  yaml(`apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: c
    image: nginx
`),
  yaml(`apiVersion: v1
kind: Event
metadata:
  name: old-note
involvedObject: {kind: Pod, name: huge, namespace: default}
reason: Note
message: from the past
lastTimestamp: "2020-01-01T00:00:00Z"
`),
  yaml(`apiVersion: v1
kind: Event
metadata:
  name: future-note
involvedObject: {kind: Node, name: w1}
reason: Note
message: from the future
type: Warning
lastTimestamp: "2099-01-01T00:00:00Z"
`),
  "sim advance 5s",
  "sim node stop w2",
  "sim advance 10s",
  "sim node add w3 --cpu 8 --memory 16Gi",
  "sim advance 1m",
  "kubectl delete node w2",
  "kubectl delete event future-note",
  "sim advance 1m",
  "sim node start w2",
  "sim node add w2 --cpu 2 --memory 4Gi",
  "kubectl uncordon w1",
  "kubectl delete deployment bad",
  "sim advance 30m",
  "kubectl rollout restart deployment web",
  "sim advance 45m",
  "kubectl scale deployment web --replicas=0",
  "sim advance 2h",
  "kubectl scale deployment web --replicas=3",
  "sim advance 30s",
];

describe("incremental snapshots", () => {
  it("equal the whole-cluster snapshot after every command, and so does the receiver's copy", () => {
    const a = new LocalEngineHost({ seed: 11 }), b = new LocalEngineHost({ seed: 11 });
    let held: Snapshot | undefined;
    let first = true;
    for (const step of STEPS) {
      const [line, stdin] = typeof step === "string" ? [step, undefined] : step;
      const ra = a.exec(line, stdin), rb = b.exec(line, stdin);
      expect(ra.result).toEqual(rb.result);
      const want = dumpRef(reference(b.sim));
      same(dump(ra.snapshot), want, line);
      // The worker's path: a message after every command (the first one whole).
      const msg = structuredClone(a.message(first));
      first = false;
      const prevHeld = held;
      held = applySnapshotMsg(held, msg);
      expect(held, line).toBeDefined();
      same(dump(held!), want, line);
      // Views the message left out kept their identity on the receiver's side.
      if (prevHeld && "diff" in msg) {
        const sent = new Set(msg.diff.pods.map((p) => p.key));
        for (const k of held!.podKeys) if (!sent.has(k) && prevHeld.pods[k]) expect(held!.pods[k]).toBe(prevHeld.pods[k]);
      }
    }
  });

  it("skipped messages add up: one diff after many commands equals the whole snapshot", () => {
    const a = new LocalEngineHost({ seed: 5 }), b = new LocalEngineHost({ seed: 5 });
    let held = applySnapshotMsg(undefined, a.message(true));
    STEPS.forEach((step, i) => {
      const [line, stdin] = typeof step === "string" ? [step, undefined] : step;
      a.run(line, stdin); b.exec(line, stdin);
      if (i % 5 !== 4) return;
      held = applySnapshotMsg(held, structuredClone(a.message(false)));
      same(dump(held!), dumpRef(reference(b.sim)), line);
    });
  });

  /** Enough Events expire at once for the log to compact (slots renumbered: a rescan). */
  const CHURN: string[] = [
    "sim node add w1 --cpu 64 --memory 256Gi --pods 500",
    "kubectl create deployment many --image=nginx --replicas=400",
    "sim advance 1m",
    "kubectl rollout restart deployment many",
    "sim advance 2m",
    "kubectl rollout restart deployment many",
    "sim advance 2m",
    "sim advance 50m",
    "sim advance 11m",
    "sim advance 2h",
    "kubectl scale deployment many --replicas=10",
    "sim advance 1m",
  ];

  it.each([
    [1, "STEPS"], [3, "STEPS"], [40, "STEPS"], [400, "STEPS"], [7, "CHURN"], [400, "CHURN"],
  ] as const)("the newest %i Events (%s) equal every Event sorted by last timestamp, ties in creation order", (max, script) => {
    const a = new LocalEngineHost({ seed: 2 }), b = new LocalEngineHost({ seed: 2 });
    const newest = new NewestEvents(max);
    const log = a.sim.store.eventLog;
    newest.reset(log);
    a.sim.store.watch((ev) => { if (ev.kind === "Event" && ev.type !== "ADDED") newest.touch(ev.key); });
    for (const step of script === "STEPS" ? STEPS : CHURN) {
      const [line, stdin] = typeof step === "string" ? [step, undefined] : step;
      a.run(line, stdin); b.exec(line, stdin);
      same(JSON.stringify(newest.update()), JSON.stringify(reference(b.sim, max).events), line);
    }
    if (script === "CHURN") expect(log.epoch).toBeGreaterThan(0);
  });

  it("a tick reads only the Events that changed, and caches none in the event log", () => {
    const h = new LocalEngineHost({ seed: 4 });
    for (const l of ["sim node add w1 --pods 300", "kubectl create deployment web --image=nginx --replicas=200", "sim advance 1m"]) h.run(l);
    const log = h.sim.store.eventLog;
    const cached = () => { let n = 0; for (let s = 0; s < log.n; s++) if (log.flags[s]! & CACHED) n++; return n; };
    let built = 0;
    const build = log.build.bind(log);
    log.build = (v) => { built++; return build(v); };
    h.message(true);
    expect(built).toBe(400); // the first snapshot reads the newest 400 once
    const before = cached();
    built = 0;
    h.run("kubectl scale deployment web --replicas=201");
    h.run("sim advance 5s");
    const msg = h.message(false);
    expect("diff" in msg && msg.diff.events?.length).toBe(400);
    // One new pod: its ~7 Events plus the ReplicaSet's and Deployment's, not the 1,400 before them.
    expect(built).toBeGreaterThan(0);
    expect(built).toBeLessThan(20);
    expect(cached()).toBe(before);
  });
});
