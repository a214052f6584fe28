import type { ControllerDef } from "../types.ts";

/** TODO: podgc controller. */
export const controllers: ControllerDef[] = [];
