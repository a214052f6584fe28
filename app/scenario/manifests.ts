/**
 * Export and import of manifests. Pure: YAML text in, YAML text out.
 *
 * Export: the user's objects as `kubectl get … -o yaml` prints them, minus what the API server owns
 * (status, uid, resourceVersion, generation, creationTimestamp, managedFields, last-applied and
 * revision annotations) and minus what controllers made (anything with an ownerReference: the pods of
 * a ReplicaSet, the ReplicaSets of a Deployment, the Jobs of a CronJob…), so the result can go straight
 * back into `kubectl apply -f`.
 */
import { parseAllDocuments, stringify } from "yaml";

/** The kinds a user creates, in an order that applies cleanly (namespaces first). */
export const EXPORT_TYPES = [
  "namespaces", "configmaps", "secrets", "persistentvolumeclaims", "services",
  "deployments", "replicasets", "daemonsets", "statefulsets", "jobs", "cronjobs", "pods",
];
export const EXPORT_QUERY = `kubectl get ${EXPORT_TYPES.join(",")} -A -o yaml`;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

const SYSTEM_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
const DROP_META = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];
const DROP_ANN = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision", "deprecated.daemonset.template.generation"];

/** Objects the cluster makes for itself (not the user's). */
export function isSystemObject(o: Obj): boolean {
  const meta = isObj(o.metadata) ? o.metadata : {};
  const kind = o.kind;
  if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) return true;
  if (kind === "Namespace" && SYSTEM_NAMESPACES.has(String(meta.name))) return true;
  if (kind === "Service" && meta.name === "kubernetes" && meta.namespace === "default") return true;
  if (kind === "ConfigMap" && meta.name === "kube-root-ca.crt") return true;
  if (kind === "Event" || kind === "Endpoints" || kind === "ControllerRevision" || kind === "Node") return true;
  return false;
}

/** One object made ready for `kubectl apply -f` (a new object; the input is not changed). */
export function cleanObject(o: Obj): Obj {
  const out: Obj = { ...o };
  delete out.status;
  if (isObj(o.metadata)) {
    const meta: Obj = { ...o.metadata };
    for (const k of DROP_META) delete meta[k];
    if (isObj(meta.annotations)) {
      const ann: Obj = { ...meta.annotations };
      for (const k of DROP_ANN) delete ann[k];
      if (Object.keys(ann).length) meta.annotations = ann; else delete meta.annotations;
    }
    out.metadata = meta;
  }
  if (o.kind === "Service" && isObj(o.spec)) {
    const spec: Obj = { ...o.spec };
    delete spec.clusterIP;
    delete spec.clusterIPs;
    out.spec = spec;
  }
  return out;
}

/** Flatten `kind: List` documents into their items. */
function flatten(docs: unknown[]): Obj[] {
  const out: Obj[] = [];
  for (const d of docs) {
    if (!isObj(d)) continue;
    if (typeof d.kind === "string" && d.kind.endsWith("List") && Array.isArray(d.items)) {
      for (const it of d.items) if (isObj(it)) out.push(it);
    } else out.push(d);
  }
  return out;
}

/** `kubectl get … -o yaml` output (a List) → multi-document YAML of the user's objects. */
export function exportManifests(getYaml: string): { yaml: string; count: number } {
  const docs = parseAllDocuments(getYaml).map((d) => d.toJS() as unknown);
  const objs = flatten(docs).filter((o) => !isSystemObject(o)).map(cleanObject);
  const yaml = objs.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
  return { yaml, count: objs.length };
}

export type ImportKind =
  | { kind: "manifests"; yaml: string; count: number }
  | { kind: "script"; script: string }
  | { kind: "error"; error: string };

/**
 * What a dropped or pasted text is: Kubernetes YAML (one or more objects, or a `kubectl get -o yaml`
 * List) to apply, or a kubeplay script (.kp) to open.
 */
export function classifyImport(text: string, fileName = ""): ImportKind {
  const t = text.replace(/^\uFEFF/, "");
  if (!t.trim()) return { kind: "error", error: "The file is empty." };
  if (/\.kp$/i.test(fileName)) return { kind: "script", script: t };
  const firstCmd = t.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith("#"));
  if (firstCmd && /^(kubectl|k|sim)\s/.test(firstCmd)) return { kind: "script", script: t };
  let docs: unknown[];
  try {
    const parsed = parseAllDocuments(t);
    const bad = parsed.find((d) => d.errors.length);
    if (bad) return { kind: "error", error: `Not YAML or a kubeplay script: ${bad.errors[0]!.message.split("\n")[0]}` };
    docs = parsed.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch (e) {
    return { kind: "error", error: `Not YAML or a kubeplay script: ${(e as Error).message.split("\n")[0]}` };
  }
  const objs = flatten(docs);
  if (!objs.length || !objs.every((o) => typeof o.apiVersion === "string" && typeof o.kind === "string")) {
    return { kind: "error", error: "Not Kubernetes objects (every document needs apiVersion and kind) or a kubeplay script." };
  }
  const keep = objs.filter((o) => !isSystemObject(o)).map(cleanObject);
  if (!keep.length) return { kind: "error", error: "Nothing to import: every object was made by a controller or the cluster." };
  return { kind: "manifests", yaml: keep.map((o) => stringify(o, { lineWidth: 0 })).join("---\n"), count: keep.length };
}
