import type { ControllerDef } from "../types.ts";
import { statefulSetController } from "./controller.ts";
import { pvcBinder } from "./pvcbinder.ts";

/** The StatefulSet controller (S1–S9) and the claim binder its PVCs need. */
export const controllers: ControllerDef[] = [statefulSetController, pvcBinder];
