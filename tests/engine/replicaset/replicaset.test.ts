import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import type { Event, Pod, ReplicaSet } from "../../../src/api/types.ts";
import { ApiError } from "../../../src/api/errors.ts";
import { nodeManifest, rsManifest, runAll, finishTerminating } from "./builders.ts";

function setup(nodes = ["n1", "n2", "n3"]) {
  const sim = createSimulation({ seed: 7 });
  sim.act(() => { for (const n of nodes) sim.store.create(nodeManifest(n, {}, sim.now)); });
  return sim;
}
const rsPods = (sim: ReturnType<typeof setup>, name = "web") =>
  sim.store.list<Pod>("Pod").filter((p) => p.metadata.ownerReferences?.[0]?.name === name);
const active = (ps: Pod[]) => ps.filter((p) => !p.metadata.deletionTimestamp);
const events = (sim: ReturnType<typeof setup>, reason: string) =>
  sim.store.list<Event>("Event").filter((e) => e.reason === reason);

describe("ReplicaSet controller", () => {
  it("R1/X2/X7/X8: creates pods named <rs>-xxxxx with a controller ref, events from replicaset-controller", () => {
    const sim = setup();
    sim.act(() => sim.store.create(rsManifest("web", 3)));
    const pods = rsPods(sim);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "ReplicaSet", name: "web", controller: true, blockOwnerDeletion: true })]);
      expect(p.metadata.labels).toEqual({ app: "web" });
    }
    const created = events(sim, "SuccessfulCreate");
    expect(created.map((e) => e.message)).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`));
    expect(created[0]!.source).toEqual({ component: "replicaset-controller" });
    const rs = sim.store.get<ReplicaSet>("ReplicaSet", "default", "web")!;
    expect(rs.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  });

  it("R3: ready and available replicas follow the pods; minReadySeconds requeues when a pod becomes available", () => {
    const sim = setup();
    sim.act(() => sim.store.create(rsManifest("web", 2, { minReadySeconds: 10 })));
    sim.advance(1000);
    runAll(sim);
    let rs = sim.store.get<ReplicaSet>("ReplicaSet", "default", "web")!;
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(rs.status?.availableReplicas).toBeUndefined();
    sim.advance(10_000);
    rs = sim.store.get<ReplicaSet>("ReplicaSet", "default", "web")!;
    expect(rs.status?.availableReplicas).toBeUndefined(); // X5: strictly after LTT + minReadySeconds
    sim.advance(1000);
    rs = sim.store.get<ReplicaSet>("ReplicaSet", "default", "web")!;
    expect(rs.status?.availableReplicas).toBe(2);
  });

  it("R1/R2/X4: scale 3 → 5 → 1 on 3 nodes; a deleted pod is replaced while still Terminating", () => {
    const sim = setup();
    sim.act(() => sim.store.create(rsManifest("web", 3)));
    runAll(sim);
    sim.advance(5000);
    sim.act(() => sim.store.mutate<ReplicaSet>("ReplicaSet", "default", "web", (r) => { r.spec.replicas = 5; }));
    expect(active(rsPods(sim))).toHaveLength(5);
    // The two newest pods are Pending/unready: a scale-down removes them first (R2.1–R2.3), then by age.
    const newest = rsPods(sim).slice(3).map((p) => p.metadata.name).sort();
    sim.act(() => sim.store.mutate<ReplicaSet>("ReplicaSet", "default", "web", (r) => { r.spec.replicas = 3; }));
    const deleted = events(sim, "SuccessfulDelete").map((e) => e.message!.replace("Deleted pod: ", "")).sort();
    expect(deleted).toEqual(newest);
    finishTerminating(sim);
    runAll(sim);
    sim.act(() => sim.store.mutate<ReplicaSet>("ReplicaSet", "default", "web", (r) => { r.spec.replicas = 1; }));
    expect(active(rsPods(sim))).toHaveLength(1);
    // X4: delete the survivor → immediately replaced, the old one stays Terminating (grace 30s)
    const [survivor] = active(rsPods(sim));
    sim.act(() => sim.store.delete("Pod", "default", survivor!.metadata.name));
    const after = rsPods(sim);
    expect(after.find((p) => p.metadata.name === survivor!.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
    expect(active(after)).toHaveLength(1);
    expect(sim.store.get<ReplicaSet>("ReplicaSet", "default", "web")!.status?.replicas).toBe(1);
  });

  it("R3: readiness updates of a large ReplicaSet are coalesced to the next whole second; small ones are immediate", () => {
    const sim = setup();
    sim.act(() => sim.store.create(rsManifest("big", 150)));
    sim.advance(500);
    runAll(sim);
    expect(sim.store.get<ReplicaSet>("ReplicaSet", "default", "big")!.status?.readyReplicas).toBeUndefined();
    sim.advance(499);
    expect(sim.store.get<ReplicaSet>("ReplicaSet", "default", "big")!.status?.readyReplicas).toBeUndefined();
    sim.advance(1);
    expect(sim.store.get<ReplicaSet>("ReplicaSet", "default", "big")!.status?.readyReplicas).toBe(150);
  });

  it("R4/X7: adopts a matching orphan; releases a relabelled pod and replaces it", () => {
    const sim = setup();
    sim.act(() => sim.store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", namespace: "default", labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } as never));
    sim.act(() => sim.store.create(rsManifest("web", 2)));
    expect(rsPods(sim).map((p) => p.metadata.name)).toContain("stray");
    expect(rsPods(sim)).toHaveLength(2);
    sim.act(() => sim.store.mutate<Pod>("Pod", "default", "stray", (p) => { p.metadata.labels = { app: "other" }; }));
    const stray = sim.store.get<Pod>("Pod", "default", "stray")!;
    expect(stray.metadata.ownerReferences).toBeUndefined();
    expect(rsPods(sim)).toHaveLength(2);
    expect(rsPods(sim).map((p) => p.metadata.name)).not.toContain("stray");
  });

  it("R5: FailedCreate event and ReplicaFailure condition when pods cannot be created", () => {
    const sim = setup();
    sim.act(() => sim.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "tmp" } } as never));
    const m = rsManifest("web", 0);
    m.metadata.namespace = "tmp";
    sim.act(() => sim.store.create(m));
    // The namespace disappears under the RS: every pod create fails; slow start stops after the first batch.
    sim.act(() => { sim.store.delete("Namespace", undefined, "tmp"); });
    sim.act(() => sim.store.mutate<ReplicaSet>("ReplicaSet", "tmp", "web", (r) => { r.spec.replicas = 4; }));
    const failed = sim.store.list<Event>("Event").filter((e) => e.reason === "FailedCreate");
    expect(failed.map((e) => [e.type, e.message])).toEqual([["Warning", 'Error creating: namespaces "tmp" not found']]);
    // retried with exponential backoff (5ms·2^n): the event's count grows, slowly
    const c0 = failed[0]!.count!;
    sim.advance(10_000);
    const c1 = sim.store.list<Event>("Event").find((e) => e.reason === "FailedCreate")!.count!;
    expect(c1).toBeGreaterThan(c0);
    expect(c1).toBeLessThan(c0 + 15);
    const rs = sim.store.get<ReplicaSet>("ReplicaSet", "tmp", "web")!;
    expect(rs.status?.conditions).toEqual([expect.objectContaining({ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: 'namespaces "tmp" not found' })]);
  });
});

describe("R5 ReplicaSet admission", () => {
  const sim = createSimulation({ seed: 1 });
  const tryCreate = (m: unknown) => {
    try { sim.store.create(m as never); return "ok"; } catch (e) { return (e as Error).message; }
  };
  it("defaults replicas to 1 and the template's pod spec", () => {
    const m = rsManifest("d", 1);
    delete (m.spec as any).replicas;
    sim.store.create(m);
    const rs = sim.store.get<ReplicaSet>("ReplicaSet", "default", "d")!;
    expect(rs.spec.replicas).toBe(1);
    expect(rs.spec.template!.spec!.restartPolicy).toBe("Always");
    expect(rs.spec.template!.spec!.terminationGracePeriodSeconds).toBe(30);
  });
  it.each([
    ["selector does not match labels", (m: any) => { m.spec.selector = { matchLabels: { app: "y" } }; m.spec.template.metadata.labels = { app: "x" }; },
      'ReplicaSet "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    ["missing selector", (m: any) => { delete m.spec.selector; m.spec.template.metadata.labels = { app: "x" }; },
      'ReplicaSet "bad" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`]'],
    ["restartPolicy Never", (m: any) => { m.spec.template.spec.restartPolicy = "Never"; },
      'ReplicaSet "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ["negative replicas", (m: any) => { m.spec.replicas = -1; },
      'ReplicaSet "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
  ])("%s", (_n, edit, want) => {
    const m = rsManifest("bad", 1);
    edit(m);
    expect(tryCreate(m)).toBe(want);
  });
  it("apps/v1 selector is immutable", () => {
    sim.store.create(rsManifest("imm", 0));
    const cur = structuredClone(sim.store.get<ReplicaSet>("ReplicaSet", "default", "imm")!);
    cur.spec.selector = { matchLabels: { app: "imm", tier: "x" } };
    cur.spec.template!.metadata!.labels = { app: "imm", tier: "x" };
    expect(() => sim.store.update(cur)).toThrow(
      'ReplicaSet "imm" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"imm", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');
  });
});
