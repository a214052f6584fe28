import type { ControllerDef } from "../types.ts";

/** TODO: daemonset controller. */
export const controllers: ControllerDef[] = [];
