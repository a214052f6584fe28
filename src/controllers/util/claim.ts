/**
 * X7 claiming (PodControllerRefManager.ClaimPods / ClaimObjects): adopt matching orphans, release owned
 * objects whose labels no longer match. Objects owned by another controller are never taken; no
 * adoption while the owner is being deleted.
 */
import type { KubeObject } from "../../api/types.ts";
import { matches, type Selector } from "../../api/labels.ts";
import type { Ctx } from "../../simulation.ts";
import { controllerOf, newControllerRef } from "./refs.ts";

/**
 * Returns the objects this owner controls after claiming. `candidates` are objects of the kind in the
 * owner's namespace (callers narrow with the store's selector list + ownedBy).
 */
export function claimObjects<T extends KubeObject>(ctx: Ctx, owner: KubeObject, selector: Selector, candidates: Iterable<T>): T[] {
  const out: T[] = [];
  const seen = new Set<string>();
  for (const o of candidates) {
    if (seen.has(o.metadata.uid)) continue;
    seen.add(o.metadata.uid);
    const ref = controllerOf(o);
    const match = matches(selector, o.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (match) { out.push(o); continue; }
      // release
      if (owner.metadata.deletionTimestamp) { out.push(o); continue; }
      ctx.store.mutate(o.kind, o.metadata.namespace, o.metadata.name, (c: KubeObject) => {
        c.metadata.ownerReferences = (c.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
        if (!c.metadata.ownerReferences.length) delete c.metadata.ownerReferences;
      }, { skipAdmission: true });
      continue;
    }
    if (!match || owner.metadata.deletionTimestamp || o.metadata.deletionTimestamp) continue;
    // adopt
    const adopted = ctx.store.mutate<T>(o.kind, o.metadata.namespace, o.metadata.name, (c) => {
      c.metadata.ownerReferences = [...(c.metadata.ownerReferences ?? []), newControllerRef(owner)];
    }, { skipAdmission: true });
    out.push(adopted);
  }
  return out;
}

/** Candidate pods for an owner: those it already owns plus orphans/others matching the selector. */
export function candidatePods(ctx: Ctx, owner: KubeObject, selector: Selector): KubeObject[] {
  const owned = ctx.store.ownedBy(owner.metadata.uid, "Pod");
  const matching = ctx.store.list("Pod", { namespace: owner.metadata.namespace!, selector });
  if (!owned.length) return matching;
  const m = new Map<string, KubeObject>();
  for (const p of owned) m.set(p.metadata.uid, p);
  for (const p of matching) m.set(p.metadata.uid, p);
  return [...m.values()];
}
