/**
 * The StatefulSet controller (pkg/controller/statefulset): claim pods and revisions, find the current
 * and update ControllerRevisions, run the pure plan (./plan.ts) and carry it out with stable pod
 * identities (S1) and a PVC per volumeClaimTemplate, then write status (S8) and prune history.
 */
import type { ControllerRevision, KubeObject, ObjectKey, PersistentVolumeClaim, Pod, StatefulSet } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import { fromLabelSelector, matches } from "../../api/labels.ts";
import { ApiError } from "../../api/errors.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef, Result } from "../types.ts";
import { claimObjects } from "../util/claim.ts";
import { controllerOf, newControllerRef } from "../util/refs.ts";
import { ensureRevision, ownedRevisions, pruneRevisions } from "../util/history.ts";
import { computeHash } from "../util/hash.ts";
import { isPodAvailable, isPodReady, podFromTemplate } from "../util/pods.ts";
import { availableAt } from "../util/pods.ts";
import { parentAndOrdinal, planStatefulSet, type StsPlanInput, type StsPodView } from "./plan.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const NAME = "statefulset";
const COMPONENT = "statefulset-controller";
export const REVISION_LABEL = "controller-revision-hash";
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

/** The data a StatefulSet ControllerRevision records (getPatch): the template, replaced wholesale. */
export function revisionData(set: StatefulSet): unknown {
  return { spec: { template: { ...structuredClone(set.spec.template), $patch: "replace" } } };
}

function templateOf(rev: ControllerRevision | undefined, set: StatefulSet): StatefulSet["spec"]["template"] {
  const t = (rev?.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!t) return set.spec.template;
  const { $patch: _p, ...rest } = t;
  return rest as StatefulSet["spec"]["template"];
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

export function claimName(templateName: string, set: StatefulSet, ordinal: number): string {
  return `${templateName}-${set.metadata.name}-${ordinal}`;
}

/** newStatefulSetPod: identity (S1) and storage. */
export function newStatefulSetPod(set: StatefulSet, template: StatefulSet["spec"]["template"], ordinal: number, revisionName: string): Pod {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(template as never, set.metadata.namespace!, "", newControllerRef(set));
  delete (pod.metadata as { generateName?: string }).generateName;
  pod.metadata.name = name;
  const hash = revisionName.slice(set.metadata.name.length + 1);
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_LABEL]: hash, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) };
  pod.spec.hostname = name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const claims = set.spec.volumeClaimTemplates ?? [];
  if (claims.length) {
    const vols = (pod.spec.volumes ?? []).filter((v) => !claims.some((c) => c.metadata?.name === v.name));
    for (const c of claims) vols.push({ name: c.metadata!.name!, persistentVolumeClaim: { claimName: claimName(c.metadata!.name!, set, ordinal) } });
    pod.spec.volumes = vols;
  }
  return pod;
}

function podView(set: StatefulSet, p: Pod, now: number): StsPodView {
  const runningAndReady = p.status?.phase === "Running" && isPodReady(p);
  return {
    name: p.metadata.name,
    ordinal: parentAndOrdinal(p.metadata.name).ordinal,
    revision: `${set.metadata.name}-${p.metadata.labels?.[REVISION_LABEL] ?? ""}`,
    phase: p.status?.phase ?? "",
    runningAndReady,
    available: runningAndReady && isPodAvailable(p, set.spec.minReadySeconds ?? 0, now),
    terminating: !!p.metadata.deletionTimestamp,
  };
}

/** Pods of this set: claimed (X7) and named `<set>-<ordinal>` (isMemberOf). */
function getPodsForStatefulSet(ctx: Ctx, set: StatefulSet): Pod[] {
  const selector = fromLabelSelector(set.spec.selector);
  const owned = ctx.store.ownedBy<Pod>(set.metadata.uid, "Pod");
  const matching = ctx.store.list<Pod>("Pod", { namespace: set.metadata.namespace!, selector })
    .filter((p) => parentAndOrdinal(p.metadata.name).parent === set.metadata.name);
  return claimObjects(ctx, set, selector, [...owned, ...matching]).filter((p) => controllerOf(p)?.uid === set.metadata.uid);
}

/** createPersistentVolumeClaims: one PVC per template, `<claim>-<set>-<ordinal>`; existing ones are reused (S1). */
function createMissingClaims(ctx: Ctx, set: StatefulSet, pod: Pod, ordinal: number): string | undefined {
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const name = claimName(t.metadata!.name!, set, ordinal);
    const existing = ctx.store.get<PersistentVolumeClaim>("PersistentVolumeClaim", set.metadata.namespace, name);
    if (existing) {
      if (existing.metadata.deletionTimestamp) return `pvc ${name} is being deleted`;
      continue;
    }
    const labels = { ...(t.metadata?.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) };
    // StatefulSetAutoDeletePVC (beta, on): whenDeleted=Delete makes the set the claim's owner, so the GC
    // removes the claim with the set.
    const owners = set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === "Delete" ? [newControllerRef(set)] : undefined;
    try {
      ctx.store.create({
        apiVersion: "v1", kind: "PersistentVolumeClaim",
        metadata: { name, namespace: set.metadata.namespace, labels, ...(owners ? { ownerReferences: owners } : {}), ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}) } as never,
        spec: structuredClone(t.spec ?? {}),
      });
      ctx.events.event(set, "Normal", "SuccessfulCreate", `create Claim ${name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`, COMPONENT);
    } catch (e) {
      const msg = `create Claim ${name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`;
      ctx.events.event(set, "Warning", "FailedCreate", msg, COMPONENT);
      return msg;
    }
  }
  return undefined;
}

