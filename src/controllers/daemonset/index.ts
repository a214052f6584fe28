import type { ControllerDef } from "../types.ts";
import { daemonSetController } from "./controller.ts";

/** The DaemonSet controller (D1–D13). */
export const controllers: ControllerDef[] = [daemonSetController];
