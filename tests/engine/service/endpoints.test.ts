import { describe, expect, it } from "vitest";
import type { Pod, Service } from "../../../src/api/types.ts";
import { endpointSubsets } from "../../../src/controllers/endpoints/controller.ts";
import { Session } from "../../../src/scenario/session.ts";

const svc = (spec: Partial<Service["spec"]>): Service => ({
  apiVersion: "v1", kind: "Service",
  metadata: { name: "nginx", namespace: "default", uid: "s", resourceVersion: "1", creationTimestamp: "2025-01-01T00:00:00Z" },
  spec: { selector: { app: "nginx" }, ports: [{ name: "web", port: 80, targetPort: 80, protocol: "TCP" }], ...spec },
} as Service);

const pod = (name: string, ip: string | undefined, ready: boolean, extra: Partial<Pod["spec"]> = {}, phase = "Running", deleting = false): Pod => ({
  apiVersion: "v1", kind: "Pod",
  metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: "1", creationTimestamp: "2025-01-01T00:00:00Z", labels: { app: "nginx" }, ...(deleting ? { deletionTimestamp: "2025-01-01T00:01:00Z" } : {}) },
  spec: { nodeName: "n1", containers: [{ name: "c", image: "nginx", ports: [{ name: "http", containerPort: 8080 }] }], ...extra },
  status: { phase, ...(ip ? { podIP: ip } : {}), conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
} as Pod);

const ref = (n: string) => ({ kind: "Pod", namespace: "default", name: n, uid: `uid-${n}` });

describe("Endpoints (syncService)", () => {
  it.each([
    {
      name: "ready pods under addresses, sorted by IP",
      svc: svc({}), pods: [pod("b", "10.244.0.10", true), pod("a", "10.244.0.9", true)],
      want: [{ addresses: [{ ip: "10.244.0.9", nodeName: "n1", targetRef: ref("a") }, { ip: "10.244.0.10", nodeName: "n1", targetRef: ref("b") }], ports: [{ name: "web", port: 80, protocol: "TCP" }] }],
    },
    {
      name: "not-ready pods under notReadyAddresses",
      svc: svc({}), pods: [pod("a", "10.244.0.9", true), pod("b", "10.244.0.10", false)],
      want: [{ addresses: [{ ip: "10.244.0.9", nodeName: "n1", targetRef: ref("a") }], notReadyAddresses: [{ ip: "10.244.0.10", nodeName: "n1", targetRef: ref("b") }], ports: [{ name: "web", port: 80, protocol: "TCP" }] }],
    },
    {
      name: "pods without an IP, terminal or terminating are left out",
      svc: svc({}), pods: [pod("a", undefined, false), pod("b", "10.244.0.2", false, {}, "Failed"), pod("c", "10.244.0.3", true, {}, "Running", true)],
      want: [],
    },
    {
      name: "a named targetPort resolves to the container port",
      svc: svc({ ports: [{ name: "web", port: 80, targetPort: "http", protocol: "TCP" }] }), pods: [pod("a", "10.244.0.9", true)],
      want: [{ addresses: [{ ip: "10.244.0.9", nodeName: "n1", targetRef: ref("a") }], ports: [{ name: "web", port: 8080, protocol: "TCP" }] }],
    },
    {
      name: "headless: hostname set when the pod's subdomain is the service",
      svc: svc({ clusterIP: "None" }), pods: [pod("web-0", "10.244.0.9", true, { hostname: "web-0", subdomain: "nginx" })],
      want: [{ addresses: [{ ip: "10.244.0.9", hostname: "web-0", nodeName: "n1", targetRef: ref("web-0") }], ports: [{ name: "web", port: 80, protocol: "TCP" }] }],
    },
    {
      name: "publishNotReadyAddresses lists not-ready pods as addresses",
      svc: svc({ publishNotReadyAddresses: true }), pods: [pod("a", "10.244.0.9", false)],
      want: [{ addresses: [{ ip: "10.244.0.9", nodeName: "n1", targetRef: ref("a") }], ports: [{ name: "web", port: 80, protocol: "TCP" }] }],
    },
  ])("$name", ({ svc, pods, want }) => {
    expect(endpointSubsets(svc, pods)).toEqual(want);
  });
});

describe("Services end to end", () => {
  it("kubectl get svc / endpoints as a cluster prints them", () => {
    const s = new Session({ seed: 5 });
    s.exec("sim node add w1");
    s.exec("kubectl create deployment web --image=nginx:1.25 --replicas=2");
    s.exec("kubectl apply -f - <<EOF", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n");
    s.exec("kubectl apply -f - <<EOF", "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector:\n    app: db\n  ports:\n  - port: 5432\n");
    s.exec("sim advance 30s");
    const svc = s.exec("kubectl get svc").out.split("\n");
    // the default/kubernetes Service every cluster has (10.96.0.1, 443/TCP), created at cluster start
    expect(svc[0]).toBe("NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE");
    expect(svc[1]).toMatch(/^db           ClusterIP   None            <none>        5432\/TCP   30s$/);
    expect(svc[2]).toBe("kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP    30s");
    expect(svc[3]).toMatch(/^web          ClusterIP   10\.\d+\.\d+\.\d+ +<none>        80\/TCP     30s$/);
    const ep = s.exec("kubectl get endpoints web").out.split("\n");
    expect(ep[1]).toMatch(/^web    10\.244\.\d+\.\d+:80,10\.244\.\d+\.\d+:80   30s$/);
    expect(s.exec("kubectl get endpoints db").out.split("\n")[1]).toBe("db     <none>      30s");
    // scale to 0: addresses go away
    s.exec("kubectl scale deployment web --replicas=0");
    s.exec("sim advance 60s");
    expect(s.exec("kubectl get endpoints web").out.split("\n")[1]).toMatch(/^web    <none>      90s$/);
  });
});
