import type { ControllerDef } from "../controllers/types.ts";
import { kubeletController } from "./kubelet.ts";
import { pvBinderController } from "./pvbinder.ts";

export const controllers: ControllerDef[] = [kubeletController, pvBinderController];
