/** `kubectl get`: tables (wide, -A, --show-labels, -L, --no-headers, --sort-by) and -o yaml|json|name|jsonpath|custom-columns. */
import type { KubeObject } from "../../api/types.ts";
import { formatLabels } from "../../api/labels.ts";
import { typedName, type KindInfo } from "../../api/kinds.ts";
import type { Simulation } from "../../simulation.ts";
import type { FlagSpec, ParsedArgs } from "../args.ts";
import { printersFor } from "../printers/index.ts";
import { formatTable } from "../printers/tabwriter.ts";
import { age } from "../../util/time.ts";
import { evalPath } from "../jsonpath.ts";
import { listOf, objectName, parseCustomColumns, renderCustomColumns, renderJsonPathOutput, sortKeys, toJson, toYaml } from "../output.ts";
import { fetch, fieldSelectorMatcher, KubectlError, namespaceOf, parseResourceArgs, selectorOf } from "../resources.ts";
import type { CmdResult, VerbDef } from "../types.ts";

export const OUTPUT_FLAGS: FlagSpec[] = [
  { name: "output", short: "o", type: "string" },
  { name: "show-labels", type: "bool" },
  { name: "no-headers", type: "bool" },
  { name: "sort-by", type: "string" },
  { name: "label-columns", short: "L", type: "stringArray" },
  { name: "show-kind", type: "bool" },
];

export interface OutputSpec {
  kind: "table" | "wide" | "yaml" | "json" | "name" | "jsonpath" | "custom-columns";
  arg?: string;
}

