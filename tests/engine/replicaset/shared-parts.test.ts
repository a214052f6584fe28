/**
 * Pods created from one template share deep-frozen spec parts (issue #7): Pod defaulting of a frozen part
 * must give exactly what defaulting a private copy gives (same JSON, same key order), the parts must really
 * be shared and frozen, and the store must keep frozen parts while copying the rest.
 */
import { describe, expect, it } from "vitest";
import "../../../src/api/admission/index.ts";
import { addDefaultTolerations, defaultPodSpec } from "../../../src/api/admission/core.ts";
import { clone, cloneShared, deepFreeze, frozenCopy } from "../../../src/api/store.ts";
import { createSimulation } from "../../../src/simulation.ts";
import type { Pod } from "../../../src/api/types.ts";
import { rsManifest, nodeManifest } from "./builders.ts";

/** Pod admission's CREATE defaulting of a spec, as the store runs it. */
function defaulted(spec: any): string {
  defaultPodSpec(spec);
  spec.priority ??= 0;
  addDefaultTolerations(spec);
  return JSON.stringify(spec);
}

const specs: Array<[string, any]> = [
  ["one container, nothing set", { containers: [{ name: "c", image: "nginx" }] }],
  ["limits only: requests copied from limits", { containers: [{ name: "c", image: "nginx:latest", resources: { limits: { cpu: "1", memory: "1Gi" } } }] }],
  ["probes, ports, env fieldRef", { containers: [{ name: "c", image: "x@sha256:abc", ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } }, readinessProbe: { exec: { command: ["true"] } }, env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }] }],
  ["init containers and volumes (configMap, secret, emptyDir null)", { initContainers: [{ name: "i", image: "busybox" }], containers: [{ name: "c", image: "nginx" }], volumes: [{ name: "a", configMap: { name: "cm" } }, { name: "b", secret: { secretName: "s" } }, { name: "e", emptyDir: null }] }],
  ["tolerations: null", { containers: [{ name: "c", image: "nginx" }], tolerations: null }],
  ["tolerations: a custom one (N6 defaults appended)", { containers: [{ name: "c", image: "nginx" }], tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }] }],
  ["tolerations: already tolerating not-ready (N6 adds unreachable only)", { containers: [{ name: "c", image: "nginx" }], tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" }] }],
];

describe("N6/defaulting of frozen (shared) template parts", () => {
  it.each(specs)("%s: same result as defaulting a private copy", (_name, spec) => {
    const want = defaulted(clone(spec));
    // The spec object is the pod's own (a shallow copy); its parts are frozen and shared.
    const shared = { ...frozenCopy(spec) };
    expect(defaulted(shared)).toBe(want);
    // Again with the same frozen parts (cached defaulted copies) and with already-defaulted frozen parts.
    expect(defaulted({ ...frozenCopy(spec) })).toBe(want);
    const again = { ...deepFreeze(JSON.parse(want)) };
    expect(defaulted(again)).toBe(want);
  });
});

describe("cloneShared", () => {
  it("keeps frozen parts, copies the rest, drops undefined values", () => {
    const frozen = deepFreeze({ a: [1, 2] });
    const src = { f: frozen, o: { x: 1, u: undefined }, arr: [{ y: 2 }] };
    const c = cloneShared(src);
    expect(c.f).toBe(frozen);
    expect(c.o).not.toBe(src.o);
    expect(c.o).toEqual({ x: 1 });
    expect("u" in c.o).toBe(false);
    expect(c.arr[0]).not.toBe(src.arr[0]);
  });
});

describe("R1/X2 pods of one ReplicaSet share deep-frozen parts", () => {
  it("containers, tolerations, labels and the owner reference are one frozen object each; the spec is per pod", () => {
    const sim = createSimulation({ seed: 3 });
    sim.act(() => sim.store.create(nodeManifest("n1", {}, sim.now)));
    sim.act(() => sim.store.create(rsManifest("web", 3)));
    const pods = sim.store.list<Pod>("Pod").filter((p) => p.metadata.ownerReferences?.[0]?.name === "web");
    expect(pods).toHaveLength(3);
    const [a, b] = pods as [Pod, Pod];
    expect(a.spec).not.toBe(b.spec);
    expect(a.spec.containers).toBe(b.spec.containers);
    expect(a.spec.tolerations).toBe(b.spec.tolerations);
    expect(a.metadata.labels).toBe(b.metadata.labels);
    expect(a.metadata.ownerReferences).toBe(b.metadata.ownerReferences);
    expect(Object.isFrozen(a.spec.containers[0])).toBe(true);
    expect(() => { (a.spec.containers[0] as { image: string }).image = "x"; }).toThrow(TypeError);
    expect(b.spec.containers[0]!.image).not.toBe("x");
  });
});
