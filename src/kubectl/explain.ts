/**
 * `kubectl explain` (OpenAPI v3 plaintext template, kubectl v1.33) from src/schema/k8s.schema.json.
 * Type names follow explain's guesses: `<string>`, `<integer>`, `<boolean>`, `<[]Container>`,
 * `<map[string]string>`, `<ObjectMeta>`, `<IntOrString>`. Pure (reads the committed schema).
 */
import { resolveResource } from "../api/kinds.ts";
import { resolveRef, SCHEMA, type SchemaNode } from "./manifest.ts";

/** Fields whose values are resource.Quantity ($ref Quantity in the OpenAPI v3 schema; plain strings in ours). */
const QUANTITY_MAPS = new Set(["limits", "requests", "capacity", "allocatable", "overhead", "allocatedResources"]);
const QUANTITY_FIELDS = new Set(["sizeLimit", "divisor"]);
/** intstr.IntOrString's own description, which explain adds under a field of that type. */
const INT_OR_STRING_DESC = "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.";

export function typeName(n: SchemaNode | undefined, field = ""): string {
  if (!n) return "Object";
  if (n.$ref) return n.$ref.replace("#/definitions/", "");
  if (n.anyOf) {
    const ts = n.anyOf.map((x) => x.type);
    if (ts.includes("number") && ts.includes("string")) return "IntOrString";
    return "Object";
  }
  // intstr.IntOrString (x-kubernetes-int-or-string) comes out of kubernetes-types as `number | string`
  if (Array.isArray(n.type) && n.type.includes("number") && n.type.includes("string")) return "IntOrString";
  const t = Array.isArray(n.type) ? n.type[0] : n.type;
  switch (t) {
    case "string": return QUANTITY_FIELDS.has(field) ? "Quantity" : "string";
    case "number": case "integer": return "integer";
    case "boolean": return "boolean";
    case "array": return `[]${typeName(n.items)}`;
    case "object":
      if (n.additionalProperties && typeof n.additionalProperties === "object") {
        return `map[string]${QUANTITY_MAPS.has(field) ? "Quantity" : typeName(n.additionalProperties)}`;
      }
      return "Object";
    default: return "Object";
  }
}

/**
 * go-wordwrap's WrapString (explain's `wrap`): greedy to `width` columns; spaces inside a line are kept
 * as written (upstream descriptions put two spaces after some full stops), dropped at a break.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    const toks = para.match(/ *[^ ]+/g) ?? [];
    if (!toks.length) { out.push(""); continue; }
    let line = "";
    for (const t of toks) {
      const word = t.trimStart();
      if (!line) line = word;
      else if (line.length + t.length <= width) line += t;
      else { out.push(line); line = word; }
    }
    out.push(line);
  }
  return out;
}

function describe(desc: string, indent: number): string {
  const pad = " ".repeat(indent);
  return wrap(desc, 80 - indent).map((l) => (l ? pad + l : "")).join("\n") + "\n";
}

/** Properties of an object-ish node (through refs and arrays). */
function fieldsOf(n: SchemaNode | undefined): { node?: SchemaNode; props?: Record<string, SchemaNode>; required: string[] } {
  let cur = resolveRef(n).node;
  while (cur && (cur.type === "array" || (Array.isArray(cur.type) && cur.type.includes("array"))) && cur.items) cur = resolveRef(cur.items).node;
  if (!cur) return { required: [] };
  return { node: cur, ...(cur.properties ? { props: cur.properties } : {}), required: cur.required ?? [] };
}

export class ExplainError extends Error {}

export function explain(path: string, recursive = false): string {
  const parts = path.split(".").filter(Boolean);
  const res = parts.shift() ?? "";
  const info = resolveResource(res);
  if (!info || !SCHEMA.definitions[info.kind]) throw new ExplainError(`error: the server doesn't have a resource type "${res}"`);
  let node: SchemaNode | undefined = { $ref: `#/definitions/${info.kind}` };
  let fieldName = "";
  let fieldNode: SchemaNode | undefined;
  for (const p of parts) {
    const f = fieldsOf(node);
    const next = f.props?.[p];
    if (!next) throw new ExplainError(`error: field "${p}" does not exist`);
    fieldName = p;
    fieldNode = next;
    node = next;
  }
  let out = "";
  if (info.group) out += `GROUP:      ${info.group}\n`;
  out += `KIND:       ${info.kind}\n`;
  out += `VERSION:    ${info.apiVersion.split("/").at(-1)}\n\n`;
  if (fieldName) out += `FIELD: ${fieldName} <${typeName(fieldNode, fieldName)}>\n\n`;
  const descs: string[] = [];
  if (fieldNode?.description) descs.push(fieldNode.description);
  const target = fieldsOf(node);
  const typeDesc = fieldName ? resolveRef(fieldNode).node?.description : target.node?.description;
  if (typeDesc && (fieldName ? fieldNode?.$ref || (fieldNode?.items?.$ref) : true)) {
    const items = fieldNode?.items ? resolveRef(fieldNode.items).node?.description : undefined;
    const d = items ?? typeDesc;
    if (d && !descs.includes(d)) descs.push(d);
  }
  if (fieldName && typeName(fieldNode, fieldName) === "IntOrString") descs.push(INT_OR_STRING_DESC);
  out += "DESCRIPTION:\n";
  out += descs.length ? descs.map((d) => describe(d, 4)).join("") : describe("<empty>", 4);
  out += "    \n";
  if (target.props && Object.keys(target.props).length) {
    out += "FIELDS:\n";
    const walk = (props: Record<string, SchemaNode>, required: string[], depth: number, seen: Set<string>) => {
      for (const k of Object.keys(props).sort()) {
        const p = props[k]!;
        const pad = "  ".repeat(depth + 1);
        out += `${pad}${k}\t<${typeName(p, k)}>${required.includes(k) ? " -required-" : ""}\n`;
        if (recursive) {
          const sub = fieldsOf(p);
          const ref = resolveRef(p.items ?? p).name;
          if (sub.props && !(ref && seen.has(ref))) walk(sub.props, sub.required, depth + 1, new Set([...seen, ...(ref ? [ref] : [])]));
        } else {
          out += p.description ? describe(p.description, 4) : describe("<no description>", 4);
          out += "\n";
        }
      }
    };
    walk(target.props, target.required.filter((r) => !(fieldName === "" && (r === "apiVersion" || r === "kind"))), 0, new Set());
    if (recursive) out += "\n";
  }
  return out;
}
