/**
 * The kinds the simulated API serves, with the names kubectl uses for them
 * (`kubectl api-resources`). kubectl resolves `po`, `pods`, `pod`, `Pod`, `deploy` … through this table.
 */
export interface KindInfo {
  kind: string;
  apiVersion: string;
  group: string; // "" for core
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
}

const K = (kind: string, apiVersion: string, plural: string, shortNames: string[], namespaced = true): KindInfo => ({
  kind, apiVersion, group: apiVersion.includes("/") ? apiVersion.split("/")[0]! : "", plural, singular: kind.toLowerCase(), shortNames, namespaced,
});

export const KINDS: KindInfo[] = [
  K("Pod", "v1", "pods", ["po"]),
  K("Node", "v1", "nodes", ["no"], false),
  K("Namespace", "v1", "namespaces", ["ns"], false),
  K("Service", "v1", "services", ["svc"]),
  K("Endpoints", "v1", "endpoints", ["ep"]),
  K("ConfigMap", "v1", "configmaps", ["cm"]),
  K("Secret", "v1", "secrets", []),
  K("PersistentVolumeClaim", "v1", "persistentvolumeclaims", ["pvc"]),
  K("Event", "v1", "events", ["ev"]),
  K("ReplicaSet", "apps/v1", "replicasets", ["rs"]),
  K("Deployment", "apps/v1", "deployments", ["deploy"]),
  K("DaemonSet", "apps/v1", "daemonsets", ["ds"]),
  K("StatefulSet", "apps/v1", "statefulsets", ["sts"]),
  K("ControllerRevision", "apps/v1", "controllerrevisions", []),
  K("Job", "batch/v1", "jobs", []),
  K("CronJob", "batch/v1", "cronjobs", ["cj"]),
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));
const byName = new Map<string, KindInfo>();
for (const k of KINDS) {
  for (const n of [k.kind.toLowerCase(), k.plural, k.singular, ...k.shortNames]) byName.set(n, k);
  if (k.group) {
    byName.set(`${k.plural}.${k.group}`, k);
    byName.set(`${k.singular}.${k.group}`, k);
  }
}

export function kindInfo(kind: string): KindInfo {
  const k = byKind.get(kind);
  if (!k) throw new Error(`unknown kind ${kind}`);
  return k;
}
export function maybeKindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}
/** Resolve what a user typed (`po`, `deployments.apps`, `Deployment`) to a kind. */
export function resolveResource(name: string): KindInfo | undefined {
  return byName.get(name.toLowerCase()) ?? byName.get(name);
}
/** `deployments.apps` / `pods`: the resource string kubectl uses in messages ("deployments.apps "x" not found"). */
export function resourceString(k: KindInfo): string {
  return k.group ? `${k.plural}.${k.group}` : k.plural;
}
/** `deployment.apps/web`, `pod/web-0`: what `kubectl apply`/`-o name` print. */
export function typedName(k: KindInfo, name: string): string {
  return k.group ? `${k.singular}.${k.group}/${name}` : `${k.singular}/${name}`;
}

/** API versions that Kubernetes removed, with the version that replaced them (for kubectl-like refusals). */
export const REMOVED_VERSIONS: Record<string, Record<string, string>> = {
  "extensions/v1beta1": { DaemonSet: "apps/v1", Deployment: "apps/v1", ReplicaSet: "apps/v1", Ingress: "networking.k8s.io/v1", NetworkPolicy: "networking.k8s.io/v1", PodSecurityPolicy: "(removed in 1.25)" },
  "apps/v1beta1": { Deployment: "apps/v1", StatefulSet: "apps/v1" },
  "apps/v1beta2": { Deployment: "apps/v1", StatefulSet: "apps/v1", DaemonSet: "apps/v1", ReplicaSet: "apps/v1" },
  "batch/v1beta1": { CronJob: "batch/v1" },
  "batch/v2alpha1": { CronJob: "batch/v1" },
};
