/**
 * The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go `syncService`): for each
 * Service with a selector, one Endpoints object of the same name listing the matching pods' IPs —
 * Ready pods under `addresses`, the others under `notReadyAddresses` (all under `addresses` with
 * publishNotReadyAddresses) — one subset per distinct port set (RepackSubsets).
 */
import type { Endpoints, KubeObject, ObjectKey, Pod, Service, WatchEvent } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import { fromLabelSelector, matches, type Selector } from "../../api/labels.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";
import { isPodReady } from "../util/pods.ts";
import { rfc3339 } from "../../util/time.ts";
import { canonicalJson } from "../util/hash.ts";

export const NAME = "endpoints";

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: "Pod"; namespace: string; name: string; uid: string };
}
export interface EndpointPort { name?: string; port: number; protocol: string }
export interface EndpointSubset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }

/** ShouldPodBeInEndpoints: has an IP, not terminal, not being deleted. */
export function shouldPodBeInEndpoints(p: Pod): boolean {
  const ph = p.status?.phase;
  if (ph === "Succeeded" || ph === "Failed") return false;
  if (!p.status?.podIP) return false;
  if (p.metadata.deletionTimestamp) return false;
  return true;
}

/** findPort: a number, or a named container port of the pod. */
function findPort(p: Pod, sp: NonNullable<Service["spec"]["ports"]>[number]): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === "number") return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of p.spec.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.name === tp && (cp.protocol ?? "TCP") === (sp.protocol ?? "TCP")) return cp.containerPort;
  }
  return undefined;
}

function ipKey(ip: string): string {
  return ip.split(".").map((x) => x.padStart(3, "0")).join(".");
}

/**
 * Pure: the subsets for a Service and its candidate pods (already selector-matched).
 * @example endpointSubsets(svc, pods) // [{ addresses: [...], ports: [{ name: "web", port: 80, protocol: "TCP" }] }]
 */
export function endpointSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const tolerate = !!svc.spec.publishNotReadyAddresses;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const add = (ports: EndpointPort[], addr: EndpointAddress, ready: boolean) => {
    const k = canonicalJson(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, ready: [], notReady: [] }));
    (ready ? g.ready : g.notReady).push(addr);
  };
  for (const p of pods) {
    if (!p.spec.nodeName || !p.status?.podIP) continue;
    if (!tolerate && !shouldPodBeInEndpoints(p)) continue;
    const addr: EndpointAddress = { ip: p.status.podIP, targetRef: { kind: "Pod", namespace: p.metadata.namespace!, name: p.metadata.name, uid: p.metadata.uid } };
    if (p.spec.hostname && p.spec.subdomain === svc.metadata.name && p.metadata.namespace === svc.metadata.namespace) addr.hostname = p.spec.hostname;
    addr.nodeName = p.spec.nodeName;
    const ready = tolerate || isPodReady(p);
    const svcPorts = svc.spec.ports ?? [];
    if (!svcPorts.length) {
      if (svc.spec.clusterIP === "None") add([], addr, ready);
      continue;
    }
    for (const sp of svcPorts) {
      const port = findPort(p, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? "TCP" };
      if (sp.name) ep.name = sp.name;
      add([ep], addr, ready);
    }
  }
  // RepackSubsets: merge port lists of identical address sets; addresses sorted by IP then uid.
  const byAddrs = new Map<string, { ready: EndpointAddress[]; notReady: EndpointAddress[]; ports: EndpointPort[] }>();
  const sortAddrs = (l: EndpointAddress[]) => [...l].sort((a, b) => (ipKey(a.ip) < ipKey(b.ip) ? -1 : ipKey(a.ip) > ipKey(b.ip) ? 1 : a.targetRef.uid < b.targetRef.uid ? -1 : 1));
  for (const g of groups.values()) {
    const ready = sortAddrs(g.ready), notReady = sortAddrs(g.notReady);
    const k = canonicalJson([ready, notReady]);
    const cur = byAddrs.get(k);
    if (cur) cur.ports.push(...g.ports);
    else byAddrs.set(k, { ready, notReady, ports: [...g.ports] });
  }
  const out: EndpointSubset[] = [];
  for (const g of byAddrs.values()) {
    const s: EndpointSubset = {};
    if (g.ready.length) s.addresses = g.ready;
    if (g.notReady.length) s.notReadyAddresses = g.notReady;
    if (g.ports.length) s.ports = [...g.ports].sort((a, b) => ((a.name ?? "") < (b.name ?? "") ? -1 : (a.name ?? "") > (b.name ?? "") ? 1 : a.port - b.port));
    out.push(s);
  }
  return out;
}

