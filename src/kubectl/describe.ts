/**
 * `kubectl describe` text (k8s.io/kubectl/pkg/describe/describe.go): a PrefixWriter over one tabwriter
 * (minwidth 0, padding 2) that is flushed before the Events table, as upstream does.
 */
import type { KubeObject, Node, Pod, ReplicaSet } from "../api/types.ts";
import { formatLabelSelector } from "../api/labels.ts";
import type { Simulation } from "../simulation.ts";
import { age, parseTime } from "../util/time.ts";
import { DESCRIBE_TABWRITER, tabwrite } from "./printers/tabwriter.ts";
import { nodeRoles } from "./printers/core.ts";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** time.RFC1123Z in UTC: `Wed, 01 Jan 2025 00:00:00 +0000`. */
export function rfc1123z(ts: string | undefined | null): string {
  const t = parseTime(ts ?? undefined);
  if (t === undefined) return "<unknown>";
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export class PrefixWriter {
  private buf = "";
  private done = "";
  write(level: number, text: string): void {
    this.buf += "  ".repeat(level) + text;
  }
  flush(): void {
    this.done += tabwrite(this.buf, DESCRIBE_TABWRITER);
    this.buf = "";
  }
  toString(): string {
    this.flush();
    return this.done;
  }
}

function multiline(w: PrefixWriter, title: string, m: Record<string, string> | undefined, sep: "=" | ": ", skip: string[] = []) {
  const keys = Object.keys(m ?? {}).filter((k) => !skip.includes(k)).sort();
  w.write(0, `${title}:\t`);
  if (!keys.length) { w.write(0, "<none>\n"); return; }
  keys.forEach((k, i) => {
    let v = m![k]!;
    if (sep === ": " && v.length > 200) v = v.slice(0, 197) + "...";
    if (i > 0) w.write(0, "\t");
    w.write(0, `${k}${sep}${v}\n`);
  });
}
const labels = (w: PrefixWriter, title: string, m: Record<string, string> | undefined) => multiline(w, title, m, "=");
const annotations = (w: PrefixWriter, m: Record<string, string> | undefined) =>
  multiline(w, "Annotations", m, ": ", ["kubectl.kubernetes.io/last-applied-configuration"]);

export function eventsFor(sim: Simulation, obj: KubeObject): KubeObject[] {
  const evs = sim.store.list("Event", obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {});
  return evs.filter((e) => e.involvedObject?.uid === obj.metadata.uid)
    .sort((a, b) => (parseTime(a.lastTimestamp) ?? 0) - (parseTime(b.lastTimestamp) ?? 0));
}

export function describeEvents(w: PrefixWriter, events: KubeObject[], now: number): void {
  if (!events.length) { w.write(0, "Events:\t<none>\n"); return; }
  w.flush();
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of events) {
    const first = e.eventTime ? age(e.eventTime, now) : age(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${age(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 1) > 1) interval = `${age(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingController || "";
    w.write(1, `${e.type ?? ""}\t${e.reason ?? ""}\t${interval}\t${source}\t${String(e.message ?? "").trim()}\n`);
  }
}

function controlledBy(w: PrefixWriter, o: KubeObject) {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (ref) w.write(0, `Controlled By:\t${ref.kind}/${ref.name}\n`);
}

type Container = Pod["spec"]["containers"][number];
type ContainerStatus = NonNullable<Pod["status"]["containerStatuses"]>[number];

function portsText(c: Container, host: boolean): string {
  const ps = c.ports ?? [];
  if (!ps.length) return "<none>";
  return ps.map((p) => `${host ? p.hostPort ?? 0 : p.containerPort}/${p.protocol ?? "TCP"}`).join(", ");
}

function describeState(w: PrefixWriter, title: string, st: ContainerStatus["state"] | undefined) {
  if (st?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(st.running.startedAt)}\n`);
  } else if (st?.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (st.waiting.reason) w.write(3, `Reason:\t${st.waiting.reason}\n`);
    if (st.waiting.message) w.write(3, `Message:\t${st.waiting.message}\n`);
  } else if (st?.terminated) {
    const t = st.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if (t.signal) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${title}:\tWaiting\n`);
}

function probeText(p: NonNullable<Container["livenessProbe"]>): string {
  let kind = "unknown";
  if (p.exec) kind = `exec [${(p.exec.command ?? []).join(" ")}]`;
  else if (p.httpGet) kind = `http-get ${p.httpGet.scheme === "HTTPS" ? "https" : "http"}://${p.httpGet.host ?? ""}:${p.httpGet.port}${p.httpGet.path ?? ""}`;
  else if (p.tcpSocket) kind = `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port}`;
  return `${kind} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

function describeContainers(w: PrefixWriter, title: string, cs: Container[], statuses: ContainerStatus[] | undefined, space: string) {
  w.write(0, `${space}${title}:${cs.length ? "" : " <none>"}\n`);
  for (const c of cs) {
    const st = statuses?.find((s) => s.name === c.name);
    w.write(1, `${space ? " " : ""}${c.name}:\n`);
    if (st?.containerID) w.write(2, `Container ID:\t${st.containerID}\n`);
    w.write(2, `Image:\t${c.image ?? ""}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ""}\n`);
    w.write(2, `Port:\t${portsText(c, false)}\n`);
    w.write(2, `Host Port:\t${portsText(c, true)}\n`);
    for (const [t, list] of [["Command", c.command], ["Args", c.args]] as const) {
      if (!list?.length) continue;
      w.write(2, `${t}:\n`);
      for (const a of list) for (const line of a.split("\n")) w.write(3, `${line}\n`);
    }
    if (st) {
      describeState(w, "State", st.state);
      if (st.lastState?.terminated) describeState(w, "Last State", st.lastState);
      w.write(2, `Ready:\t${st.ready ? "True" : "False"}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    for (const [t, m] of [["Limits", c.resources?.limits], ["Requests", c.resources?.requests]] as const) {
      if (!m || !Object.keys(m).length) continue;
      w.write(2, `${t}:\n`);
      for (const k of Object.keys(m).sort()) w.write(3, `${k}:\t${m[k]}\n`);
    }
    if (c.livenessProbe) w.write(2, `Liveness:\t${probeText(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${probeText(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${probeText(c.startupProbe)}\n`);
    const env = c.env ?? [];
    if (!env.length && !(c.envFrom ?? []).length) w.write(2, "Environment:\t<none>\n");
    else {
      w.write(2, "Environment:\n");
      for (const e of env) {
        if (e.value !== undefined) w.write(3, `${e.name}:\t${e.value}\n`);
        else if (e.valueFrom?.fieldRef) w.write(3, `${e.name}:\t (${e.valueFrom.fieldRef.apiVersion ?? "v1"}:${e.valueFrom.fieldRef.fieldPath})\n`);
        else if (e.valueFrom?.configMapKeyRef) w.write(3, `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${e.valueFrom.configMapKeyRef.optional ? "true" : "false"}\n`);
        else if (e.valueFrom?.secretKeyRef) w.write(3, `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${e.valueFrom.secretKeyRef.optional ? "true" : "false"}\n`);
        else w.write(3, `${e.name}:\t\n`);
      }
    }
    const mounts = c.volumeMounts ?? [];
    if (!mounts.length) w.write(2, "Mounts:\t<none>\n");
    else {
      w.write(2, "Mounts:\n");
      for (const m of [...mounts].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1))) {
        w.write(3, `${m.mountPath} from ${m.name} (${m.readOnly ? "ro" : "rw"}${m.subPath ? `,path="${m.subPath}"` : ""})\n`);
      }
    }
  }
}

