import type { ControllerDef } from "../types.ts";
import { jobController } from "./controller.ts";

/** The Job controller (J1–J13; TTL is the ttlafterfinished controller's). */
export const controllers: ControllerDef[] = [jobController];
