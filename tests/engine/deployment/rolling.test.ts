/**
 * End-to-end Deployment behaviour on the whole engine (scheduler, kubelets, ReplicaSet controller):
 * the P5 rolling-update bounds checked after every clock step, P6 Recreate, P7 proportional scaling
 * while paused, P9 history cleanup, and bad input refused with the API server's / kubectl's texts.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";
import type { Deployment, Pod, ReplicaSet } from "../../../src/api/types.ts";
import { isPodActive, isPodReady } from "../../../src/controllers/util/pods.ts";

const deploy = (name: string, replicas: number, image: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
${extra}  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: ${name}
        image: ${image}
`;

function session(nodes = 3): Session {
  const s = new Session({ seed: 7 });
  for (let i = 1; i <= nodes; i++) s.exec(`sim node add w${i} --cpu 8 --memory 16Gi`);
  return s;
}

function ok(s: Session, line: string, stdin?: string): string {
  const r = s.exec(line, stdin);
  expect(r.err, `${line}\n${r.err}`).toBe("");
  return r.out;
}

const pods = (s: Session, app: string) => s.sim.store.list<Pod>("Pod").filter((p) => p.metadata.labels?.app === app);
const rss = (s: Session, app: string) => s.sim.store.list<ReplicaSet>("ReplicaSet").filter((r) => r.metadata.labels?.app === app);

/** Step the clock timer by timer (each step settles every controller) and check `fn` after each. */
function stepUntil(s: Session, done: () => boolean, check: () => void, limitMs = 10 * 60_000) {
  const deadline = s.sim.now + limitMs;
  let steps = 0;
  s.sim.settle();
  check();
  while (!done()) {
    const next = s.sim.clock.peek();
    if (next === undefined || next > deadline) throw new Error("did not finish");
    s.sim.advanceTo(next);
    check();
    steps++;
  }
  return steps;
}

describe("P5 rolling update bounds (10 replicas, 25%/25%)", () => {
  it("P5/P3 never more than 13 pods nor fewer than 8 available, after every clock step", () => {
    const s = session();
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 10, "nginx:1.25"));
    s.exec("sim advance 30s");
    expect(pods(s, "web").filter((p) => isPodActive(p) && isPodReady(p))).toHaveLength(10);
    ok(s, "kubectl set image deployment/web web=nginx:1.26");
    let maxPods = 0, minAvail = Infinity, maxSpec = 0;
    const steps = stepUntil(s, () => {
      const d = s.sim.store.get<Deployment>("Deployment", "default", "web")!;
      const st = d.status ?? {};
      return st.updatedReplicas === 10 && st.replicas === 10 && st.availableReplicas === 10 && pods(s, "web").every((p) => p.spec.containers[0]!.image === "nginx:1.26");
    }, () => {
      const live = pods(s, "web").filter(isPodActive);
      maxPods = Math.max(maxPods, live.length);
      minAvail = Math.min(minAvail, live.filter(isPodReady).length);
      maxSpec = Math.max(maxSpec, rss(s, "web").reduce((t, r) => t + (r.spec.replicas ?? 0), 0));
      expect(live.length).toBeLessThanOrEqual(13);
      expect(live.filter(isPodReady).length).toBeGreaterThanOrEqual(8);
    });
    expect(steps).toBeGreaterThan(5);
    expect(maxSpec).toBe(13);
    expect(maxPods).toBe(13);
    expect(minAvail).toBe(8);
    // P9: the old RS stays (history), scaled to 0
    const sets = rss(s, "web");
    expect(sets.map((r) => [r.metadata.annotations?.["deployment.kubernetes.io/revision"], r.spec.replicas])).toEqual([["1", 0], ["2", 10]]);
  });

  it("P5 maxSurge 1 / maxUnavailable 0 keeps every replica available (canary-safe)", () => {
    const s = session();
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 3, "nginx:1.25", "  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n"));
    s.exec("sim advance 30s");
    ok(s, "kubectl set image deployment/web web=nginx:1.26");
    stepUntil(s, () => (s.sim.store.get<Deployment>("Deployment", "default", "web")!.status?.updatedReplicas ?? 0) === 3 && pods(s, "web").filter(isPodActive).length === 3 && pods(s, "web").filter((p) => isPodActive(p) && isPodReady(p)).length === 3, () => {
      const live = pods(s, "web").filter(isPodActive);
      expect(live.length).toBeLessThanOrEqual(4);
      expect(live.filter(isPodReady).length).toBeGreaterThanOrEqual(3);
    });
  });
});

describe("P6 Recreate", () => {
  it("P6 no new pod exists while an old pod is still running or terminating", () => {
    const s = session();
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 3, "nginx:1.25", "  strategy:\n    type: Recreate\n"));
    s.exec("sim advance 30s");
    ok(s, "kubectl set image deployment/web web=nginx:1.26");
    stepUntil(s, () => pods(s, "web").filter((p) => isPodReady(p) && p.spec.containers[0]!.image === "nginx:1.26").length === 3, () => {
      const all = pods(s, "web");
      const oldOnes = all.filter((p) => p.spec.containers[0]!.image === "nginx:1.25");
      const newOnes = all.filter((p) => p.spec.containers[0]!.image === "nginx:1.26");
      if (newOnes.length) expect(oldOnes).toHaveLength(0);
    });
  });
});