/** whenScaled=Delete: a condemned pod becomes the owner of its claims, so they go with it (UpdatePodClaimForRetentionPolicy). */
function claimsFollowPod(ctx: Ctx, set: StatefulSet, pod: Pod) {
  const ordinal = parentAndOrdinal(pod.metadata.name).ordinal;
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const name = claimName(t.metadata!.name!, set, ordinal);
    const pvc = ctx.store.get("PersistentVolumeClaim", set.metadata.namespace, name);
    if (!pvc || (pvc.metadata.ownerReferences ?? []).some((r) => r.uid === pod.metadata.uid)) continue;
    ctx.store.mutate("PersistentVolumeClaim", set.metadata.namespace, name, (c) => {
      const refs = (c.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid);
      refs.push({ apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid, controller: false, blockOwnerDeletion: true });
      c.metadata.ownerReferences = refs;
    }, { skipAdmission: true });
  }
}

export function reconcileStatefulSet(ctx: Ctx, key: ObjectKey): Result | void {
  const { namespace, name } = splitKey(key);
  const set = ctx.store.get<StatefulSet>("StatefulSet", namespace, name);
  if (!set) return;
  const now = ctx.now();
  // Revisions: adopt orphans, then find/create the update revision (ensureRevision bumps a reused one).
  const revSel = fromLabelSelector(set.spec.selector);
  const orphans = ctx.store.list<ControllerRevision>("ControllerRevision", { namespace: set.metadata.namespace!, selector: revSel })
    .filter((r) => !controllerOf(r));
  if (orphans.length) claimObjects(ctx, set, revSel, orphans);
  const pods = getPodsForStatefulSet(ctx, set);
  const cc = set.status?.collisionCount ?? 0;
  const existed = !!ctx.store.get("ControllerRevision", set.metadata.namespace, `${set.metadata.name}-${computeHash(revisionData(set), cc)}`);
  let { revision: updateRev } = set.metadata.deletionTimestamp
    ? { revision: ownedRevisions(ctx, set).at(-1)! }
    : ensureRevision(ctx, set, revisionData(set), cc);
  if (!updateRev) return;
  if (!existed && !set.metadata.deletionTimestamp && Object.keys(set.metadata.annotations ?? {}).length) {
    // newRevision: a revision carries the set's annotations (kubernetes.io/change-cause → rollout history)
    updateRev = ctx.store.mutate<ControllerRevision>("ControllerRevision", updateRev.metadata.namespace, updateRev.metadata.name, (r) => {
      r.metadata.annotations = { ...(set.metadata.annotations ?? {}), ...(r.metadata.annotations ?? {}) };
    }, { skipAdmission: true });
  }
  const revs = ownedRevisions(ctx, set);
  const currentRev = revs.find((r) => r.metadata.name === set.status?.currentRevision) ?? updateRev;
  const strategy = set.spec.updateStrategy?.type === "OnDelete" ? "OnDelete" : "RollingUpdate";
  const inp: StsPlanInput = {
    replicas: set.spec.replicas ?? 1,
    startOrdinal: set.spec.ordinals?.start ?? 0,
    monotonic: set.spec.podManagementPolicy !== "Parallel",
    updateStrategy: strategy,
    partition: strategy === "RollingUpdate" ? set.spec.updateStrategy?.rollingUpdate?.partition ?? 0 : 0,
    currentRevision: currentRev.metadata.name,
    updateRevision: updateRev.metadata.name,
    pods: pods.map((p) => podView(set, p, now)),
    deleting: !!set.metadata.deletionTimestamp,
  };
  const plan = planStatefulSet(inp);
  const currentTpl = templateOf(currentRev, set);
  const updateTpl = templateOf(updateRev, set);
  for (const a of plan.actions) {
    if (a.type === "delete") {
      const p = ctx.store.get<Pod>("Pod", set.metadata.namespace, a.name);
      if (!p) continue;
      if (a.reason === "failed") ctx.events.event(set, "Warning", "RecreatingFailedPod", `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating failed Pod ${a.name}`, COMPONENT);
      if (a.reason === "succeeded") ctx.events.event(set, "Normal", "RecreatingTerminatedPod", `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating terminated Pod ${a.name}`, COMPONENT);
      if (a.reason === "condemned" && set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled === "Delete") claimsFollowPod(ctx, set, p);
      ctx.store.delete("Pod", set.metadata.namespace, a.name);
      ctx.events.event(set, "Normal", "SuccessfulDelete", `delete Pod ${a.name} in StatefulSet ${set.metadata.name} successful`, COMPONENT);
      continue;
    }
    const rev = a.revision === "current" ? currentRev : updateRev;
    const pod = newStatefulSetPod(set, a.revision === "current" ? currentTpl : updateTpl, a.ordinal, rev.metadata.name);
    const claimErr = createMissingClaims(ctx, set, pod, a.ordinal);
    if (claimErr) break;
    try {
      ctx.store.create(pod);
      ctx.events.event(set, "Normal", "SuccessfulCreate", `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`, COMPONENT);
    } catch (e) {
      if (e instanceof ApiError && e.reason === "AlreadyExists") continue;
      ctx.events.event(set, "Warning", "FailedCreate", `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`, COMPONENT);
      break;
    }
  }
  // Status (S8) from the pods as they are now.
  const after = getPodsForStatefulSet(ctx, set);
  const st = computeStatus(set, after, currentRev.metadata.name, updateRev.metadata.name, now, strategy);
  const fresh = ctx.store.get<StatefulSet>("StatefulSet", namespace, name)!;
  const next = { ...st, ...(fresh.status?.collisionCount !== undefined ? { collisionCount: fresh.status.collisionCount } : {}) };
  if (!jsonEqual(next, stripStatus(fresh.status))) ctx.store.updateStatus(fresh, next);
  // truncateHistory: keep live revisions plus revisionHistoryLimit others.
  const live = new Set<string>([st.currentRevision, st.updateRevision]);
  for (const p of after) live.add(`${set.metadata.name}-${p.metadata.labels?.[REVISION_LABEL] ?? ""}`);
  pruneRevisions(ctx, set, set.spec.revisionHistoryLimit ?? 10, live);
  // minReadySeconds: look again when the next pod becomes available.
  const minReady = set.spec.minReadySeconds ?? 0;
  if (minReady > 0) {
    let next: number | undefined;
    for (const p of after) {
      if (isPodAvailable(p, minReady, now)) continue;
      const at = availableAt(p, minReady);
      if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
    }
    if (next !== undefined) return { requeueAfter: next - now };
  }
}

