/**
 * The Deployment controller (pkg/controller/deployment): syncDeployment → claim ReplicaSets → paused /
 * scaling / Recreate / RollingUpdate → status and Progressing conditions. It only creates, scales and
 * deletes ReplicaSets and reads their status; pods are the ReplicaSet controller's business.
 */
import type { Deployment, KubeObject, ObjectKey, Pod, ReplicaSet } from "../../api/types.ts";
import { fromLabelSelector, matches, type Selector } from "../../api/labels.ts";
import { ApiError } from "../../api/errors.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef, Result } from "../types.ts";
import { claimObjects } from "../util/claim.ts";
import { computeHash } from "../util/hash.ts";
import { controllerOf, getQueued, newControllerRef, ownerKey } from "../util/refs.ts";
import { QuietKeys, type QuietCheck } from "../util/quiet.ts";
import { rfc3339 } from "../../util/time.ts";
import { deepCopy } from "../../util/copy.ts";
import {
  POD_TEMPLATE_HASH, REVISION, Reason, calculateStatus, cond, deploymentComplete, deploymentProgressing, deploymentTimedOut,
  findNewReplicaSet, getCondition, isRollingUpdate, maxRevision, maxSurge, newRSNewReplicas, newReplicaSetAnnotations,
  planRollingStep, planScale, removeCondition, replaceCondition, replicaAnnotations, replicasOf, revisionOf, rsView, setCondition, splitReplicaSets,
  type DeploymentCondition, type DeploymentStatusCalc, type RollingParams, type RsView,
} from "./util.ts";
import { parseTime } from "../../util/time.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const NAME = "deployment";
const COMPONENT = "deployment-controller";

interface SyncState {
  ctx: Ctx;
  d: Deployment;
  requeue?: number;
  /** writeStatus wrote the status. */
  statusWritten?: boolean;
}

/**
 * Deployments whose last sync wrote nothing but its status, after which a sync at once would change nothing
 * (QuietKeys; settlesAfter). Any other event for the Deployment (itself, a ReplicaSet of it, a pod of a
 * Recreate one, an orphan it may adopt) wakes the key.
 *
 * Why that sync would change nothing: it would read the same Deployment spec, the same ReplicaSets (a write
 * to them wakes the key) at the same instant; of the new status it reads only what the rollout status reads
 * (the same numbers give the same conditions, so no write, and the same requeue time) and whether the
 * rollout is complete, which settlesAfter checks. Only the rolling path is marked (not paused, no scaling).
 */
const quiet = new WeakMap<Ctx["sim"], QuietKeys>();

function quietOf(ctx: Ctx): QuietKeys {
  let q = quiet.get(ctx.sim);
  if (!q) quiet.set(ctx.sim, (q = new QuietKeys(ctx.sim)));
  return q;
}

function wake(ctx: Ctx, key: ObjectKey): void {
  quiet.get(ctx.sim)?.wake(key);
}

/**
 * A sync right after this status write (from `before`) would change nothing more — unless the write made the
 * rollout complete (the next sync would clean up old ReplicaSets). (A Progressing time it wrote is this
 * second's, and progress deadlines are whole seconds from 1 (admission): none can pass before the next second.)
 */
function settlesAfter(d: Deployment, before: Deployment["status"]): boolean {
  return !deploymentComplete(d, d.status) || deploymentComplete(d, before);
}

export function reconcileDeployment(ctx: Ctx, key: ObjectKey): Result | void {
  const stored = getQueued<Deployment>(ctx.store, "Deployment", key);
  if (!stored) return;
  return quietOf(ctx).reconcile(ctx, key, syncDeployment, stored);
}

/** Tests: quiet syncs are run and checked. */
export function checkQuietSyncs(ctx: Ctx): QuietCheck {
  return (quietOf(ctx).check = { checked: 0, wrote: [] });
}

