/**
 * (regression) soak, fast-check seed 1000033 (worker 1): N10 violated — a Job pod stays bound to a deleted
 * node forever.
 *
 * Sequence: a Replace CronJob runs a Job whose pod lands on n4; n4 is deleted; at the next schedule the
 * CronJob deletes that Job (C6 (i), Background); PodGC then force-deletes the orphaned pod (N10).
 * Expected: the pod is gone 60 s after the node deletion at the latest (N10: 40 s quarantine + 20 s period).
 * The pod keeps the `batch.kubernetes.io/job-tracking` finalizer (J2) only until the Job controller has
 * accounted for it; when its Job no longer exists, upstream's Job controller removes the finalizer from such
 * orphan pods (job_controller.go `syncOrphanPod`), so the force delete completes.
 * Actual: the pod stays forever (Failed, deletionTimestamp set, deletionGracePeriodSeconds 0) because
 * nobody removes the job-tracking finalizer of a pod whose Job was deleted.
 *
 * Fixed: the Job watch enqueues a deleted Job's tracked pods as orphans (deleteJob → cleanupPodFinalizers).
 */
import { describe, expect, it } from "vitest";
import { runScript } from "../../../src/scenario/session.ts";

const SCRIPT = [
  "sim seed 1",
  "sim node add n2 --cpu 2 --memory 4Gi --label disk=ssd",
  "sim node add n4 --cpu 4 --memory 8Gi --label disk=ssd --label zone=b",
  "kubectl apply -f - <<EOF",
  "apiVersion: batch/v1",
  "kind: CronJob",
  "metadata:",
  "  name: cj-b",
  "spec:",
  '  schedule: "*/1 * * * *"',
  "  concurrencyPolicy: Replace",
  "  jobTemplate:",
  "    spec:",
  "      backoffLimit: 0",
  "      template:",
  "        spec:",
  "          restartPolicy: Never",
  "          containers:",
  "          - name: app",
  "            image: busybox:1.36",
  '            command: ["sh", "-c", "sleep 150; exit 0"]',
  "EOF",
  "kubectl apply -f - <<EOF",
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: dep-a",
  "spec:",
  "  replicas: 0",
  "  strategy:",
  "    type: RollingUpdate",
  "    rollingUpdate:",
  '      maxSurge: "25%"',
  '      maxUnavailable: "25%"',
  "  selector:",
  "    matchLabels:",
  "      app: dep-a",
  "  template:",
  "    metadata:",
  "      labels:",
  "        app: dep-a",
  "    spec:",
  "      containers:",
  "      - name: app",
  "        image: nginx:1.27",
  "EOF",
  "sim advance 30s",
  "sim advance 31s",
  "kubectl delete node n4",
  "sim advance 2m",
  "sim advance 5m",
  "",
].join("\n");

describe("(regression) soak seed 1000033", () => {
  // BUG (Job controller): job-tracking finalizer never removed from pods whose Job was deleted.
  it("(regression) seed 1000033: N10 no pod stays bound to a deleted node (Job pod of a deleted Job)", () => {
    const { session } = runScript(SCRIPT);
    expect(session.sim.store.podsOnNode("n4").map((p) => p.metadata.name)).toEqual([]);
  });
});
