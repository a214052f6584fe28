/**
 * `-o yaml|json|name|jsonpath=…|custom-columns=…` and the table output, as kubectl prints them.
 * kubectl goes through unstructured maps, so every level's keys come out sorted.
 */
import { Document, Scalar, parse, visit } from "yaml";
import type { KubeObject } from "../api/types.ts";
import { maybeKindInfo, typedName } from "../api/kinds.ts";
import { evalPath, goJson, renderJsonPath } from "./jsonpath.ts";
import { formatTable } from "./printers/tabwriter.ts";

/** Deep copy with keys sorted at every level (what Go's map encoding does). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** sigs.k8s.io/yaml (go-yaml v2) style: sequences not indented, YAML 1.1 quoting, literal blocks. */
export function toYaml(obj: unknown): string {
  const doc = new Document(sortKeys(obj), { schema: "yaml-1.1", aliasDuplicateObjects: false });
  // go-yaml double-quotes a string that would read back as another type ("80", "yes", a timestamp);
  // other strings that cannot be plain get single quotes.
  visit(doc, {
    Scalar(_k, node) {
      if (typeof node.value !== "string" || node.value.includes("\n")) return;
      let other = node.value === "";
      if (!other) {
        try {
          const v: unknown = parse(node.value, { schema: "yaml-1.1" });
          other = v === null || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v instanceof Date;
        } catch { other = false; }
      }
      if (other) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, blockQuote: "literal", nullStr: "null", singleQuote: true });
}

/** encoding/json MarshalIndent with 4 spaces (kubectl -o json). */
export function toJson(obj: unknown): string {
  return goJson(sortKeys(obj), "    ") + "\n";
}

export function listOf(items: KubeObject[]): KubeObject {
  return { apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" } as KubeObject["metadata"], items };
}

export function objectName(o: KubeObject): string {
  const info = maybeKindInfo(o.kind);
  return info ? typedName(info, o.metadata.name) : `${o.kind.toLowerCase()}/${o.metadata.name}`;
}

export function renderJsonPathOutput(template: string, data: unknown): string {
  return renderJsonPath(template, sortKeys(data));
}

/** Go's %v for custom-columns cells. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") {
    return `map[${Object.keys(v as object).sort().map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(" ")}]`;
  }
  return String(v);
}

export interface CustomColumn { header: string; path: string }

export function parseCustomColumns(spec: string): CustomColumn[] {
  if (!spec) throw new Error("custom-columns format specified but no custom columns given");
  return spec.split(",").map((part) => {
    const i = part.indexOf(":");
    if (i < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, i), path: part.slice(i + 1) };
  });
}

export function renderCustomColumns(cols: CustomColumn[], objs: KubeObject[], noHeaders: boolean): string {
  const rows: string[][] = [];
  if (!noHeaders) rows.push(cols.map((c) => c.header));
  for (const o of objs) {
    const sorted = sortKeys(o);
    rows.push(cols.map((c) => {
      const vals = evalPath(c.path, sorted).map(goValue);
      return vals.length ? vals.join(",") : "<none>";
    }));
  }
  return formatTable(rows);
}
