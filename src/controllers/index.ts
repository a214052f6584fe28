/**
 * Every controller, in the fixed order they run within one settle round (determinism).
 * Workload controllers first, then GC, then the scheduler and kubelets, then node-level controllers.
 */
import type { ControllerDef } from "./types.ts";
import { controllers as cronjob } from "./cronjob/index.ts";
import { controllers as job } from "./job/index.ts";
import { controllers as deployment } from "./deployment/index.ts";
import { controllers as replicaset } from "./replicaset/index.ts";
import { controllers as daemonset } from "./daemonset/index.ts";
import { controllers as statefulset } from "./statefulset/index.ts";
import { controllers as ttlafterfinished } from "./ttlafterfinished/index.ts";
import { controllers as garbagecollector } from "./garbagecollector/index.ts";
import { controllers as endpoints } from "./endpoints/index.ts";
import { controllers as scheduler } from "../scheduler/index.ts";
import { controllers as kubelet } from "../kubelet/index.ts";
import { controllers as nodelifecycle } from "./nodelifecycle/index.ts";
import { controllers as tainteviction } from "./tainteviction/index.ts";
import { controllers as podgc } from "./podgc/index.ts";

export function allControllers(): ControllerDef[] {
  return [
    ...cronjob, ...job, ...deployment, ...replicaset, ...daemonset, ...statefulset, ...ttlafterfinished,
    ...garbagecollector, ...endpoints, ...scheduler, ...kubelet, ...nodelifecycle, ...tainteviction, ...podgc,
  ];
}