describe("P7 paused deployment", () => {
  it("P7 no new RS for a template change while paused; scaling still applies; resume rolls out", () => {
    const s = session();
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 2, "nginx:1.25"));
    s.exec("sim advance 30s");
    expect(ok(s, "kubectl rollout pause deployment/web")).toBe("deployment.apps/web paused\n");
    ok(s, "kubectl set image deployment/web web=nginx:1.26");
    s.exec("sim advance 30s");
    expect(rss(s, "web")).toHaveLength(1);
    const d = s.sim.store.get<Deployment>("Deployment", "default", "web")!;
    expect(d.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({ status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused" });
    expect(d.status?.updatedReplicas ?? 0).toBe(0);
    ok(s, "kubectl scale deployment web --replicas=4");
    s.exec("sim advance 30s");
    expect(rss(s, "web").map((r) => r.spec.replicas)).toEqual([4]);
    expect(s.exec("kubectl rollout pause deployment/web").err).toBe('error: deployments.apps "web" is already paused\n');
    ok(s, "kubectl rollout resume deployment/web");
    const out = ok(s, "kubectl rollout status deployment/web");
    expect(out.trimEnd().split("\n").at(-1)).toBe('deployment "web" successfully rolled out');
    expect(rss(s, "web").map((r) => r.spec.replicas)).toEqual([0, 4]);
  });
});

describe("P9 revisionHistoryLimit", () => {
  it("P9 keeps only revisionHistoryLimit old ReplicaSets, lowest revisions deleted first", () => {
    const s = session();
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 1, "nginx:1.20", "  revisionHistoryLimit: 2\n"));
    s.exec("sim advance 20s");
    for (const v of ["1.21", "1.22", "1.23", "1.24"]) {
      ok(s, `kubectl set image deployment/web web=nginx:${v}`);
      ok(s, "kubectl rollout status deployment/web");
      s.exec("sim advance 5s");
    }
    const revs = rss(s, "web").map((r) => Number(r.metadata.annotations?.["deployment.kubernetes.io/revision"])).sort((a, b) => a - b);
    expect(revs).toEqual([3, 4, 5]);
  });
});

describe("bad input is refused and running objects stay untouched", () => {
  it.each([
    {
      name: "P2 selector does not match template labels",
      yaml: deploy("bad", 1, "nginx").replace("      labels:\n        app: bad", "      labels:\n        app: other"),
      err: 'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n',
    },
    {
      name: "P2 maxSurge and maxUnavailable both 0",
      yaml: deploy("bad", 1, "nginx", "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n"),
      err: 'The Deployment "bad" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0\n',
    },
    {
      name: "P2 maxUnavailable over 100%",
      yaml: deploy("bad", 1, "nginx", "  strategy:\n    rollingUpdate:\n      maxUnavailable: 150%\n"),
      err: 'The Deployment "bad" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%\n',
    },
    {
      name: "P2 Recreate with rollingUpdate",
      yaml: deploy("bad", 1, "nginx", "  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n"),
      err: "The Deployment \"bad\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'\n",
    },
  ])("$name", ({ yaml, err }) => {
    const s = session(1);
    const r = s.exec("kubectl apply -f - <<EOF", yaml);
    expect(r.err).toBe(err);
    expect(s.sim.store.get("Deployment", "default", "bad")).toBeUndefined();
  });

  it("P2 the selector is immutable; the running Deployment keeps its pods", () => {
    const s = session(1);
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 2, "nginx:1.25"));
    s.exec("sim advance 20s");
    const before = pods(s, "web").map((p) => p.metadata.name).sort();
    const r = s.exec("kubectl apply -f - <<EOF", deploy("web", 2, "nginx:1.25").replace(/app: web/g, "app: web2").replace("name: web2", "name: web"));
    expect(r.err).toBe('The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n');
    s.exec("sim advance 20s");
    expect(pods(s, "web").map((p) => p.metadata.name).sort()).toEqual(before);
  });

  it("P10 rollback to a missing revision is refused by kubectl; nothing changes", () => {
    const s = session(1);
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 1, "nginx:1.25"));
    s.exec("sim advance 20s");
    const rv = s.sim.store.get("Deployment", "default", "web")!.metadata.resourceVersion;
    expect(s.exec("kubectl rollout undo deployment/web --to-revision=5").err).toBe("error: unable to find specified revision 5 in history\n");
    expect(s.exec("kubectl rollout undo deployment/web").err).toBe('error: no rollout history found for deployment "web"\n');
    expect(s.sim.store.get("Deployment", "default", "web")!.metadata.resourceVersion).toBe(rv);
  });
});

