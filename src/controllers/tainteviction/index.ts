import type { ControllerDef } from "../types.ts";

/** TODO: tainteviction controller. */
export const controllers: ControllerDef[] = [];