function syncDeployment(ctx: Ctx, key: ObjectKey, stored: Deployment): Result | void {
  const s: SyncState = { ctx, d: stored };
  const d = s.d;
  const sel = d.spec.selector;
  if (sel && !hasOwnKey(sel.matchLabels) && !(sel.matchExpressions ?? []).length) {
    ctx.events.event(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.", COMPONENT);
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 1)) {
      s.d = ctx.store.updateStatus<Deployment>(d, { ...(d.status ?? {}), observedGeneration: d.metadata.generation });
    }
    return;
  }
  const rsList = getReplicaSetsForDeployment(ctx, d);
  if (d.metadata.deletionTimestamp) {
    syncStatusOnly(s, rsList);
    return;
  }
  checkPausedConditions(s);
  if (s.d.spec.paused) {
    sync(s, rsList);
    return result(s);
  }
  if (isScalingEvent(s.d, rsList)) {
    sync(s, rsList);
    return result(s);
  }
  if (s.d.spec.strategy?.type === "Recreate") {
    rolloutRecreate(s, rsList);
    return result(s);
  }
  const before = s.d.status, rv = ctx.store.resourceVersion;
  rolloutRolling(s, rsList);
  if (s.statusWritten && ctx.store.resourceVersion === rv + 1 && settlesAfter(s.d, before)) {
    quietOf(ctx).mark(key, s.requeue);
  }
  return result(s);
}

/** Object.keys(o ?? {}).length > 0, without the array. */
function hasOwnKey(o: object | undefined | null): boolean {
  if (o) for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

function result(s: SyncState): Result | void {
  return s.requeue !== undefined ? { requeueAfter: s.requeue } : undefined;
}

/**
 * Deployments that must look for orphaned ReplicaSets to adopt: set by the ReplicaSet watch when an
 * orphan appears. Otherwise a sync reads only the owner index (no namespace-wide list per event).
 */
const orphanScan = new WeakMap<Ctx["sim"], Set<ObjectKey>>();
function markOrphanScan(ctx: Ctx, key: ObjectKey) {
  wake(ctx, key);
  let s = orphanScan.get(ctx.sim);
  if (!s) orphanScan.set(ctx.sim, (s = new Set()));
  s.add(key);
}

/** Claim ReplicaSets (X7): owned ones plus orphans matching the selector. */
/** Parsed selectors of stored Deployments (a stored selector object never changes). */
const parsedSelectors = new WeakMap<object, Selector>();

function selectorOf(d: Deployment): Selector {
  const ls = d.spec.selector;
  if (!ls || typeof ls !== "object") return fromLabelSelector(ls);
  let sel = parsedSelectors.get(ls);
  if (!sel) parsedSelectors.set(ls, (sel = fromLabelSelector(ls)));
  return sel;
}

function getReplicaSetsForDeployment(ctx: Ctx, d: Deployment): ReplicaSet[] {
  const selector = selectorOf(d);
  const owned = ctx.store.ownedBy<ReplicaSet>(d.metadata.uid, "ReplicaSet");
  const pending = orphanScan.get(ctx.sim);
  // A new Deployment (nothing owned yet) or a reported orphan: list the namespace to find orphans (G4).
  let scan = !owned.length;
  if (pending?.size && pending.delete(`${d.metadata.namespace}/${d.metadata.name}`)) scan = true;
  const matching = scan ? ctx.store.list<ReplicaSet>("ReplicaSet", { namespace: d.metadata.namespace!, selector }) : [];
  const uid = d.metadata.uid;
  // The usual case: every owned ReplicaSet is controlled by `d` and matches — claimObjects would keep each one,
  // in order, and write nothing, so they are the answer (no copy of the list).
  if (!scan && allControlledMatching(uid, selector, owned)) return owned;
  // (owned alone holds each ReplicaSet once: no dedupe needed)
  const claimed = scan ? claimObjects(ctx, d, selector, [...owned, ...matching]) : claimObjects(ctx, d, selector, owned, UNIQUE);
  for (const rs of claimed) if (controllerOf(rs)?.uid !== uid) return claimed.filter((r) => controllerOf(r)?.uid === uid);
  return claimed;
}

function allControlledMatching(uid: string, selector: Selector, list: ReplicaSet[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const rs = list[i]!;
    if (controllerOf(rs)?.uid !== uid || !matches(selector, rs.metadata.labels)) return false;
  }
  return true;
}

const UNIQUE = Object.freeze({ unique: true });

/** (no ReplicaSets: one shared, frozen empty list; the planners only read it) */
const NO_VIEWS: RsView[] = Object.freeze([]) as unknown as RsView[];

function views(list: ReplicaSet[]): RsView[] {
  return list.length ? list.map(rsView) : NO_VIEWS;
}

function rollingParams(d: Deployment): RollingParams {
  const ru = d.spec.strategy?.rollingUpdate;
  return { replicas: replicasOf(d), maxSurge: (ru?.maxSurge ?? "25%") as string | number, maxUnavailable: (ru?.maxUnavailable ?? "25%") as string | number };
}

function isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
  for (const rs of rsList) {
    if ((rs.spec.replicas ?? 0) === 0) continue;
    const v = rsView(rs);
    if (v.desiredReplicasAnnotation === undefined) continue;
    if (v.desiredReplicasAnnotation !== replicasOf(d)) return true;
  }
  return false;
}

