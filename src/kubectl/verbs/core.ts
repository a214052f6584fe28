import type { VerbDef } from "../types.ts";

/** TODO. */
export const verbs: VerbDef[] = [];