function describeVolumes(w: PrefixWriter, vols: Pod["spec"]["volumes"], space = "") {
  if (!vols?.length) { w.write(0, `${space}Volumes:\t<none>\n`); return; }
  w.write(0, `${space}Volumes:\n`);
  const lvl = 0;
  for (const v of vols) {
    w.write(1, `${space ? " " : ""}${v.name}:\n`);
    if (v.emptyDir) {
      w.write(lvl + 2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n");
      w.write(lvl + 2, `Medium:\t${v.emptyDir.medium ?? ""}\n`);
      w.write(lvl + 2, `SizeLimit:\t${v.emptyDir.sizeLimit ?? "<unset>"}\n`);
    } else if (v.configMap) {
      w.write(lvl + 2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n");
      w.write(lvl + 2, `Name:\t${v.configMap.name}\n`);
      w.write(lvl + 2, `Optional:\t${v.configMap.optional ? "true" : "false"}\n`);
    } else if (v.secret) {
      w.write(lvl + 2, "Type:\tSecret (a volume populated by a Secret)\n");
      w.write(lvl + 2, `SecretName:\t${v.secret.secretName}\n`);
      w.write(lvl + 2, `Optional:\t${v.secret.optional ? "true" : "false"}\n`);
    } else if (v.hostPath) {
      w.write(lvl + 2, "Type:\tHostPath (bare host directory volume)\n");
      w.write(lvl + 2, `Path:\t${v.hostPath.path}\n`);
      w.write(lvl + 2, `HostPathType:\t${v.hostPath.type ?? ""}\n`);
    } else if (v.persistentVolumeClaim) {
      w.write(lvl + 2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n");
      w.write(lvl + 2, `ClaimName:\t${v.persistentVolumeClaim.claimName}\n`);
      w.write(lvl + 2, `ReadOnly:\t${v.persistentVolumeClaim.readOnly ? "true" : "false"}\n`);
    } else w.write(lvl + 2, "Type:\t<unknown>\n");
  }
}

function tolerationsText(ts: Pod["spec"]["tolerations"]): string[] {
  return (ts ?? []).map((t) => {
    let s = t.key ?? "";
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    return s;
  });
}

function multilineList(w: PrefixWriter, title: string, items: string[], space = "") {
  w.write(0, `${space}${title}:\t`);
  if (!items.length) { w.write(0, "<none>\n"); return; }
  items.forEach((it, i) => w.write(0, `${i > 0 ? "\t" : ""}${it}\n`));
}

function qosClass(p: Pod): string {
  const cs = [...(p.spec.containers ?? []), ...(p.spec.initContainers ?? [])];
  let any = false, guaranteed = true;
  for (const c of cs) {
    const r = c.resources?.requests ?? {}, l = c.resources?.limits ?? {};
    if (Object.keys(r).length || Object.keys(l).length) any = true;
    for (const k of ["cpu", "memory"]) {
      if (!l[k]) guaranteed = false;
      else if (r[k] !== undefined && r[k] !== l[k]) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

export function describePod(sim: Simulation, p: Pod): string {
  const w = new PrefixWriter();
  const now = sim.now;
  w.write(0, `Name:\t${p.metadata.name}\n`);
  w.write(0, `Namespace:\t${p.metadata.namespace}\n`);
  if (p.spec.priorityClassName) w.write(0, `Priority Class Name:\t${p.spec.priorityClassName}\n`);
  w.write(0, `Priority:\t${p.spec.priority ?? 0}\n`);
  w.write(0, `Service Account:\t${p.spec.serviceAccountName ?? "default"}\n`);
  w.write(0, `Node:\t${p.spec.nodeName ? `${p.spec.nodeName}/${p.status?.hostIP ?? ""}` : "<none>"}\n`);
  if (p.status?.startTime) w.write(0, `Start Time:\t${rfc1123z(p.status.startTime)}\n`);
  labels(w, "Labels", p.metadata.labels);
  annotations(w, p.metadata.annotations);
  const phase = p.status?.phase ?? "Pending";
  if (p.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") {
    const until = (parseTime(p.metadata.deletionTimestamp) ?? now) - now;
    w.write(0, `Status:\tTerminating (lasts ${age(new Date(now - until).toISOString(), now)})\n`);
    w.write(0, `Termination Grace Period:\t${p.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${phase}\n`);
  if (p.status?.reason) w.write(0, `Reason:\t${p.status.reason}\n`);
  if (p.status?.message) w.write(0, `Message:\t${p.status.message.replace(/\n/g, " ")}\n`);
  w.write(0, `IP:\t${p.status?.podIP ?? ""}\n`);
  const ips = p.status?.podIPs ?? [];
  if (!ips.length) w.write(0, "IPs:\t<none>\n");
  else { w.write(0, "IPs:\n"); for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`); }
  controlledBy(w, p);
  if (p.status?.nominatedNodeName) w.write(0, `NominatedNodeName:\t${p.status.nominatedNodeName}\n`);
  if (p.spec.initContainers?.length) describeContainers(w, "Init Containers", p.spec.initContainers, p.status?.initContainerStatuses, "");
  describeContainers(w, "Containers", p.spec.containers ?? [], p.status?.containerStatuses, "");
  const conds = p.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of conds) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, p.spec.volumes);
  w.write(0, `QoS Class:\t${qosClass(p)}\n`);
  labels(w, "Node-Selectors", p.spec.nodeSelector);
  multilineList(w, "Tolerations", tolerationsText(p.spec.tolerations));
  describeEvents(w, eventsFor(sim, p), now);
  return w.toString();
}

export function describeNode(sim: Simulation, n: Node): string {
  const w = new PrefixWriter();
  const now = sim.now;
  w.write(0, `Name:\t${n.metadata.name}\n`);
  w.write(0, `Roles:\t${nodeRoles(n).join(",") || "<none>"}\n`);
  labels(w, "Labels", n.metadata.labels);
  annotations(w, n.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(n.metadata.creationTimestamp)}\n`);
  multilineList(w, "Taints", (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? "=" + t.value : ""}:${t.effect}`));
  w.write(0, `Unschedulable:\t${n.spec?.unschedulable ? "true" : "false"}\n`);
  const conds = n.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of conds) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
    }
  }
  const addrs = n.status?.addresses ?? [];
  if (addrs.length) {
    w.write(0, "Addresses:\n");
    for (const a of addrs) w.write(1, `${a.type}:\t${a.address}\n`);
  }
  for (const [t, m] of [["Capacity", n.status?.capacity], ["Allocatable", n.status?.allocatable]] as const) {
    if (!m) continue;
    w.write(0, `${t}:\n`);
    for (const k of Object.keys(m).sort()) w.write(1, `${k}:\t${m[k]}\n`);
  }
  const ni = n.status?.nodeInfo;
  if (ni) {
    w.write(0, "System Info:\n");
    w.write(1, `Machine ID:\t${ni.machineID ?? ""}\n`);
    w.write(1, `System UUID:\t${ni.systemUUID ?? ""}\n`);
    w.write(1, `Boot ID:\t${ni.bootID ?? ""}\n`);
    w.write(1, `Kernel Version:\t${ni.kernelVersion ?? ""}\n`);
    w.write(1, `OS Image:\t${ni.osImage ?? ""}\n`);
    w.write(1, `Operating System:\t${ni.operatingSystem ?? ""}\n`);
    w.write(1, `Architecture:\t${ni.architecture ?? ""}\n`);
    w.write(1, `Container Runtime Version:\t${ni.containerRuntimeVersion ?? ""}\n`);
    w.write(1, `Kubelet Version:\t${ni.kubeletVersion ?? ""}\n`);
    w.write(1, `Kube-Proxy Version:\t${ni.kubeProxyVersion ?? ""}\n`);
  }
  if (n.spec?.podCIDR) w.write(0, `PodCIDR:\t${n.spec.podCIDR}\n`);
  if (n.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${n.spec.podCIDRs.join(",")}\n`);
  const pods = sim.store.podsOnNode(n.metadata.name).filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed")
    .sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  if (pods.length) {
    w.write(1, "Namespace\tName\tAge\n");
    w.write(1, "---------\t----\t---\n");
    for (const p of pods) w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t${age(p.metadata.creationTimestamp, now)}\n`);
  }
  describeEvents(w, eventsFor(sim, n), now);
  return w.toString();
}

export function describeReplicaSet(sim: Simulation, rs: ReplicaSet): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
  labels(w, "Labels", rs.metadata.labels);
  annotations(w, rs.metadata.annotations);
  controlledBy(w, rs);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 1} desired\n`);
  const pods = sim.store.ownedBy<Pod>(rs.metadata.uid, "Pod");
  const count = (ph: string) => pods.filter((p) => (p.status?.phase ?? "Pending") === ph).length;
  w.write(0, `Pods Status:\t${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed\n`);
  describePodTemplate(w, rs.spec.template);
  describeEvents(w, eventsFor(sim, rs), sim.now);
  return w.toString();
}

export function describePodTemplate(w: PrefixWriter, t: ReplicaSet["spec"]["template"]): void {
  w.write(0, "Pod Template:\n");
  labels(w, "  Labels", t?.metadata?.labels);
  if (t?.metadata?.annotations && Object.keys(t.metadata.annotations).length) multiline(w, "  Annotations", t.metadata.annotations, ": ");
  if (t?.spec?.serviceAccountName) w.write(1, `Service Account:\t${t.spec.serviceAccountName}\n`);
  const spec = t?.spec;
  if (spec?.initContainers?.length) describeContainers(w, "Init Containers", spec.initContainers, undefined, "  ");
  describeContainers(w, "Containers", spec?.containers ?? [], undefined, "  ");
  describeVolumes(w, spec?.volumes, "  ");
  labels(w, "  Node-Selectors", spec?.nodeSelector);
  multilineList(w, "  Tolerations", tolerationsText(spec?.tolerations));
}

export function describeNamespace(_sim: Simulation, ns: KubeObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labels(w, "Labels", ns.metadata.labels);
  annotations(w, ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ""}\n`);
  w.write(0, "\nNo resource quota.\n");
  w.write(0, "\nNo LimitRange resource.\n");
  return w.toString();
}

export function describeConfigMap(sim: Simulation, cm: KubeObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`);
  labels(w, "Labels", cm.metadata.labels);
  annotations(w, cm.metadata.annotations);
  w.write(0, "\nData\n====\n");
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, "\n");
  }
  w.write(0, "\nBinaryData\n====\n");
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${Math.floor((String(cm.binaryData[k]).length * 3) / 4)} bytes\n`);
  w.write(0, "\n");
  describeEvents(w, eventsFor(sim, cm), sim.now);
  return w.toString();
}

/** Any other kind: the metadata kubectl shows for every object, then its events. */
export function describeGeneric(sim: Simulation, o: KubeObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${o.metadata.name}\n`);
  if (o.metadata.namespace) w.write(0, `Namespace:\t${o.metadata.namespace}\n`);
  labels(w, "Labels", o.metadata.labels);
  annotations(w, o.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(o.metadata.creationTimestamp)}\n`);
  controlledBy(w, o);
  if (o.spec?.template?.spec) describePodTemplate(w, o.spec.template);
  describeEvents(w, eventsFor(sim, o), sim.now);
  return w.toString();
}