describe("P11 progress deadline and minReadySeconds", () => {
  it("X5 minReadySeconds: available only after the pods stayed ready that long", () => {
    const s = session(1);
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 2, "nginx:1.25", "  minReadySeconds: 10\n"));
    s.exec("sim advance 5s");
    const d1 = s.sim.store.get<Deployment>("Deployment", "default", "web")!;
    expect([d1.status?.readyReplicas, d1.status?.availableReplicas ?? 0]).toEqual([2, 0]);
    s.exec("sim advance 10s");
    expect(s.sim.store.get<Deployment>("Deployment", "default", "web")!.status?.availableReplicas).toBe(2);
  });

  it("P11 Progressing=False ProgressDeadlineExceeded after progressDeadlineSeconds without progress; rollout status reports it", () => {
    const s = session(1);
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 2, "nginx:1.25", "  progressDeadlineSeconds: 30\n"));
    s.exec("sim advance 10s");
    const c0 = s.sim.store.get<Deployment>("Deployment", "default", "web")!.status?.conditions?.find((c) => c.type === "Progressing");
    expect(c0).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
    ok(s, "kubectl set image deploy/web web=busybox"); // exits at once: CrashLoopBackOff, never available
    const name = s.sim.store.list<ReplicaSet>("ReplicaSet").find((r) => r.spec.template?.spec?.containers[0]?.image === "busybox")!.metadata.name;
    const c1 = s.sim.store.get<Deployment>("Deployment", "default", "web")!.status?.conditions?.find((c) => c.type === "Progressing");
    expect(c1).toMatchObject({ status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${name}" is progressing.` });
    const r = s.exec("kubectl rollout status deploy/web");
    expect(r.err).toBe('error: deployment "web" exceeded its progress deadline\n');
    const c2 = s.sim.store.get<Deployment>("Deployment", "default", "web")!.status?.conditions?.find((c) => c.type === "Progressing");
    expect(c2).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${name}" has timed out progressing.` });
    // the rollout is not rolled back: old pods keep serving
    expect(s.sim.store.get<Deployment>("Deployment", "default", "web")!.status?.availableReplicas).toBe(2);
  });

  it("rollout status --timeout prints kubectl's timeout error", () => {
    const s = session(1);
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 1, "busybox"));
    const t0 = s.sim.now;
    const r = s.exec("kubectl rollout status deploy/web --timeout=20s");
    expect(r.out).toBe('Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...\n');
    expect(r.err).toBe("error: timed out waiting for the condition\n");
    expect(s.sim.now - t0).toBe(20_000);
  });
});

describe("P7 proportional scaling on the engine (the docs' example)", () => {
  it("P7 10 replicas maxSurge 3 / maxUnavailable 2, stuck rollout (old 8 + new 5), scale to 15 → old 11 + new 7", () => {
    const s = session();
    ok(s, "kubectl apply -f - <<EOF", deploy("web", 10, "nginx:1.25", "  strategy:\n    rollingUpdate:\n      maxSurge: 3\n      maxUnavailable: 2\n"));
    ok(s, "kubectl rollout status deployment/web");
    ok(s, "kubectl set image deployment/web web=busybox"); // never becomes ready
    s.exec("sim advance 1m");
    const sizes = () => Object.fromEntries(rss(s, "web").map((r) => [r.spec.template?.spec?.containers[0]?.image, r.spec.replicas]));
    expect(sizes()).toEqual({ "nginx:1.25": 8, busybox: 5 });
    ok(s, "kubectl scale deployment/web --replicas=15");
    expect(sizes()).toEqual({ "nginx:1.25": 11, busybox: 7 });
    const events = s.sim.store.list("Event").filter((e) => e.reason === "ScalingReplicaSet").map((e) => e.message).slice(-2);
    expect(events).toEqual([
      expect.stringMatching(/^Scaled up replica set web-[4-9bcdf]+ from 8 to 11$/),
      expect.stringMatching(/^Scaled up replica set web-[4-9bcdf]+ from 5 to 7$/),
    ]);
  });
});

describe("G4/X7 adoption", () => {
  it("G4 a new Deployment with the same template adopts the orphaned ReplicaSet and its pods; no new pods", () => {
    const s = session(1);
    ok(s, "kubectl create deployment web --image=nginx:1.25 --replicas=2");
    ok(s, "kubectl rollout status deploy/web");
    const before = pods(s, "web").map((p) => p.metadata.uid).sort();
    ok(s, "kubectl delete deployment web --cascade=orphan");
    expect(rss(s, "web")[0]!.metadata.ownerReferences ?? []).toEqual([]);
    ok(s, "kubectl create deployment web --image=nginx:1.25 --replicas=2");
    expect(ok(s, "kubectl rollout status deploy/web")).toBe('deployment "web" successfully rolled out\n');
    const d = s.sim.store.get<Deployment>("Deployment", "default", "web")!;
    expect(rss(s, "web").map((r) => r.metadata.ownerReferences?.[0]?.uid)).toEqual([d.metadata.uid]);
    expect(pods(s, "web").map((p) => p.metadata.uid).sort()).toEqual(before);
  });
});
