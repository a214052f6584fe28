/**
 * Reading manifests as kubectl does: split the stream at `---` lines (YAMLReader), convert each
 * document YAML→JSON (go-yaml v2 ≈ YAML 1.1; errors worded like go-yaml, line numbers relative to
 * the document), expand `kind: List`, check apiVersion/kind (removed versions refused), and the API
 * server's strict field validation against src/schema/k8s.schema.json.
 */
import { parseDocument } from "yaml";
import { KINDS, REMOVED_VERSIONS, type KindInfo } from "../api/kinds.ts";
import type { KubeObject } from "../api/types.ts";
import schemaJson from "../schema/k8s.schema.json" with { type: "json" };

export interface SchemaNode {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  description?: string;
  required?: string[];
  const?: unknown;
  enum?: unknown[];
}

export const SCHEMA = schemaJson as unknown as { definitions: Record<string, SchemaNode> };

export function resolveRef(n: SchemaNode | undefined): { node: SchemaNode | undefined; name?: string } {
  let name: string | undefined;
  let cur = n;
  for (let i = 0; cur?.$ref && i < 10; i++) {
    name = cur.$ref.replace("#/definitions/", "");
    cur = SCHEMA.definitions[name];
  }
  return { node: cur, ...(name ? { name } : {}) };
}

export interface ManifestDoc {
  /** Parsed object (kind/apiVersion may still be missing). */
  obj: Record<string, unknown>;
}

export interface ParseResult {
  docs: ManifestDoc[];
  /** A YAML error stops the stream (kubectl's decoder cannot go on). */
  error?: string;
}

function goYamlMessage(code: string, message: string): string {
  switch (code) {
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return "mapping values are not allowed in this context";
    case "TAB_AS_INDENT":
      return "found character that cannot start any token";
    case "MISSING_CHAR":
      return "found unexpected end of stream";
    case "BAD_INDENT":
      if (message.startsWith("Flow sequence")) return "did not find expected ',' or ']'";
      if (message.startsWith("Flow map")) return "did not find expected ',' or '}'";
      return "did not find expected key";
    default:
      return "did not find expected key";
  }
}

/** Line (1-based, in `text`) of the first mapping colon at or after `offset`. */
function nextColonLine(text: string, offset: number): number | undefined {
  const re = /:(?=\s|$)/g;
  re.lastIndex = offset;
  const m = re.exec(text);
  if (!m) return undefined;
  return text.slice(0, m.index).split("\n").length;
}

export function parseManifests(text: string, source = "STDIN"): ParseResult {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const chunks: string[] = [];
  let cur: string[] = [];
  for (const l of lines) {
    if (/^---(\s.*)?$/.test(l)) { chunks.push(cur.join("\n")); cur = []; continue; }
    cur.push(l);
  }
  chunks.push(cur.join("\n"));
  const docs: ManifestDoc[] = [];
  for (const chunk of chunks) {
    if (chunk.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("#"))) continue;
    const d = parseDocument(chunk + (chunk.endsWith("\n") ? "" : "\n"), { schema: "yaml-1.1", uniqueKeys: false, merge: true });
    if (d.errors.length) {
      const e = d.errors[0]!;
      let line = e.linePos?.[0]?.line ?? 1;
      if (e.code === "BLOCK_AS_IMPLICIT_KEY" || e.code === "MULTILINE_IMPLICIT_KEY") line = nextColonLine(chunk, e.pos[0]) ?? line;
      return { docs, error: `error: error parsing ${source}: error converting YAML to JSON: yaml: line ${line}: ${goYamlMessage(e.code, e.message)}` };
    }
    // Alias errors are go-yaml's: unknown anchors, excessive aliasing, and an anchor that contains itself
    // (which the yaml package would turn into a cyclic object).
    let v: unknown;
    try {
      v = d.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const unknown = msg.match(/^Unresolved alias[^:]*: (.*)$/);
      const why = unknown ? `unknown anchor '${unknown[1]}' referenced` : /Excessive alias/.test(msg) ? "document contains excessive aliasing" : msg;
      return { docs, error: `error: error parsing ${source}: error converting YAML to JSON: yaml: ${why}` };
    }
    if (v === null || v === undefined) continue;
    if (typeof v !== "object" || Array.isArray(v)) {
      return { docs, error: `error: error parsing ${source}: error converting YAML to JSON: yaml: cannot unmarshal ${Array.isArray(v) ? "!!seq" : "!!str"} into an object` };
    }
    let obj: Record<string, unknown>;
    try {
      obj = normalize(v, new Set()) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof NonFinite) return { docs, error: `error: error parsing ${source}: error converting YAML to JSON: json: unsupported value: ${e.message}` };
      if (!(e instanceof CyclicAlias)) throw e;
      const anchor = chunk.match(/\*([^\s,\]}]+)/)?.[1] ?? "";
      return { docs, error: `error: error parsing ${source}: error converting YAML to JSON: yaml: anchor '${anchor}' value contains itself` };
    }
    if (obj.kind === "List" && Array.isArray(obj.items)) {
      for (const it of obj.items) if (it && typeof it === "object") docs.push({ obj: it as Record<string, unknown> });
    } else docs.push({ obj });
  }
  return { docs };
}

