import type { ControllerDef } from "../types.ts";
import { endpointsController } from "./controller.ts";

/** The Endpoints controller: Service selector → Endpoints of ready / not-ready pods. */
export const controllers: ControllerDef[] = [endpointsController];
