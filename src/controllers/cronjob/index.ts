import type { ControllerDef } from "../types.ts";

/** TODO: cronjob controller. */
export const controllers: ControllerDef[] = [];
