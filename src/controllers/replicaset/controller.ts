/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): syncReplicaSet → claim active pods
 * (X7/R4) → manageReplicas (R1: slow start, burstReplicas 500, R2 ranking) → status (R3).
 */
import type { KubeObject, ObjectKey, Pod, ReplicaSet, WatchEvent } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import { fromLabelSelector, matches } from "../../api/labels.ts";
import { ApiError } from "../../api/errors.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef, Result } from "../types.ts";
import { candidatePods, claimObjects } from "../util/claim.ts";
import { controllerOf, newControllerRef } from "../util/refs.ts";
import { isPodActive, podFromTemplate } from "../util/pods.ts";
import { slowStartBatch } from "../util/slowstart.ts";
import { podsToDelete } from "./podsToDelete.ts";
import { calculateStatus, nextAvailableAt, statusEqual, type ManageError } from "./status.ts";
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
}

function rsState(ctx: Ctx): State {
  let s = ctx.sim.ext.get(NAME) as State | undefined;
  if (!s) ctx.sim.ext.set(NAME, (s = { failures: new Map(), sizes: new Map() }));
  return s;
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

/** manageReplicas (R1). Returns the error that stopped it, if any. */
export function manageReplicas(ctx: Ctx, rs: ReplicaSet, pods: Pod[]): ManageError | undefined {
  const ns = rs.metadata.namespace!;
  const want = rs.spec.replicas ?? 1;
  let diff = pods.length - want;
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    let failure: ManageError | undefined;
    const tpl = rs.spec.template ?? {};
    slowStartBatch(n, 1, () => {
      try {
        const pod = podFromTemplate(tpl as never, ns, podsPrefix(rs.metadata.name), newControllerRef(rs));
        const created = ctx.store.create<Pod>(pod);
        ctx.events.event(rs, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`, COMPONENT);
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

/** syncReplicaSet. */
export function reconcileReplicaSet(ctx: Ctx, key: ObjectKey): Result | void {
  const { namespace, name } = splitKey(key);
  const rs = ctx.store.get<ReplicaSet>("ReplicaSet", namespace, name);
  if (!rs) { failures(ctx).delete(key); rsState(ctx).sizes.delete(key); return; }
  const selector = fromLabelSelector(rs.spec.selector);
  const active = candidatePods(ctx, rs, selector).filter((p) => isPodActive(p as Pod)) as Pod[];
  const pods = claimObjects(ctx, rs, selector, active, { unique: true });
  rsState(ctx).sizes.set(key, pods.length);
  let err: ManageError | undefined;
  if (!rs.metadata.deletionTimestamp) err = manageReplicas(ctx, rs, pods);

  const cur = ctx.store.get<ReplicaSet>("ReplicaSet", namespace, name);
  if (!cur) return;
  const now = ctx.now();
  const status = calculateStatus(cur, pods, err, now);
  if (!statusEqual(cur.status, status)) ctx.store.updateStatus(cur, status);
  // A failed sync is retried with the work queue's exponential backoff (AddRateLimited).
  const fails = failures(ctx);
  if (err) {
    const n = fails.get(key) ?? 0;
    fails.set(key, n + 1);
    return { requeueAfter: Math.min(BACKOFF_BASE_MS * 2 ** n, BACKOFF_MAX_MS) };
  }
  fails.delete(key);
  const next = nextAvailableAt(cur, pods, now);
  if (next !== undefined && next > now) return { requeueAfter: next - now };
}

function labelsChanged(a: KubeObject, b: KubeObject): boolean {
  return !jsonEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {});
}

function readyOf(p: KubeObject): string {
  const c = (p.status?.conditions as Array<{ type: string; status: string; lastTransitionTime?: string }> | undefined)?.find((x) => x.type === "Ready");
  return c ? `${c.status}@${c.lastTransitionTime ?? ""}` : "";
}

/** What a ReplicaSet's sync reads from an owned pod: activity, labels, owners, readiness. */
function relevantChange(a: KubeObject, b: KubeObject): "none" | "ready" | "structural" {
  if (a.metadata.labels !== b.metadata.labels && labelsChanged(a, b)) return "structural";
  if (a.metadata.ownerReferences !== b.metadata.ownerReferences && !jsonEqual(a.metadata.ownerReferences, b.metadata.ownerReferences)) return "structural";
  if (a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp) return "structural";
  if (isPodActive(a as Pod) !== isPodActive(b as Pod)) return "structural";
  if (a.status?.phase !== b.status?.phase) return "ready"; // R2 ranking uses the phase
  if (a.status !== b.status && readyOf(a) !== readyOf(b)) return "ready";
  return "none";
}

/** addPod / updatePod / deletePod: the owning RS, or for orphans every RS whose selector matches. */
export function podToReplicaSets(ev: WatchEvent, ctx: Ctx): ObjectKey[] {
  const pod = ev.object;
  const ns = pod.metadata.namespace!;
  const keys: ObjectKey[] = [];
  const ref = controllerOf(pod);
  const old = ev.type === "MODIFIED" ? ev.old : undefined;
  if (old && ref?.kind === "ReplicaSet") {
    const change = relevantChange(old, pod);
    if (change === "none") return [];
    const key = `${ns}/${ref.name}`;
    if (change === "ready" && (rsState(ctx).sizes.get(key) ?? 0) > COALESCE_ABOVE) {
      const now = ctx.now();
      ctx.enqueueAfter(NAME, key, 1000 - (now % 1000) || 1000);
      return [];
    }
  }
  if (ref?.kind === "ReplicaSet") keys.push(`${ns}/${ref.name}`);
  const oldRef = old ? controllerOf(old) : undefined;
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
    { kind: "ReplicaSet" },
    { kind: "Pod", map: podToReplicaSets },
  ],
  reconcile: reconcileReplicaSet,
};
