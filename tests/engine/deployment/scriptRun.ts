/**
 * Run a kubectl script on a fresh Session (seeded), optionally with a check turned on first: the transcript,
 * the stored Pods, ReplicaSets, Deployments and Events as JSON, and what the check counted.
 */
import { Session } from "../../../src/scenario/session.ts";
import { parseScript } from "../../../src/scenario/script.ts";
import type { Ctx } from "../../../src/simulation.ts";
import type { QuietCheck } from "../../../src/controllers/util/quiet.ts";

export function runScript(seed: number, text: string, check?: (ctx: Ctx) => QuietCheck): { transcript: string; objects: string } & QuietCheck {
  const session = new Session({ seed });
  const c = check ? check(session.sim.ctx) : { checked: 0, wrote: [] };
  let transcript = "";
  for (const cmd of parseScript(text)) {
    const r = session.exec(cmd.line, cmd.stdin);
    transcript += `$ ${cmd.line}\n${r.out}${r.err}`;
  }
  const objects: string[] = [];
  for (const kind of ["Pod", "ReplicaSet", "Deployment", "Event"]) {
    for (const o of session.sim.store.list(kind)) objects.push(JSON.stringify(o));
  }
  return { transcript, objects: objects.join("\n"), checked: c.checked, wrote: c.wrote };
}
