import { describe, expect, it } from "vitest";
import type { Deployment, ReplicaSet } from "../../../src/api/types.ts";
import {
  equalIgnoreHash, findNewReplicaSet, maxRevision, newReplicaSetAnnotations, planRollingStep, planScale, resolveFenceposts,
  newRSNewReplicas, type RsView,
} from "../../../src/controllers/deployment/util.ts";

const rs = (name: string, spec: number, available = spec, extra: Partial<RsView> = {}): RsView =>
  ({ name, created: Number(name.replace(/\D/g, "")) || 0, spec, replicas: spec, available, ...extra });

describe("P3 fenceposts (ResolveFenceposts)", () => {
  it.each([
    { replicas: 3, surge: "25%", unav: "25%", want: { surge: 1, unavailable: 0 } },
    { replicas: 10, surge: "25%", unav: "25%", want: { surge: 3, unavailable: 2 } },
    { replicas: 4, surge: "25%", unav: "25%", want: { surge: 1, unavailable: 1 } },
    { replicas: 1, surge: "25%", unav: "25%", want: { surge: 1, unavailable: 0 } },
    { replicas: 10, surge: 0, unav: "1%", want: { surge: 0, unavailable: 1 } },
    { replicas: 3, surge: 1, unav: 0, want: { surge: 1, unavailable: 0 } },
    { replicas: 5, surge: "200%", unav: 0, want: { surge: 10, unavailable: 0 } },
  ])("P3 replicas $replicas surge $surge unavailable $unav", ({ replicas, surge, unav, want }) => {
    expect(resolveFenceposts(surge, unav, replicas)).toEqual(want);
  });
});

describe("P4/P5 new RS size (NewRSNewReplicas)", () => {
  it.each([
    { name: "P4 created scaled to surge (3 replicas, old 3)", replicas: 3, total: 3, newSpec: 0, want: 1 },
    { name: "P4 created scaled to surge (10 replicas, old 10)", replicas: 10, total: 10, newSpec: 0, want: 3 },
    { name: "P4 fresh deployment gets everything at once", replicas: 5, total: 0, newSpec: 0, want: 5 },
    { name: "P5 no room above replicas+surge", replicas: 10, total: 13, newSpec: 3, want: 3 },
    { name: "P5 never beyond replicas", replicas: 3, total: 3, newSpec: 3, want: 3 },
  ])("$name", ({ replicas, total, newSpec, want }) => {
    expect(newRSNewReplicas({ replicas, maxSurge: "25%", maxUnavailable: "25%" }, total, newSpec)).toBe(want);
  });
});

describe("P5 rolling step (rolloutRolling)", () => {
  const p = (replicas: number, maxSurge: number | string = "25%", maxUnavailable: number | string = "25%") => ({ replicas, maxSurge, maxUnavailable });
  it.each([
    { name: "P5.1 scale up the new RS first", params: p(10), newRS: rs("new2", 0, 0), old: [rs("old1", 10)], want: [{ name: "new2", from: 0, to: 3 }] },
    { name: "P5.2 then scale old down to minAvailable", params: p(10), newRS: rs("new2", 3, 0), old: [rs("old1", 10)], want: [{ name: "old1", from: 10, to: 8 }] },
    { name: "P5.2 nothing while new pods are unavailable and old at minAvailable", params: p(10), newRS: rs("new2", 5, 0), old: [rs("old1", 8)], want: [] },
    { name: "P5.2 unhealthy old replicas go first", params: p(10), newRS: rs("new2", 3, 0), old: [rs("old1", 10, 7)], want: [{ name: "old1", from: 10, to: 8 }] },
    { name: "P5 3 replicas maxSurge 1 maxUnavailable 0: new 1 then old 2", params: p(3, 1, 0), newRS: rs("new2", 1, 1), old: [rs("old1", 3)], want: [{ name: "old1", from: 3, to: 2 }] },
    { name: "P5 3 replicas maxSurge 1 maxUnavailable 0: waits for the new pod", params: p(3, 1, 0), newRS: rs("new2", 1, 0), old: [rs("old1", 3)], want: [] },
    { name: "P5 oldest old RS scaled down first", params: p(4, 1, 1), newRS: rs("new3", 1, 1), old: [rs("old2", 2), rs("old1", 2)], want: [{ name: "old1", from: 2, to: 0 }] },
    { name: "P5 new RS above replicas is scaled down", params: p(2), newRS: rs("new2", 4, 4), old: [], want: [{ name: "new2", from: 4, to: 2 }] },
    { name: "P5.3 complete: nothing to do", params: p(3), newRS: rs("new2", 3, 3), old: [rs("old1", 0, 0)], want: [] },
  ])("$name", ({ params, newRS, old, want }) => {
    expect(planRollingStep(params, newRS, old)).toEqual(want);
  });
});

