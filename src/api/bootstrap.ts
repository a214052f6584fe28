/**
 * Objects every cluster has from the start, beyond the namespaces: the `kubernetes` Service in
 * `default` (ClusterIP 10.96.0.1, 443/TCP `https` → 6443; written by kube-apiserver's
 * controlplane "kubernetes service" controller, pkg/controlplane/controller/kubernetesservice) and its
 * Endpoints (the API server's address; label endpointslice.kubernetes.io/skip-mirror, kept by the
 * endpoint reconciler, not by the Endpoints controller — the Service has no selector).
 *
 * Their uids come from a generator of their own, so the seeded draws every later name and uid
 * depends on are the same as in a cluster without them.
 */
import { Rng } from "../clock/rng.ts";
import type { ObjectStore } from "./store.ts";

/** The API server's advertised address (kind's control-plane node; no simulated node uses .1). */
export const APISERVER_ADDRESS = "172.18.0.1";
export const APISERVER_PORT = 6443;

export function createDefaultObjects(store: ObjectStore, seed: number): void {
  const writable = store as unknown as { rng: Rng };
  const main = writable.rng;
  writable.rng = new Rng((seed ^ 0x6b756265) >>> 0); // "kube"
  try {
    store.create({
      apiVersion: "v1", kind: "Service",
      metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } } as never,
      spec: { ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: APISERVER_PORT }], sessionAffinity: "None", type: "ClusterIP" },
      status: { loadBalancer: {} },
    });
    store.create({
      apiVersion: "v1", kind: "Endpoints",
      metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } } as never,
      subsets: [{ addresses: [{ ip: APISERVER_ADDRESS }], ports: [{ name: "https", port: APISERVER_PORT, protocol: "TCP" }] }],
    });
  } finally {
    writable.rng = main;
  }
}