function stripStatus(s: StatefulSet["status"] | undefined): unknown {
  return s ?? {};
}

interface StsStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/** computeReplicaStatus + completeRollingUpdate (S6/S8). Zero optional counters are omitted like the API does. */
export function computeStatus(set: StatefulSet, pods: Pod[], currentRevision: string, updateRevision: string, now: number, strategy: string): StsStatus {
  let replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
  for (const p of pods) {
    const created = !!p.status?.phase;
    if (created) replicas++;
    if (p.status?.phase === "Running" && isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, set.spec.minReadySeconds ?? 0, now)) available++;
    }
    if (created && !p.metadata.deletionTimestamp) {
      const rev = `${set.metadata.name}-${p.metadata.labels?.[REVISION_LABEL] ?? ""}`;
      if (rev === currentRevision) current++;
      if (rev === updateRevision) updated++;
    }
  }
  let cur = currentRevision;
  if (strategy === "RollingUpdate" && updated === replicas && ready === replicas) {
    current = updated;
    cur = updateRevision;
  }
  const st: StsStatus = {
    observedGeneration: set.metadata.generation ?? 1,
    replicas,
    availableReplicas: available,
    currentRevision: cur,
    updateRevision,
    collisionCount: set.status?.collisionCount ?? 0,
  };
  if (ready) st.readyReplicas = ready;
  if (current) st.currentReplicas = current;
  if (updated) st.updatedReplicas = updated;
  return st;
}

// ---------------------------------------------------------------- watches

function setKeysForPod(ev: { object: KubeObject }, ctx: Ctx): ObjectKey[] {
  const p = ev.object;
  const ref = controllerOf(p);
  const ns = p.metadata.namespace!;
  if (ref) return ref.kind === "StatefulSet" ? [`${ns}/${ref.name}`] : [];
  const { parent } = parentAndOrdinal(p.metadata.name);
  if (!parent) return [];
  const set = ctx.store.get<StatefulSet>("StatefulSet", ns, parent);
  if (set && matches(fromLabelSelector(set.spec.selector), p.metadata.labels)) return [`${ns}/${parent}`];
  return [];
}

export const statefulSetController: ControllerDef = {
  name: NAME,
  watches: [
    { kind: "StatefulSet" },
    { kind: "Pod", map: (ev, ctx) => setKeysForPod(ev, ctx) },
    { kind: "ControllerRevision", map: (ev) => { const r = controllerOf(ev.object); return r?.kind === "StatefulSet" ? [`${ev.object.metadata.namespace}/${r.name}`] : []; } },
  ],
  reconcile: reconcileStatefulSet,
};
