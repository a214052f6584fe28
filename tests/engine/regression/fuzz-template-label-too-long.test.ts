/**
 * (regression) found by the YAML fuzzer (tests/fuzz, target yaml): a workload whose selector/template label
 * value is longer than 63 characters.
 *
 * Expected (upstream API server: ValidateLabelSelector + ValidatePodTemplateSpec → ValidateLabels →
 * IsValidLabelValue): the Deployment / ReplicaSet / DaemonSet / StatefulSet / CronJob is rejected at
 * admission, `The <Kind> "x" is invalid: …: Invalid value: "aaa…": must be no more than 63 characters`;
 * nothing is created and the command fails.
 * Actual (engine):
 *  - Deployment: accepted, then `kubectl apply` never returns: the controller's RS create fails, it records
 *    an event + a status update, which re-triggers the Deployment in the same settle → an endless loop
 *    (the whole page would freeze). Upstream would requeue with rate-limited backoff on a sync error.
 *  - DaemonSet / StatefulSet: accepted, but the controller's ControllerRevision create throws out of
 *    Simulation.settle, so `kubectl apply` prints that error although the object was created, and the
 *    rest of that settle's work queue is dropped.
 *  - ReplicaSet / CronJob: accepted; pods/Jobs then fail to create.
 *  - The store's own label check prints the regex message for a value that only is too long
 *    (upstream: "must be no more than 63 characters").
 *
 * Fixed: src/api/admission/labels.ts validates template labels and selectors for every workload kind; Simulation.settle
 * backs off a key that throws or re-triggers itself 1000 times in one settle (controllerErrors).
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

const L = "a".repeat(70);
const podTemplate = (indent: string, restart?: string) =>
  `${indent}template:\n${indent}  metadata:\n${indent}    labels:\n${indent}      app: ${L}\n${indent}  spec:\n${restart ? `${indent}    restartPolicy: ${restart}\n` : ""}${indent}    containers:\n${indent}    - name: app\n${indent}      image: nginx\n`;
const selector = `  selector:\n    matchLabels:\n      app: ${L}\n`;

const MANIFESTS: Array<[string, string]> = [
  ["ReplicaSet", `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: x\nspec:\n${selector}${podTemplate("  ")}`],
  ["DaemonSet", `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\nspec:\n${selector}${podTemplate("  ")}`],
  ["StatefulSet", `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\nspec:\n  serviceName: x\n${selector}${podTemplate("  ")}`],
  ["CronJob", `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\nspec:\n  schedule: "*/1 * * * *"\n  jobTemplate:\n    spec:\n${podTemplate("      ", "Never")}`],
  // Deployment last: it used to hang the process.
  ["Deployment", `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n${selector}${podTemplate("  ")}`],
];

describe("(regression) fuzz: template label value longer than 63 characters", () => {
  // BUG (workload admission; Deployment controller hot loop; controller errors escape settle): see above.
  it.each(MANIFESTS)("(regression) %s is rejected at admission and nothing is created", (kind, doc) => {
    const s = new Session();
    s.exec("sim node add w1");
    const r = s.exec("kubectl apply -f - <<EOF", doc);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(`The ${kind} "x" is invalid: `);
    expect(r.err).toContain("must be no more than 63 characters");
    expect(s.sim.store.list(kind)).toHaveLength(0);
  });
});
