import type { ControllerDef } from "../types.ts";

/** TODO: garbagecollector controller. */
export const controllers: ControllerDef[] = [];
