/**
 * Core kinds admission (Pod, Node, Service, Namespace, ConfigMap, Secret, PVC): the API server's defaulting
 * (`pkg/apis/core/v1/defaults.go`), the admission plugins that matter here (DefaultTolerationSeconds N6,
 * NamespaceLifecycle's metadata label, DefaultStorageClass, Service IP allocation) and validation with
 * upstream's texts (`pkg/apis/core/validation/validation.go`).
 */
import { registerAdmission, type AdmissionCtx } from "./registry.ts";
import { fieldErr, type FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { deepCopy } from "../../util/copy.ts";
import { clone, deepFreeze } from "../store.ts";
import { qosClass, parseQuantity } from "../../scheduler/resources.ts";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

// ------------------------------------------------------------------ Pod

/** `Always` for `:latest` or an untagged image, else `IfNotPresent` (SetDefaults_Container). */
export function defaultPullPolicy(image: string | undefined): "Always" | "IfNotPresent" {
  if (!image) return "IfNotPresent";
  if (image.includes("@")) return "IfNotPresent";
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon <= slash) return "Always";
  return image.slice(colon + 1) === "latest" ? "Always" : "IfNotPresent";
}

function defaultProbe(p: any) {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= "/";
    p.httpGet.scheme ??= "HTTP";
  }
}

function defaultContainer(c: any) {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.resources ??= {};
  if (c.resources.limits && Object.keys(c.resources.limits).length) {
    c.resources.requests = { ...c.resources.limits, ...(c.resources.requests ?? {}) };
  }
  for (const p of c.ports ?? []) p.protocol ??= "TCP";
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= "v1";
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: any) {
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.emptyDir === null) v.emptyDir = {};
}

/** frozen part → its defaulted, deep-frozen copy (a defaulted frozen part maps to itself). */
const defaulted = new WeakMap<object, unknown>();

/**
 * `fn` (an idempotent defaulting) applied to `o`: in place when `o` is a private copy; for a frozen part,
 * which many pods may share (one template's containers), a frozen defaulted copy made once per part.
 */
function defaultPart<T>(o: T, fn: (x: T) => void): T {
  if (!Object.isFrozen(o)) { fn(o); return o; }
  let d = defaulted.get(o as object) as T | undefined;
  if (!d) {
    d = clone(o);
    fn(d);
    deepFreeze(d);
    defaulted.set(o as object, d);
    defaulted.set(d as object, d);
  }
  return d;
}

function defaultEach(list: any[], fn: (x: any) => void): void {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== null && typeof x === "object" && Object.isFrozen(x)) list[i] = defaultPart(x, fn);
    else fn(x);
  }
}

function defaultList(list: any[] | undefined, fn: (x: any) => void): any[] | undefined {
  if (!Array.isArray(list)) { for (const x of list ?? []) fn(x); return list; }
  return defaultPart(list, (l) => defaultEach(l, fn));
}

/**
 * SetDefaults_PodSpec and friends. Idempotent; runs on create and update. Frozen (shared) containers and
 * volumes are replaced by their frozen defaulted copies; the spec object itself must be the caller's own.
 */
export function defaultPodSpec(spec: any) {
  if (!spec) return;
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  spec.serviceAccountName ??= "default";
  spec.serviceAccount = spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  // Assigning an existing key keeps its place: the key order is what in-place defaulting gave.
  if (spec.containers !== undefined) spec.containers = defaultList(spec.containers, defaultContainer);
  if (spec.initContainers !== undefined) spec.initContainers = defaultList(spec.initContainers, defaultContainer);
  if (spec.volumes !== undefined) spec.volumes = defaultList(spec.volumes, defaultVolume);
}

/** What N6 gives a pod without tolerations: the same two for every pod, so one frozen list they all share. */
const DEFAULT_TOLERATIONS = deepFreeze([
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
]);

/** N6 DefaultTolerationSeconds: not-ready / unreachable NoExecute for 300s unless already tolerated. */
export function addDefaultTolerations(spec: any) {
  // (null or missing: tolerates nothing, so it gets exactly the two defaults)
  if (spec.tolerations === undefined || spec.tolerations === null) { spec.tolerations = DEFAULT_TOLERATIONS; return; }
  if (Array.isArray(spec.tolerations) && Object.isFrozen(spec.tolerations)) { spec.tolerations = defaultPart(spec.tolerations, (t) => addTolerations(t)); return; }
  const next = withDefaultTolerations(spec.tolerations);
  if (next) spec.tolerations = next;
}

