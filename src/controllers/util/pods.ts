/** Pod helpers shared by controllers (X4, X5, X2). */
import type { KubeObject, OwnerReference, Pod } from "../../api/types.ts";
import { parseTime } from "../../util/time.ts";
import { deepFreeze, frozenCopy } from "../../api/store.ts";

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

/** A template part (stored, so it never changes) → its deep-frozen copy, made once. */
const frozenParts = new WeakMap<object, unknown>();

/**
 * A deep-frozen copy of a template's part (its spec, labels…), made once per part object: every pod created
 * from the template shares it (the store keeps frozen parts as they are, and Pod admission swaps frozen
 * containers/volumes/tolerations for shared frozen defaulted copies). A frozen part is its own copy.
 */
export function sharedPart<T>(part: T): T {
  if (part === null || typeof part !== "object" || Object.isFrozen(part)) return part;
  let f = frozenParts.get(part) as T | undefined;
  if (!f) frozenParts.set(part, (f = frozenCopy(part)));
  return f;
}

/** The last controller reference podFromTemplate froze (one owner creates its pods in a row). */
let lastRefs: OwnerReference[] | undefined;

function sharedOwnerRefs(ref: OwnerReference): OwnerReference[] {
  const l = lastRefs?.[0];
  if (l && l.uid === ref.uid && l.name === ref.name && l.kind === ref.kind && l.apiVersion === ref.apiVersion && l.controller === ref.controller && l.blockOwnerDeletion === ref.blockOwnerDeletion && sameKeys(l, ref)) return lastRefs!;
  return (lastRefs = deepFreeze([{ ...ref }]));
}

function sameKeys(a: object, b: object): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
  return true;
}

/**
 * controller.GetPodFromTemplate: a pod object ready for store.create. generateName is
 * `<prefix>` (X2: callers pass "<owner>-"). The pod's own metadata and spec objects are new (callers may
 * set their keys); everything below them (containers, labels, owner reference…) is deep-frozen and shared
 * by the pods of one template (sharedPart): build a new value to change one.
 */
export function podFromTemplate(template: PodTemplate, namespace: string, generateName: string, ownerRef?: OwnerReference): Pod {
  return podMaker(template, namespace, generateName, ownerRef)();
}

/**
 * podFromTemplate for a run of pods of one template: the shared parts are looked up once, each call makes
 * one pod (what podFromTemplate would return).
 */
export function podMaker(template: PodTemplate, namespace: string, generateName: string, ownerRef?: OwnerReference): () => Pod {
  const tm = template.metadata;
  const labels = tm?.labels ? sharedPart(tm.labels) : undefined;
  const annotations = tm?.annotations ? sharedPart(tm.annotations) : undefined;
  const finalizers = tm?.finalizers ? sharedPart(tm.finalizers) : undefined;
  const ownerReferences = ownerRef ? sharedOwnerRefs(ownerRef) : undefined;
  const spec = template.spec ? sharedPart(template.spec) : undefined;
  return () => {
    const md: Record<string, unknown> = { namespace, generateName };
    if (labels) md.labels = labels;
    if (annotations) md.annotations = annotations;
    if (finalizers) md.finalizers = finalizers;
    if (ownerReferences) md.ownerReferences = ownerReferences;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: md as unknown as Pod["metadata"],
      spec: { ...(spec ?? { containers: [] }) } as Pod["spec"],
      status: {},
    } as Pod;
  };
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
