/**
 * Deployment planning helpers (pkg/controller/deployment/util/deployment_util.go, rolling.go, sync.go).
 *
 * Pure: nothing here reads the store or the clock. Every function takes plain Deployment/ReplicaSet
 * objects (or the small `RsView` summaries) and returns numbers or plans; the controller writes.
 */
import type { Deployment, KubeObject, ReplicaSet } from "../../api/types.ts";
import { canonicalJson } from "../util/hash.ts";
import { deepCopy } from "../../util/copy.ts";
import { scaledValue } from "../util/intstr.ts";
import { parseTime, rfc3339 } from "../../util/time.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const POD_TEMPLATE_HASH = "pod-template-hash";
export const CHANGE_CAUSE = "kubernetes.io/change-cause";
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
/** deploymentutil: revision-history may not grow beyond this many characters. */
export const MAX_REV_HISTORY_CHARS = 2000;

/** Condition reasons (deployment_util.go). */
export const Reason = {
  NewRSAvailable: "NewReplicaSetAvailable",
  TimedOut: "ProgressDeadlineExceeded",
  ReplicaSetUpdated: "ReplicaSetUpdated",
  FailedRSCreate: "ReplicaSetCreateError",
  NewReplicaSetCreated: "NewReplicaSetCreated",
  FoundNewRS: "FoundNewReplicaSet",
  Paused: "DeploymentPaused",
  Resumed: "DeploymentResumed",
  MinimumReplicasAvailable: "MinimumReplicasAvailable",
  MinimumReplicasUnavailable: "MinimumReplicasUnavailable",
} as const;

export type IntOrString = number | string | undefined | null;

// ---------------------------------------------------------------- fenceposts (P3)

/**
 * P3 ResolveFenceposts: surge rounds up, unavailable rounds down; both 0 → unavailable 1.
 * @example resolveFenceposts("25%", "25%", 10) // { surge: 3, unavailable: 2 }
 */
