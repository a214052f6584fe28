/** Pod helpers shared by controllers (X4, X5, X2). */
import type { KubeObject, OwnerReference, Pod } from "../../api/types.ts";
import { parseTime } from "../../util/time.ts";

/** X4: phase not Succeeded/Failed and no deletionTimestamp. */
export function isPodActive(p: Pod): boolean {
  const ph = p.status?.phase;
  return ph !== "Succeeded" && ph !== "Failed" && !p.metadata.deletionTimestamp;
}

export function isPodTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp;
}

export function podCondition(p: Pod, type: string) {
  const conds = p.status?.conditions;
  if (!conds) return undefined;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === type) return conds[i];
  return undefined;
}

/** X5: Ready condition True. */
export function isPodReady(p: Pod): boolean {
  return podCondition(p, "Ready")?.status === "True";
}

/** X5: Ready for more than minReadySeconds (strictly), measured on the Ready condition's lastTransitionTime. */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const c = podCondition(p, "Ready");
  if (c?.status !== "True") return false;
  if (!minReadySeconds) return true;
  const t = parseTime(c.lastTransitionTime);
  return t !== undefined && t + minReadySeconds * 1000 < now;
}

/** When a pod not yet available will become available (ms), or undefined. */
export function availableAt(p: Pod, minReadySeconds: number): number | undefined {
  const c = podCondition(p, "Ready");
  if (c?.status !== "True") return undefined;
  const t = parseTime(c.lastTransitionTime);
  return t === undefined ? undefined : t + minReadySeconds * 1000 + 1;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; name?: string; finalizers?: string[] };
  spec?: Pod["spec"];
}

/**
 * controller.GetPodFromTemplate: a pod object ready for store.create. generateName is
 * `<prefix>` (X2: callers pass "<owner>-"). Labels, annotations and finalizers are copied; the spec is
 * deep-copied (the store clones again on create, so sharing is safe).
 */
export function podFromTemplate(template: PodTemplate, namespace: string, generateName: string, ownerRef?: OwnerReference): Pod {
  const md: Record<string, unknown> = { namespace, generateName };
  if (template.metadata?.labels) md.labels = { ...template.metadata.labels };
  if (template.metadata?.annotations) md.annotations = { ...template.metadata.annotations };
  if (template.metadata?.finalizers) md.finalizers = [...template.metadata.finalizers];
  if (ownerRef) md.ownerReferences = [ownerRef];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: md as unknown as Pod["metadata"],
    // The store deep-copies on create, so the template's spec can be passed as is.
    spec: (template.spec ?? { containers: [] }) as Pod["spec"],
    status: {},
  } as Pod;
}

/** Max restartCount across containers (R2 rule 7). */
export function maxRestarts(p: Pod): number {
  let m = 0;
  for (const c of p.status?.containerStatuses ?? []) m = Math.max(m, c.restartCount ?? 0);
  return m;
}

export function ownerUidOf(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}
