/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): syncReplicaSet → claim active pods
 * (X7/R4) → manageReplicas (R1: slow start, burstReplicas 500, R2 ranking) → status (R3).
 */
import type { KubeObject, ObjectKey, Pod, ReplicaSet, WatchEvent } from "../../api/types.ts";
import { fromLabelSelector, matches, type Selector } from "../../api/labels.ts";
import { ApiError } from "../../api/errors.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef, Result } from "../types.ts";
import { candidatePods, claimObjects } from "../util/claim.ts";
import { controllerOf, getQueued, newControllerRef, ownerKey } from "../util/refs.ts";
import { QuietKeys, type QuietCheck } from "../util/quiet.ts";
import { isPodActive, isPodReady, podCondition, podMaker } from "../util/pods.ts";
import { slowStartBatch } from "../util/slowstart.ts";
import { podsToDelete } from "./podsToDelete.ts";
import { hasLabels, nextAvailableAt, podCounts, statusEqual, statusFromCounts, statusMatches, templateLabelEntries, type ManageError, type PodCounts } from "./status.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const NAME = "replicaset";
export const COMPONENT = "replicaset-controller";
/** replicaset.BurstReplicas */
export const BURST_REPLICAS = 500;
/** workqueue.DefaultControllerRateLimiter: per-item exponential backoff 5ms·2^n, capped at 1000s. */
const BACKOFF_BASE_MS = 5, BACKOFF_MAX_MS = 1_000_000;

/**
 * Above this many pods, readiness-only pod updates are coalesced to the next whole virtual second (one
 * O(pods) sync per second instead of one per pod); smaller ReplicaSets sync at once, as upstream does.
 */
export const COALESCE_ABOVE = 100;

interface State {
  /** Per-key failure counts (the work queue's rate limiter state). */
  failures: Map<ObjectKey, number>;
  /** Active pods seen by the last sync, per key. */
  sizes: Map<ObjectKey, number>;
  /** Running pod tallies, by ReplicaSet uid (see Tally), and which uid each key's tally is for. */
  tallies: Map<string, Tally>;
  tallyOfKey: Map<ObjectKey, string>;
  /** Terminating pod uid → [tally uid, its counted part] (see updateTallies). */
  terminating: Map<string, Array<[string, number]>>;
  /** Tests: every sync takes the full path (to compare with the tally's). */
  noTally?: boolean;
  /**
   * Keys whose last sync wrote nothing but the status, with no error (QuietKeys): a sync at once would read
   * the same ReplicaSet, pods and instant, and count the same. Any event for the ReplicaSet or a pod referring
   * to it wakes the key; an orphan pod's event wakes them all (any may adopt it).
   */
  quiet: QuietKeys;
  /** The running sync wrote the status. */
  statusWritten?: boolean;
}

function rsState(ctx: Ctx): State {
  let s = ctx.sim.ext.get(NAME) as State | undefined;
  if (!s) ctx.sim.ext.set(NAME, (s = { failures: new Map(), sizes: new Map(), tallies: new Map(), tallyOfKey: new Map(), terminating: new Map(), quiet: new QuietKeys(ctx.sim) }));
  return s;
}

/**
 * What a full sync would count over a ReplicaSet's pods, kept up to date from the pod watch events, so a
 * sync with nothing to claim and nothing to delete needs no pass over its (maybe 30,000) pods. Built by a
 * full sync; valid while the ReplicaSet's selector and template labels are the ones it was built for.
 * Only pods with an ownerReference to the ReplicaSet count (see contribution).
 */
