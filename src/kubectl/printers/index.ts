/**
 * kind → printers. core.ts: Pod, Node, Namespace, Event, ConfigMap, Secret, ReplicaSet (kubectl core);
 * batch.ts: DaemonSet, Job, CronJob; apps.ts: Deployment, StatefulSet, ControllerRevision, Service,
 * Endpoints, PVC. Later entries override earlier ones.
 */
import type { KindPrinters } from "./types.ts";
import { printers as core } from "./core.ts";
import { printers as batch } from "./batch.ts";
import { printers as apps } from "./apps.ts";

export function printersFor(kind: string): KindPrinters {
  return { ...core[kind], ...batch[kind], ...apps[kind] };
}
