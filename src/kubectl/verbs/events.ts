/**
 * `kubectl events` (GA in 1.26; kubectl/pkg/cmd/events): LAST SEEN TYPE REASON OBJECT MESSAGE, sorted by
 * time (SortableEvents: series.lastObservedTime, else lastTimestamp, else eventTime), `--for KIND/NAME`,
 * `--types Normal,Warning`, `-A`, `--no-headers`, `-o yaml|json`.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { formatTable } from "../printers/tabwriter.ts";
import { age, parseTime } from "../../util/time.ts";
import { listOf, toJson, toYaml } from "../output.ts";
import { byKey, KubectlError, namespaceOf, resolveType } from "../resources.ts";
import type { CmdResult, VerbDef } from "../types.ts";

/** events.go eventTime: the time `kubectl events` sorts by. */
export function eventSortTime(e: KubeObject): number {
  if (e.series) return parseTime(e.series.lastObservedTime) ?? 0;
  const last = parseTime(e.lastTimestamp);
  if (last !== undefined) return last;
  return parseTime(e.eventTime) ?? 0;
}

/** printers.go getInterval: `5s`, or `5s (x3 over 2m)` for a repeated event. */
export function eventInterval(e: KubeObject, now: number): string {
  const first = e.eventTime ? age(e.eventTime, now) : age(e.firstTimestamp, now);
  if (e.series) return `${age(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${age(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** Sort by time; the API list (name order) breaks ties, as Go's insertion sort keeps it for short lists. */
export function sortEventsByTime(events: KubeObject[]): KubeObject[] {
  return [...events].sort(byKey).map((e, i) => ({ e, i, t: eventSortTime(e) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e);
}

export function runEvents(sim: Simulation, args: ParsedArgs): CmdResult {
  if (args.positional.length) throw new KubectlError(`error: unknown command "${args.positional[0]}" for "kubectl events"`);
  const allNs = args.bool("all-namespaces");
  const namespace = namespaceOf(args);
  const types = args.all("types").flatMap((t) => t.split(",")).filter(Boolean);
  for (const t of types) if (!/^(normal|warning)$/i.test(t)) throw new KubectlError("error: valid --types are Normal or Warning");
  let forKind: string | undefined, forName: string | undefined;
  const f = args.get("for");
  if (f) {
    const i = f.indexOf("/");
    if (i < 0) throw new KubectlError(`error: --for must be in resource/name form`);
    forKind = resolveType(f.slice(0, i)).kind;
    forName = f.slice(i + 1);
  }
  let events = sim.store.list("Event", allNs ? {} : { namespace });
  events = events.filter((e) => (!forKind || (e.involvedObject?.kind === forKind && e.involvedObject?.name === forName))
    && (!types.length || types.some((t) => t.toLowerCase() === String(e.type ?? "").toLowerCase())));
  events = sortEventsByTime(events);
  const o = args.get("output");
  if (o === "yaml") return { out: toYaml(listOf(events)), err: "", code: 0 };
  if (o === "json") return { out: toJson(listOf(events)), err: "", code: 0 };
  if (o) throw new KubectlError(`error: unable to match a printer suitable for the output format "${o}", allowed formats are: json,yaml`);
  if (!events.length) return { out: "", err: allNs ? "No events found.\n" : `No events found in ${namespace} namespace.\n`, code: 0 };
  const rows: string[][] = [];
  if (!args.bool("no-headers")) rows.push([...(allNs ? ["NAMESPACE"] : []), "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
  for (const e of events) {
    rows.push([...(allNs ? [e.metadata.namespace ?? ""] : []), eventInterval(e, sim.now), e.type ?? "", e.reason ?? "",
      `${e.involvedObject?.kind ?? ""}/${e.involvedObject?.name ?? ""}`, String(e.message ?? "").trim()]);
  }
  return { out: formatTable(rows), err: "", code: 0 };
}

export const eventsVerb: VerbDef = {
  name: "events",
  flags: [
    { name: "all-namespaces", short: "A", type: "bool" },
    { name: "for", type: "string" },
    { name: "types", type: "stringArray" },
    { name: "no-headers", type: "bool" },
    { name: "output", short: "o", type: "string" },
    { name: "watch", short: "w", type: "bool" },
    { name: "chunk-size", type: "int" },
  ],
  run: (sim, args) => runEvents(sim, args),
};