export function reconcileEndpoints(ctx: Ctx, key: ObjectKey): void {
  const { namespace, name } = splitKey(key);
  const svc = ctx.store.get<Service>("Service", namespace, name);
  const existing = ctx.store.get<Endpoints>("Endpoints", namespace, name);
  if (!svc) {
    // The Service is gone: so are its Endpoints (if this controller made them).
    if (existing && existing.metadata.labels?.["endpoints.kubernetes.io/managed-by"] !== "external") {
      try { ctx.store.delete("Endpoints", namespace, name); } catch { /* already gone */ }
    }
    return;
  }
  if (!svc.spec.selector || svc.spec.type === "ExternalName") return;
  const pods = ctx.store.list<Pod>("Pod", { namespace: namespace!, selector: fromLabelSelector({ matchLabels: svc.spec.selector }) });
  const subsets = endpointSubsets(svc, pods);
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
  if (existing) {
    const same = canonicalJson(existing.subsets ?? []) === canonicalJson(subsets) && canonicalJson(existing.metadata.labels ?? {}) === canonicalJson(labels);
    if (same) return;
    ctx.store.mutate<Endpoints>("Endpoints", namespace, name, (e) => {
      if (subsets.length) e.subsets = subsets as never;
      else delete e.subsets;
      e.metadata.labels = labels;
      e.metadata.annotations = { ...(e.metadata.annotations ?? {}), "endpoints.kubernetes.io/last-change-trigger-time": rfc3339(ctx.now()) };
    }, { skipAdmission: true });
    return;
  }
  const body: KubeObject = {
    apiVersion: "v1", kind: "Endpoints",
    metadata: { name, namespace, labels, annotations: { "endpoints.kubernetes.io/last-change-trigger-time": rfc3339(ctx.now()) } } as never,
  };
  if (subsets.length) body.subsets = subsets;
  ctx.store.create(body);
}

/**
 * Services with a selector, by namespace, in the store's list order (creation order; kept from the Service
 * watch), with their parsed selector: a pod event looks only at its namespace's selecting Services. `selecting`
 * counts those with a selector: none (a namespace with only `kubernetes`) and a pod event looks at nothing.
 */
type SelectingServices = Map<string, { byKey: Map<ObjectKey, Selector>; selecting: number }>;

function selectingServices(ctx: Ctx): SelectingServices {
  let m = ctx.sim.ext.get("endpoints.services") as SelectingServices | undefined;
  if (!m) ctx.sim.ext.set("endpoints.services", (m = new Map()));
  return m;
}

function trackService(ev: WatchEvent, ctx: Ctx): ObjectKey {
  const all = selectingServices(ctx);
  const ns = ev.object.metadata.namespace!;
  let m = all.get(ns);
  const s = ev.object as Service;
  const was = m?.byKey.get(ev.key);
  if (was !== undefined && was !== NO_SELECTOR) m!.selecting--;
  if (ev.type === "DELETED") m?.byKey.delete(ev.key);
  else {
    if (!m) all.set(ns, (m = { byKey: new Map(), selecting: 0 }));
    // Set on a key already there keeps its place, as the store's list does for a rewritten object; a
    // Service that loses its selector is still listed (and skipped) there, so it keeps its place here too.
    const sel = s.spec?.selector ? fromLabelSelector({ matchLabels: s.spec.selector }) : NO_SELECTOR;
    m.byKey.set(ev.key, sel);
    if (sel !== NO_SELECTOR) m.selecting++;
  }
  return ev.key;
}

const NO_SELECTOR: Selector = { requirements: [], nothing: true };

/** Services (in the pod's namespace) whose selector matches the pod, before or after the change. */
function servicesForPod(ev: { object: KubeObject; old?: KubeObject }, ctx: Ctx): ObjectKey[] | undefined {
  const p = ev.object;
  const svcs = selectingServices(ctx).get(p.metadata.namespace!);
  if (!svcs?.selecting) return undefined;
  let out: ObjectKey[] | undefined;
  for (const [key, sel] of svcs.byKey) {
    if (sel === NO_SELECTOR) continue;
    if (matches(sel, p.metadata.labels) || (ev.old && matches(sel, ev.old.metadata.labels))) (out ??= []).push(key);
  }
  return out;
}

export const endpointsController: ControllerDef = {
  name: NAME,
  watches: [
    { kind: "Service", map: trackService },
    { kind: "Pod", map: (ev, ctx) => servicesForPod(ev, ctx) },
    { kind: "Endpoints", map: (ev) => (ev.type === "DELETED" ? ev.key : []) },
  ],
  reconcile: reconcileEndpoints,
};