interface Tally {
  uid: string;
  /** The stored spec.selector / template labels it was built for (same object ⇒ same meaning). */
  selectorSrc: unknown;
  labelsSrc: unknown;
  selector: Selector;
  tplEntries: Array<[string, string]>;
  /** Equality requirements of the selector: when every pod labelled k=v is one of ownedMatching, no other pod matches. */
  eqPairs: Array<[string, string]>;
  /** Controlled, active, matching: the pods a sync ends up with (and of them: fully labeled, ready). */
  active: number;
  fully: number;
  ready: number;
  /** Controlled and active but not matching: a sync would release them. */
  mismatched: number;
  /** Owned without a controller, active and matching: a sync would adopt them. */
  adoptable: number;
  /** Owned (any reference) and matching, active or not. */
  ownedMatching: number;
}

const C_OWNED_MATCH = 1, C_ACTIVE = 2, C_FULLY = 4, C_READY = 8, C_MISMATCH = 16, C_ADOPT = 32;

/** A pod's part of a tally, as bits (0 when it has no ownerReference to the ReplicaSet). */
function contribution(t: Tally, p: KubeObject): number {
  const refs = p.metadata.ownerReferences;
  if (!refs) return 0;
  let owned = false;
  let ctrl: string | undefined;
  let hasCtrl = false;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i]!;
    if (r.uid === t.uid) owned = true;
    if (r.controller && !hasCtrl) { hasCtrl = true; ctrl = r.uid; }
  }
  if (!owned) return 0;
  const labels = p.metadata.labels;
  const match = matches(t.selector, labels);
  const active = isPodActive(p as Pod);
  let c = match ? C_OWNED_MATCH : 0;
  if (!active) return c;
  if (ctrl === t.uid) {
    if (!match) return c | C_MISMATCH;
    c |= C_ACTIVE;
    if (hasLabels(labels, t.tplEntries)) c |= C_FULLY;
    if (isPodReady(p as Pod)) c |= C_READY;
    return c;
  }
  if (!hasCtrl && match) c |= C_ADOPT;
  return c;
}

function addContribution(t: Tally, c: number, d: number): void {
  if (c & C_OWNED_MATCH) t.ownedMatching += d;
  if (c & C_ACTIVE) t.active += d;
  if (c & C_FULLY) t.fully += d;
  if (c & C_READY) t.ready += d;
  if (c & C_MISMATCH) t.mismatched += d;
  if (c & C_ADOPT) t.adoptable += d;
}

/**
 * Apply one pod watch event to the tallies of the ReplicaSets its versions reference. A terminating pod's
 * part is remembered (`terminating`): the store's DELETED event may carry a version that was never stored
 * (the write that dropped the last finalizer), so its removal takes back what was counted, not what it holds.
 */
function updateTallies(st: State, ev: WatchEvent): void {
  if (ev.type !== "ADDED" && ev.old) {
    const old = ev.old;
    const rec = st.terminating.get(old.metadata.uid);
    if (rec) {
      st.terminating.delete(old.metadata.uid);
      for (const [uid, c] of rec) {
        const t = st.tallies.get(uid);
        if (t) addContribution(t, c, -1);
      }
    } else if (!old.metadata.deletionTimestamp) applyTo(st, old, -1);
  }
  if (ev.type !== "DELETED") applyTo(st, ev.object, 1);
}

function applyTo(st: State, p: KubeObject, d: number): void {
  const refs = p.metadata.ownerReferences;
  if (!refs) return;
  for (let i = 0; i < refs.length; i++) {
    const t = st.tallies.get(refs[i]!.uid);
    if (!t) continue;
    let dup = false; // one pod counts once however many references name the ReplicaSet
    for (let j = 0; j < i; j++) if (refs[j]!.uid === t.uid) dup = true;
    if (!dup) count(st, t, p, d);
  }
}

/** Add (d = 1) or take back (d = -1) `p`'s part of `t`; a terminating pod's part is remembered when added. */
function count(st: State, t: Tally, p: KubeObject, d: number): void {
  const c = contribution(t, p);
  addContribution(t, c, d);
  if (d > 0 && p.metadata.deletionTimestamp) {
    const uid = p.metadata.uid;
    const rec = (st.terminating.get(uid) ?? []).filter(([u]) => u !== t.uid);
    rec.push([t.uid, c]);
    st.terminating.set(uid, rec);
  }
}

