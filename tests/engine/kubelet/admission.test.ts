import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import { defaultPullPolicy } from "../../../src/api/admission/core.ts";
import { qosClass } from "../../../src/scheduler/resources.ts";
import type { KubeObject } from "../../../src/api/types.ts";

const mk = (kind: string, name: string, rest: Record<string, unknown>): KubeObject => ({ apiVersion: "v1", kind, metadata: { name, namespace: "default" } as never, ...rest });

describe("core admission", () => {
  it.each([
    ["busybox", "Always"], ["busybox:latest", "Always"], ["busybox:1.36", "IfNotPresent"], ["localhost:5000/app", "Always"],
    ["localhost:5000/app:v1", "IfNotPresent"], ["nginx@sha256:abc", "IfNotPresent"],
  ])("imagePullPolicy default for %s is %s", (image, want) => expect(defaultPullPolicy(image)).toBe(want));

  it.each([
    { name: "no resources", c: [{}], want: "BestEffort" },
    { name: "requests only", c: [{ resources: { requests: { cpu: "100m" } } }], want: "Burstable" },
    { name: "limits = requests for cpu and memory", c: [{ resources: { limits: { cpu: "1", memory: "1Gi" } } }], want: "Guaranteed" },
    { name: "limits without memory", c: [{ resources: { limits: { cpu: "1" } } }], want: "Burstable" },
  ])("QoS class: $name → $want", ({ c, want }) => expect(qosClass({ spec: { containers: c } })).toBe(want));

  it("N6 keeps an existing toleration that already covers not-ready/unreachable (empty key, Exists)", () => {
    const sim = createSimulation({ seed: 1 });
    const p = sim.store.create(mk("Pod", "p", { spec: { containers: [{ name: "c", image: "x" }], tolerations: [{ operator: "Exists" }] } }));
    expect(p.spec.tolerations).toEqual([{ operator: "Exists" }]);
  });

  it("Service: ClusterIP from 10.96.0.0/12, headless keeps None, ports need targetPort/protocol defaults", () => {
    const sim = createSimulation({ seed: 1 });
    const s = sim.store.create(mk("Service", "web", { spec: { selector: { app: "web" }, ports: [{ port: 80 }] } }));
    expect(s.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(s.spec).toMatchObject({ type: "ClusterIP", sessionAffinity: "None", clusterIPs: [s.spec.clusterIP], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", internalTrafficPolicy: "Cluster" });
    expect(s.spec.ports[0]).toEqual({ port: 80, protocol: "TCP", targetPort: 80 });
    const h = sim.store.create(mk("Service", "db", { spec: { clusterIP: "None", selector: { app: "db" } } }));
    expect(h.spec.clusterIP).toBe("None");
    const np = sim.store.create(mk("Service", "np", { spec: { type: "NodePort", ports: [{ port: 80 }] } }));
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
  });

  it("Service validation texts", () => {
    const sim = createSimulation({ seed: 1 });
    expect(() => sim.store.create(mk("Service", "x", { spec: { selector: { a: "b" } } }))).toThrow('Service "x" is invalid: spec.ports: Required value');
    expect(() => sim.store.create(mk("Service", "y", { spec: { ports: [{ port: 80 }, { port: 81 }] } })))
      .toThrow('Service "y" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]');
  });

  it("Secret stringData is merged into base64 data; Namespace gets its name label", () => {
    const sim = createSimulation({ seed: 1 });
    const s = sim.store.create(mk("Secret", "s", { stringData: { user: "admin" } }));
    expect(s.data).toEqual({ user: "YWRtaW4=" });
    expect(s.type).toBe("Opaque");
    expect(s.stringData).toBeUndefined();
    const ns = sim.store.create<KubeObject>({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } as never });
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "team-a" });
    expect(ns.status).toEqual({ phase: "Active" });
  });

  it("PVC: default StorageClass, then Bound to pvc-<uid> with the requested capacity", () => {
    const sim = createSimulation({ seed: 1 });
    sim.act(() => sim.store.create(mk("PersistentVolumeClaim", "data", { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } })));
    const pvc = sim.store.get("PersistentVolumeClaim", "default", "data")!;
    expect(pvc.spec).toMatchObject({ storageClassName: "standard", volumeMode: "Filesystem", volumeName: `pvc-${pvc.metadata.uid}` });
    expect(pvc.status).toEqual({ accessModes: ["ReadWriteOnce"], capacity: { storage: "1Gi" }, phase: "Bound" });
    expect(() => sim.store.create(mk("PersistentVolumeClaim", "bad", { spec: { resources: { requests: { storage: "1Gi" } } } })))
      .toThrow('PersistentVolumeClaim "bad" is invalid: spec.accessModes: Required value: at least 1 access mode is required');
  });
});
