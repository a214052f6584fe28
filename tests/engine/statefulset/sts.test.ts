/**
 * StatefulSet on the whole engine: S1 identity and PVCs, S3 ordered creation, S4 reverse scale-down,
 * S5 Parallel, S6 rolling update with partition, S7 OnDelete, S9 a pod on an unreachable node is not
 * replaced. Plus the Endpoints of its headless Service.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";
import type { Endpoints, PersistentVolumeClaim, Pod, StatefulSet } from "../../../src/api/types.ts";

const sts = (opts: { replicas?: number; policy?: string; strategy?: string; partition?: number; image?: string } = {}) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: ${opts.replicas ?? 2}
${opts.policy ? `  podManagementPolicy: ${opts.policy}\n` : ""}${opts.strategy ? `  updateStrategy:\n    type: ${opts.strategy}\n${opts.partition !== undefined ? `    rollingUpdate:\n      partition: ${opts.partition}\n` : ""}` : ""}  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: ${opts.image ?? "nginx:1.9.1"}
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  ports:
  - port: 80
    name: web
  selector:
    app: nginx
`;

function session(nodes = 1) {
  const s = new Session({ seed: 3 });
  for (let i = 1; i <= nodes; i++) s.exec(`sim node add node${i} --cpu 8 --memory 16Gi`);
  return s;
}
const podsOf = (s: Session) => s.sim.store.list<Pod>("Pod").filter((p) => p.metadata.labels?.app === "nginx").map((p) => p.metadata.name).sort();
const pod = (s: Session, n: string) => s.sim.store.get<Pod>("Pod", "default", n);
const ready = (p: Pod | undefined) => !!p && p.status?.phase === "Running" && !!p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");

describe("StatefulSet", () => {
  it("S1/S3 web-1 is created only after web-0 is Running and Ready; identity and PVCs", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", SVC);
    s.exec("kubectl apply -f - <<EOF", sts());
    expect(podsOf(s)).toEqual(["web-0"]);
    const order: string[] = [];
    for (let i = 0; i < 200 && !ready(pod(s, "web-1")); i++) {
      s.sim.advanceTo(s.sim.clock.peek()!);
      if (pod(s, "web-1") && !order.includes("web-1")) { order.push("web-1"); expect(ready(pod(s, "web-0"))).toBe(true); }
    }
    expect(order).toEqual(["web-1"]);
    const p0 = pod(s, "web-0")!;
    expect(p0.spec.hostname).toBe("web-0");
    expect(p0.spec.subdomain).toBe("nginx");
    expect(p0.metadata.labels).toMatchObject({ "statefulset.kubernetes.io/pod-name": "web-0", "apps.kubernetes.io/pod-index": "0" });
    expect(p0.metadata.labels?.["controller-revision-hash"]).toMatch(/^[4-9bcdf]{1,10}$/);
    expect(p0.spec.volumes?.find((v) => v.name === "www")?.persistentVolumeClaim?.claimName).toBe("www-web-0");
    const pvcs = s.sim.store.list<PersistentVolumeClaim>("PersistentVolumeClaim");
    expect(pvcs.map((c) => [c.metadata.name, c.status?.phase])).toEqual([["www-web-0", "Bound"], ["www-web-1", "Bound"]]);
    const set = s.sim.store.get<StatefulSet>("StatefulSet", "default", "web")!;
    expect(set.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 2 });
    expect(set.status?.currentRevision).toBe(set.status?.updateRevision);
    // Endpoints of the headless service: both pods, with hostnames
    const ep = s.sim.store.get<Endpoints>("Endpoints", "default", "nginx")!;
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.hostname).sort()).toEqual(["web-0", "web-1"]);
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: "web", port: 80, protocol: "TCP" }]);
  });

  it("S1 a deleted pod comes back with the same name and the same PVC", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", sts());
    s.exec("sim advance 30s");
    const uid = pod(s, "web-0")!.metadata.uid;
    const claim = s.sim.store.get("PersistentVolumeClaim", "default", "www-web-0")!.metadata.uid;
    s.exec("kubectl delete pod web-0");
    s.exec("sim advance 40s");
    expect(pod(s, "web-0")!.metadata.uid).not.toBe(uid);
    expect(ready(pod(s, "web-0"))).toBe(true);
    expect(s.sim.store.get("PersistentVolumeClaim", "default", "www-web-0")!.metadata.uid).toBe(claim);
  });

  it("S4 scale down removes the highest ordinal first, one at a time; PVCs are kept and reused", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 3 }));
    s.exec("sim advance 60s");
    expect(podsOf(s)).toEqual(["web-0", "web-1", "web-2"]);
    // Watch the API: each condemned pod must be fully gone before the next one starts terminating.
    const log: string[] = [];
    s.sim.store.watch((ev) => {
      if (ev.kind !== "Pod") return;
      if (ev.type === "MODIFIED" && ev.object.metadata.deletionTimestamp && !ev.old?.metadata.deletionTimestamp) log.push(`terminating ${ev.object.metadata.name}`);
      if (ev.type === "DELETED") log.push(`gone ${ev.object.metadata.name}`);
    });
    s.exec("kubectl scale sts web --replicas=1");
    s.exec("sim advance 2m");
    expect(podsOf(s)).toEqual(["web-0"]);
    expect(log).toEqual(["terminating web-2", "gone web-2", "terminating web-1", "gone web-1"]);
    expect(s.sim.store.list("PersistentVolumeClaim").map((c) => c.metadata.name)).toEqual(["www-web-0", "www-web-1", "www-web-2"]);
    const claim1 = s.sim.store.get("PersistentVolumeClaim", "default", "www-web-1")!.metadata.uid;
    s.exec("kubectl scale sts web --replicas=2");
    s.exec("sim advance 30s");
    expect(s.sim.store.get("PersistentVolumeClaim", "default", "www-web-1")!.metadata.uid).toBe(claim1);
  });

  it("S5 Parallel creates all pods at once", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 3, policy: "Parallel" }));
    expect(podsOf(s)).toEqual(["web-0", "web-1", "web-2"]);
  });

  it("S6 rolling update with partition 1 updates only web-1 (highest first) and keeps web-0", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 2, strategy: "RollingUpdate", partition: 1 }));
    s.exec("sim advance 30s");
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 2, strategy: "RollingUpdate", partition: 1, image: "nginx:1.10" }));
    s.exec("sim advance 60s");
    expect(pod(s, "web-0")!.spec.containers[0]!.image).toBe("nginx:1.9.1");
    expect(pod(s, "web-1")!.spec.containers[0]!.image).toBe("nginx:1.10");
    const st = s.sim.store.get<StatefulSet>("StatefulSet", "default", "web")!.status!;
    expect(st.currentRevision).not.toBe(st.updateRevision);
    expect(st).toMatchObject({ updatedReplicas: 1, currentReplicas: 1 });
    // S6: web-0 deleted below the partition comes back at the current (old) revision
    s.exec("kubectl delete pod web-0");
    s.exec("sim advance 60s");
    expect(pod(s, "web-0")!.spec.containers[0]!.image).toBe("nginx:1.9.1");
    expect(s.exec("kubectl rollout status sts/web").out).toBe("partitioned roll out complete: 1 new pods have been updated...\n");
  });

  it("S7 OnDelete: a template change touches nothing until a pod is deleted", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 2, strategy: "OnDelete" }));
    s.exec("sim advance 30s");
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 2, strategy: "OnDelete", image: "nginx:1.10" }));
    s.exec("sim advance 60s");
    expect([pod(s, "web-0")!, pod(s, "web-1")!].map((p) => p.spec.containers[0]!.image)).toEqual(["nginx:1.9.1", "nginx:1.9.1"]);
    s.exec("kubectl delete pod web-1");
    s.exec("sim advance 60s");
    expect(pod(s, "web-1")!.spec.containers[0]!.image).toBe("nginx:1.10");
  });

  it("S9 a pod on an unreachable node stays Terminating and is not replaced", () => {
    const s = session(2);
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 2 }));
    s.exec("sim advance 30s");
    const node = pod(s, "web-0")!.spec.nodeName!;
    s.exec(`sim node stop ${node}`);
    s.exec("sim advance 10m");
    const p = pod(s, "web-0");
    expect(p?.metadata.deletionTimestamp).toBeDefined();
    expect(p?.spec.nodeName).toBe(node);
    expect(s.sim.store.list<Pod>("Pod").filter((x) => x.metadata.name === "web-0")).toHaveLength(1);
  });

  it("bad input: template labels must match the selector", () => {
    const s = session();
    const r = s.exec("kubectl apply -f - <<EOF", sts().replace("      labels:\n        app: nginx", "      labels:\n        app: other"));
    expect(r.err).toBe('The StatefulSet "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n');
  });

  it("S1 `hostname -f` in a container prints <pod>.<serviceName>.<ns>.svc.cluster.local", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", SVC);
    const y = sts({ replicas: 1, image: "busybox" }).replace("        ports:", '        command: ["sh", "-c", "hostname; hostname -f; sleep 3600"]\n        ports:');
    s.exec("kubectl apply -f - <<EOF", y);
    s.exec("sim advance 10s");
    expect(s.exec("kubectl logs web-0").out).toBe("web-0\nweb-0.nginx.default.svc.cluster.local\n");
  });

  it("S1 default retention (Retain/Retain): deleting the set keeps every claim", () => {
    const s = session();
    s.exec("kubectl apply -f - <<EOF", sts({ replicas: 2 }));
    s.exec("sim advance 30s");
    s.exec("kubectl delete sts web");
    s.exec("sim advance 1m");
    expect(podsOf(s)).toEqual([]);
    expect(s.sim.store.list("PersistentVolumeClaim").map((c) => c.metadata.name)).toEqual(["www-web-0", "www-web-1"]);
  });

  it("S1 persistentVolumeClaimRetentionPolicy Delete/Delete: claims go with scaled-down pods and with the set", () => {
    const s = session();
    const y = sts({ replicas: 3 }).replace("  selector:", "  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n    whenScaled: Delete\n  selector:");
    s.exec("kubectl apply -f - <<EOF", y);
    s.exec("sim advance 30s");
    s.exec("kubectl scale sts web --replicas=1");
    s.exec("sim advance 1m");
    expect(s.sim.store.list("PersistentVolumeClaim").map((c) => c.metadata.name)).toEqual(["www-web-0"]);
    s.exec("kubectl delete sts web");
    s.exec("sim advance 1m");
    expect(s.sim.store.list("PersistentVolumeClaim")).toEqual([]);
  });
});
