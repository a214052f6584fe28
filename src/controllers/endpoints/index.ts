import type { ControllerDef } from "../types.ts";

/** TODO: endpoints controller. */
export const controllers: ControllerDef[] = [];
