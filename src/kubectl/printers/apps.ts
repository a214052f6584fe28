/**
 * `kubectl get` / `kubectl describe` for Deployment (P8), StatefulSet (S8), ControllerRevision, Service,
 * Endpoints and PersistentVolumeClaim, following pkg/printers/internalversion/printers.go and
 * k8s.io/kubectl/pkg/describe/describe.go line by line.
 */
import type { Deployment, KubeObject, PersistentVolumeClaim, Pod, ReplicaSet, Service, StatefulSet } from "../../api/types.ts";
import { formatLabelSelector, formatLabels } from "../../api/labels.ts";
import { age } from "../../util/time.ts";
import type { KindPrinters, PrintCtx } from "./types.ts";
import { containersAndImages, formatEndpoints } from "./core.ts";
import { PrefixWriter, describeEvents, describePodTemplate, eventsFor, rfc1123z } from "../describe.ts";
import { findNewReplicaSet, findOldReplicaSets } from "../../controllers/deployment/util.ts";
import { controllerOf } from "../../controllers/util/refs.ts";

const ageOf = (o: KubeObject, c: PrintCtx) => age(o.metadata.creationTimestamp, c.now);

// ---------------------------------------------------------------- get

/** getServiceExternalIP */
function serviceExternalIP(svc: Service, wide: boolean): string {
  const ext = svc.spec.externalIPs ?? [];
  switch (svc.spec.type) {
    case "ClusterIP":
    case "NodePort":
      return ext.length ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      const ing = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || "").filter(Boolean);
      let lb = ing.join(",");
      if (!wide && lb.length > 16) lb = lb.slice(0, 13) + "...";
      const all = [...ext, ...(lb ? [lb] : [])];
      return all.length ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return svc.spec.externalName ?? "";
  }
  return "<unknown>";
}

