import type { ControllerDef } from "../types.ts";
import { replicaSetController } from "./controller.ts";

/** The ReplicaSet controller (R1–R5). Admission is registered by ./admission.ts. */
export const controllers: ControllerDef[] = [replicaSetController];