class CyclicAlias extends Error {}
/** `.inf`, `.nan` and overflowing floats (`1e400`) have no JSON form (encoding/json: "unsupported value"). */
class NonFinite extends Error {}

/** YAML→JSON: Dates back to their RFC3339 text (JSON has no timestamps). `path` detects self-containing anchors. */
function normalize(v: unknown, path: Set<object>): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString().replace(".000Z", "Z");
  if (typeof v === "number" && !Number.isFinite(v)) throw new NonFinite(Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
  // go-yaml decodes !!binary into a string of the bytes (invalid UTF-8 becomes U+FFFD in JSON).
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  // !!set is a mapping to nulls, !!omap/!!pairs a mapping, as go-yaml reads them into interface{}.
  if (v instanceof Set) v = Object.fromEntries([...v].map((k) => [String(k), null]));
  else if (v instanceof Map) v = Object.fromEntries([...v].map(([k, x]) => [String(k), x]));
  if (v && typeof v === "object") {
    if (path.has(v)) throw new CyclicAlias();
    path.add(v);
    let out: unknown;
    if (Array.isArray(v)) out = v.map((x) => normalize(x, path));
    else {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[String(k)] = normalize(x, path);
      out = o;
    }
    path.delete(v);
    return out;
  }
  return v;
}

/** The `kind not set` / `apiVersion not set` check kubectl runs before sending. */
export function checkTypeMeta(obj: Record<string, unknown>, source = "STDIN"): string | undefined {
  const missing: string[] = [];
  // a non-string kind/apiVersion (e.g. a mapping) reads as unset, as in apimachinery's unstructured accessors
  if (!obj.apiVersion || typeof obj.apiVersion !== "string") missing.push("apiVersion not set");
  if (!obj.kind || typeof obj.kind !== "string") missing.push("kind not set");
  if (!missing.length) return undefined;
  const body = missing.length === 1 ? missing[0] : `[${missing.join(", ")}]`;
  return `error: error validating "${source}": error validating data: ${body}; if you choose to ignore these errors, turn validation off with --validate=false`;
}

/** RESTMapper: apiVersion+kind → served kind, or kubectl's "resource mapping not found" error (+ a hint). */
export function mapKind(obj: Record<string, unknown>, source = "STDIN"): { info?: KindInfo; error?: string } {
  const apiVersion = String(obj.apiVersion), kind = String(obj.kind);
  const info = KINDS.find((k) => k.kind === kind && k.apiVersion === apiVersion);
  if (info) return { info };
  const md = (obj.metadata ?? {}) as Record<string, unknown>;
  let msg = `error: resource mapping not found for name: "${md.name ?? ""}" namespace: "${md.namespace ?? ""}" from "${source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`;
  const replacement = REMOVED_VERSIONS[apiVersion]?.[kind];
  const served = KINDS.find((k) => k.kind === kind);
  if (replacement && !replacement.startsWith("(")) msg += `\nhint: ${kind} ${apiVersion} was removed from Kubernetes; use apiVersion: ${replacement}`;
  else if (replacement) msg += `\nhint: ${kind} ${apiVersion} was removed from Kubernetes ${replacement}`;
  else if (served) msg += `\nhint: ${kind} is served as apiVersion: ${served.apiVersion}`;
  return { error: msg };
}

