import type { ControllerDef } from "../types.ts";
import { cronJobController } from "./controller.ts";

/** The CronJob controller v2 (C4–C8). */
export const controllers: ControllerDef[] = [cronJobController];
