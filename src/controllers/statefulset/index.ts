import type { ControllerDef } from "../types.ts";
import { statefulSetController } from "./controller.ts";

/** The StatefulSet controller (S1–S9). PVCs bind through the kubelet package's binder. */
export const controllers: ControllerDef[] = [statefulSetController];
