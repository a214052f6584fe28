import type { ControllerDef } from "../types.ts";

/** TODO: replicaset controller. */
export const controllers: ControllerDef[] = [];
