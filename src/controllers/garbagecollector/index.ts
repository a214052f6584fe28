/**
 * The garbage collector (G1–G4, pkg/controller/garbagecollector): event-driven from watch events, with the
 * store's owner index instead of upstream's dependency graph — no scans.
 *
 * Work items (queue keys):
 * - `d|Kind|ns/name`: attemptToDelete a dependent (its owner went away or waits for it in the foreground);
 * - `o|Kind|ns/name`: an owner being deleted with the `foregroundDeletion` or `orphan` finalizer.
 */
import type { KubeObject, ObjectKey, OwnerReference, WatchEvent } from "../../api/types.ts";
import { keyOf, splitKey } from "../../api/types.ts";
import { KINDS } from "../../api/kinds.ts";
import { ApiError } from "../../api/errors.ts";
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from "../../api/store.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";
import { classifyReferences, isDeletingDependents, planDependent } from "./classify.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const NAME = "garbagecollector";

const depKey = (o: KubeObject): ObjectKey => `d|${o.kind}|${keyOf(o)}`;
const ownerKey = (o: KubeObject): ObjectKey => `o|${o.kind}|${keyOf(o)}`;

function parseKey(key: ObjectKey): { type: string; kind: string; namespace?: string; name: string } {
  const [type, kind, rest] = [key.slice(0, 1), key.slice(2, key.indexOf("|", 2)), key.slice(key.indexOf("|", 2) + 1)];
  return { type, kind, ...splitKey(rest) };
}

function refsChanged(a: OwnerReference[] | undefined, b: OwnerReference[] | undefined): boolean {
  if (a === b) return false;
  return !jsonEqual(a ?? [], b ?? []);
}

/** Owners in `refs` waiting in the foreground for their dependents: their owner keys, added to `keys`. */
function addWaitingOwners(store: Ctx["store"], refs: OwnerReference[] | undefined, keys: ObjectKey[]): ObjectKey[] {
  if (!refs) return keys;
  for (const r of refs) {
    const o = store.getByUid(r.uid);
    if (o && isDeletingDependents(o)) keys.push(ownerKey(o));
  }
  return keys;
}

/**
 * Some owner in `refs` is not in the store. (A function of its own: a closure over the store in gcKeysFor made
 * V8 allocate that function's context on every call, i.e. per watch event.)
 */
function hasAbsentOwner(store: Ctx["store"], refs: OwnerReference[]): boolean {
  for (let i = 0; i < refs.length; i++) if (!store.getByUid(refs[i]!.uid)) return true;
  return false;
}

const NO_KEYS: ObjectKey[] = Object.freeze([]) as unknown as ObjectKey[];

/** The graph builder's reaction to one watch event. */
export function gcKeysFor(ev: WatchEvent, ctx: Ctx): ObjectKey[] {
  const obj = ev.object;
  const store = ctx.store;
  const md = obj.metadata;
  if (ev.type === "DELETED") {
    const keys: ObjectKey[] = [];
    // Owner gone: its dependents may now be garbage (or carry a dangling reference).
    for (const d of store.ownedBy(md.uid)) keys.push(depKey(d));
    // Dependent gone: an owner waiting for it in the foreground may be done.
    return addWaitingOwners(store, md.ownerReferences, keys);
  }
  let keys = NO_KEYS;
  const fin = md.finalizers;
  if (md.deletionTimestamp && fin && (fin.includes(FINALIZER_FOREGROUND) || fin.includes(FINALIZER_ORPHAN))) keys = [ownerKey(obj)];
  const refs = md.ownerReferences;
  if (ev.type === "ADDED") {
    // A new object whose owner is absent or waiting (virtual node verification upstream).
    if (refs) {
      for (let i = 0; i < refs.length; i++) {
        const o = store.getByUid(refs[i]!.uid);
        if (!o || isDeletingDependents(o)) {
          if (keys === NO_KEYS) keys = [];
          keys.push(depKey(obj));
          break;
        }
      }
    }
    return keys;
  }
  const old = ev.old;
  if (old && refsChanged(old.metadata.ownerReferences, refs)) {
    if (keys === NO_KEYS) keys = [];
    addWaitingOwners(store, old.metadata.ownerReferences, keys);
    if (refs && hasAbsentOwner(store, refs)) keys.push(depKey(obj));
  }
  return keys;
}

