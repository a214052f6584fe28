import type { ControllerDef } from "../controllers/types.ts";

/** TODO: scheduler. */
export const controllers: ControllerDef[] = [];
