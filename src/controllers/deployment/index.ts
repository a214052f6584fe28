import type { ControllerDef } from "../types.ts";
import { deploymentController } from "./controller.ts";

/** The Deployment controller (P1–P11). */
export const controllers: ControllerDef[] = [deploymentController];
