/**
 * Table printers for the core kinds (pkg/printers/internalversion/printers.go, column by column):
 * Pod (O3/O4), Node (N4), Namespace, Event, ConfigMap, Secret, ReplicaSet (R3), ControllerRevision,
 * Endpoints. Describers live in ../describe.ts.
 */
import type { KubeObject, Node, Pod, ReplicaSet } from "../../api/types.ts";
import { formatLabelSelector } from "../../api/labels.ts";
import { age, humanDuration, parseTime } from "../../util/time.ts";
import type { KindPrinters, PrintCtx } from "./types.ts";
import { podDisplayStatus } from "./podstatus.ts";

export { podDisplayStatus, type PodDisplayStatus } from "./podstatus.ts";

/** `web,db` for the CONTAINERS column and `nginx,redis` for IMAGES. */
export function containersAndImages(spec: { containers?: Array<{ name: string; image?: string }> } | undefined): [string, string] {
  const cs = spec?.containers ?? [];
  return [cs.map((c) => c.name).join(","), cs.map((c) => c.image ?? "").join(",")];
}

/** node-role.kubernetes.io/<role> and kubernetes.io/role=<role> labels, sorted (findNodeRoles). */
export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const r = k.slice("node-role.kubernetes.io/".length);
      if (r) roles.add(r);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return [...roles].sort();
}

/** Ready / NotReady / Unknown (+ ,SchedulingDisabled) as printNode shows it (N4). */
export function nodeStatusText(node: Node): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
  if (!status.length) status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

function nodeAddress(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";
}

/** formatEndpoints: `10.0.0.1:80,10.0.0.2:80 + 3 more...`, `<none>`. */
export function formatEndpoints(ep: KubeObject): string {
  const subsets = (ep.subsets ?? []) as Array<{ addresses?: Array<{ ip: string }>; ports?: Array<{ port: number }> }>;
  const list: string[] = [];
  const max = 3;
  let more = false, count = 0;
  for (const ss of subsets) {
    const ports = ss.ports?.length ? ss.ports : [undefined];
    for (const p of ports) {
      for (const a of ss.addresses ?? []) {
        if (list.length < max) list.push(p ? `${a.ip}:${p.port}` : a.ip);
        else more = true;
        count++;
      }
    }
  }
  let ret = list.join(",");
  if (more) ret += ` + ${count - max} more...`;
  return ret || "<none>";
}

function eventTimes(ev: KubeObject, now: number): { first: string; last: string } {
  const first = ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime, now);
  let last = ev.lastTimestamp ? age(ev.lastTimestamp, now) : first;
  if (ev.series?.lastObservedTime) last = age(ev.series.lastObservedTime, now);
  return { first, last };
}

function eventTarget(ev: KubeObject): string {
  const io = ev.involvedObject ?? {};
  return io.name ? `${String(io.kind ?? "").toLowerCase()}/${io.name}` : String(io.kind ?? "").toLowerCase();
}

function eventSource(ev: KubeObject): string {
  const s = ev.source ?? {};
  if (s.component) return s.host ? `${s.component}, ${s.host}` : s.component;
  if (ev.reportingController) return ev.reportingInstance ? `${ev.reportingController}, ${ev.reportingInstance}` : ev.reportingController;
  return "";
}

/** Sort key for events (kubectl sorts `get events` by time). */
export function eventTime(ev: KubeObject): number {
  return parseTime(ev.lastTimestamp) ?? parseTime(ev.series?.lastObservedTime) ?? parseTime(ev.eventTime) ?? parseTime(ev.firstTimestamp) ?? 0;
}

const ageOf = (o: KubeObject, c: PrintCtx) => age(o.metadata.creationTimestamp, c.now);