export function resolveFenceposts(maxSurge: IntOrString, maxUnavailable: IntOrString, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

export function replicasOf(o: { spec?: { replicas?: number | null } }): number {
  return o.spec?.replicas ?? 1;
}

/** deploymentutil.MaxSurge: 0 for Recreate. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge as IntOrString, ru?.maxUnavailable as IntOrString, replicasOf(d)).surge;
}

/** deploymentutil.MaxUnavailable: 0 for Recreate or 0 replicas, clamped to replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const u = resolveFenceposts(ru?.maxSurge as IntOrString, ru?.maxUnavailable as IntOrString, replicas).unavailable;
  return Math.min(u, replicas);
}

// ---------------------------------------------------------------- replica set views

/** What planning needs to know about one ReplicaSet. */
export interface RsView {
  name: string;
  /** Creation time (ms) for ReplicaSetsByCreationTimestamp; ties by name. */
  created: number;
  spec: number;
  /** status.replicas */
  replicas: number;
  available: number;
  ready?: number;
  /** deployment.kubernetes.io/max-replicas, if set. */
  maxReplicasAnnotation?: number;
  desiredReplicasAnnotation?: number;
}

/**
 * A ReplicaSet's spec object → the last version holding it whose view was asked for, and that view. Stored
 * ReplicaSets never change, so a version's view is made once (frozen: callers copy to change one). A status
 * write keeps the spec, annotations and creation time objects, so the next version's view takes their parts
 * from the last one (no timestamp parse, no annotation regexps per status write); its record is updated in
 * place (no map entry per version).
 */
const viewBySpec = new WeakMap<object, { rs: ReplicaSet; annotations: unknown; creationTimestamp: unknown; view: RsView }>();

export function rsView(rs: ReplicaSet): RsView {
  const prev = viewBySpec.get(rs.spec);
  if (prev !== undefined && prev.rs === rs) return prev.view;
  const md = rs.metadata;
  const same = prev !== undefined && prev.annotations === md.annotations && prev.creationTimestamp === md.creationTimestamp && prev.view.name === md.name;
  const view = Object.freeze(computeRsView(rs, same ? prev.view : undefined));
  if (same) { prev.rs = rs; prev.view = view; }
  else viewBySpec.set(rs.spec, { rs, annotations: md.annotations, creationTimestamp: md.creationTimestamp, view });
  return view;
}

/** `prev`: a view of a version with the same name, annotations and creation time (its parsed parts are reused). */
function computeRsView(rs: ReplicaSet, prev: RsView | undefined): RsView {
  const md = rs.metadata;
  const ann = md.annotations ?? {};
  const v: RsView = {
    name: md.name,
    created: prev ? prev.created : rsCreated(rs),
    spec: rs.spec.replicas ?? 1,
    replicas: rs.status?.replicas ?? 0,
    available: rs.status?.availableReplicas ?? 0,
    ready: rs.status?.readyReplicas ?? 0,
  };
  const mx = prev ? prev.maxReplicasAnnotation : intAnnotation(ann[MAX_REPLICAS]);
  if (mx !== undefined) v.maxReplicasAnnotation = mx;
  const ds = prev ? prev.desiredReplicasAnnotation : intAnnotation(ann[DESIRED_REPLICAS]);
  if (ds !== undefined) v.desiredReplicasAnnotation = ds;
  return v;
}

function intAnnotation(s: string | undefined): number | undefined {
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}

/** ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation<T extends { created: number; name: string }>(a: T, b: T): number {
  return a.created - b.created || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function rsCreated(rs: KubeObject): number {
  // (parseTime equals Date.parse on the store's canonical timestamps, without its cost)
  return parseTime(rs.metadata.creationTimestamp) || 0;
}

export function sortRsByCreation<T extends KubeObject>(list: T[]): T[] {
  return [...list].sort(byCreationOf);
}

/** byCreation on the objects themselves. */
function byCreationOf(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.name, bn = b.metadata.name;
  return rsCreated(a) - rsCreated(b) || (an < bn ? -1 : an > bn ? 1 : 0);
}

export const sumSpec = (l: RsView[]) => l.reduce((s, r) => s + r.spec, 0);
export const sumAvailable = (l: RsView[]) => l.reduce((s, r) => s + r.available, 0);

// ---------------------------------------------------------------- revisions and templates (P4)

export function revisionOf(o: KubeObject): number {
  const v = o.metadata.annotations?.[REVISION];
  if (!v || !/^\d+$/.test(v)) return 0;
  return Number(v);
}

export function maxRevision(list: KubeObject[]): number {
  return list.reduce((m, r) => Math.max(m, revisionOf(r)), 0);
}

/** Stored objects are never mutated, so a template's key can be cached by identity. */
const keyCache = new WeakMap<object, string>();

/** Template with pod-template-hash dropped from its labels, as canonical JSON. */
function templateKey(t: unknown): string {
  if (t && typeof t === "object") {
    const hit = keyCache.get(t);
    if (hit !== undefined) return hit;
    const k = computeTemplateKey(t);
    keyCache.set(t, k);
    return k;
  }
  return computeTemplateKey(t);
}

function computeTemplateKey(t: unknown): string {
  const copy = deepCopy((t ?? {}) as { metadata?: { labels?: Record<string, string> } });
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
    if (!Object.keys(copy.metadata.labels).length) delete copy.metadata.labels;
  }
  if (copy.metadata && !Object.keys(copy.metadata).length) delete copy.metadata;
  return canonicalJson(copy);
}

/** Template → the last template found equal to it by equalIgnoreHash's quick comparison. */
const sameAs = new WeakMap<object, object>();

/**
 * EqualIgnoreHash: templates equal apart from the pod-template-hash label. A ReplicaSet's template is its
 * Deployment's copied with the hash added, keys in the same order: the two compare equal as JSON once the
 * hash is dropped, which settles it (same JSON, same canonical key) without serializing either; otherwise
 * the canonical keys decide (cached per template).
 */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  if (a && b && typeof a === "object" && typeof b === "object") {
    if (sameAs.get(a) === b) return true;
    const ka = keyCache.get(a), kb = keyCache.get(b);
    if (ka !== undefined && kb !== undefined) return ka === kb;
    if (jsonEqual(withoutHash(a), withoutHash(b))) {
      sameAs.set(a, b);
      return true;
    }
  }
  return templateKey(a) === templateKey(b);
}