/** Appends the defaults to a private list (in place). */
function addTolerations(tols: any[]): void {
  const next = withDefaultTolerations(tols);
  if (next) for (let i = tols.length; i < next.length; i++) tols.push(next[i]);
}

/** `tols` plus the default tolerations it lacks, or undefined when it lacks none. */
function withDefaultTolerations(tols: any[] | null): any[] | undefined {
  tols ??= [];
  const tolerates = (key: string) =>
    tols.some((t) => (t.key === key || !t.key) && (t.effect === "NoExecute" || !t.effect));
  const add: any[] = [];
  if (!tolerates("node.kubernetes.io/not-ready")) add.push({ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
  if (!tolerates("node.kubernetes.io/unreachable")) add.push({ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
  return add.length ? [...tols, ...add] : undefined;
}

const POD_UPDATE_FORBIDDEN = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

function validateContainers(list: any[], path: string, names: Set<string>, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c || typeof c !== "object") { errs.push(fieldErr.required(p)); return; }
    if (!c.name) errs.push(fieldErr.required(`${p}.name`));
    else if (!DNS1123_LABEL.test(c.name) || c.name.length > 63) errs.push(fieldErr.invalid(`${p}.name`, c.name, DNS_LABEL_MSG));
    else if (names.has(c.name)) errs.push(fieldErr.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    if (!c.image || (typeof c.image === "string" && c.image.trim() === "")) errs.push(fieldErr.required(`${p}.image`));
    (c.ports ?? []).forEach((port: any, j: number) => {
      const pp = `${p}.ports[${j}]`;
      if (!port.containerPort) errs.push(fieldErr.required(`${pp}.containerPort`));
      else if (!(port.containerPort >= 1 && port.containerPort <= 65535)) errs.push(fieldErr.invalid(`${pp}.containerPort`, port.containerPort, "must be between 1 and 65535, inclusive"));
      if (port.hostPort !== undefined && port.hostPort !== 0 && !(port.hostPort >= 1 && port.hostPort <= 65535)) errs.push(fieldErr.invalid(`${pp}.hostPort`, port.hostPort, "must be between 1 and 65535, inclusive"));
      if (port.protocol && !["TCP", "UDP", "SCTP"].includes(port.protocol)) errs.push(fieldErr.unsupported(`${pp}.protocol`, port.protocol, ["SCTP", "TCP", "UDP"]));
    });
    (c.volumeMounts ?? []).forEach((m: any, j: number) => {
      const mp = `${p}.volumeMounts[${j}]`;
      if (!m.name) errs.push(fieldErr.required(`${mp}.name`));
      else if (!volumes.has(m.name)) errs.push({ field: `${mp}.name`, message: `Not found: ${JSON.stringify(m.name)}` });
      if (!m.mountPath) errs.push(fieldErr.required(`${mp}.mountPath`));
    });
    if (c.imagePullPolicy && !["Always", "IfNotPresent", "Never"].includes(c.imagePullPolicy)) {
      errs.push(fieldErr.unsupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ["Always", "IfNotPresent", "Never"]));
    }
  });
  return errs;
}

/** A frozen (shared) list or none: a spec made of such parts validates the same every time. */
function frozenOrNone(x: unknown): boolean {
  return x === undefined || (x !== null && typeof x === "object" && Object.isFrozen(x));
}

/** Frozen containers list → the other parts (frozen) and policies of specs found valid with it. */
const validSpecs = new WeakMap<object, Array<{ init: unknown; volumes: unknown; tolerations: unknown; restart: unknown; dns: unknown }>>();

/**
 * ValidatePodSpec (the subset with user-facing texts). `path` is "spec" or "spec.template.spec". It reads
 * only containers, initContainers, volumes, tolerations, restartPolicy and dnsPolicy: pods whose spec shares
 * those frozen parts (one template's) and policies are checked once.
 */
export function validatePodSpec(spec: any, path = "spec"): FieldError[] {
  const cacheable = !!spec && typeof spec === "object" && Array.isArray(spec.containers) && Object.isFrozen(spec.containers)
    && frozenOrNone(spec.initContainers) && frozenOrNone(spec.volumes) && frozenOrNone(spec.tolerations);
  if (cacheable) {
    const seen = validSpecs.get(spec.containers);
    if (seen) {
      for (const v of seen) {
        if (v.init === spec.initContainers && v.volumes === spec.volumes && v.tolerations === spec.tolerations && v.restart === spec.restartPolicy && v.dns === spec.dnsPolicy) return [];
      }
    }
  }
  const errs = checkPodSpec(spec, path);
  if (cacheable && !errs.length) {
    let seen = validSpecs.get(spec.containers);
    if (!seen) validSpecs.set(spec.containers, (seen = []));
    if (seen.length < 8) seen.push({ init: spec.initContainers, volumes: spec.volumes, tolerations: spec.tolerations, restart: spec.restartPolicy, dns: spec.dnsPolicy });
  }
  return errs;
}

function checkPodSpec(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [fieldErr.required(path)];
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    if (!v.name) errs.push(fieldErr.required(`${path}.volumes[${i}].name`));
    else if (volumes.has(v.name)) errs.push(fieldErr.duplicate(`${path}.volumes[${i}].name`, v.name));
    else volumes.add(v.name);
  });
  const names = new Set<string>();
  errs.push(...validateContainers(spec.initContainers ?? [], `${path}.initContainers`, names, volumes));
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errs.push(fieldErr.required(`${path}.containers`));
  else errs.push(...validateContainers(spec.containers, `${path}.containers`, names, volumes));
  if (spec.restartPolicy !== undefined && !["Always", "OnFailure", "Never"].includes(spec.restartPolicy)) {
    errs.push(fieldErr.unsupported(`${path}.restartPolicy`, spec.restartPolicy, ["Always", "OnFailure", "Never"]));
  }
  if (spec.dnsPolicy !== undefined && !["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"].includes(spec.dnsPolicy)) {
    errs.push(fieldErr.unsupported(`${path}.dnsPolicy`, spec.dnsPolicy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]));
  }
  (spec.tolerations ?? []).forEach((t: any, i: number) => {
    const p = `${path}.tolerations[${i}]`;
    if (t.operator && !["Exists", "Equal"].includes(t.operator)) errs.push(fieldErr.unsupported(`${p}.operator`, t.operator, ["Equal", "Exists"]));
    if (t.operator === "Exists" && t.value) errs.push(fieldErr.invalid(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    if (!t.key && t.operator !== "Exists") errs.push(fieldErr.invalid(`${p}.operator`, t.operator ?? "", "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
    if (t.effect && !["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect)) errs.push(fieldErr.unsupported(`${p}.effect`, t.effect, ["NoExecute", "NoSchedule", "PreferNoSchedule"]));
    if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute") errs.push(fieldErr.invalid(`${p}.effect`, t.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  });
  return errs;
}

/** The parts of a pod spec that an update may change, blanked, for the immutability check. */
function maskMutable(spec: any, old: any): string {
  const s = deepCopy(spec ?? {});
  for (const c of s.containers ?? []) delete c.image;
  for (const c of s.initContainers ?? []) delete c.image;
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  delete s.terminationGracePeriodSeconds;
  // The binding sets nodeName; a PUT that keeps the stored value is no change.
  if (!s.nodeName && old?.nodeName) s.nodeName = old.nodeName;
  return JSON.stringify(sortKeys(s));
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: any = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  if (maskMutable(obj.spec, old.spec) !== maskMutable(old.spec, old.spec)) return [fieldErr.forbidden("spec", POD_UPDATE_FORBIDDEN)];
  // tolerations: only additions
  const oldT = (old.spec?.tolerations ?? []).map((t: unknown) => JSON.stringify(sortKeys(t)));
  const newT = new Set((obj.spec?.tolerations ?? []).map((t: unknown) => JSON.stringify(sortKeys(t))));
  if (oldT.some((t: string) => !newT.has(t))) return [fieldErr.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")];
  return [];
}

registerAdmission("Pod", {
  default(obj, ctx) {
    obj.spec ??= {};
    if (ctx.op === "UPDATE" && ctx.old && !obj.spec.nodeName && ctx.old.spec?.nodeName) obj.spec.nodeName = ctx.old.spec.nodeName;
    defaultPodSpec(obj.spec);
    if (ctx.op === "CREATE") {
      obj.spec.priority ??= 0;
      addDefaultTolerations(obj.spec);
      // PodStrategy.PrepareForCreate: the client's status is dropped.
      obj.status = { phase: "Pending", qosClass: qosClass(obj) };
    } else if (ctx.old?.spec?.priority !== undefined) {
      obj.spec.priority ??= ctx.old.spec.priority;
    }
  },
  validate(obj, ctx) {
    const errs = validatePodSpec(obj.spec, "spec");
    if (errs.length) return errs;
    if (ctx.op === "UPDATE" && ctx.old) return validatePodUpdate(obj, ctx.old);
    return [];
  },
});

// ------------------------------------------------------------------ Node

registerAdmission("Node", {
  default(obj) {
    obj.spec ??= {};
  },
  validate(obj) {
    const errs: FieldError[] = [];
    (obj.spec?.taints ?? []).forEach((t: any, i: number) => {
      const p = `spec.taints[${i}]`;
      if (!t.key) errs.push(fieldErr.required(`${p}.key`));
      if (!t.effect) errs.push(fieldErr.required(`${p}.effect`));
      else if (!["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect)) errs.push(fieldErr.unsupported(`${p}.effect`, t.effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"]));
    });
    return errs;
  },
});

// ------------------------------------------------------------------ Namespace

registerAdmission("Namespace", {
  default(obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), "kubernetes.io/metadata.name": obj.metadata.name };
    obj.spec ??= {};
    obj.spec.finalizers ??= ["kubernetes"];
    obj.status ??= {};
    obj.status.phase ??= "Active";
  },
});

// ------------------------------------------------------------------ ConfigMap / Secret

registerAdmission("Secret", {
  default(obj) {
    obj.type ??= "Opaque";
    if (obj.stringData) {
      const data: Record<string, string> = { ...(obj.data ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) data[k] = base64(String(v));
      obj.data = data;
      delete obj.stringData;
    }
  },
  validate(obj) {
    const errs: FieldError[] = [];
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
      if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
        errs.push(fieldErr.invalid(`data[${k}]`, "<secret contents redacted>", "illegal base64 data"));
      }
    }
    return errs;
  },
});

registerAdmission("ConfigMap", {
  validate(obj) {
    const errs: FieldError[] = [];
    for (const k of Object.keys(obj.data ?? {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k)) errs.push(fieldErr.invalid(`data`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
    return errs;
  },
});

/** UTF-8 → base64 without Buffer/btoa differences. */
export function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!, b1 = bytes[i + 1], b2 = bytes[i + 2];
    out += A[b0 >> 2]! + A[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]!;
    out += b1 === undefined ? "=" : A[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]!;
    out += b2 === undefined ? "=" : A[b2 & 63]!;
  }
  return out;
}

// ------------------------------------------------------------------ Service

const SVC_BASE = (10 << 24) | (96 << 16); // 10.96.0.0/12
const SVC_SIZE = 1 << 20;

function ipString(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * ClusterIP allocation from 10.96.0.0/12: `kubernetes` gets .1 as on a real cluster; others get a seeded
 * random address in the dynamic band (offsets above the 256-address static band, as the
 * ServiceIPStaticSubrange allocator does), skipping used ones.
 */
function allocateClusterIP(obj: KubeObject, ctx: AdmissionCtx): string {
  const used = new Set<string>();
  for (const s of ctx.store.list("Service")) if (s.spec?.clusterIP) used.add(s.spec.clusterIP);
  if (obj.metadata.name === "kubernetes" && obj.metadata.namespace === "default" && !used.has("10.96.0.1")) return "10.96.0.1";
  for (let i = 0; i < 1000; i++) {
    const off = 256 + ctx.store.rng.int(SVC_SIZE - 256 - 1);
    const ip = ipString(SVC_BASE + off);
    if (!used.has(ip)) return ip;
  }
  throw new Error("internal error: failed to allocate a serviceIP: range is full");
}

function allocateNodePort(ctx: AdmissionCtx, taken: Set<number>): number {
  for (const s of ctx.store.list("Service")) for (const p of s.spec?.ports ?? []) if (p.nodePort) taken.add(p.nodePort);
  for (let i = 0; i < 5000; i++) {
    const p = 30000 + ctx.store.rng.int(2768);
    if (!taken.has(p)) { taken.add(p); return p; }
  }
  throw new Error("range is full");
}

registerAdmission("Service", {
  default(obj, ctx) {
    const spec = (obj.spec ??= {});
    const old = ctx.op === "UPDATE" ? ctx.old : undefined;
    spec.type ??= "ClusterIP";
    spec.sessionAffinity ??= "None";
    if (spec.type !== "ExternalName") {
      if (old?.spec?.clusterIP && spec.clusterIP === undefined) spec.clusterIP = old.spec.clusterIP;
      if (spec.clusterIP === undefined || spec.clusterIP === "") spec.clusterIP = allocateClusterIP(obj, ctx);
      spec.clusterIPs ??= [spec.clusterIP];
      if (spec.clusterIP !== "None") {
        spec.ipFamilies ??= ["IPv4"];
        spec.ipFamilyPolicy ??= "SingleStack";
      } else {
        spec.ipFamilies ??= ["IPv4"];
        spec.ipFamilyPolicy ??= "SingleStack";
      }
      spec.internalTrafficPolicy ??= "Cluster";
    }
    if (spec.type === "NodePort" || spec.type === "LoadBalancer") spec.externalTrafficPolicy ??= "Cluster";
    if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
    const taken = new Set<number>();
    const oldPorts: any[] = old?.spec?.ports ?? [];
    for (const p of spec.ports ?? []) {
      p.protocol ??= "TCP";
      if (p.targetPort === undefined) p.targetPort = p.port;
      if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
        const prev = oldPorts.find((o) => o.port === p.port && o.protocol === p.protocol);
        if (!p.nodePort && prev?.nodePort) p.nodePort = prev.nodePort;
        if (!p.nodePort) p.nodePort = allocateNodePort(ctx, taken);
      }
    }
    if (ctx.op === "CREATE") obj.status = spec.type === "LoadBalancer" ? { loadBalancer: {} } : { loadBalancer: {} };
  },
  validate(obj, ctx) {
    const errs: FieldError[] = [];
    const spec = obj.spec ?? {};
    if (!["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].includes(spec.type)) {
      errs.push(fieldErr.unsupported("spec.type", spec.type, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]));
    }
    const headless = spec.clusterIP === "None";
    if (!headless && spec.type !== "ExternalName" && !(spec.ports?.length)) errs.push(fieldErr.required("spec.ports"));
    const names = new Set<string>();
    (spec.ports ?? []).forEach((p: any, i: number) => {
      const pp = `spec.ports[${i}]`;
      if ((spec.ports.length > 1) && !p.name) errs.push(fieldErr.required(`${pp}.name`));
      if (p.name) {
        if (names.has(p.name)) errs.push(fieldErr.duplicate(`${pp}.name`, p.name));
        names.add(p.name);
      }
      if (!(p.port >= 1 && p.port <= 65535)) errs.push(fieldErr.invalid(`${pp}.port`, p.port ?? 0, "must be between 1 and 65535, inclusive"));
      if (p.protocol && !["TCP", "UDP", "SCTP"].includes(p.protocol)) errs.push(fieldErr.unsupported(`${pp}.protocol`, p.protocol, ["SCTP", "TCP", "UDP"]));
    });
    if (ctx.op === "UPDATE" && ctx.old?.spec?.clusterIP && spec.clusterIP !== ctx.old.spec.clusterIP && spec.type !== "ExternalName") {
      errs.push(fieldErr.invalid("spec.clusterIPs[0]", [spec.clusterIP], "may not change once set"));
    }
    if (spec.selector) {
      for (const [k, v] of Object.entries(spec.selector as Record<string, unknown>)) {
        if (typeof v !== "string") errs.push(fieldErr.invalid(`spec.selector`, v, `label value for ${k} must be a string`));
      }
    }
    return errs;
  },
});

// ------------------------------------------------------------------ PersistentVolumeClaim

registerAdmission("PersistentVolumeClaim", {
  default(obj, ctx) {
    const spec = (obj.spec ??= {});
    spec.volumeMode ??= "Filesystem";
    if (ctx.op === "CREATE") {
      // DefaultStorageClass admission: the simulated cluster's default class is "standard".
      if (spec.storageClassName === undefined) spec.storageClassName = "standard";
      obj.status = { phase: "Pending" };
    } else if (ctx.old) {
      spec.volumeName ??= ctx.old.spec?.volumeName;
      spec.storageClassName ??= ctx.old.spec?.storageClassName;
    }
  },
  validate(obj, ctx) {
    const errs: FieldError[] = [];
    const spec = obj.spec ?? {};
    if (!(spec.accessModes?.length)) errs.push(fieldErr.required("spec.accessModes", "at least 1 access mode is required"));
    for (const m of spec.accessModes ?? []) {
      if (!["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"].includes(m)) errs.push(fieldErr.unsupported("spec.accessModes", m, ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]));
    }
    const storage = spec.resources?.requests?.storage;
    if (storage === undefined) errs.push(fieldErr.required("spec.resources[storage]"));
    else if (!(parseQuantity(storage) > 0)) errs.push(fieldErr.invalid("spec.resources[storage]", storage, "must be greater than zero"));
    if (ctx.op === "UPDATE" && ctx.old) {
      const a = { ...ctx.old.spec, resources: undefined, volumeName: undefined };
      const b = { ...spec, resources: undefined, volumeName: undefined };
      if (JSON.stringify(sortKeys(a)) !== JSON.stringify(sortKeys(b))) {
        errs.push(fieldErr.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
      }
    }
    return errs;
  },
});
