import { describe, expect, it } from "vitest";
import type { ReplicaSet } from "../../../src/api/types.ts";
import {
  DESIRED_REPLICAS, MAX_REPLICAS, cond, removeCondition, replaceCondition, rsView, setCondition, type DeploymentCondition,
} from "../../../src/controllers/deployment/util.ts";

const c = (type: string, status: DeploymentCondition["status"], reason: string, at: string) => cond(type, status, reason, `${type} ${reason}`, at);

describe("P11 replaceCondition = RemoveDeploymentCondition then SetDeploymentCondition", () => {
  const avail = c("Available", "True", "MinimumReplicasAvailable", "t0");
  const prog = c("Progressing", "True", "ReplicaSetUpdated", "t0");
  const fail = c("ReplicaFailure", "True", "FailedCreate", "t0");
  it.each([
    { name: "none before: appended", conds: [avail] },
    { name: "one before: dropped, new one last", conds: [prog, avail] },
    { name: "two of the type (malformed): both dropped", conds: [prog, avail, prog, fail] },
    { name: "empty list", conds: [] },
  ])("$name", ({ conds }) => {
    const next = c("Progressing", "True", "ReplicaSetUpdated", "t1");
    const want = setCondition(removeCondition(conds, "Progressing"), next);
    const got = replaceCondition(conds, { ...next });
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    expect(got).not.toBe(conds);
  });
});

describe("rsView: one view per ReplicaSet version, parts reused across status writes", () => {
  const base = (): ReplicaSet => ({
    apiVersion: "apps/v1", kind: "ReplicaSet",
    metadata: { name: "web-1", namespace: "default", uid: "u1", creationTimestamp: "2024-01-01T00:00:05Z", annotations: { [DESIRED_REPLICAS]: "3", [MAX_REPLICAS]: "4" } },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: {} },
    status: { replicas: 1, availableReplicas: 1, readyReplicas: 1 },
  } as unknown as ReplicaSet);
  it("a status write (same spec, annotations, creation time) gives a view of the new counts; the old version keeps its view", () => {
    const v1 = base();
    const a = rsView(v1);
    expect(rsView(v1)).toBe(a);
    const v2 = { ...v1, metadata: { ...v1.metadata }, status: { replicas: 3, availableReplicas: 2, readyReplicas: 3 } } as ReplicaSet;
    const b = rsView(v2);
    expect(b).toEqual({ name: "web-1", created: Date.parse("2024-01-01T00:00:05Z"), spec: 3, replicas: 3, available: 2, ready: 3, maxReplicasAnnotation: 4, desiredReplicasAnnotation: 3 });
    expect(rsView(v1)).toEqual(a); // asked again after a newer version: the same answer
    expect(Object.isFrozen(b)).toBe(true);
  });
  it("new annotations on the same spec object are read again", () => {
    const v1 = base();
    rsView(v1);
    const v2 = { ...v1, metadata: { ...v1.metadata, annotations: { [DESIRED_REPLICAS]: "5" } } } as ReplicaSet;
    const b = rsView(v2);
    expect(b.desiredReplicasAnnotation).toBe(5);
    expect(b.maxReplicasAnnotation).toBeUndefined();
  });
});
