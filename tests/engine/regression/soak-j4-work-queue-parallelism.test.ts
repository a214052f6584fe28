/**
 * (regression, oracle) soak, fast-check seed 55: a work-queue Job (completions unset, parallelism 2) with one
 * pod succeeded; parallelism is then patched to 0.
 * Expected (J4, manageJob): after any success a work-queue Job wants `active` pods — nothing new is created
 * and nothing is killed — so the running pod keeps running and the Job completes when it finishes.
 * The engine already did this; the property oracle demanded active ≤ parallelism and was fixed.
 */
import { describe, expect, it } from "vitest";
import { runScript } from "../../../src/scenario/session.ts";

const SCRIPT = [
  "sim node add n4 --cpu 4 --memory 8Gi",
  "kubectl apply -f - <<EOF",
  "apiVersion: batch/v1",
  "kind: Job",
  "metadata:",
  "  name: job-a",
  "spec:",
  "  parallelism: 2",
  "  backoffLimit: 0",
  "  template:",
  "    spec:",
  "      restartPolicy: Never",
  "      containers:",
  "      - name: app",
  "        image: busybox:1.36",
  '        command: ["sh", "-c", "sleep 75; exit 0"]',
  "EOF",
  "sim advance 30s",
  "",
].join("\n");

describe("(regression) soak seed 55: J4 work queue after a success", () => {
  it("(regression) lowering parallelism to 0 kills nothing; the Job completes when the last pod ends", () => {
    const { session } = runScript(SCRIPT);
    const first = session.sim.store.list("Pod")[0]!.metadata.name;
    session.exec(`sim pod fail ${first} --exit-code 0`);
    expect(session.exec(`kubectl patch job job-a --type=merge -p '{"spec":{"parallelism":0}}'`).out).toBe("job.batch/job-a patched\n");
    session.exec("sim advance 5s");
    expect(session.exec("kubectl get job job-a -o jsonpath={.status.active}/{.status.succeeded}").out).toBe("1/1");
    session.exec("sim advance 60s");
    expect(session.exec("kubectl get job job-a").out).toMatch(/job-a\s+Complete\s+2\/1\s/) // parallelism ≤ 1: "2/1" (printJob);
  });
});