/** `t` without the pod-template-hash label (the rest shared, not copied). */
function withoutHash(t: { metadata?: { labels?: Record<string, string> } }): object {
  const labels = t.metadata?.labels;
  if (!labels || labels[POD_TEMPLATE_HASH] === undefined) return t;
  const { [POD_TEMPLATE_HASH]: _hash, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

/** P4 FindNewReplicaSet: the oldest RS whose template equals the Deployment's (ignoring the hash). */
export function findNewReplicaSet<T extends ReplicaSet>(d: Deployment, rsList: T[]): T | undefined {
  return sortRsByCreation(rsList).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** FindOldReplicaSets: every other RS, oldest first. */
export function findOldReplicaSets<T extends ReplicaSet>(d: Deployment, rsList: T[]): T[] {
  return splitReplicaSets(d, rsList).oldRSs;
}

/**
 * FindNewReplicaSet and FindOldReplicaSets from one sort. `oldRSs` is a new array, or `rsList` itself when
 * it has no new ReplicaSet and needs no sorting (callers only read it).
 */
export function splitReplicaSets<T extends ReplicaSet>(d: Deployment, rsList: T[]): { newRS?: T; oldRSs: T[] } {
  const sorted = rsList.length < 2 ? rsList : sortRsByCreation(rsList);
  let i = 0;
  while (i < sorted.length && !equalIgnoreHash(sorted[i]!.spec.template, d.spec.template)) i++;
  if (i === sorted.length) return { oldRSs: sorted };
  const newRS = sorted[i]!;
  const oldRSs: T[] = [];
  for (let j = 0; j < sorted.length; j++) if (sorted[j] !== newRS) oldRSs.push(sorted[j]!);
  return { newRS, oldRSs };
}

/** SKIP annotations never copied from a Deployment to its ReplicaSets (skipCopyAnnotation). */
const SKIP_COPY = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to"]);

/** rsAnnotations → the Deployment annotations and revision for which newReplicaSetAnnotations found nothing to change. */
const unchangedFor = new WeakMap<object, { dAnn: unknown; rev: number }>();

/**
 * SetNewReplicaSetAnnotations on a private copy of the annotations. Returns the new map and whether
 * anything changed (when nothing did, the map may be `rsAnnotations` itself: read it, don't change it).
 * `exists` false = the RS is about to be created (replica annotations are added).
 */
export function newReplicaSetAnnotations(d: Deployment, rsAnnotations: Record<string, string> | undefined, newRevision: number, exists: boolean): { annotations: Record<string, string>; changed: boolean } {
  // A steady-state sync asks again with the same (stored, so unchanging) objects: nothing to change, again.
  const memo = exists && rsAnnotations ? unchangedFor.get(rsAnnotations) : undefined;
  if (memo && memo.dAnn === d.metadata.annotations && memo.rev === newRevision) return { annotations: rsAnnotations!, changed: false };
  const r = computeNewRSAnnotations(d, rsAnnotations, newRevision, exists);
  if (exists && rsAnnotations && !r.changed) unchangedFor.set(rsAnnotations, { dAnn: d.metadata.annotations, rev: newRevision });
  return r;
}

function computeNewRSAnnotations(d: Deployment, rsAnnotations: Record<string, string> | undefined, newRevision: number, exists: boolean): { annotations: Record<string, string>; changed: boolean } {
  const ann = { ...(rsAnnotations ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  const oldRevision = ann[REVISION];
  let oldRev = 0;
  if (oldRevision !== undefined && oldRevision !== "") {
    if (!/^\d+$/.test(oldRevision)) return { annotations: ann, changed };
    oldRev = Number(oldRevision);
  }
  if (oldRev < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      // P10: reusing an RS with a revision = rolling back to it; keep its old numbers.
      const hist = ann[REVISION_HISTORY] ?? "";
      const old = hist.split(",");
      if (old[0] === "" || old[0] === undefined) ann[REVISION_HISTORY] = oldRevision;
      else {
        let total = hist.length + oldRevision.length + 1, start = 0;
        while (total > MAX_REV_HISTORY_CHARS && start < old.length) { total -= old[start]!.length + 1; start++; }
        if (total <= MAX_REV_HISTORY_CHARS) ann[REVISION_HISTORY] = [...old.slice(start), oldRevision].join(",");
      }
    }
  }
  if (!exists) {
    const r = replicaAnnotations(ann, replicasOf(d), replicasOf(d) + maxSurge(d));
    if (r.changed) { Object.assign(ann, r.annotations); changed = true; }
  }
  return { annotations: ann, changed };
}

/** SetReplicasAnnotations: desired-replicas and max-replicas. */
export function replicaAnnotations(ann: Record<string, string> | undefined, desired: number, max: number): { annotations: Record<string, string>; changed: boolean } {
  const a = { ...(ann ?? {}) };
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) { a[DESIRED_REPLICAS] = String(desired); changed = true; }
  if (a[MAX_REPLICAS] !== String(max)) { a[MAX_REPLICAS] = String(max); changed = true; }
  return { annotations: a, changed };
}

// ---------------------------------------------------------------- rolling update (P5)

export interface ScaleOp {
  name: string;
  from: number;
  to: number;
}

export interface RollingParams {
  replicas: number;
  maxSurge: IntOrString;
  maxUnavailable: IntOrString;
}

/**
 * NewRSNewReplicas for RollingUpdate: grow the new RS up to `replicas + surge` total, never past
 * `replicas` (P5 step 1; also the size a new RS is created with, P4).
 */
export function newRSNewReplicas(p: RollingParams, allSpecTotal: number, newSpec: number): number {
  const surge = scaledValue(p.maxSurge ?? 0, p.replicas, true);
  const maxTotal = p.replicas + surge;
  if (allSpecTotal >= maxTotal) return newSpec;
  const up = Math.min(maxTotal - allSpecTotal, p.replicas - newSpec);
  return newSpec + up;
}

/**
 * One `rolloutRolling` step (P5): scale the new RS up if allowed, else scale old RSes down.
 * `oldRSs` in any order (sorted oldest first here). Returns the scale operations, in order.
 */
export function planRollingStep(p: RollingParams, newRS: RsView, oldRSs: RsView[]): ScaleOp[] {
  const allPods = sumSpec(oldRSs) + newRS.spec;
  // reconcileNewReplicaSet
  if (newRS.spec > p.replicas) return [{ name: newRS.name, from: newRS.spec, to: p.replicas }];
  if (newRS.spec < p.replicas) {
    const n = newRSNewReplicas(p, allPods, newRS.spec);
    if (n !== newRS.spec) return [{ name: newRS.name, from: newRS.spec, to: n }];
  }
  // reconcileOldReplicaSets (nothing to do, and no copies made, while no old RS has replicas)
  let oldPods = 0;
  for (const r of oldRSs) if (r.spec > 0) oldPods += r.spec;
  if (oldPods === 0) return [];
  const old = oldRSs.filter((r) => r.spec > 0).map((r) => ({ ...r })).sort(byCreation);
  const unavailable = Math.min(resolveFenceposts(p.maxSurge, p.maxUnavailable, p.replicas).unavailable, p.replicas);
  const maxUnavail = p.replicas === 0 ? 0 : unavailable;
  const minAvailable = p.replicas - maxUnavail;
  const newUnavailable = newRS.spec - newRS.available;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const ops: ScaleOp[] = [];
  const scale = (r: RsView, to: number) => {
    const prev = ops.find((o) => o.name === r.name);
    if (prev) prev.to = to;
    else ops.push({ name: r.name, from: r.spec, to });
    r.spec = to;
  };
  // cleanupUnhealthyReplicas: remove old replicas that are not available first.
  let cleaned = 0;
  for (const r of old) {
    if (cleaned >= maxScaledDown) break;
    if (r.spec === 0) continue;
    if (r.spec === r.available) continue;
    const down = Math.min(maxScaledDown - cleaned, r.spec - r.available);
    scale(r, r.spec - down);
    cleaned += down;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: then healthy ones, keeping minAvailable.
  const available = sumAvailable([...old, newRS]);
  if (available > minAvailable) {
    const total = available - minAvailable;
    let scaled = 0;
    for (const r of old) {
      if (scaled >= total) break;
      if (r.spec === 0) continue;
      const down = Math.min(r.spec, total - scaled);
      scale(r, r.spec - down);
      scaled += down;
    }
  }
  return ops.filter((o) => o.from !== o.to);
}

// ---------------------------------------------------------------- scaling (P7)

/** IsSaturated: the new RS runs every replica and they are all available. */
export function isSaturated(replicas: number, rs: RsView | undefined): boolean {
  if (!rs) return false;
  return rs.spec === replicas && rs.desiredReplicasAnnotation === replicas && rs.available === replicas;
}

/**
 * P7 `scale`: how a replicas change (or a paused Deployment) spreads over the ReplicaSets.
 * `newRS` may be missing (paused with a changed template). Returns target sizes for the RSes whose
 * replica count must change, plus `touched` = every RS whose annotations should be refreshed.
 */
export function planScale(p: RollingParams & { rolling: boolean; statusReplicas: number }, newRS: RsView | undefined, oldRSs: RsView[]): { ops: ScaleOp[]; touched: string[]; op: "up" | "down" | "" } {
  // FindActiveOrLatest
  const oldNewestFirst = [...oldRSs].sort((a, b) => -byCreation(a, b));
  const all = [...oldNewestFirst, ...(newRS ? [newRS] : [])];
  const active = all.filter((r) => r.spec > 0);
  let activeOrLatest: RsView | undefined;
  if (all.length) {
    if (active.length === 0) activeOrLatest = newRS ?? oldNewestFirst[0];
    else if (active.length === 1) activeOrLatest = active[0];
  }
  if (activeOrLatest) {
    if (activeOrLatest.spec === p.replicas) return { ops: [], touched: [], op: "" };
    const op = activeOrLatest.spec < p.replicas ? "up" : "down";
    return { ops: [{ name: activeOrLatest.name, from: activeOrLatest.spec, to: p.replicas }], touched: [activeOrLatest.name], op };
  }
  if (isSaturated(p.replicas, newRS)) {
    const olds = oldRSs.filter((r) => r.spec > 0);
    return { ops: olds.map((r) => ({ name: r.name, from: r.spec, to: 0 })), touched: olds.map((r) => r.name), op: "down" };
  }
  if (!p.rolling) return { ops: [], touched: [], op: "" };
  const rss = [...oldRSs, ...(newRS ? [newRS] : [])].filter((r) => r.spec > 0);
  const current = sumSpec(rss);
  const surge = resolveFenceposts(p.maxSurge, p.maxUnavailable, p.replicas).surge;
  const allowed = p.replicas > 0 ? p.replicas + surge : 0;
  const toAdd = allowed - current;
  let op: "up" | "down" | "" = "";
  if (toAdd > 0) {
    // ReplicaSetsBySizeNewer: larger first, ties newer first
    rss.sort((a, b) => b.spec - a.spec || -byCreation(a, b));
    op = "up";
  } else if (toAdd < 0) {
    // ReplicaSetsBySizeOlder: larger first, ties older first
    rss.sort((a, b) => b.spec - a.spec || byCreation(a, b));
    op = "down";
  }
  const size = new Map<string, number>();
  let added = 0;
  for (const r of rss) {
    if (toAdd !== 0) {
      const prop = proportion(r, p.replicas, allowed, p.statusReplicas, toAdd, added);
      size.set(r.name, r.spec + prop);
      added += prop;
    } else size.set(r.name, r.spec);
  }
  const ops: ScaleOp[] = [];
  rss.forEach((r, i) => {
    let to = size.get(r.name)!;
    if (i === 0 && toAdd !== 0) to = Math.max(0, to + (toAdd - added));
    if (to !== r.spec) ops.push({ name: r.name, from: r.spec, to });
  });
  return { ops, touched: rss.map((r) => r.name), op };
}

/** GetProportion / getReplicaSetFraction. */
function proportion(r: RsView, replicas: number, maxReplicas: number, statusReplicas: number, toAdd: number, added: number): number {
  if (r.spec === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicas === 0) fraction = -r.spec;
  else {
    let before = r.maxReplicasAnnotation;
    if (before === undefined || before === 0) before = statusReplicas;
    fraction = goRound((r.spec * maxReplicas) / before) - r.spec;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

// ---------------------------------------------------------------- status (P8, P11)

export interface DeploymentCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export function getCondition(status: { conditions?: unknown[] } | undefined, type: string): DeploymentCondition | undefined {
  const conds = status?.conditions as DeploymentCondition[] | undefined;
  return conds ? findCondition(conds, type) : undefined;
}

function findCondition(conds: readonly DeploymentCondition[], type: string): DeploymentCondition | undefined {
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === type) return conds[i];
  return undefined;
}

/** SetDeploymentCondition: same status+reason → keep; same status → keep lastTransitionTime; append at the end. */
export function setCondition(conds: DeploymentCondition[], c: DeploymentCondition): DeploymentCondition[] {
  const cur = conds.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return conds;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  return [...conds.filter((x) => x.type !== c.type), next];
}

/** RemoveDeploymentCondition then SetDeploymentCondition: the conditions without c's type, then `c` itself (one new array). */
export function replaceCondition(conds: readonly DeploymentCondition[], c: DeploymentCondition): DeploymentCondition[] {
  let n = 1;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type !== c.type) n++;
  // (made at its final length: an array grown by push from [] reserves 16 or more slots)
  const out = new Array<DeploymentCondition>(n);
  let j = 0;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type !== c.type) out[j++] = conds[i]!;
  out[j] = c;
  return out;
}

/** The conditions without `type` (`conds` itself when it has none: callers never change the arrays). */
export function removeCondition(conds: DeploymentCondition[], type: string): DeploymentCondition[] {
  if (!findCondition(conds, type)) return conds;
  return conds.filter((x) => x.type !== type);
}

export interface DeploymentStatusCalc {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
  collisionCount?: number;
}

/**
 * P8 calculateStatus over the old ReplicaSets and the new one. `now` stamps new conditions. `conditions` may be
 * the Deployment's own stored array (never change it: build a new one, as setCondition/removeCondition do).
 */
export function calculateStatus(d: Deployment, old: readonly RsView[], newRS: RsView | undefined, now: number): DeploymentStatusCalc {
  let available = 0, total = 0, replicas = 0, ready = 0;
  for (let i = 0; i <= old.length; i++) {
    const r = i < old.length ? old[i]! : newRS;
    if (!r) break;
    available += r.available;
    total += r.spec;
    replicas += r.replicas;
    ready += r.ready ?? 0;
  }
  const conds = d.status?.conditions;
  const st: DeploymentStatusCalc = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas,
    updatedReplicas: newRS ? newRS.replicas : 0,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: (Array.isArray(conds) ? conds : [...(conds ?? [])]) as DeploymentCondition[],
  };
  if (d.status?.collisionCount !== undefined) st.collisionCount = d.status.collisionCount;
  const ok = available >= replicasOf(d) - maxUnavailable(d);
  st.conditions = ok
    ? ensureCondition(st.conditions, "Available", "True", Reason.MinimumReplicasAvailable, "Deployment has minimum availability.", now)
    : ensureCondition(st.conditions, "Available", "False", Reason.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now);
  return st;
}

/** setCondition(conds, cond(…)), without making the condition when setCondition would keep the present one. */
export function ensureCondition(conds: DeploymentCondition[], type: string, status: DeploymentCondition["status"], reason: string, message: string, now: number): DeploymentCondition[] {
  const cur = findCondition(conds, type);
  if (cur && cur.status === status && cur.reason === reason) return conds;
  return setCondition(conds, cond(type, status, reason, message, rfc3339(now)));
}

export function cond(type: string, status: DeploymentCondition["status"], reason: string, message: string, nowIso: string): DeploymentCondition {
  return { type, status, lastUpdateTime: nowIso, lastTransitionTime: nowIso, reason, message };
}

/** DeploymentComplete. */
export function deploymentComplete(d: Deployment, st: { updatedReplicas?: number; replicas?: number; availableReplicas?: number; observedGeneration?: number } | undefined): boolean {
  const r = replicasOf(d);
  return (st?.updatedReplicas ?? 0) === r && (st?.replicas ?? 0) === r && (st?.availableReplicas ?? 0) === r && (st?.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
}

/** DeploymentProgressing: more updated/ready/available replicas, or fewer old ones. */
export function deploymentProgressing(old: DeploymentStatusCalc | Deployment["status"] | undefined, st: DeploymentStatusCalc): boolean {
  const o = { replicas: old?.replicas ?? 0, updated: old?.updatedReplicas ?? 0, ready: old?.readyReplicas ?? 0, available: old?.availableReplicas ?? 0 };
  return st.updatedReplicas > o.updated || st.replicas - st.updatedReplicas < o.replicas - o.updated || st.readyReplicas > o.ready || st.availableReplicas > o.available;
}

/** DeploymentTimedOut: the Progressing condition was last updated more than pds ago. */
export function deploymentTimedOut(d: Deployment, st: DeploymentStatusCalc, now: number): boolean {
  const pds = d.spec.progressDeadlineSeconds;
  if (pds === undefined || pds === null) return false;
  const c = getCondition(st, "Progressing");
  if (!c) return false;
  if (c.reason === Reason.NewRSAvailable) return false;
  if (c.reason === Reason.TimedOut) return true;
  // (parseTime is Date.parse on canonical timestamps; its undefined for a bad one compares false like NaN)
  const from = parseTime(c.lastUpdateTime);
  return (from as number) + pds * 1000 < now;
}
