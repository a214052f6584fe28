/**
 * Object shapes of the simulated API. Objects are plain JSON shaped like the real API; the
 * per-kind types come from `kubernetes-types`, with `metadata` tightened to what the store
 * guarantees after a write (name, uid, resourceVersion, creationTimestamp).
 */
import type * as core from "kubernetes-types/core/v1";
import type * as apps from "kubernetes-types/apps/v1";
import type * as batch from "kubernetes-types/batch/v1";
import type * as meta from "kubernetes-types/meta/v1";

export type OwnerReference = Mutable<meta.OwnerReference>;
export type LabelSelector = Mutable<meta.LabelSelector>;

/** kubernetes-types marks every field readonly; the engine builds and edits plain copies. */
export type Mutable<T> = T extends (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

export interface ObjectMeta extends Mutable<meta.ObjectMeta> {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
}

/** Any stored object. `spec`/`status` stay loose; use the typed aliases below where it helps. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [extra: string]: any;
}

type Stored<T> = Mutable<Omit<T, "metadata" | "apiVersion" | "kind">> & { apiVersion: string; kind: string; metadata: ObjectMeta };

export type Pod = Stored<core.Pod> & { spec: Mutable<core.PodSpec>; status: Mutable<core.PodStatus> };
export type Node = Stored<core.Node> & { spec: Mutable<core.NodeSpec>; status: Mutable<core.NodeStatus> };
export type Service = Stored<core.Service> & { spec: Mutable<core.ServiceSpec> };
export type Namespace = Stored<core.Namespace>;
export type ConfigMap = Stored<core.ConfigMap>;
export type Secret = Stored<core.Secret>;
export type PersistentVolumeClaim = Stored<core.PersistentVolumeClaim> & { spec: Mutable<core.PersistentVolumeClaimSpec> };
export type Endpoints = Stored<core.Endpoints>;
export type Event = Stored<core.Event>;
export type ReplicaSet = Stored<apps.ReplicaSet> & { spec: Mutable<apps.ReplicaSetSpec>; status?: Mutable<apps.ReplicaSetStatus> };
export type Deployment = Stored<apps.Deployment> & { spec: Mutable<apps.DeploymentSpec>; status?: Mutable<apps.DeploymentStatus> };
export type DaemonSet = Stored<apps.DaemonSet> & { spec: Mutable<apps.DaemonSetSpec>; status?: Mutable<apps.DaemonSetStatus> };
export type StatefulSet = Stored<apps.StatefulSet> & { spec: Mutable<apps.StatefulSetSpec>; status?: Mutable<apps.StatefulSetStatus> };
export type ControllerRevision = Stored<apps.ControllerRevision>;
export type Job = Stored<batch.Job> & { spec: Mutable<batch.JobSpec>; status?: Mutable<batch.JobStatus> };
export type CronJob = Stored<batch.CronJob> & { spec: Mutable<batch.CronJobSpec>; status?: Mutable<batch.CronJobStatus> };

export type { core, apps, batch, meta };

/** "namespace/name" for namespaced objects, "name" for cluster-scoped ones. */
export type ObjectKey = string & { __brand?: "ObjectKey" };

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";
export interface WatchEvent {
  type: WatchEventType;
  kind: string;
  key: ObjectKey;
  object: KubeObject;
  /** The previous version for MODIFIED (and the last version for DELETED). */
  old?: KubeObject;
}

export function keyOf(obj: { metadata: { name?: string; namespace?: string } }): ObjectKey {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : (obj.metadata.name as string);
}

export function splitKey(key: ObjectKey): { namespace?: string; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
