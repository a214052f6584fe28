/**
 * A stand-in for the PersistentVolume controller + a dynamic provisioner with Immediate binding (as
 * minikube's `standard` class): a Pending claim with a storage class gets a volume `pvc-<uid>` and turns
 * Bound with the requested capacity. PersistentVolume objects themselves are not simulated.
 */
import type { ObjectKey, PersistentVolumeClaim } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";

export const PROVISIONER = "k8s.io/minikube-hostpath";

export function reconcileClaim(ctx: Ctx, key: ObjectKey): void {
  const { namespace, name } = splitKey(key);
  const pvc = ctx.store.get<PersistentVolumeClaim>("PersistentVolumeClaim", namespace, name);
  if (!pvc || pvc.metadata.deletionTimestamp) return;
  if (pvc.status?.phase === "Bound") return;
  if (!pvc.spec.storageClassName) return; // static binding: no PersistentVolumes exist here
  const volume = pvc.spec.volumeName || `pvc-${pvc.metadata.uid}`;
  const bound = ctx.store.mutate<PersistentVolumeClaim>("PersistentVolumeClaim", namespace, name, (c) => {
    c.metadata.annotations = {
      ...(c.metadata.annotations ?? {}),
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
      "volume.beta.kubernetes.io/storage-provisioner": PROVISIONER,
      "volume.kubernetes.io/storage-provisioner": PROVISIONER,
    };
    c.spec.volumeName = volume;
  }, { skipAdmission: true });
  ctx.store.updateStatus(bound, {
    phase: "Bound",
    accessModes: [...(pvc.spec.accessModes ?? [])],
    capacity: { storage: pvc.spec.resources?.requests?.storage ?? "0" },
  });
}

export const pvcBinder: ControllerDef = {
  name: "persistentvolume-binder",
  watches: [{ kind: "PersistentVolumeClaim" }],
  reconcile: reconcileClaim,
};
