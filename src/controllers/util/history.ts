/**
 * ControllerRevision history for DaemonSets and StatefulSets (D12, S6): one revision per distinct
 * template, named `<owner>-<hash>`, `revision` = max+1, old ones pruned beyond revisionHistoryLimit.
 */
import type { ControllerRevision, KubeObject } from "../../api/types.ts";
import type { Ctx } from "../../simulation.ts";
import { computeHash } from "./hash.ts";
import { controllerOf, newControllerRef } from "./refs.ts";
import { labelSelectorMatches } from "../../api/labels.ts";

export function ownedRevisions(ctx: Ctx, owner: KubeObject): ControllerRevision[] {
  return ctx.store.ownedBy<ControllerRevision>(owner.metadata.uid, "ControllerRevision")
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1));
}

/**
 * Find or create the revision for `data` (the part of the spec a revision records; for DS/STS the
 * template patch `{spec: {template: …}}`). Returns the revision and its hash. An existing revision with
 * the same data but an older number is bumped to max+1 (rollback reuses it). `annotations` are copied
 * onto a new revision (DaemonSet snapshot: `Annotations: ds.Annotations`, so kubernetes.io/change-cause
 * reaches `rollout history`).
 */
export function ensureRevision(ctx: Ctx, owner: KubeObject, data: unknown, collisionCount?: number, annotations?: Record<string, string>): { revision: ControllerRevision; hash: string } {
  const hash = computeHash(data, collisionCount);
  const name = `${owner.metadata.name}-${hash}`;
  const revs = ownedRevisions(ctx, owner);
  const max = revs.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
  let existing = revs.find((r) => r.metadata.name === name);
  if (!existing) {
    // ClaimControllerRevisions: an orphaned revision the selector matches (its owner was deleted with
    // --cascade=orphan and recreated) is adopted, not created again (which would be AlreadyExists).
    const orphan = ctx.store.get<ControllerRevision>("ControllerRevision", owner.metadata.namespace, name);
    if (orphan && !controllerOf(orphan) && !orphan.metadata.deletionTimestamp && labelSelectorMatches(owner.spec?.selector, orphan.metadata.labels)) {
      existing = ctx.store.update<ControllerRevision>({
        ...orphan,
        metadata: { ...orphan.metadata, ownerReferences: [...(orphan.metadata.ownerReferences ?? []), newControllerRef(owner)] },
      }, { skipAdmission: true });
    }
  }
  if (existing) {
    if ((existing.revision ?? 0) < max) {
      const upd = ctx.store.update<ControllerRevision>({ ...existing, metadata: { ...existing.metadata }, revision: max + 1 }, { skipAdmission: true });
      return { revision: upd, hash };
    }
    return { revision: existing, hash };
  }
  const labels = { ...((owner.spec?.template?.metadata?.labels as Record<string, string>) ?? {}), "controller-revision-hash": hash };
  const rev = ctx.store.create<ControllerRevision>({
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name, namespace: owner.metadata.namespace, labels,
      ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
      ownerReferences: [newControllerRef(owner)],
    } as never,
    data,
    revision: max + 1,
  });
  return { revision: rev, hash };
}

/** Delete the oldest revisions not in `live` beyond `limit`. */
export function pruneRevisions(ctx: Ctx, owner: KubeObject, limit: number, live: Set<string>): void {
  const revs = ownedRevisions(ctx, owner).filter((r) => !live.has(r.metadata.name));
  const excess = revs.length - limit;
  for (let i = 0; i < excess; i++) ctx.store.delete("ControllerRevision", revs[i]!.metadata.namespace, revs[i]!.metadata.name);
}
