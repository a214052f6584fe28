/**
 * A ReplicaSet sync that wrote only its status (no error) marks the key quiet, and the sync its own status
 * event queues returns at once. Differential: with checkQuietReplicaSets every such sync runs anyway and must
 * write nothing and ask for the same requeue — through scaling past the burst (R1), orphans adopted and pods
 * relabelled away (X7), a node failure (R3 readiness), minReadySeconds (X5), pods deleted and a ReplicaSet
 * made again over orphans, and rollouts — and the transcripts and stored objects must equal the runs that skip them.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";
import { runScript } from "../deployment/scriptRun.ts";
import { parseScript } from "../../../src/scenario/script.ts";
import { checkQuietReplicaSets, reconcileReplicaSet } from "../../../src/controllers/replicaset/controller.ts";
import type { Pod, ReplicaSet } from "../../../src/api/types.ts";

/** A ReplicaSet `name` selecting app=`app`, with extra spec lines. */
const rs = (name: string, app: string, replicas: number, extra = "") => `kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${name}}
spec:
  replicas: ${replicas}${extra}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: nginx}]}
EOF`;

const cases: Array<[string, string]> = [
  ["R1 past the burst and back (a big ReplicaSet's readiness is coalesced)", `sim node add n1 --pods 300
sim node add n2 --pods 300
${rs("big", "big", 150)}
sim advance 30s
kubectl scale rs big --replicas=20
sim advance 30s
kubectl scale rs big --replicas=120
sim advance 30s
kubectl get rs big -o yaml`],
  ["X7 an orphan adopted, pods relabelled away and back", `sim node add n1
${rs("web", "web", 3)}
sim advance 10s
kubectl run stray --image=nginx --labels=app=web
sim advance 5s
kubectl label pods -l app=web app=away --overwrite
sim advance 10s
kubectl label pods -l app=away app=web --overwrite
sim advance 10s
kubectl get pods --show-labels
kubectl get rs web -o yaml`],
  ["R3 a node failure; X5 minReadySeconds", `sim node add n1
sim node add n2
${rs("web", "web", 6, "\n  minReadySeconds: 4")}
sim advance 15s
sim node stop n1
sim advance 120s
sim node start n1
sim advance 60s
kubectl get rs web -o yaml`],
  ["R1 pods deleted are replaced; X7 the ReplicaSet deleted --cascade=orphan and made again adopts them", `sim node add n1
${rs("web", "web", 4)}
sim advance 20s
kubectl delete pods -l app=web --wait=false
sim advance 30s
kubectl delete rs web --cascade=orphan
sim advance 5s
${rs("web", "web", 3)}
sim advance 30s
kubectl get pods
kubectl get rs web -o yaml`],
  ["Deployment rollout one pod at a time (maxSurge 1, maxUnavailable 0), scaled midway", `sim node add n1
sim node add n2
kubectl create deployment app --image=nginx:1.27 --replicas=6
sim advance 20s
kubectl patch deployment app -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}'
kubectl set image deployment/app nginx=nginx:1.28
sim advance 8s
kubectl scale deployment/app --replicas=9
sim advance 60s
kubectl get rs
kubectl get pods`],
];

describe("quiet ReplicaSet syncs change nothing", () => {
  it.each(cases)("%s", (_name, script) => {
    const checked = runScript(5, script, checkQuietReplicaSets);
    expect(checked.wrote).toEqual([]);
    expect(checked.checked).toBeGreaterThan(0);
    const skipped = runScript(5, script);
    expect(skipped.transcript).toBe(checked.transcript);
    expect(skipped.objects).toBe(checked.objects);
  });
});

describe("a quiet ReplicaSet wakes up", () => {
  /** `ready` on the pod's Ready condition, written as a kubelet would (a pod event, nothing settled). */
  function setReady(session: Session, p: Pod, ready: boolean): void {
    const conditions = (p.status?.conditions ?? []).map((c) => (c.type === "Ready" ? { ...c, status: ready ? "True" : "False" } : c));
    session.sim.store.updateStatus(p, { ...p.status, conditions });
  }

  it("R3 a pod turning ready after the quiet status write is counted by the next sync", () => {
    const session = new Session({ seed: 5 });
    for (const cmd of parseScript(`sim node add n1\n${rs("web", "web", 3)}\nsim advance 20s`)) session.exec(cmd.line, cmd.stdin);
    const { store, ctx } = session.sim;
    const ready = () => store.get<ReplicaSet>("ReplicaSet", "default", "web")!.status?.readyReplicas;
    expect(ready()).toBe(3);
    const p = store.list<Pod>("Pod")[0]!;
    setReady(session, p, false);
    reconcileReplicaSet(ctx, "default/web"); // writes readyReplicas 2, only that: quiet
    expect(ready()).toBe(2);
    setReady(session, store.get<Pod>("Pod", "default", p.metadata.name)!, true);
    reconcileReplicaSet(ctx, "default/web"); // woken by the pod event: a full sync
    expect(ready()).toBe(3);
  });
});