// ---------------------------------------------------------------- new / old replica sets

/**
 * getAllReplicaSetsAndSyncRevision: the new RS (created when `create`) and the old ones; keeps the
 * revision annotations of the new RS and of the Deployment in step (P4).
 */
function getAllReplicaSets(s: SyncState, rsList: ReplicaSet[], create: boolean): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
  const split = splitReplicaSets(s.d, rsList);
  const newRS = getNewReplicaSet(s, split.newRS, split.oldRSs, create);
  if (newRS === split.newRS) return split;
  return newRS ? { newRS, oldRSs: split.oldRSs } : { oldRSs: split.oldRSs };
}

/** `existing`: FindNewReplicaSet's answer for the Deployment's ReplicaSets. */
function getNewReplicaSet(s: SyncState, existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): ReplicaSet | undefined {
  const { ctx } = s;
  const d = s.d;
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const { annotations, changed } = newReplicaSetAnnotations(d, existing.metadata.annotations, newRevision, true);
    const minReady = d.spec.minReadySeconds ?? 0;
    if (changed || (existing.spec.minReadySeconds ?? 0) !== minReady) {
      return ctx.store.mutate<ReplicaSet>("ReplicaSet", existing.metadata.namespace, existing.metadata.name, (rs) => {
        rs.metadata.annotations = annotations;
        if (minReady) rs.spec.minReadySeconds = minReady;
        else delete rs.spec.minReadySeconds;
      }, { skipAdmission: true });
    }
    const rev = existing.metadata.annotations?.[REVISION];
    if (rev !== undefined) setDeploymentRevision(s, rev);
    if (s.d.spec.progressDeadlineSeconds != null && !getCondition(s.d.status, "Progressing")) {
      const conds = setCondition((s.d.status?.conditions ?? []) as never, cond("Progressing", "True", Reason.FoundNewRS, `Found new replica set "${existing.metadata.name}"`, rfc3339(ctx.now())));
      s.d = ctx.store.updateStatus<Deployment>(s.d, { ...(s.d.status ?? {}), conditions: conds });
    }
    return existing;
  }
  if (!create) return undefined;
  const nowIso = rfc3339(ctx.now());
  // A new RS: name <deploy>-<hash>, selector/labels with pod-template-hash, created already scaled.
  const tpl = deepCopy(d.spec.template) as NonNullable<Deployment["spec"]["template"]>;
  const hash = computeHash(tpl, d.status?.collisionCount);
  tpl.metadata = { ...(tpl.metadata ?? {}), labels: { ...(tpl.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const selector = deepCopy(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const oldSpecTotal = oldRSs.reduce((t, r) => t + (r.spec.replicas ?? 0), 0);
  const replicas = isRollingUpdate(d) ? newRSNewReplicas(rollingParams(d), oldSpecTotal, 0) : replicasOf(d);
  const { annotations } = newReplicaSetAnnotations(d, undefined, newRevision, false);
  const rsName = `${d.metadata.name}-${hash}`;
  const body: ReplicaSet = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: rsName, namespace: d.metadata.namespace, labels: { ...tpl.metadata.labels }, annotations,
      ownerReferences: [newControllerRef(d)],
    } as ReplicaSet["metadata"],
    spec: { replicas, selector, template: tpl, ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}) },
  } as ReplicaSet;
  let created: ReplicaSet;
  try {
    created = ctx.store.create<ReplicaSet>(body);
  } catch (e) {
    if (e instanceof ApiError && e.reason === "AlreadyExists") {
      // Hash collision with an RS whose template differs: bump collisionCount and retry next sync.
      const other = ctx.store.get<ReplicaSet>("ReplicaSet", d.metadata.namespace, rsName);
      if (other && controllerOf(other)?.uid === d.metadata.uid && findNewReplicaSet(d, [other])) return other;
      s.d = ctx.store.updateStatus<Deployment>(s.d, { ...(s.d.status ?? {}), collisionCount: (s.d.status?.collisionCount ?? 0) + 1 });
      s.requeue = 0;
      return undefined;
    }
    const msg = `Failed to create new replica set "${rsName}": ${(e as Error).message}`;
    ctx.events.event(d, "Warning", Reason.FailedRSCreate, msg, COMPONENT);
    if (d.spec.progressDeadlineSeconds != null) {
      const conds = setCondition((d.status?.conditions ?? []) as never, cond("Progressing", "False", Reason.FailedRSCreate, msg, nowIso));
      s.d = ctx.store.updateStatus<Deployment>(s.d, { ...(s.d.status ?? {}), conditions: conds });
    }
    return undefined;
  }
  if (replicas > 0) ctx.events.event(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`, COMPONENT);
  setDeploymentRevision(s, String(newRevision));
  if (s.d.spec.progressDeadlineSeconds != null) {
    const conds = setCondition((s.d.status?.conditions ?? []) as never, cond("Progressing", "True", Reason.NewReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, nowIso));
    s.d = ctx.store.updateStatus<Deployment>(s.d, { ...(s.d.status ?? {}), conditions: conds });
  }
  return created;
}

/** SetDeploymentRevision: the Deployment's revision annotation follows its new RS. */
function setDeploymentRevision(s: SyncState, rev: string) {
  if (s.d.metadata.annotations?.[REVISION] === rev) return;
  s.d = s.ctx.store.mutate<Deployment>("Deployment", s.d.metadata.namespace, s.d.metadata.name, (d) => {
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: rev };
  }, { skipAdmission: true });
}

/** scaleReplicaSet: set replicas and the desired/max annotations; ScalingReplicaSet event on a size change. */
function scaleReplicaSet(s: SyncState, rs: ReplicaSet, to: number, op: string): ReplicaSet {
  const d = s.d;
  const from = rs.spec.replicas ?? 0;
  const r = replicaAnnotations(rs.metadata.annotations, replicasOf(d), replicasOf(d) + maxSurge(d));
  if (from === to && !r.changed) return rs;
  const upd = s.ctx.store.mutate<ReplicaSet>("ReplicaSet", rs.metadata.namespace, rs.metadata.name, (c) => {
    c.spec.replicas = to;
    c.metadata.annotations = r.annotations;
  }, { skipAdmission: true });
  if (from !== to) s.ctx.events.event(d, "Normal", "ScalingReplicaSet", `Scaled ${op} replica set ${rs.metadata.name} from ${from} to ${to}`, COMPONENT);
  return upd;
}

function applyOps(s: SyncState, rsByName: Map<string, ReplicaSet>, ops: Array<{ name: string; from: number; to: number }>, op?: string): boolean {
  let scaled = false;
  for (const o of ops) {
    const rs = rsByName.get(o.name);
    if (!rs) continue;
    const cur = s.ctx.store.get<ReplicaSet>("ReplicaSet", rs.metadata.namespace, rs.metadata.name) ?? rs;
    const upd = scaleReplicaSet(s, cur, o.to, op ?? (o.to > o.from ? "up" : "down"));
    rsByName.set(o.name, upd);
    if (o.from !== o.to) scaled = true;
  }
  return scaled;
}

// ---------------------------------------------------------------- strategies

/** P5 rolloutRolling. */
function rolloutRolling(s: SyncState, rsList: ReplicaSet[]) {
  const { newRS, oldRSs } = getAllReplicaSets(s, rsList, true);
  if (!newRS) return syncRolloutStatus(s, oldRSs, undefined);
  const ops = planRollingStep(rollingParams(s.d), rsView(newRS), views(oldRSs));
  if (!ops.length) {
    if (deploymentComplete(s.d, s.d.status)) cleanupDeployment(s, oldRSs);
    return syncRolloutStatus(s, oldRSs, newRS);
  }
  const byName = new Map([...oldRSs, newRS].map((r) => [r.metadata.name, r]));
  applyOps(s, byName, ops);
  const fresh = (r: ReplicaSet) => byName.get(r.metadata.name) ?? r;
  syncRolloutStatus(s, oldRSs.map(fresh), fresh(newRS));
}

/** P6 rolloutRecreate: old RSes to 0, wait until no old pod runs, then the new RS at full size. */
function rolloutRecreate(s: SyncState, rsList: ReplicaSet[]) {
  let { newRS, oldRSs } = getAllReplicaSets(s, rsList, false);
  const byName = new Map([...oldRSs, ...(newRS ? [newRS] : [])].map((r) => [r.metadata.name, r]));
  const active = oldRSs.filter((r) => (r.spec.replicas ?? 0) > 0);
  const scaledDown = applyOps(s, byName, active.map((r) => ({ name: r.metadata.name, from: r.spec.replicas ?? 0, to: 0 })), "down");
  const fresh = (r: ReplicaSet) => byName.get(r.metadata.name) ?? r;
  if (scaledDown || oldPodsRunning(s.ctx, newRS, oldRSs.map(fresh))) {
    return syncRolloutStatus(s, oldRSs.map(fresh), newRS && fresh(newRS));
  }
  if (!newRS) {
    ({ newRS, oldRSs } = getAllReplicaSets(s, rsList, true));
    if (newRS) byName.set(newRS.metadata.name, newRS);
  }
  if (newRS && (newRS.spec.replicas ?? 0) !== replicasOf(s.d)) {
    const from = newRS.spec.replicas ?? 0;
    applyOps(s, byName, [{ name: newRS.metadata.name, from, to: replicasOf(s.d) }]);
  }
  if (deploymentComplete(s.d, s.d.status)) cleanupDeployment(s, oldRSs);
  syncRolloutStatus(s, oldRSs.map(fresh), newRS && fresh(newRS));
}

/** oldPodsRunning: any old RS with status replicas, or any non-terminal pod of an old RS (Terminating counts). */
function oldPodsRunning(ctx: Ctx, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
  if (oldRSs.reduce((t, r) => t + (r.status?.replicas ?? 0), 0) > 0) return true;
  for (const rs of oldRSs) {
    if (newRS && rs.metadata.uid === newRS.metadata.uid) continue;
    for (const p of ctx.store.ownedBy<Pod>(rs.metadata.uid, "Pod")) {
      const ph = p.status?.phase;
      if (ph === "Failed" || ph === "Succeeded") continue;
      return true;
    }
  }
  return false;
}

/** P7 sync: scaling path (replicas changed, or paused). */
function sync(s: SyncState, rsList: ReplicaSet[]) {
  const { newRS, oldRSs } = getAllReplicaSets(s, rsList, false);
  const d = s.d;
  const byName = new Map([...oldRSs, ...(newRS ? [newRS] : [])].map((r) => [r.metadata.name, r]));
  const plan = planScale({ ...rollingParams(d), rolling: isRollingUpdate(d), statusReplicas: d.status?.replicas ?? 0 }, newRS && rsView(newRS), views(oldRSs));
  // scaleReplicaSet runs for every RS of the proportional path (annotations refresh too).
  const targets = new Map(plan.ops.map((o) => [o.name, o]));
  for (const name of plan.touched) {
    const rs = byName.get(name)!;
    const o = targets.get(name);
    const upd = scaleReplicaSet(s, rs, o ? o.to : rs.spec.replicas ?? 0, plan.op || (o && o.to > o.from ? "up" : "down"));
    byName.set(name, upd);
  }
  const fresh = (r: ReplicaSet) => byName.get(r.metadata.name) ?? r;
  if (s.d.spec.paused) cleanupDeployment(s, oldRSs.map(fresh));
  syncDeploymentStatus(s, oldRSs.map(fresh), newRS && fresh(newRS));
}

/** P9 cleanupDeployment: delete the oldest fully scaled-down old RSes beyond revisionHistoryLimit. */
function cleanupDeployment(s: SyncState, oldRSs: ReplicaSet[]) {
  const limit = s.d.spec.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const alive = oldRSs.filter((r) => !r.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));
  for (let i = 0; i < diff; i++) {
    const rs = s.ctx.store.get<ReplicaSet>("ReplicaSet", sorted[i]!.metadata.namespace, sorted[i]!.metadata.name);
    if (!rs) continue;
    if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec.replicas ?? 0) !== 0 || (rs.metadata.generation ?? 1) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    s.ctx.store.delete("ReplicaSet", rs.metadata.namespace, rs.metadata.name);
  }
}

// ---------------------------------------------------------------- status

function statusOf(s: SyncState, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentStatusCalc {
  return calculateStatus(s.d, views(oldRSs), newRS && rsView(newRS), s.ctx.now());
}

function writeStatus(s: SyncState, st: DeploymentStatusCalc) {
  const cur = s.d.status ?? {};
  const cmp = sameStatus(cur, st);
  if (cmp === "same") return false;
  const next = statusObject(st, cur);
  if (cmp === "unsure" && jsonEqual(next, cur)) return false;
  s.d = s.ctx.store.updateStatus<Deployment>(s.d, next);
  s.statusWritten = true;
  return true;
}

/** The status object writeStatus writes for `st` over the stored `cur`. */
export function statusObject(st: DeploymentStatusCalc, cur: Record<string, unknown>): Record<string, unknown> {
  // The API drops zero-valued optional fields (omitempty): they are left out (not deleted afterwards, which
  // would put every stored status in dictionary mode).
  const next: Record<string, unknown> = { observedGeneration: st.observedGeneration };
  if (st.replicas !== 0) next.replicas = st.replicas;
  if (st.updatedReplicas !== 0) next.updatedReplicas = st.updatedReplicas;
  if (st.readyReplicas !== 0) next.readyReplicas = st.readyReplicas;
  if (st.availableReplicas !== 0) next.availableReplicas = st.availableReplicas;
  if (st.unavailableReplicas !== 0) next.unavailableReplicas = st.unavailableReplicas;
  // (a new array when it is still the stored one: stored versions share no unfrozen parts)
  if (st.conditions.length) next.conditions = st.conditions === cur.conditions ? [...st.conditions] : st.conditions;
  if (st.collisionCount !== undefined) next.collisionCount = st.collisionCount;
  return next;
}

/** statusObject's fields in the order it writes them (see sameStatus). */
const STATUS_FIELDS = ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas", "conditions", "collisionCount"] as const;

/** The value writeStatus writes for field `k`, undefined when it leaves the field out. */
function statusField(st: DeploymentStatusCalc, k: (typeof STATUS_FIELDS)[number]): unknown {
  switch (k) {
    case "observedGeneration": return st.observedGeneration;
    case "conditions": return st.conditions.length ? st.conditions : undefined;
    case "collisionCount": return st.collisionCount;
    default: return st[k] !== 0 ? st[k] : undefined;
  }
}

/**
 * jsonEqual(next, cur) for the status `next` = statusObject(st, cur), without building it: "same"
 * when `cur` has the same keys in the same order with the same values (a sync that changes nothing, most of
 * them, answers here); "differs" when, the keys before it matching, a stored number differs from a finite new
 * one (JSON comparison stops there too); else "unsure" (a value other than a number or the conditions array,
 * or other keys): the caller compares the built status.
 */
export function sameStatus(cur: Record<string, unknown>, st: DeploymentStatusCalc): "same" | "differs" | "unsure" {
  let i = 0;
  for (const k in cur) {
    if (!Object.prototype.hasOwnProperty.call(cur, k)) continue;
    const v = cur[k];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue; // JSON leaves these out
    while (i < STATUS_FIELDS.length && statusField(st, STATUS_FIELDS[i]!) === undefined) i++;
    if (i === STATUS_FIELDS.length || STATUS_FIELDS[i] !== k) return "unsure";
    const want = statusField(st, STATUS_FIELDS[i]!);
    if (typeof v === "number") {
      if (v !== want) return typeof want === "number" && Number.isFinite(want) ? "differs" : "unsure";
    } else if (k !== "conditions" || !Array.isArray(v) || !jsonEqual(want, v)) return "unsure";
    i++;
  }
  while (i < STATUS_FIELDS.length && statusField(st, STATUS_FIELDS[i]!) === undefined) i++;
  return i === STATUS_FIELDS.length ? "same" : "unsure";
}

function syncStatusOnly(s: SyncState, rsList: ReplicaSet[]) {
  const { newRS, oldRSs } = getAllReplicaSets(s, rsList, false);
  syncDeploymentStatus(s, oldRSs, newRS);
}

function syncDeploymentStatus(s: SyncState, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined) {
  writeStatus(s, statusOf(s, oldRSs, newRS));
}

/** P11 syncRolloutStatus: Progressing condition, then the requeue for the deadline check. */
function syncRolloutStatus(s: SyncState, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined) {
  const d = s.d;
  const now = s.ctx.now();
  const st = statusOf(s, oldRSs, newRS);
  const pds = d.spec.progressDeadlineSeconds;
  const hasDeadline = pds !== undefined && pds !== null;
  if (!hasDeadline) st.conditions = removeCondition(st.conditions, "Progressing");
  const cur = getCondition(d.status, "Progressing");
  const isComplete = st.replicas === st.updatedReplicas && cur?.reason === Reason.NewRSAvailable;
  if (hasDeadline && !isComplete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, st)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      st.conditions = setCondition(st.conditions, cond("Progressing", "True", Reason.NewRSAvailable, msg, rfc3339(now)));
    } else if (deploymentProgressing(d.status, st)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const c = cond("Progressing", "True", Reason.ReplicaSetUpdated, msg, rfc3339(now));
      if (cur?.status === "True") c.lastTransitionTime = cur.lastTransitionTime;
      // (st.conditions hold a Progressing one exactly when the stored status does, `cur`: so no setCondition keeps one)
      st.conditions = replaceCondition(st.conditions, c);
    } else if (deploymentTimedOut(d, st, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      st.conditions = setCondition(st.conditions, cond("Progressing", "False", Reason.TimedOut, msg, rfc3339(now)));
    }
  }
  // ReplicaFailure conditions of the RSes move to the Deployment.
  const failure = (newRS && replicaFailure(newRS)) ?? firstReplicaFailure(oldRSs);
  if (failure) {
    const at = failure.lastTransitionTime ?? rfc3339(now);
    st.conditions = setCondition(st.conditions, { type: "ReplicaFailure", status: "True", lastUpdateTime: at, lastTransitionTime: at, reason: failure.reason ?? "", message: failure.message ?? "" });
  } else st.conditions = removeCondition(st.conditions, "ReplicaFailure");
  writeStatus(s, st);
  requeueStuckDeployment(s, st, now);
}

type RsCondition = NonNullable<NonNullable<ReplicaSet["status"]>["conditions"]>[number];

/** The ReplicaSet's first ReplicaFailure=True condition. */
function replicaFailure(rs: ReplicaSet): RsCondition | undefined {
  const conds = rs.status?.conditions;
  if (conds) for (const c of conds) if (c.type === "ReplicaFailure" && c.status === "True") return c;
  return undefined;
}

function firstReplicaFailure(list: ReplicaSet[]): RsCondition | undefined {
  for (const rs of list) {
    const c = replicaFailure(rs);
    if (c) return c;
  }
  return undefined;
}

/** requeueStuckDeployment: check again at lastUpdateTime + pds (+1s skew), as upstream does. */
function requeueStuckDeployment(s: SyncState, st: DeploymentStatusCalc, now: number) {
  const d = s.d;
  const pds = d.spec.progressDeadlineSeconds;
  const c = getCondition(d.status, "Progressing");
  if (pds === undefined || pds === null || !c) return;
  if (deploymentComplete(d, st) || c.reason === Reason.TimedOut) return;
  // (parseTime is Date.parse on canonical timestamps; undefined for a bad one computes NaN like Date.parse's)
  const after = (parseTime(c.lastUpdateTime) as number) + pds * 1000 - now;
  s.requeue = after < 1000 ? 1000 : after + 1000;
}

/** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed. */
function checkPausedConditions(s: SyncState) {
  const d = s.d;
  if (d.spec.progressDeadlineSeconds === undefined || d.spec.progressDeadlineSeconds === null) return;
  const c = getCondition(d.status, "Progressing");
  if (c?.reason === Reason.TimedOut) return;
  const pausedCond = c?.reason === Reason.Paused;
  let next: DeploymentCondition | undefined;
  if (d.spec.paused && !pausedCond) next = cond("Progressing", "Unknown", Reason.Paused, "Deployment is paused", rfc3339(s.ctx.now()));
  else if (!d.spec.paused && pausedCond) next = cond("Progressing", "Unknown", Reason.Resumed, "Deployment is resumed", rfc3339(s.ctx.now()));
  if (!next) return;
  const conds = setCondition((d.status?.conditions ?? []) as never, next);
  s.d = s.ctx.store.updateStatus<Deployment>(d, { ...(d.status ?? {}), conditions: conds });
}

// ---------------------------------------------------------------- watches

function deploymentKeyForRS(ev: { object: KubeObject }, ctx: Ctx): ObjectKey[] | ObjectKey | undefined {
  const rs = ev.object;
  const ref = controllerOf(rs);
  const ns = rs.metadata.namespace!;
  if (ref) {
    if (ref.kind !== "Deployment") return undefined;
    const key = ownerKey(ns, ref);
    wake(ctx, key);
    return key;
  }
  // An orphan: every Deployment whose selector matches may adopt it.
  if (ev.object.metadata.deletionTimestamp) return [];
  const keys = ctx.store.list<Deployment>("Deployment", { namespace: ns })
    .filter((d) => matches(fromLabelSelector(d.spec.selector), rs.metadata.labels))
    .map((d) => `${ns}/${d.metadata.name}`);
  for (const k of keys) markOrphanScan(ctx, k);
  return keys;
}

/** Keys of the Deployments whose strategy is Recreate (kept from their watch events): only they watch pods. */
const recreateKeys = new WeakMap<Ctx["sim"], Set<ObjectKey>>();

function trackStrategy(ev: { type: string; key: ObjectKey; object: KubeObject }, ctx: Ctx): ObjectKey {
  wake(ctx, ev.key);
  let s = recreateKeys.get(ctx.sim);
  if (ev.type !== "DELETED" && ev.object.spec?.strategy?.type === "Recreate") {
    if (!s) recreateKeys.set(ctx.sim, (s = new Set()));
    s.add(ev.key);
  } else s?.delete(ev.key);
  return ev.key;
}

export const deploymentController: ControllerDef = {
  name: NAME,
  watches: [
    { kind: "Deployment", map: trackStrategy },
    { kind: "ReplicaSet", map: (ev, ctx) => deploymentKeyForRS(ev, ctx) },
    {
      kind: "Pod",
      // Recreate waits for old pods to go away (deletePod handler).
      // (undefined: no key, and no empty array made per pod event)
      map: (ev, ctx) => {
        if (!recreateKeys.get(ctx.sim)?.size) return undefined; // no Recreate Deployment: nothing below can match
        if (ev.type !== "DELETED" && !(ev.type === "MODIFIED" && ev.old?.status?.phase !== ev.object.status?.phase)) return undefined;
        const ref = controllerOf(ev.object);
        if (!ref || ref.kind !== "ReplicaSet") return [];
        const rs = ctx.store.getByUid(ref.uid);
        const dref = rs && controllerOf(rs);
        if (!dref || dref.kind !== "Deployment") return [];
        const d = ctx.store.get<Deployment>("Deployment", rs.metadata.namespace, dref.name);
        if (!d || d.spec.strategy?.type !== "Recreate") return [];
        const key = `${rs.metadata.namespace}/${dref.name}`;
        wake(ctx, key);
        return [key];
      },
    },
  ],
  reconcile: reconcileDeployment,
};

