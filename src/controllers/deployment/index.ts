import type { ControllerDef } from "../types.ts";

/** TODO: deployment controller. */
export const controllers: ControllerDef[] = [];