const INT64_FIELDS = new Set(["terminationGracePeriodSeconds", "activeDeadlineSeconds", "tolerationSeconds", "startingDeadlineSeconds", "runAsUser", "runAsGroup", "fsGroup", "deletionGracePeriodSeconds", "generation", "expirationSeconds"]);

function jsType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : typeof v;
}

/**
 * The API server's strict decoding: returns the error text after "cannot be handled as a <Kind>: "
 * (type mismatch first, as the JSON decoder fails on it; else every unknown field), or undefined.
 */
export function strictDecode(obj: Record<string, unknown>, kind: string): string | undefined {
  const unknown: string[] = [];
  let typeErr: string | undefined;
  const walk = (v: unknown, schema: SchemaNode | undefined, path: string, goPath: string, struct: string, field: string) => {
    if (typeErr || v === null || v === undefined) return;
    const { node, name } = resolveRef(schema);
    if (!node) return;
    if (node.anyOf) return; // IntOrString and friends accept several shapes
    const t = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    const vt = jsType(v);
    const goType = (): string => {
      if (name) return `v1.${name}`;
      if (t.includes("number")) return INT64_FIELDS.has(field) ? "int64" : "int32";
      if (t.includes("string")) return "string";
      if (t.includes("boolean")) return "bool";
      if (t.includes("array")) return "[]" + (resolveRef(node.items).name ? `v1.${resolveRef(node.items).name}` : "string");
      return "map[string]string";
    };
    const ok = !t.length || t.includes(vt) || (vt === "number" && t.includes("integer"));
    if (!ok) {
      const jsonType = vt === "object" ? "object" : vt === "array" ? "array" : vt === "boolean" ? "bool" : vt;
      typeErr = `json: cannot unmarshal ${jsonType} into Go struct field ${struct}.${goPath} of type ${goType()}`;
      return;
    }
    if (vt === "number" && (t.includes("number") || t.includes("integer")) && !name) {
      // encoding/json into an int32/int64 field: a fraction or an out-of-range number does not fit.
      const n = v as number, int64 = INT64_FIELDS.has(field);
      const lim = int64 ? 9223372036854775807 : 2147483647;
      if (!Number.isInteger(n) || n > lim || n < -lim - 1) {
        typeErr = `json: cannot unmarshal number ${String(n)} into Go struct field ${struct}.${goPath} of type ${int64 ? "int64" : "int32"}`;
        return;
      }
    }
    if (vt === "object") {
      const o = v as Record<string, unknown>;
      for (const [k, x] of Object.entries(o)) {
        const p = path ? `${path}.${k}` : k;
        const gp = goPath ? `${goPath}.${k}` : k;
        const prop = node.properties?.[k];
        if (prop) walk(x, prop, p, gp, name ?? struct, k);
        else if (node.additionalProperties && typeof node.additionalProperties === "object") walk(x, node.additionalProperties, p, gp, name ?? struct, k);
        else if (node.additionalProperties === false && node.properties) unknown.push(`unknown field "${p}"`);
      }
    } else if (vt === "array") {
      (v as unknown[]).forEach((x, i) => walk(x, node.items, `${path}[${i}]`, goPath, struct, field));
    }
  };
  const root = SCHEMA.definitions[kind];
  if (!root) return undefined;
  walk(obj, { $ref: `#/definitions/${kind}` }, "", "", kind, "");
  if (typeErr) return typeErr;
  if (unknown.length) return `strict decoding error: ${unknown.join(", ")}`;
  return undefined;
}
