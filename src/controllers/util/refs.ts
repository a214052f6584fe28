/** X7 controller references. */
import type { KubeObject, ObjectKey, OwnerReference } from "../../api/types.ts";
import { splitKey } from "../../api/types.ts";
import type { ObjectStore } from "../../api/store.ts";

/** metav1.NewControllerRef */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** metav1.GetControllerOf */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!refs) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i]!.controller) return refs[i];
  return undefined;
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

/** An owner reference (the pods of one owner share one, see podFromTemplate; versions of an object keep theirs) → its owner's key. */
const refKeys = new WeakMap<OwnerReference, { ns: string; name: string; key: ObjectKey }>();

/**
 * The key "ns/name" of the owner `ref` names in namespace `ns` — the same string for every event of its
 * dependents (no new string to build and hash per watch event).
 */
export function ownerKey(ns: string, ref: OwnerReference): ObjectKey {
  const k = refKeys.get(ref);
  if (k !== undefined && k.ns === ns && k.name === ref.name) return k.key;
  const key = `${ns}/${ref.name}`;
  refKeys.set(ref, { ns, name: ref.name, key });
  return key;
}

/**
 * The stored object of a controller's queue key. A key with a "/" is exactly the "namespace/name" string get()
 * would build, so it is looked up as is (its hash is cached); a bare name as get() takes it.
 */
export function getQueued<T extends KubeObject>(store: ObjectStore, kind: string, key: ObjectKey): T | undefined {
  if (key.includes("/")) return store.getByKey<T>(kind, key);
  const { namespace, name } = splitKey(key);
  return store.get<T>(kind, namespace, name);
}
