/**
 * kubectl verbs by name. core.ts: apply, create, delete, get, describe, logs, label, annotate, taint,
 * cordon, uncordon, drain, scale, patch, explain, version, api-resources…;
 * rollout.ts: rollout (status|history|undo|pause|resume|restart), set (image); events.ts: events.
 */
import type { VerbDef } from "../types.ts";
import { verbs as core } from "./core.ts";
import { verbs as rollout } from "./rollout.ts";
import { eventsVerb } from "./events.ts";

const table = new Map<string, VerbDef>();
for (const v of [...core, ...rollout, eventsVerb]) table.set(v.name, v);

export function verb(name: string): VerbDef | undefined {
  return table.get(name);
}
export function verbNames(): string[] {
  return [...table.keys()].sort();
}
