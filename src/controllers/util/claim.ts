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
export function claimObjects<T extends KubeObject>(ctx: Ctx, owner: KubeObject, selector: Selector, candidates: Iterable<T>, opts: { unique?: boolean } = {}): T[] {
  const out: T[] = [];
  // `unique`: the caller's candidates hold each object once (candidatePods' result), so no dedupe set.
  const seen = opts.unique ? undefined : new Set<string>();
  for (const o of candidates) {
    if (seen) {
      if (seen.has(o.metadata.uid)) continue;
      seen.add(o.metadata.uid);
    }
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
  if (owned.length && ownedCoverSelector(ctx, selector, owned)) return owned;
  const matching = ctx.store.list("Pod", { namespace: owner.metadata.namespace!, selector });
  if (!owned.length) return matching;
  const m = new Map<string, KubeObject>();
  for (const p of owned) m.set(p.metadata.uid, p);
  for (const p of matching) m.set(p.metadata.uid, p);
  return [...m.values()];
}

/**
 * True when every pod matching `selector` is already in `owned`, decided without listing: for one equality
 * requirement k=v, the pods labelled k=v (an O(1) index count) are exactly the owned ones labelled k=v.
 * The union above is then `owned` itself, in the same order. The steady-state sync of a big owner stays
 * O(owned) instead of re-walking the label index.
 */
function ownedCoverSelector(ctx: Ctx, selector: Selector, owned: KubeObject[]): boolean {
  if (selector.nothing) return false;
  let req: { key: string; value: string } | undefined;
  for (const r of selector.requirements) if (r.op === "=") { req = r; break; }
  if (!req) return false;
  const total = ctx.store.countPodsWithLabel(req.key, req.value);
  if (total > owned.length) return false;
  let n = 0;
  for (const p of owned) if (p.metadata.labels?.[req.key] === req.value) n++;
  return n === total;
}