function deleteObject(ctx: Ctx, o: KubeObject, policy: "Background" | "Foreground" | "Orphan"): void {
  try {
    ctx.store.delete(o.kind, o.metadata.namespace, o.metadata.name, { propagationPolicy: policy });
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === "NotFound")) throw e;
  }
}

function removeOwnerRefs(ctx: Ctx, o: KubeObject, uids: readonly string[]): void {
  const drop = new Set(uids);
  ctx.store.mutate(o.kind, o.metadata.namespace, o.metadata.name, (c: KubeObject) => {
    const left = (c.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
    if (left.length) c.metadata.ownerReferences = left;
    else delete c.metadata.ownerReferences;
  }, { skipAdmission: true });
}

function removeFinalizer(ctx: Ctx, o: KubeObject, finalizer: string): void {
  ctx.store.mutate(o.kind, o.metadata.namespace, o.metadata.name, (c: KubeObject) => {
    const left = (c.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (left.length) c.metadata.finalizers = left;
    else delete c.metadata.finalizers;
  }, { skipAdmission: true });
}

/** attemptToDeleteItem for a dependent. */
function attemptToDelete(ctx: Ctx, item: KubeObject): void {
  if (item.metadata.deletionTimestamp) return;
  const refs = item.metadata.ownerReferences;
  if (!refs?.length) return;
  const c = classifyReferences(refs, (uid) => ctx.store.getByUid(uid));
  const action = planDependent(item, c, ctx.store.hasDependents(item.metadata.uid));
  if (action.type === "removeRefs") removeOwnerRefs(ctx, item, action.uids);
  else if (action.type === "delete") deleteObject(ctx, item, action.policy);
}

/** processDeletingDependentsItem (foreground) and orphanDependents (orphan) for an owner being deleted. */
function processOwner(ctx: Ctx, owner: KubeObject): void {
  const fin = owner.metadata.finalizers ?? [];
  const uid = owner.metadata.uid;
  if (fin.includes(FINALIZER_ORPHAN)) {
    for (const d of ctx.store.ownedBy(uid)) removeOwnerRefs(ctx, d, [uid]);
    removeFinalizer(ctx, owner, FINALIZER_ORPHAN);
    return;
  }
  if (!fin.includes(FINALIZER_FOREGROUND)) return;
  // Dependents are deleted (foreground themselves when they own something) …
  for (const d of ctx.store.ownedBy(uid)) {
    if (!d.metadata.deletionTimestamp) attemptToDelete(ctx, d);
  }
  // … and the owner goes once no dependent with blockOwnerDeletion is left.
  const blocking = ctx.store.ownedBy(uid).some((d) => d.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
  if (!blocking) {
    const cur = ctx.store.getByUid(uid);
    if (cur) removeFinalizer(ctx, cur, FINALIZER_FOREGROUND);
  }
}

export function reconcileGC(ctx: Ctx, key: ObjectKey): void {
  const { type, kind, namespace, name } = parseKey(key);
  const obj = ctx.store.get(kind, namespace, name);
  if (!obj) return;
  if (type === "o") processOwner(ctx, obj);
  else attemptToDelete(ctx, obj);
}

export const garbageCollector: ControllerDef = {
  name: NAME,
  watches: KINDS.filter((k) => k.kind !== "Event").map((k) => ({ kind: k.kind, map: gcKeysFor })),
  reconcile: reconcileGC,
};

export const controllers: ControllerDef[] = [garbageCollector];