export const printers: Record<string, KindPrinters> = {
  Pod: {
    table: {
      columns: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
      wideColumns: ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
      row(o, c) {
        const s = podDisplayStatus(o as Pod, c.now);
        return [o.metadata.name, s.ready, s.status, s.restartsText, ageOf(o, c)];
      },
      wideRow(o) {
        const p = o as Pod;
        const ip = p.status?.podIPs?.[0]?.ip || p.status?.podIP || "<none>";
        const gates = p.spec?.readinessGates ?? [];
        let rg = "<none>";
        if (gates.length) {
          let t = 0;
          for (const g of gates) if ((p.status?.conditions ?? []).find((x) => x.type === g.conditionType)?.status === "True") t++;
          rg = `${t}/${gates.length}`;
        }
        return [ip, p.spec?.nodeName || "<none>", p.status?.nominatedNodeName || "<none>", rg];
      },
    },
  },
  Node: {
    table: {
      columns: ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
      wideColumns: ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
      row(o, c) {
        const n = o as Node;
        const roles = nodeRoles(n).join(",") || "<none>";
        return [n.metadata.name, nodeStatusText(n), roles, ageOf(o, c), n.status?.nodeInfo?.kubeletVersion ?? ""];
      },
      wideRow(o) {
        const n = o as Node;
        const ni = n.status?.nodeInfo;
        return [nodeAddress(n, "InternalIP"), nodeAddress(n, "ExternalIP"), ni?.osImage || "<unknown>", ni?.kernelVersion || "<unknown>", ni?.containerRuntimeVersion || "<unknown>"];
      },
    },
  },
  Namespace: {
    table: { columns: ["NAME", "STATUS", "AGE"], row: (o, c) => [o.metadata.name, o.status?.phase ?? "", ageOf(o, c)] },
  },
  ConfigMap: {
    table: {
      columns: ["NAME", "DATA", "AGE"],
      row: (o, c) => [o.metadata.name, String(Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length), ageOf(o, c)],
    },
  },
  Secret: {
    table: {
      columns: ["NAME", "TYPE", "DATA", "AGE"],
      row: (o, c) => [o.metadata.name, o.type ?? "Opaque", String(Object.keys(o.data ?? {}).length), ageOf(o, c)],
    },
  },
  ReplicaSet: {
    table: {
      columns: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
      wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
      row(o, c) {
        const rs = o as ReplicaSet;
        return [rs.metadata.name, String(rs.spec?.replicas ?? 0), String(rs.status?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), ageOf(o, c)];
      },
      wideRow(o) {
        const rs = o as ReplicaSet;
        return [...containersAndImages(rs.spec?.template?.spec), formatLabelSelector(rs.spec?.selector)];
      },
    },
  },
  ControllerRevision: {
    table: {
      columns: ["NAME", "CONTROLLER", "REVISION", "AGE"],
      row(o, c) {
        const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
        let ctl = "<none>";
        if (ref) {
          const group = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
          ctl = `${ref.kind.toLowerCase()}${group ? "." + group : ""}/${ref.name}`;
        }
        return [o.metadata.name, ctl, String(o.revision ?? 0), ageOf(o, c)];
      },
    },
  },
  Endpoints: {
    table: { columns: ["NAME", "ENDPOINTS", "AGE"], row: (o, c) => [o.metadata.name, formatEndpoints(o), ageOf(o, c)] },
  },
  Event: {
    table: {
      columns: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
      row(o, c) {
        const t = eventTimes(o, c.now);
        return [t.last, o.type ?? "", o.reason ?? "", eventTarget(o), String(o.message ?? "").trim()];
      },
      wide: {
        columns: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"],
        row(o, c) {
          const t = eventTimes(o, c.now);
          return [t.last, o.type ?? "", o.reason ?? "", eventTarget(o), o.involvedObject?.fieldPath ?? "", eventSource(o),
            String(o.message ?? "").trim(), t.first, String(o.series?.count ?? (o.count || 1)), o.metadata.name];
        },
      },
    },
  },
};

export { humanDuration };
