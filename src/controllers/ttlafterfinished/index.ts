import type { ControllerDef } from "../types.ts";

/** TODO: ttlafterfinished controller. */
export const controllers: ControllerDef[] = [];