function newTally(rs: ReplicaSet, selector: Selector): Tally {
  const eqPairs: Array<[string, string]> = [];
  for (const r of selector.requirements) if (r.op === "=") eqPairs.push([r.key, r.value]);
  return {
    uid: rs.metadata.uid, selectorSrc: rs.spec.selector, labelsSrc: rs.spec.template?.metadata?.labels, selector,
    tplEntries: templateLabelEntries(rs), eqPairs, active: 0, fully: 0, ready: 0, mismatched: 0, adoptable: 0, ownedMatching: 0,
  };
}

/** The tally for `rs` when it still describes it (same uid, selector and template labels objects). */
function tallyFor(st: State, rs: ReplicaSet): Tally | undefined {
  const t = st.tallies.get(rs.metadata.uid);
  if (!t || t.selectorSrc !== rs.spec.selector || t.labelsSrc !== rs.spec.template?.metadata?.labels) return undefined;
  return t;
}

/**
 * True when a full sync of `rs` would find exactly the tally's pods: nothing to release or adopt (every pod
 * labelled with one of the selector's pairs is an owned matching pod, so there are no other matching pods),
 * no deletions (replicas ≥ active), and status counts that do not depend on time (minReadySeconds 0).
 */
function tallySuffices(ctx: Ctx, rs: ReplicaSet, t: Tally): boolean {
  if (rs.metadata.deletionTimestamp || (rs.spec.minReadySeconds ?? 0) !== 0) return false;
  if (t.mismatched || t.adoptable || t.active > (rs.spec.replicas ?? 1)) return false;
  for (const p of t.eqPairs) if (ctx.store.countPodsWithLabel(p[0], p[1]) === t.ownedMatching) return true; // (no destructuring: no iterator)
  return false;
}

/** A tally for `rs` counted from the store (after a full sync's claim), registered for the watch events. */
function buildTally(ctx: Ctx, st: State, key: ObjectKey, rs: ReplicaSet, selector: Selector): void {
  dropTally(st, key);
  if (selector.nothing || !selector.requirements.some((r) => r.op === "=")) return;
  const t = newTally(rs, selector);
  for (const p of ctx.store.ownedBy(rs.metadata.uid, "Pod")) count(st, t, p, 1);
  st.tallies.set(t.uid, t);
  st.tallyOfKey.set(key, t.uid);
}

function dropTally(st: State, key: ObjectKey): void {
  const uid = st.tallyOfKey.get(key);
  if (uid === undefined) return;
  st.tallies.delete(uid);
  st.tallyOfKey.delete(key);
}

function failures(ctx: Ctx): Map<ObjectKey, number> {
  return rsState(ctx).failures;
}

function errMessage(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
}

/** getPodsPrefix: "<name>-" (X2). */
function podsPrefix(name: string): string {
  return `${name}-`;
}

/** getIndirectlyRelatedPods: pods of every RS controlled by the same owner (this RS included). */
function relatedPods(ctx: Ctx, rs: ReplicaSet): Pod[] {
  const ref = controllerOf(rs);
  if (!ref) return [];
  const seen = new Set<string>();
  const out: Pod[] = [];
  const siblings = ctx.store.ownedBy<ReplicaSet>(ref.uid, "ReplicaSet").filter((r) => controllerOf(r)?.uid === ref.uid);
  siblings.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const r of siblings) {
    const sel = fromLabelSelector(r.spec.selector);
    if (sel.nothing || !sel.requirements.length) continue;
    for (const p of ctx.store.list<Pod>("Pod", { namespace: r.metadata.namespace!, selector: sel })) {
      if (seen.has(p.metadata.uid)) continue;
      seen.add(p.metadata.uid);
      out.push(p);
    }
  }
  return out;
}

