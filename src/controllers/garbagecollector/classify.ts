/**
 * G1/G2: how the garbage collector sees a dependent's owners (`classifyReferences` in
 * pkg/controller/garbagecollector/garbagecollector.go) and what it then does (`attemptToDeleteItem`).
 *
 * Pure: must not read the store; owners are looked up through `owner(uid)`.
 */
import type { KubeObject, OwnerReference } from "../../api/types.ts";
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type PropagationPolicy } from "../../api/store.ts";

export interface Classified {
  /** Owners that exist and are not waiting for their dependents. */
  solid: OwnerReference[];
  /** Owners that no longer exist (or exist with another uid). */
  dangling: OwnerReference[];
  /** Owners being deleted in the foreground (they wait for this dependent). */
  waiting: OwnerReference[];
}

export function isDeletingDependents(o: KubeObject): boolean {
  return !!o.metadata.deletionTimestamp && !!o.metadata.finalizers?.includes(FINALIZER_FOREGROUND);
}

export function classifyReferences(refs: readonly OwnerReference[], owner: (uid: string) => KubeObject | undefined): Classified {
  const out: Classified = { solid: [], dangling: [], waiting: [] };
  for (const r of refs) {
    const o = owner(r.uid);
    if (!o || o.kind !== r.kind || o.metadata.name !== r.name) out.dangling.push(r);
    else if (isDeletingDependents(o)) out.waiting.push(r);
    else out.solid.push(r);
  }
  return out;
}

export type Action =
  | { type: "none" }
  /** Remove the references to these owner uids (dangling / waiting owners while a solid one remains). */
  | { type: "removeRefs"; uids: string[] }
  | { type: "delete"; policy: PropagationPolicy };

/**
 * attemptToDeleteItem's decision for a dependent that is not itself being deleted.
 * `hasDependents`: whether the item owns something (then it is deleted in the foreground when its owner waits).
 */
export function planDependent(item: KubeObject, c: Classified, hasDependents: boolean): Action {
  if (!item.metadata.ownerReferences?.length) return { type: "none" };
  if (c.solid.length) {
    if (!c.dangling.length && !c.waiting.length) return { type: "none" };
    return { type: "removeRefs", uids: [...c.dangling, ...c.waiting].map((r) => r.uid) };
  }
  if (c.waiting.length && hasDependents) return { type: "delete", policy: "Foreground" };
  const fin = item.metadata.finalizers ?? [];
  if (fin.includes(FINALIZER_ORPHAN)) return { type: "delete", policy: "Orphan" };
  if (fin.includes(FINALIZER_FOREGROUND)) return { type: "delete", policy: "Foreground" };
  return { type: "delete", policy: "Background" };
}
