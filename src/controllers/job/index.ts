import type { ControllerDef } from "../types.ts";

/** TODO: job controller. */
export const controllers: ControllerDef[] = [];
