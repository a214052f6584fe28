import type { ControllerDef } from "../controllers/types.ts";

/** TODO: kubelet. */
export const controllers: ControllerDef[] = [];
