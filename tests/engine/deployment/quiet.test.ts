/**
 * A Deployment sync that wrote only its status marks the key quiet, and the sync its own status event
 * queues returns at once (the controller's "quiet" skip). Differential: with checkQuietSyncs every such sync
 * runs anyway and must write nothing and ask for the same requeue — over rolling updates, rollbacks, pause /
 * resume with proportional scaling (P7), revisionHistoryLimit cleanup (P9), progress deadlines including 0
 * (P11, down to 1s), minReadySeconds and Recreate (P6) — and the transcripts and stored objects must equal a run without
 * the skip's check (the skip itself).
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { runScript } from "./scriptRun.ts";
import { checkQuietSyncs } from "../../../src/controllers/deployment/controller.ts";

const DEPLOY = (name: string, replicas: number, image: string, extra = "") => `kubectl apply -f - <<EOF
apiVersion: apps/v1
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
      - name: c
        image: ${image}
EOF`;

const NODES = "sim node add n1 --cpu 8 --memory 16Gi\nsim node add n2 --cpu 8 --memory 16Gi";

const cases: Array<[string, string]> = [
  ["P5 rolling update, rollback and restart (the deploy-rolling golden)", readFileSync("tests/engine/golden/deploy-rolling.kp", "utf8")],
  ["P9 revisionHistoryLimit 1: old ReplicaSets go once the rollout completes", `${NODES}
${DEPLOY("web", 4, "nginx:1", "  revisionHistoryLimit: 1\n")}
sim advance 20s
kubectl set image deployment/web c=nginx:2
sim advance 30s
kubectl set image deployment/web c=nginx:3
sim advance 30s
kubectl set image deployment/web c=nginx:4
sim advance 30s
kubectl get rs`],
  ["P7 paused: scale spreads over old and new; resume", `${NODES}
${DEPLOY("web", 10, "nginx:1", "  strategy:\n    rollingUpdate:\n      maxSurge: 3\n      maxUnavailable: 2\n")}
sim advance 20s
kubectl set image deployment/web c=nginx:bad
sim advance 5s
kubectl rollout pause deployment/web
kubectl scale deployment/web --replicas=15
sim advance 10s
kubectl get rs
kubectl rollout resume deployment/web
kubectl set image deployment/web c=nginx:2
sim advance 40s
kubectl get rs`],
  ["P11 progress deadlines 1s and 5s, minReadySeconds 2", `${NODES}
${DEPLOY("tight", 3, "nginx:1", "  progressDeadlineSeconds: 1\n")}
${DEPLOY("slow", 3, "nginx:1", "  progressDeadlineSeconds: 5\n  minReadySeconds: 2\n")}
sim advance 30s
kubectl set image deployment/slow c=nginx:bad
kubectl set image deployment/tight c=nginx:2
sim advance 30s
kubectl get deploy -o yaml`],
  ["P6 Recreate, then back to RollingUpdate; scaled to 0 and up", `${NODES}
${DEPLOY("web", 3, "nginx:1", "  strategy:\n    type: Recreate\n")}
sim advance 20s
kubectl set image deployment/web c=nginx:2
sim advance 20s
kubectl patch deployment web -p '{"spec":{"strategy":{"type":"RollingUpdate"}}}'
kubectl scale deployment/web --replicas=0
sim advance 10s
kubectl scale deployment/web --replicas=5
sim advance 20s
kubectl get rs`],
];

describe("quiet Deployment syncs change nothing", () => {
  it.each(cases)("%s", (_name, script) => {
    const checked = runScript(11, script, checkQuietSyncs);
    expect(checked.wrote).toEqual([]);
    const skipped = runScript(11, script);
    expect(skipped.transcript).toBe(checked.transcript);
    expect(skipped.objects).toBe(checked.objects);
  });

  it("the skip is taken (rolling updates mark their status writes quiet)", () => {
    expect(runScript(11, cases[0]![1], checkQuietSyncs).checked).toBeGreaterThan(10);
  });
});