export function parseOutput(o: string | undefined): OutputSpec {
  if (o === undefined || o === "") return { kind: "table" };
  const eq = o.indexOf("=");
  const head = eq < 0 ? o : o.slice(0, eq);
  const arg = eq < 0 ? undefined : o.slice(eq + 1);
  switch (head) {
    case "wide": case "yaml": case "json": case "name":
      return { kind: head };
    case "jsonpath": case "jsonpath-as-json":
      if (arg === undefined) throw new KubectlError("error: template format specified but no template given");
      return { kind: "jsonpath", arg };
    case "custom-columns":
      return { kind: "custom-columns", arg: arg ?? "" };
    default:
      throw new KubectlError(`error: unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
  }
}

export interface TableOptions {
  wide: boolean;
  withNamespace: boolean;
  withKind: boolean;
  showLabels: boolean;
  noHeaders: boolean;
  labelColumns: string[];
}

/** One kind's table (header + rows), as the human-readable printer writes it. */
export function tableFor(sim: Simulation, info: KindInfo, objs: KubeObject[], o: TableOptions): string[][] {
  const tp = printersFor(info.kind).table;
  const ctx = { now: sim.now, sim };
  let cols: string[];
  let rowOf: (x: KubeObject) => string[];
  if (!tp) {
    cols = ["NAME", "AGE"];
    rowOf = (x) => [x.metadata.name, age(x.metadata.creationTimestamp, sim.now)];
  } else if (o.wide && tp.wide) {
    cols = tp.wide.columns;
    rowOf = (x) => tp.wide!.row(x, ctx);
  } else {
    cols = [...tp.columns, ...(o.wide ? tp.wideColumns ?? [] : [])];
    rowOf = (x) => [...tp.row(x, ctx), ...(o.wide && tp.wideRow ? tp.wideRow(x, ctx) : [])];
  }
  const rows: string[][] = [];
  const nameCol = cols.indexOf("NAME");
  const labelCols = o.labelColumns.flatMap((l) => l.split(",")).filter(Boolean);
  const header = [...(o.withNamespace ? ["NAMESPACE"] : []), ...cols,
    ...labelCols.map((l) => l.slice(l.lastIndexOf("/") + 1).toUpperCase()), ...(o.showLabels ? ["LABELS"] : [])];
  if (!o.noHeaders) rows.push(header);
  for (const x of objs) {
    const r = rowOf(x);
    if (o.withKind && nameCol >= 0) r[nameCol] = typedName(info, r[nameCol]!);
    rows.push([...(o.withNamespace ? [x.metadata.namespace ?? ""] : []), ...r,
      ...labelCols.map((l) => x.metadata.labels?.[l] ?? ""), ...(o.showLabels ? [formatLabels(x.metadata.labels)] : [])]);
  }
  return rows;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = typeof a === "string" ? a : JSON.stringify(a), sb = typeof b === "string" ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function sortBy(objs: KubeObject[], expr: string): KubeObject[] {
  const keyed = objs.map((o) => ({ o, v: evalPath(expr, sortKeys(o))[0] }));
  keyed.sort((x, y) => compareValues(x.v, y.v));
  return keyed.map((k) => k.o);
}

/**
 * Warnings the API server attaches to responses (client-go's warning handler prints them to stderr as
 * `Warning: …`, once per message): v1 Endpoints is deprecated in 1.33 (KEP-4974).
 */
export function apiWarnings(kinds: Iterable<string>): string {
  return new Set(kinds).has("Endpoints") ? "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n" : "";
}

export function runGet(sim: Simulation, args: ParsedArgs): CmdResult {
  if (args.bool("watch") || args.bool("watch-only")) {
    // a script cannot wait for changes: print once, as the first batch of a watch
  }
  const out = parseOutput(args.get("output"));
  const { requests, multiType, byName } = parseResourceArgs(args.positional);
  const allNs = args.bool("all-namespaces");
  const namespace = namespaceOf(args);
  const selector = selectorOf(args);
  if (byName && selector) throw new KubectlError("error: when specifying a name, a selector (-l) cannot be used");
  const field = fieldSelectorMatcher(args.get("field-selector"));
  const errors: string[] = [];
  const groups: Array<{ info: KindInfo; objects: KubeObject[] }> = [];
  for (const r of requests) {
    const f = fetch(sim, r, { namespace, allNamespaces: allNs, ...(selector ? { selector } : {}), ...(field ? { field } : {}) });
    let objs = f.objects;
    if (args.bool("ignore-not-found")) f.errors.length = 0;
    errors.push(...f.errors);
    // No default sort (upstream get.go sorts only with --sort-by): events come in the API's name order,
    // `<object>.<hex time>` — grouped by object, by time within one object (kubernetes#29838).
    const sb = args.get("sort-by");
    if (sb) objs = sortBy(objs, sb);
    groups.push({ info: r.info, objects: objs });
  }
  const all = groups.flatMap((g) => g.objects);
  let text = "";
  const singleItem = byName && requests.length === 1 && requests[0]!.names.length === 1;
  switch (out.kind) {
    case "yaml":
    case "json": {
      if (singleItem && all.length === 1) text = out.kind === "yaml" ? toYaml(all[0]) : toJson(all[0]);
      else if (!(byName && all.length === 0)) text = out.kind === "yaml" ? toYaml(listOf(all)) : toJson(listOf(all));
      break;
    }
    case "name":
      text = all.map((o) => objectName(o) + "\n").join("");
      break;
    case "jsonpath":
      if (singleItem && all.length === 1) text = renderJsonPathOutput(out.arg!, all[0]);
      else if (all.length || !byName) text = renderJsonPathOutput(out.arg!, listOf(all));
      break;
    case "custom-columns":
      if (all.length) text = renderCustomColumns(parseCustomColumns(out.arg!), all, args.bool("no-headers"));
      break;
    default: {
      const parts: string[] = [];
      for (const g of groups) {
        if (!g.objects.length) continue;
        const rows = tableFor(sim, g.info, g.objects, {
          wide: out.kind === "wide", withNamespace: allNs && g.info.namespaced, withKind: multiType || args.bool("show-kind"),
          showLabels: args.bool("show-labels"), noHeaders: args.bool("no-headers"), labelColumns: args.all("label-columns"),
        });
        parts.push(formatTable(rows));
      }
      text = parts.join("\n");
    }
  }
  let err = apiWarnings(requests.map((r) => r.info.kind)) + errors.map((e) => e + "\n").join("");
  const humanReadable = out.kind === "table" || out.kind === "wide";
  if (humanReadable && all.length === 0 && errors.length === 0 && !byName) {
    const nsScoped = requests.some((r) => r.info.namespaced) && !allNs;
    err += nsScoped ? `No resources found in ${namespace} namespace.\n` : "No resources found\n";
  }
  return { out: text, err, code: errors.length ? 1 : 0 };
}

export const getVerb: VerbDef = {
  name: "get",
  flags: [
    ...OUTPUT_FLAGS,
    { name: "selector", short: "l", type: "string" },
    { name: "all-namespaces", short: "A", type: "bool" },
    { name: "field-selector", type: "string" },
    { name: "ignore-not-found", type: "bool" },
    { name: "watch", short: "w", type: "bool" },
    { name: "watch-only", type: "bool" },
    { name: "chunk-size", type: "int" },
    { name: "filename", short: "f", type: "stringArray" },
  ],
  run: (sim, args) => runGet(sim, args),
};