/** makePortString: `80/TCP`, `80:30080/TCP`. */
export function servicePorts(svc: Service): string {
  const parts = (svc.spec.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`));
  return parts.length ? parts.join(",") : "<none>";
}

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };

/** GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order, each once. */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"].filter((m) => set.has(m)).map((m) => ACCESS_MODES[m]).join(",");
}

// ---------------------------------------------------------------- describe helpers

/** printLabelsMultilineWithIndent */
function labelsML(w: PrefixWriter, title: string, m: Record<string, string> | undefined, initialIndent = "", innerIndent = "\t") {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) { w.write(0, "<none>\n"); return; }
  keys.forEach((k, i) => {
    if (i) w.write(0, initialIndent + innerIndent);
    w.write(0, `${k}=${m![k]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;

/** printAnnotationsMultiline (last-applied-configuration skipped, long values wrapped and shortened). */
function annotationsML(w: PrefixWriter, title: string, m: Record<string, string> | undefined) {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(m ?? {}).filter((k) => k !== "kubectl.kubernetes.io/last-applied-configuration").sort();
  if (!keys.length) { w.write(0, "<none>\n"); return; }
  keys.forEach((k, i) => {
    if (i) w.write(0, "\t");
    const v = m![k]!.replace(/\n$/, "");
    if (v.length + k.length + 2 > MAX_ANNOTATION_LEN || v.includes("\n")) {
      w.write(0, `${k}:\n`);
      for (const s of v.split("\n")) w.write(0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? s.slice(0, MAX_ANNOTATION_LEN - 2) + "..." : s}\n`);
    } else w.write(0, `${k}: ${v}\n`);
  });
}

/** printReplicaSetsByLabels */
function rsSummary(list: ReplicaSet[]): string {
  const s = list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 1} replicas created)`).join(", ");
  return s || "<none>";
}

/** intstr.String(): numbers bare, strings as is. */
const intstr = (v: unknown) => (v === undefined || v === null ? "0" : String(v));

export function describeDeployment(o: KubeObject, c: PrintCtx): string {
  const d = o as Deployment;
  const w = new PrefixWriter();
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsML(w, "Labels", d.metadata.labels);
  annotationsML(w, "Annotations", d.metadata.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(d.spec.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec.strategy?.type ?? ""}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const ru = d.spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${intstr(ru.maxUnavailable)} max unavailable, ${intstr(ru.maxSurge)} max surge\n`);
  describePodTemplate(w, d.spec.template as never);
  if (st.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    for (const cd of st.conditions) w.write(1, `${cd.type} \t${cd.status}\t${cd.reason ?? ""}\n`);
  }
  // GetAllReplicaSets: every RS this Deployment controls, in list (name) order.
  const rss = c.sim.store.ownedBy<ReplicaSet>(d.metadata.uid, "ReplicaSet")
    .filter((r) => controllerOf(r)?.uid === d.metadata.uid)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const newRS = findNewReplicaSet(d, rss);
  const old = findOldReplicaSets(d, rss).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  w.write(0, `OldReplicaSets:\t${rsSummary(old)}\n`);
  w.write(0, `NewReplicaSet:\t${rsSummary(newRS ? [newRS] : [])}\n`);
  describeEvents(w, eventsFor(c.sim, d), c.now);
  return w.toString();
}

function describeVolumeClaimTemplates(w: PrefixWriter, templates: StatefulSet["spec"]["volumeClaimTemplates"]) {
  if (!templates?.length) { w.write(0, "Volume Claims:\t<none>\n"); return; }
  w.write(0, "Volume Claims:\n");
  for (const t of templates) {
    w.write(1, `Name:\t${t.metadata?.name ?? ""}\n`);
    w.write(1, `StorageClass:\t${t.spec?.storageClassName ?? ""}\n`);
    labelsML(w, "Labels", t.metadata?.labels, "  ");
    labelsML(w, "Annotations", t.metadata?.annotations, "  ");
    const cap = t.spec?.resources?.requests?.storage;
    w.write(1, `Capacity:\t${cap ?? "<default>"}\n`);
    w.write(1, `Access Modes:\t[${(t.spec?.accessModes ?? []).join(" ")}]\n`);
  }
}

export function describeStatefulSet(o: KubeObject, c: PrintCtx): string {
  const s = o as StatefulSet;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(s.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(s.spec.selector)}\n`);
  labelsML(w, "Labels", s.metadata.labels);
  annotationsML(w, "Annotations", s.metadata.annotations);
  w.write(0, `Replicas:\t${s.spec.replicas ?? 1} desired | ${s.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${s.spec.updateStrategy?.type ?? ""}\n`);
  const ru = s.spec.updateStrategy?.rollingUpdate;
  if (ru && ru.partition !== undefined && ru.partition !== null) {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(1, `MaxUnavailable:\t${intstr(ru.maxUnavailable)}\n`);
  }
  const pods = c.sim.store.ownedBy<Pod>(s.metadata.uid, "Pod");
  const count = (ph: string) => pods.filter((p) => (p.status?.phase ?? "Pending") === ph).length;
  w.write(0, `Pods Status:\t${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed\n`);
  describePodTemplate(w, s.spec.template as never);
  describeVolumeClaimTemplates(w, s.spec.volumeClaimTemplates);
  describeEvents(w, eventsFor(c.sim, s), c.now);
  return w.toString();
}

/** The Endpoints line of `describe service`: ready and not-ready addresses for this port (EndpointSlice view). */
function endpointsForPort(ep: KubeObject | undefined, portName: string | undefined): string {
  if (!ep) return "<none>";
  const list: string[] = [];
  let count = 0, more = false;
  for (const ss of (ep.subsets ?? []) as Array<{ addresses?: Array<{ ip: string }>; notReadyAddresses?: Array<{ ip: string }>; ports?: Array<{ name?: string; port: number }> }>) {
    const addrs = [...(ss.addresses ?? []), ...(ss.notReadyAddresses ?? [])];
    if (!ss.ports?.length) {
      for (const a of addrs) { if (list.length < 3) list.push(a.ip); else more = true; count++; }
      continue;
    }
    for (const p of ss.ports) {
      if ((p.name ?? "") !== (portName ?? "")) continue;
      for (const a of addrs) { if (list.length < 3) list.push(`${a.ip}:${p.port}`); else more = true; count++; }
    }
  }
  const s = list.join(",");
  return more ? `${s} + ${count - 3} more...` : s;
}

export function describeService(o: KubeObject, c: PrintCtx): string {
  const svc = o as Service;
  const sp = svc.spec;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  labelsML(w, "Labels", svc.metadata.labels);
  annotationsML(w, "Annotations", svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(sp.selector)}\n`);
  w.write(0, `Type:\t${sp.type ?? ""}\n`);
  if (sp.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${sp.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${sp.ipFamilies?.length ? sp.ipFamilies.join(",") : "<none>"}\n`);
  w.write(0, `IP:\t${sp.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${sp.clusterIPs?.length ? sp.clusterIPs.join(",") : "<none>"}\n`);
  if (sp.externalIPs?.length) w.write(0, `External IPs:\t${sp.externalIPs.join(",")}\n`);
  if (sp.loadBalancerIP) w.write(0, `IP:\t${sp.loadBalancerIP}\n`);
  if (sp.loadBalancerClass) w.write(0, `LoadBalancer Class:\t${sp.loadBalancerClass}\n`);
  const ing = svc.status?.loadBalancer?.ingress ?? [];
  if (ing.length) w.write(0, `LoadBalancer Ingress:\t${ing.map((i) => i.ip || i.hostname).join(", ")}\n`);
  const ep = c.sim.store.get("Endpoints", svc.metadata.namespace, svc.metadata.name);
  for (const p of sp.ports ?? []) {
    const name = p.name || "<unset>";
    w.write(0, `Port:\t${name}\t${p.port}/${p.protocol ?? "TCP"}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${p.protocol ?? "TCP"}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol ?? "TCP"}\n`);
    w.write(0, `Endpoints:\t${endpointsForPort(ep, p.name)}\n`);
  }
  w.write(0, `Session Affinity:\t${sp.sessionAffinity ?? "None"}\n`);
  if (sp.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${sp.externalTrafficPolicy}\n`);
  if (sp.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${sp.internalTrafficPolicy}\n`);
  if (sp.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${sp.healthCheckNodePort}\n`);
  describeEvents(w, eventsFor(c.sim, svc), c.now);
  return w.toString();
}

export function describeEndpoints(o: KubeObject, c: PrintCtx): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${o.metadata.name}\n`);
  w.write(0, `Namespace:\t${o.metadata.namespace}\n`);
  labelsML(w, "Labels", o.metadata.labels);
  annotationsML(w, "Annotations", o.metadata.annotations);
  w.write(0, "Subsets:\n");
  for (const ss of (o.subsets ?? []) as Array<{ addresses?: Array<{ ip: string }>; notReadyAddresses?: Array<{ ip: string }>; ports?: Array<{ name?: string; port: number; protocol?: string }> }>) {
    w.write(1, `Addresses:\t${(ss.addresses ?? []).map((a) => a.ip).join(",") || "<none>"}\n`);
    w.write(1, `NotReadyAddresses:\t${(ss.notReadyAddresses ?? []).map((a) => a.ip).join(",") || "<none>"}\n`);
    if (ss.ports?.length) {
      w.write(1, "Ports:\n");
      w.write(2, "Name\tPort\tProtocol\n");
      w.write(2, "----\t----\t--------\n");
      for (const p of ss.ports) w.write(2, `${p.name || "<unset>"}\t${p.port}\t${p.protocol ?? "TCP"}\n`);
    }
    w.write(0, "\n");
  }
  describeEvents(w, eventsFor(c.sim, o), c.now);
  return w.toString();
}

export function describePVC(o: KubeObject, c: PrintCtx): string {
  const pvc = o as PersistentVolumeClaim;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pvc.metadata.name}\n`);
  w.write(0, `Namespace:\t${pvc.metadata.namespace}\n`);
  w.write(0, `StorageClass:\t${pvc.spec.storageClassName ?? ""}\n`);
  w.write(0, `Status:\t${pvc.metadata.deletionTimestamp ? `Terminating (lasts ${age(pvc.metadata.deletionTimestamp, c.now)})` : pvc.status?.phase ?? ""}\n`);
  w.write(0, `Volume:\t${pvc.spec.volumeName ?? ""}\n`);
  labelsML(w, "Labels", pvc.metadata.labels);
  annotationsML(w, "Annotations", pvc.metadata.annotations);
  w.write(0, `Finalizers:\t[${(pvc.metadata.finalizers ?? []).join(" ")}]\n`);
  const bound = !!pvc.spec.volumeName;
  w.write(0, `Capacity:\t${bound ? pvc.status?.capacity?.storage ?? "" : ""}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModesString(pvc.status?.accessModes) : ""}\n`);
  w.write(0, `VolumeMode:\t${pvc.spec.volumeMode ?? "Filesystem"}\n`);
  // Used By: pods naming this claim.
  const users = c.sim.store.list<Pod>("Pod", { namespace: pvc.metadata.namespace! })
    .filter((p) => (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name))
    .map((p) => p.metadata.name).sort();
  w.write(0, `Used By:\t${users.length ? users[0] : "<none>"}\n`);
  for (const u of users.slice(1)) w.write(0, `\t${u}\n`);
  describeEvents(w, eventsFor(c.sim, pvc), c.now);
  return w.toString();
}

// ---------------------------------------------------------------- registry

export const printers: Record<string, KindPrinters> = {
  Deployment: {
    table: {
      columns: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
      wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
      row(o, c) {
        const d = o as Deployment;
        const st = d.status ?? {};
        return [d.metadata.name, `${st.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), ageOf(o, c)];
      },
      wideRow(o) {
        const d = o as Deployment;
        return [...containersAndImages(d.spec.template?.spec), formatLabelSelector(d.spec.selector)];
      },
    },
    describe: describeDeployment,
  },
  StatefulSet: {
    table: {
      columns: ["NAME", "READY", "AGE"],
      wideColumns: ["CONTAINERS", "IMAGES"],
      row(o, c) {
        const s = o as StatefulSet;
        return [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec.replicas ?? 1}`, ageOf(o, c)];
      },
      wideRow: (o) => containersAndImages((o as StatefulSet).spec.template?.spec),
    },
    describe: describeStatefulSet,
  },
  Service: {
    table: {
      columns: ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
      wideColumns: ["SELECTOR"],
      row(o, c) {
        const s = o as Service;
        return [s.metadata.name, s.spec.type ?? "", s.spec.clusterIP || "<none>", serviceExternalIP(s, false), servicePorts(s), ageOf(o, c)];
      },
      wideRow: (o) => [formatLabels((o as Service).spec.selector)],
    },
    describe: describeService,
  },
  Endpoints: {
    table: { columns: ["NAME", "ENDPOINTS", "AGE"], row: (o, c) => [o.metadata.name, formatEndpoints(o), ageOf(o, c)] },
    describe: describeEndpoints,
  },
  PersistentVolumeClaim: {
    table: {
      columns: ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"],
      wideColumns: ["VOLUMEMODE"],
      row(o, c) {
        const p = o as PersistentVolumeClaim;
        const phase = p.metadata.deletionTimestamp ? "Terminating" : p.status?.phase ?? "";
        const bound = !!p.spec.volumeName;
        return [p.metadata.name, phase, p.spec.volumeName ?? "", bound ? p.status?.capacity?.storage ?? "" : "", bound ? accessModesString(p.status?.accessModes) : "",
          p.spec.storageClassName ?? "", p.spec.volumeAttributesClassName || "<unset>", ageOf(o, c)];
      },
      wideRow: (o) => [(o as PersistentVolumeClaim).spec.volumeMode ?? "<unset>"],
    },
    describe: describePVC,
  },
};
