/**
 * A stand-in for the default StorageClass's provisioner + the PV binder: a new claim gets a volume
 * `pvc-<claim uid>` and becomes Bound at once (volumeBindingMode Immediate).
 */
import type { ControllerDef } from "../controllers/types.ts";
import { splitKey } from "../api/types.ts";

export const pvBinderController: ControllerDef = {
  name: "persistentvolume-binder",
  watches: [{ kind: "PersistentVolumeClaim", map: (ev) => (ev.type === "ADDED" ? ev.key : undefined) }],
  reconcile(ctx, key) {
    const { namespace, name } = splitKey(key);
    const pvc = ctx.store.get("PersistentVolumeClaim", namespace, name);
    if (!pvc || pvc.status?.phase === "Bound" || pvc.metadata.deletionTimestamp) return;
    const volumeName = pvc.spec?.volumeName || `pvc-${pvc.metadata.uid}`;
    const updated = ctx.store.mutate("PersistentVolumeClaim", namespace, name, (o) => {
      o.spec.volumeName = volumeName;
      o.metadata.annotations = {
        ...(o.metadata.annotations ?? {}),
        "pv.kubernetes.io/bind-completed": "yes",
        "pv.kubernetes.io/bound-by-controller": "yes",
        "volume.beta.kubernetes.io/storage-provisioner": "rancher.io/local-path",
        "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path",
      };
    }, { skipAdmission: true });
    ctx.store.updateStatus(updated, {
      accessModes: pvc.spec?.accessModes ?? ["ReadWriteOnce"],
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? "1Gi" },
      phase: "Bound",
    });
    ctx.events.event(updated, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${volumeName}`, "rancher.io/local-path_local-path-provisioner");
  },
};
