/**
 * The store's indexes (ownedBy, podsOnNode, list with a label selector) against a plain scan: random creates,
 * label/owner changes, binds, status writes and deletes of pods; after each step every index answers the
 * matching pods in last-write order (resourceVersion order) — what a Set with delete + add per write gave.
 * Labels and owner lists are sometimes shared frozen objects (a template's pods), sometimes each pod's own.
 * The indexes are read now and then (several writes in between, as controllers do), or after every step.
 * getByUid finds every stored pod and none that is gone (its pod map is made at the first look-up, in the
 * middle of some runs, and kept up to date from then on).
 */
import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import { deepFreeze } from "../../../src/api/store.ts";
import { fromLabelSelector } from "../../../src/api/labels.ts";
import { Rng } from "../../../src/clock/rng.ts";
import type { KubeObject, Pod } from "../../../src/api/types.ts";

const OWNERS = ["o1", "o2", "o3"];
const NODES = ["n1", "n2", "n3"];
const ref = (uid: string) => ({ apiVersion: "apps/v1", kind: "ReplicaSet", name: `rs-${uid}`, uid, controller: true });
const SHARED_REFS = OWNERS.map((u) => deepFreeze([ref(u)]));
const SHARED_LABELS = [deepFreeze({ app: "a" }), deepFreeze({ app: "b", tier: "x" }), deepFreeze({ tier: "x" })];

function labelsFor(r: Rng): Record<string, string> | undefined {
  const k = r.int(5);
  if (k < 3) return SHARED_LABELS[k];
  return k === 3 ? { app: r.int(2) ? "a" : "b" } : undefined;
}

function refsFor(r: Rng): unknown[] | undefined {
  const k = r.int(6);
  if (k < 3) return SHARED_REFS[k];
  if (k === 3) return [ref(OWNERS[r.int(3)]!), ref(OWNERS[r.int(3)]!)];
  return k === 4 ? [] : undefined;
}

const byRv = (a: KubeObject, b: KubeObject) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion);
const names = (l: KubeObject[]) => l.map((o) => o.metadata.name);

describe("store indexes answer in last-write order", () => {
  it.each([1, 2, 3, 4, 5, 6])("random pod writes, seed %i", (seed) => {
    const r = new Rng(seed);
    const sim = createSimulation({ seed, controllers: [] });
    const store = sim.store;
    let n = 0;
    const gone: string[] = [];
    const uidsFrom = seed <= 2 ? 0 : 150; // when getByUid is first asked
    const readEvery = seed % 2 ? 1 : 9;
    for (let step = 0; step < 400; step++) {
      const pods = store.list<Pod>("Pod");
      const pod = pods.length ? pods[r.int(pods.length)]! : undefined;
      const op = pod ? r.int(8) : 0;
      if (op === 0) {
        const md: Record<string, unknown> = { name: `p${n++}`, namespace: "default" };
        const labels = labelsFor(r), refs = refsFor(r);
        if (labels) md.labels = labels;
        if (refs) md.ownerReferences = refs;
        store.create({ apiVersion: "v1", kind: "Pod", metadata: md as never, spec: { containers: [{ name: "c", image: "nginx" }] } });
      } else if (op === 1) {
        store.update({ ...pod!, metadata: { ...pod!.metadata, labels: labelsFor(r) } }, { skipAdmission: true });
      } else if (op === 2) {
        store.update({ ...pod!, metadata: { ...pod!.metadata, ownerReferences: refsFor(r) as never } }, { skipAdmission: true });
      } else if (op === 3 && !pod!.spec.nodeName) {
        store.update({ ...pod!, spec: { ...pod!.spec, nodeName: NODES[r.int(3)] } }, { skipAdmission: true });
      } else if (op === 4) {
        const res = store.delete("Pod", "default", pod!.metadata.name, { gracePeriodSeconds: r.int(2) ? 0 : 30 });
        if (!store.get("Pod", "default", pod!.metadata.name)) gone.push(res!.metadata.uid);
      } else {
        store.updateStatus(pod!, { ...pod!.status, phase: r.int(2) ? "Running" : "Pending" });
      }
      if (r.int(readEvery) !== 0 && step !== 399) continue;
      const all = store.list<Pod>("Pod").sort(byRv);
      if (step >= uidsFrom) {
        for (const p of all) expect(store.getByUid(p.metadata.uid)).toBe(p);
        for (const u of gone) expect(store.getByUid(u)).toBeUndefined();
      }
      for (const u of OWNERS) {
        expect(names(store.ownedBy(u))).toEqual(names(all.filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === u))));
      }
      for (const node of NODES) expect(names(store.podsOnNode(node))).toEqual(names(all.filter((p) => p.spec.nodeName === node)));
      for (const sel of [{ app: "a" }, { app: "b" }, { tier: "x" }, { app: "b", tier: "x" }] as Record<string, string>[]) {
        const want = all.filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
        expect(names(store.list("Pod", { selector: fromLabelSelector({ matchLabels: sel }) }))).toEqual(names(want));
        if (Object.keys(sel).length === 1) {
          const [k, v] = Object.entries(sel)[0]!;
          expect(store.countPodsWithLabel(k, v)).toBe(want.length);
        }
      }
    }
  });
});
