import type { ControllerDef } from "../types.ts";

/** TODO: statefulset controller. */
export const controllers: ControllerDef[] = [];
