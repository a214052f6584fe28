import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import type { KubeObject, OwnerReference, Pod, ReplicaSet } from "../../../src/api/types.ts";
import { classifyReferences, planDependent } from "../../../src/controllers/garbagecollector/classify.ts";
import { nodeManifest, rsManifest, runAll, finishTerminating } from "../replicaset/builders.ts";

function setup() {
  const sim = createSimulation({ seed: 3 });
  sim.act(() => { for (const n of ["n1", "n2"]) sim.store.create(nodeManifest(n, {}, sim.now)); });
  return sim;
}
const podsOf = (sim: ReturnType<typeof setup>) => sim.store.list<Pod>("Pod");
const ref = (o: KubeObject, block = true): OwnerReference => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: false, blockOwnerDeletion: block });
const cm = (sim: ReturnType<typeof setup>, name: string, owners: OwnerReference[] = []) =>
  sim.act(() => sim.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", ...(owners.length ? { ownerReferences: owners } : {}) } } as never));

describe("G1/G2 classifyReferences + planDependent (pure)", () => {
  const owner = (name: string, extra: Partial<KubeObject["metadata"]> = {}): KubeObject =>
    ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", uid: `u-${name}`, resourceVersion: "1", creationTimestamp: "", ...extra } });
  const live = owner("live");
  const fg = owner("fg", { deletionTimestamp: "2025-01-01T00:00:00Z", finalizers: ["foregroundDeletion"] });
  const orphaning = owner("orph", { deletionTimestamp: "2025-01-01T00:00:00Z", finalizers: ["orphan"] });
  const lookup = (uid: string) => [live, fg, orphaning].find((o) => o.metadata.uid === uid);
  const r = (name: string): OwnerReference => ({ apiVersion: "v1", kind: "ConfigMap", name, uid: `u-${name}` });
  const item = (refs: OwnerReference[], finalizers?: string[]): KubeObject =>
    ({ apiVersion: "v1", kind: "Pod", metadata: { name: "x", namespace: "default", uid: "ux", resourceVersion: "1", creationTimestamp: "", ownerReferences: refs, ...(finalizers ? { finalizers } : {}) } });
  it.each([
    { name: "G2 live owner only → keep", refs: [r("live")], deps: false, want: { type: "none" } },
    { name: "G2 live + gone owner → drop the dangling ref", refs: [r("live"), r("gone")], deps: false, want: { type: "removeRefs", uids: ["u-gone"] } },
    { name: "G2 live + foreground owner → drop the waiting ref", refs: [r("live"), r("fg")], deps: false, want: { type: "removeRefs", uids: ["u-fg"] } },
    { name: "G1 all owners gone → background delete", refs: [r("gone"), r("gone2")], deps: false, want: { type: "delete", policy: "Background" } },
    { name: "G1 waiting owner, item owns things → foreground delete", refs: [r("fg")], deps: true, want: { type: "delete", policy: "Foreground" } },
    { name: "G1 waiting owner, leaf item → background delete", refs: [r("fg")], deps: false, want: { type: "delete", policy: "Background" } },
    { name: "G1 owner being orphan-deleted is still solid", refs: [r("orph")], deps: false, want: { type: "none" } },
  ])("$name", ({ refs, deps, want }) => {
    const it = item(refs);
    expect(planDependent(it, classifyReferences(refs, lookup), deps)).toEqual(want);
  });
  it("G1 an orphan finalizer on the garbage item is honoured", () => {
    const it = item([r("gone")], ["orphan"]);
    expect(planDependent(it, classifyReferences(it.metadata.ownerReferences!, lookup), true)).toEqual({ type: "delete", policy: "Orphan" });
  });
});

describe("garbage collector", () => {
  it("G1 background: deleting the RS deletes its pods (graceful: Terminating on their nodes)", () => {
    const sim = setup();
    sim.act(() => sim.store.create(rsManifest("web", 3)));
    runAll(sim);
    sim.act(() => sim.store.delete("ReplicaSet", "default", "web"));
    expect(sim.store.get("ReplicaSet", "default", "web")).toBeUndefined();
    expect(podsOf(sim)).toHaveLength(3);
    expect(podsOf(sim).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    finishTerminating(sim);
    expect(podsOf(sim)).toHaveLength(0);
  });

  it("G1 foreground: the RS stays (foregroundDeletion) until its pods are gone", () => {
    const sim = setup();
    sim.act(() => sim.store.create(rsManifest("web", 2)));
    runAll(sim);
    sim.act(() => sim.store.delete("ReplicaSet", "default", "web", { propagationPolicy: "Foreground" }));
    const rs = sim.store.get<ReplicaSet>("ReplicaSet", "default", "web")!;
    expect(rs.metadata.deletionTimestamp).toBeDefined();
    expect(rs.metadata.finalizers).toEqual(["foregroundDeletion"]);
    expect(podsOf(sim)).toHaveLength(2); // no replacements while the RS is being deleted
    expect(podsOf(sim).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    finishTerminating(sim);
    expect(sim.store.get("ReplicaSet", "default", "web")).toBeUndefined();
  });

  it("G1 orphan: ownerReferences are stripped, the pods stay, a new RS adopts them (G4)", () => {
    const sim = setup();
    sim.act(() => sim.store.create(rsManifest("web", 2)));
    runAll(sim);
    const names = podsOf(sim).map((p) => p.metadata.name);
    sim.act(() => sim.store.delete("ReplicaSet", "default", "web", { propagationPolicy: "Orphan" }));
    expect(sim.store.get("ReplicaSet", "default", "web")).toBeUndefined();
    expect(podsOf(sim).map((p) => [p.metadata.name, p.metadata.ownerReferences, p.metadata.deletionTimestamp])).toEqual(names.map((n) => [n, undefined, undefined]));
    sim.act(() => sim.store.create(rsManifest("web", 2)));
    const rs = sim.store.get<ReplicaSet>("ReplicaSet", "default", "web")!;
    expect(podsOf(sim).map((p) => p.metadata.ownerReferences?.[0]?.uid)).toEqual([rs.metadata.uid, rs.metadata.uid]);
    expect(podsOf(sim)).toHaveLength(2);
  });

  it("G2 multiple owners: deleted only when all owners are gone; dangling refs removed", () => {
    const sim = setup();
    const a = cm(sim, "a"), b = cm(sim, "b");
    cm(sim, "dep", [ref(a), ref(b)]);
    sim.act(() => sim.store.delete("ConfigMap", "default", "a"));
    const dep = sim.store.get("ConfigMap", "default", "dep")!;
    expect(dep.metadata.ownerReferences!.map((r) => r.name)).toEqual(["b"]);
    sim.act(() => sim.store.delete("ConfigMap", "default", "b"));
    expect(sim.store.get("ConfigMap", "default", "dep")).toBeUndefined();
  });

  it("G1 foreground cascades through a chain; non-blocking dependents go after the owner", () => {
    const sim = setup();
    const top = cm(sim, "top");
    sim.act(() => sim.store.create({ ...rsManifest("mid", 2), metadata: { name: "mid", namespace: "default", ownerReferences: [ref(top)] } } as never));
    cm(sim, "loose", [ref(top, false)]);
    runAll(sim);
    sim.act(() => sim.store.delete("ConfigMap", "default", "top", { propagationPolicy: "Foreground" }));
    expect(sim.store.get("ConfigMap", "default", "top")?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    expect(sim.store.get("ReplicaSet", "default", "mid")?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    expect(podsOf(sim).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    finishTerminating(sim);
    expect(sim.store.get("ReplicaSet", "default", "mid")).toBeUndefined();
    expect(sim.store.get("ConfigMap", "default", "top")).toBeUndefined();
    expect(sim.store.get("ConfigMap", "default", "loose")).toBeUndefined();
  });

  it("G1 an object created with an owner that does not exist is collected", () => {
    const sim = setup();
    cm(sim, "dep", [{ apiVersion: "v1", kind: "ConfigMap", name: "ghost", uid: "no-such-uid" }]);
    expect(sim.store.get("ConfigMap", "default", "dep")).toBeUndefined();
  });
});
