import type { ControllerDef } from "../controllers/types.ts";
import { schedulerController } from "./scheduler.ts";

export { setSchedulerOptions, schedulerState } from "./scheduler.ts";
export const controllers: ControllerDef[] = [schedulerController];