describe("P7 proportional scaling (scale / GetProportion)", () => {
  it.each([
    {
      name: "P7 25%/25% 8+5 (max 13) scale 10→15: old 8→12, new 5→7",
      replicas: 15, surge: "25%" as string | number, unav: "25%" as string | number,
      old: [rs("old1", 8, 8, { maxReplicasAnnotation: 13 })], newRS: rs("new2", 5, 0, { maxReplicasAnnotation: 13 }),
      want: { old1: 12, new2: 7 },
    },
    {
      name: "P7 docs example surge 3 / unavailable 2: 8+5 → 11+7",
      replicas: 15, surge: 3, unav: 2,
      old: [rs("old1", 8, 8, { maxReplicasAnnotation: 13 })], newRS: rs("new2", 5, 0, { maxReplicasAnnotation: 13 }),
      want: { old1: 11, new2: 7 },
    },
    {
      name: "P7 scale down 15→5 from 12+7 (max 19): 4+3",
      replicas: 5, surge: "25%", unav: "25%",
      old: [rs("old1", 12, 12, { maxReplicasAnnotation: 19 })], newRS: rs("new2", 7, 0, { maxReplicasAnnotation: 19 }),
      want: { old1: 4, new2: 3 },
    },
    {
      name: "P7 one active RS takes the whole count",
      replicas: 6, surge: "25%", unav: "25%",
      old: [rs("old1", 0, 0)], newRS: rs("new2", 3, 3, { maxReplicasAnnotation: 4 }),
      want: { new2: 6 },
    },
    {
      name: "P7 scale to 0 removes everything",
      replicas: 0, surge: "25%", unav: "25%",
      old: [rs("old1", 2, 2, { maxReplicasAnnotation: 4 })], newRS: rs("new2", 2, 0, { maxReplicasAnnotation: 4 }),
      want: { old1: 0, new2: 0 },
    },
  ])("$name", ({ replicas, surge, unav, old, newRS, want }) => {
    const plan = planScale({ replicas, maxSurge: surge, maxUnavailable: unav, rolling: true, statusReplicas: 13 }, newRS, old);
    const got: Record<string, number> = {};
    for (const o of plan.ops) got[o.name] = o.to;
    expect(got).toEqual(want);
  });

  it("P7 paused with no new RS: the single active old RS follows replicas", () => {
    const plan = planScale({ replicas: 5, maxSurge: "25%", maxUnavailable: "25%", rolling: true, statusReplicas: 3 }, undefined, [rs("old1", 3)]);
    expect(plan.ops).toEqual([{ name: "old1", from: 3, to: 5 }]);
  });
});

const tpl = (image: string, labels: Record<string, string> = { app: "web" }) => ({ metadata: { labels }, spec: { containers: [{ name: "web", image }] } });
const mkRS = (name: string, created: string, image: string, revision?: number): ReplicaSet => ({
  apiVersion: "apps/v1", kind: "ReplicaSet",
  metadata: { name, namespace: "default", uid: name, resourceVersion: "1", creationTimestamp: created, ...(revision ? { annotations: { "deployment.kubernetes.io/revision": String(revision) } } : {}) },
  spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: tpl(image, { app: "web", "pod-template-hash": name.split("-")[1]! }) },
} as ReplicaSet);
const mkDeploy = (image: string, annotations: Record<string, string> = {}): Deployment => ({
  apiVersion: "apps/v1", kind: "Deployment",
  metadata: { name: "web", namespace: "default", uid: "d", resourceVersion: "1", creationTimestamp: "2025-01-01T00:00:00Z", annotations },
  spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: tpl(image), strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } } },
} as Deployment);

describe("P4/P10 revision selection", () => {
  it("P4 EqualIgnoreHash ignores only pod-template-hash", () => {
    expect(equalIgnoreHash(tpl("nginx:1", { app: "web", "pod-template-hash": "abc" }), tpl("nginx:1"))).toBe(true);
    expect(equalIgnoreHash(tpl("nginx:1"), tpl("nginx:2"))).toBe(false);
  });
  it("P4 the RS whose template matches is the new one (oldest such wins)", () => {
    const a = mkRS("web-1111", "2025-01-01T00:00:00Z", "nginx:1", 1);
    const b = mkRS("web-2222", "2025-01-01T00:01:00Z", "nginx:2", 2);
    const c = mkRS("web-3333", "2025-01-01T00:02:00Z", "nginx:1", 3);
    expect(findNewReplicaSet(mkDeploy("nginx:1"), [c, b, a])?.metadata.name).toBe("web-1111");
    expect(findNewReplicaSet(mkDeploy("nginx:2"), [a, b, c])?.metadata.name).toBe("web-2222");
    expect(findNewReplicaSet(mkDeploy("nginx:3"), [a, b, c])).toBeUndefined();
    expect(maxRevision([a, b, c])).toBe(3);
  });
  it("P4 a new RS gets revision max+1, desired and max replicas, and copies Deployment annotations", () => {
    const r = newReplicaSetAnnotations(mkDeploy("nginx:3", { "kubernetes.io/change-cause": "kubectl set image", "deployment.kubernetes.io/revision": "2" }), undefined, 3, false);
    expect(r.annotations).toEqual({
      "kubernetes.io/change-cause": "kubectl set image", "deployment.kubernetes.io/revision": "3",
      "deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4",
    });
  });
  it("P10 reusing revision 1 as revision 3 records revision-history", () => {
    const r = newReplicaSetAnnotations(mkDeploy("nginx:1"), { "deployment.kubernetes.io/revision": "1" }, 3, true);
    expect(r.annotations["deployment.kubernetes.io/revision"]).toBe("3");
    expect(r.annotations["deployment.kubernetes.io/revision-history"]).toBe("1");
    const r2 = newReplicaSetAnnotations(mkDeploy("nginx:1"), r.annotations, 5, true);
    expect(r2.annotations["deployment.kubernetes.io/revision-history"]).toBe("1,3");
  });
});
