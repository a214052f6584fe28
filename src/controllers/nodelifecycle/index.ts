import type { ControllerDef } from "../types.ts";

/** TODO: nodelifecycle controller. */
export const controllers: ControllerDef[] = [];
