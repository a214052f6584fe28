/**
 * The ReplicaSet's running pod tally (a sync that needs no pass over its pods) must give exactly what the
 * full sync gives (R1 manageReplicas, R3 status, X7 claiming): each script runs with the tallies on and off,
 * and the transcripts and every stored object must be identical.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";
import { parseScript } from "../../../src/scenario/script.ts";
import { setReplicaSetTallies } from "../../../src/controllers/replicaset/controller.ts";

function run(text: string, tallies: boolean): { transcript: string; objects: string } {
  const session = new Session({});
  setReplicaSetTallies(session.sim.ctx, tallies);
  let transcript = "";
  for (const c of parseScript(text)) {
    const r = session.exec(c.line, c.stdin);
    transcript += `$ ${c.line}\n${r.out}${r.err}`;
  }
  const objects: string[] = [];
  for (const kind of ["Pod", "ReplicaSet", "Deployment", "Event"]) {
    for (const o of session.sim.store.list(kind)) objects.push(JSON.stringify(o));
  }
  return { transcript, objects: objects.join("\n") };
}

const RS = (name: string, replicas: number, labels = `{app: ${name}}`, extra = "") => `kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${name}
spec:
  replicas: ${replicas}${extra}
  selector:
    matchLabels: ${labels}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
      - name: c
        image: nginx
EOF`;

const ORPHAN = (name: string, labels: string) => `kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: ${labels}
spec:
  containers:
  - name: c
    image: nginx
EOF`;

const cases: Array<[string, string]> = [
  ["R1 scale up past the burst, then down (R2 ranking) and up again", `sim node add n1
sim node add n2
${RS("web", 40)}
sim advance 20s
kubectl scale rs web --replicas=7
sim advance 40s
kubectl scale rs web --replicas=12
sim advance 20s
kubectl get rs web -o yaml`],
  ["X7 orphans created later are adopted; relabelled pods are released and replaced, then adopted back", `sim node add n1
${RS("web", 3)}
sim advance 10s
${ORPHAN("stray", "{app: web}")}
sim advance 5s
kubectl get pods --show-labels
kubectl label pods -l app=web app=other --overwrite
sim advance 10s
kubectl get pods --show-labels
kubectl get rs web -o yaml
kubectl label pods -l app=other app=web --overwrite
sim advance 10s
kubectl get pods --show-labels
kubectl get rs web -o yaml`],
  ["X7 a terminating pod held by a finalizer; the finalizer and the owner go in one patch", `sim node add n1
${RS("web", 3)}
sim advance 10s
kubectl get pods
kubectl patch pod web-4b5tt --type merge -p '{"metadata":{"finalizers":["example.com/hold"]}}'
kubectl delete pod web-4b5tt --wait=false
sim advance 40s
kubectl get pods --show-labels
kubectl get rs web -o yaml
kubectl patch pod web-4b5tt --type merge -p '{"metadata":{"finalizers":null,"labels":{"app":"gone"},"ownerReferences":null}}'
sim advance 5s
kubectl get pods --show-labels
kubectl scale rs web --replicas=2
sim advance 40s
kubectl get rs web -o yaml`],
  ["R3 readiness and fully-labeled counts through a node failure", `sim node add n1
sim node add n2
${RS("web", 6)}
sim advance 15s
sim node stop n1
sim advance 120s
kubectl get rs web -o yaml
sim node start n1
sim advance 60s
kubectl get pods -o wide
kubectl get rs web -o yaml`],
  ["R3 minReadySeconds and two ReplicaSets sharing a label", `sim node add n1
${RS("a", 3, "{app: shared, v: a}", "\n  minReadySeconds: 5")}
${RS("b", 2, "{app: shared, v: b}")}
sim advance 3s
kubectl get rs
sim advance 10s
kubectl get rs
kubectl delete rs a --cascade=orphan
sim advance 5s
${RS("a", 2, "{app: shared, v: a}")}
sim advance 10s
kubectl get pods --show-labels
kubectl get rs`],
  ["Deployment rollout (RS pairs under one owner)", `sim node add n1
sim node add n2
kubectl create deployment web --image=nginx:1.27 --replicas=8
sim advance 30s
kubectl set image deployment/web nginx=nginx:1.28
sim advance 60s
kubectl rollout undo deployment/web
sim advance 60s
kubectl get rs
kubectl get pods`],
];

describe("ReplicaSet tally = full sync", () => {
  it.each(cases)("%s", (_name, script) => {
    const on = run(script, true);
    const off = run(script, false);
    expect(on.transcript).toBe(off.transcript);
    expect(on.objects).toBe(off.objects);
  });
});