/** Tests: turn the running tallies off (every sync lists and claims its pods), or back on. */
export function setReplicaSetTallies(ctx: Ctx, on: boolean): void {
  rsState(ctx).noTally = !on;
}

/**
 * manageReplicas (R1). Returns the error that stopped it, if any. `pods` is only read when some must go:
 * a sync that only creates may pass their number.
 */
export function manageReplicas(ctx: Ctx, rs: ReplicaSet, pods: Pod[] | number): ManageError | undefined {
  const ns = rs.metadata.namespace!;
  const want = rs.spec.replicas ?? 1;
  let diff = (typeof pods === "number" ? pods : pods.length) - want;
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    let failure: ManageError | undefined;
    const makePod = podMaker((rs.spec.template ?? {}) as never, ns, podsPrefix(rs.metadata.name), newControllerRef(rs));
    slowStartBatch(n, 1, () => {
      try {
        // (fresh: a new pod, no undefined values; below its own objects only frozen parts, as create's copy would)
        const created = ctx.store.create<Pod>(makePod(), { fresh: true });
        ctx.events.createdPod(rs, created.metadata.name, COMPONENT); // "Created pod: <name>"
        return true;
      } catch (e) {
        const message = errMessage(e);
        ctx.events.event(rs, "Warning", "FailedCreate", `Error creating: ${message}`, COMPONENT);
        failure ??= { reason: "FailedCreate", message };
        return false;
      }
    });
    return failure;
  }
  if (diff > 0) {
    diff = Math.min(diff, BURST_REPLICAS);
    if (typeof pods === "number") throw new Error("manageReplicas: deleting needs the pods");
    const victims = podsToDelete(pods, relatedPods(ctx, rs), diff, ctx.now());
    for (const p of victims) {
      try {
        ctx.store.delete("Pod", p.metadata.namespace, p.metadata.name);
        ctx.events.event(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`, COMPONENT);
      } catch (e) {
        if (e instanceof ApiError && e.reason === "NotFound") continue;
        const message = errMessage(e);
        ctx.events.event(rs, "Warning", "FailedDelete", `Error deleting: ${message}`, COMPONENT);
        return { reason: "FailedDelete", message };
      }
    }
  }
  return undefined;
}

/** "No keys" from the pod watch (shared; the simulation only reads it). */
const NO_KEYS: ObjectKey[] = Object.freeze([]) as unknown as ObjectKey[];

/** Tests: quiet syncs run and are checked. */
export function checkQuietReplicaSets(ctx: Ctx): QuietCheck {
  return (rsState(ctx).quiet.check = { checked: 0, wrote: [] });
}

/** syncReplicaSet (quiet keys: see State.quiet). */
export function reconcileReplicaSet(ctx: Ctx, key: ObjectKey): Result | void {
  const st = rsState(ctx);
  return st.quiet.reconcile(ctx, key, syncAndMark, st);
}

/** syncReplicaSet, then mark the key quiet when the sync wrote only the status (see State.quiet). */
function syncAndMark(ctx: Ctx, key: ObjectKey, st: State): Result | void {
  const rv = ctx.store.resourceVersion;
  st.statusWritten = false;
  const res = syncReplicaSet(ctx, st, key);
  if (st.statusWritten && ctx.store.resourceVersion === rv + 1 && !st.failures.has(key)) st.quiet.mark(key, res?.requeueAfter);
  return res;
}

/** A pod event wakes every ReplicaSet either version refers to; an orphan's, every quiet one (any may adopt it). */
function wakeForPod(st: State, pod: KubeObject, old: KubeObject | undefined): void {
  if (!controllerOf(pod) || (old && !controllerOf(old))) { st.quiet.wakeAll(); return; }
  const ns = pod.metadata.namespace!;
  for (const r of pod.metadata.ownerReferences!) if (r.kind === "ReplicaSet") st.quiet.wake(ownerKey(ns, r));
  if (old && old.metadata.ownerReferences !== pod.metadata.ownerReferences) {
    for (const r of old.metadata.ownerReferences!) if (r.kind === "ReplicaSet") st.quiet.wake(ownerKey(old.metadata.namespace!, r));
  }
}

function syncReplicaSet(ctx: Ctx, st: State, key: ObjectKey): Result | void {
  const rs = getQueued<ReplicaSet>(ctx.store, "ReplicaSet", key);
  if (!rs) { failures(ctx).delete(key); st.sizes.delete(key); dropTally(st, key); return; }
  const now = ctx.now();
  let err: ManageError | undefined;
  let pods: Pod[] | undefined;
  let cur: ReplicaSet | undefined;
  const t = st.noTally ? undefined : tallyFor(st, rs);
  if (t && tallySuffices(ctx, rs, t)) {
    // The pods and counts the full sync below would find (tallySuffices); the creates update the tally.
    const counts = { replicas: t.active, fully: t.fully, ready: t.ready, available: t.ready };
    st.sizes.set(key, counts.replicas);
    err = manageReplicas(ctx, rs, counts.replicas);
    cur = getQueued<ReplicaSet>(ctx.store, "ReplicaSet", key);
    if (!cur) return;
    writeStatus(ctx, cur, counts, err, now);
  } else {
    const selector = fromLabelSelector(rs.spec.selector);
    const active = candidatePods(ctx, rs, selector).filter((p) => isPodActive(p as Pod)) as Pod[];
    pods = claimObjects(ctx, rs, selector, active, { unique: true });
    buildTally(ctx, st, key, rs, selector);
    st.sizes.set(key, pods.length);
    if (!rs.metadata.deletionTimestamp) err = manageReplicas(ctx, rs, pods);

    cur = getQueued<ReplicaSet>(ctx.store, "ReplicaSet", key);
    if (!cur) return;
    writeStatus(ctx, cur, podCounts(cur, pods, now), err, now);
  }
  // A failed sync is retried with the work queue's exponential backoff (AddRateLimited).
  const fails = failures(ctx);
  if (err) {
    const n = fails.get(key) ?? 0;
    fails.set(key, n + 1);
    return { requeueAfter: Math.min(BACKOFF_BASE_MS * 2 ** n, BACKOFF_MAX_MS) };
  }
  fails.delete(key);
  if (!pods) return; // (minReadySeconds 0: nothing becomes available later)
  const next = nextAvailableAt(cur, pods, now);
  if (next !== undefined && next > now) return { requeueAfter: next - now };
}

/** updateReplicaSetStatus: write the status calculateStatus gives for these counts, unless it is the stored one. */
function writeStatus(ctx: Ctx, rs: ReplicaSet, counts: PodCounts, err: ManageError | undefined, now: number): void {
  const cmp = statusMatches(rs, counts, err);
  if (cmp === "same") return;
  const status = statusFromCounts(rs, counts, err, now);
  if (cmp === "unsure" && statusEqual(rs.status, status)) return;
  ctx.store.updateStatus(rs, status);
  rsState(ctx).statusWritten = true;
}

function labelsChanged(a: KubeObject, b: KubeObject): boolean {
  return !jsonEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {});
}

/** The Ready condition's status and transition time changed (what R2 ranking and availability read). */
function readyChanged(a: KubeObject, b: KubeObject): boolean {
  const x = podCondition(a as Pod, "Ready"), y = podCondition(b as Pod, "Ready");
  if (!x || !y) return x !== y;
  return x.status !== y.status || (x.lastTransitionTime ?? "") !== (y.lastTransitionTime ?? "");
}

/** Whether a pod's part of a tally (see contribution) may differ between two versions. */
function tallyChanged(a: KubeObject, b: KubeObject): boolean {
  const ma = a.metadata, mb = b.metadata;
  if (ma.ownerReferences !== mb.ownerReferences || ma.labels !== mb.labels || ma.deletionTimestamp !== mb.deletionTimestamp) return true;
  if (a.status === b.status) return false;
  return a.status?.phase !== b.status?.phase || isPodReady(a as Pod) !== isPodReady(b as Pod);
}

/** What a ReplicaSet's sync reads from an owned pod: activity, labels, owners, readiness. */
function relevantChange(a: KubeObject, b: KubeObject): "none" | "ready" | "structural" {
  if (a.metadata.labels !== b.metadata.labels && labelsChanged(a, b)) return "structural";
  if (a.metadata.ownerReferences !== b.metadata.ownerReferences && !jsonEqual(a.metadata.ownerReferences, b.metadata.ownerReferences)) return "structural";
  if (a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp) return "structural";
  if (isPodActive(a as Pod) !== isPodActive(b as Pod)) return "structural";
  if (a.status?.phase !== b.status?.phase) return "ready"; // R2 ranking uses the phase
  if (a.status !== b.status && readyChanged(a, b)) return "ready";
  return "none";
}

/** addPod / updatePod / deletePod: the owning RS, or for orphans every RS whose selector matches. */
export function podToReplicaSets(ev: WatchEvent, ctx: Ctx): ObjectKey[] | ObjectKey | undefined {
  const pod = ev.object;
  const old = ev.type === "MODIFIED" ? ev.old : undefined;
  // A write that kept the pod's status and owners, labels, deletion (a bind): no tally moves, no key (every
  // test below would find nothing to do).
  if (old && old.status === pod.status && old.metadata.ownerReferences === pod.metadata.ownerReferences
    && old.metadata.labels === pod.metadata.labels && old.metadata.deletionTimestamp === pod.metadata.deletionTimestamp) return undefined;
  const st = rsState(ctx);
  if (st.quiet.size) wakeForPod(st, pod, old);
  if ((st.tallies.size || st.terminating.size) && (!old || tallyChanged(old, pod))) updateTallies(st, ev);
  const ns = pod.metadata.namespace!;
  const ref = controllerOf(pod);
  if (old && ref?.kind === "ReplicaSet") {
    const change = relevantChange(old, pod);
    if (change === "none") return NO_KEYS;
    const key = ownerKey(ns, ref);
    if (change === "ready" && (st.sizes.get(key) ?? 0) > COALESCE_ABOVE) {
      const now = ctx.now();
      ctx.enqueueAfter(NAME, key, 1000 - (now % 1000) || 1000);
      return NO_KEYS;
    }
  }
  const oldRef = old ? controllerOf(old) : undefined;
  // The usual case, one key: the pod's ReplicaSet, which it had before too (or a new pod's).
  if (ref?.kind === "ReplicaSet" && (!oldRef || oldRef.uid === ref.uid)) return ownerKey(ns, ref);
  const keys: ObjectKey[] = [];
  if (ref?.kind === "ReplicaSet") keys.push(ownerKey(ns, ref));
  if (oldRef?.kind === "ReplicaSet" && oldRef.uid !== ref?.uid) keys.push(`${ns}/${oldRef.name}`);
  if (!ref && ev.type !== "DELETED" && !pod.metadata.deletionTimestamp) {
    if (ev.type === "ADDED" || (old && (labelsChanged(old, pod) || !!oldRef))) {
      for (const rs of ctx.store.list<ReplicaSet>("ReplicaSet", { namespace: ns })) {
        if (matches(fromLabelSelector(rs.spec.selector), pod.metadata.labels)) keys.push(`${ns}/${rs.metadata.name}`);
      }
    }
  }
  return keys;
}

export const replicaSetController: ControllerDef = {
  name: NAME,
  watches: [
    { kind: "ReplicaSet", map: (ev, ctx) => { rsState(ctx).quiet.wake(ev.key); return ev.key; } },
    { kind: "Pod", map: podToReplicaSets },
  ],
  reconcile: reconcileReplicaSet,
};
