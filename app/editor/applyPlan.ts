/**
 * Editor → cluster: split the editor text into documents, decide what one Apply sends, and map
 * kubectl's errors back to the document (and line) they belong to. Pure: runs nothing.
 */
import { parseAllDocuments, isMap, isSeq, type Document, type Node as YamlNode } from "yaml";

export interface ObjId { kind: string; name: string; namespace: string }

export interface DocInfo {
  index: number;
  /** 1-based first and last line of the document in the editor text. */
  startLine: number;
  endLine: number;
  empty: boolean;
  apiVersion: string;
  kind: string;
  name: string;
  /** As written; "" means the default namespace. */
  namespace: string;
  syntaxErrors: Array<{ message: string; line: number; col: number }>;
  doc: Document.Parsed;
  /** 1-based line of an offset in the whole editor text. */
  lineOf(offset: number): number;
}

/** Cluster-scoped kinds the editor may hold (no namespace in their identity). */
const CLUSTER_SCOPED = new Set(["Node", "Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass", "PriorityClass"]);

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function offsetToLine(starts: number[], offset: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}

export function parseDocuments(text: string): DocInfo[] {
  const starts = lineStarts(text);
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc, index) => {
    const [docFrom, , to] = doc.range;
    // Start at the first content line (after any `---` marker and leading comments).
    const from = (doc.contents as YamlNode | null)?.range?.[0] ?? docFrom;
    const js = safeJs(doc);
    const obj = js && typeof js === "object" && !Array.isArray(js) ? (js as Record<string, unknown>) : {};
    const meta = (obj.metadata && typeof obj.metadata === "object" ? obj.metadata : {}) as Record<string, unknown>;
    return {
      index,
      startLine: offsetToLine(starts, from),
      endLine: offsetToLine(starts, Math.max(from, to - 1)),
      empty: doc.contents === null,
      apiVersion: str(obj.apiVersion), kind: str(obj.kind), name: str(meta.name), namespace: str(meta.namespace),
      syntaxErrors: doc.errors.map((e) => ({
        message: e.message.split("\n")[0]!,
        line: e.linePos?.[0]?.line ?? offsetToLine(starts, e.pos[0]),
        col: e.linePos?.[0]?.col ?? 1,
      })),
      doc,
      lineOf: (o: number) => offsetToLine(starts, o),
    };
  });
}

function safeJs(doc: Document.Parsed): unknown {
  try { return doc.toJS(); } catch { return undefined; }
}
function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

export function objId(d: Pick<DocInfo, "kind" | "name" | "namespace">): ObjId {
  return { kind: d.kind, name: d.name, namespace: CLUSTER_SCOPED.has(d.kind) ? "" : d.namespace || "default" };
}
export function idString(id: ObjId): string {
  return `${id.kind}/${id.namespace ? id.namespace + "/" : ""}${id.name}`;
}

/** `kubectl delete TYPE NAME [-n NS]` for an object that left the editor. */
export function deleteLine(id: ObjId): string {
  return `kubectl delete ${id.kind.toLowerCase()} ${id.name}${id.namespace && id.namespace !== "default" ? ` -n ${id.namespace}` : ""}`;
}

export interface ApplyPlan {
  /** Problems that stop the apply (nothing is sent). */
  blocked: Array<{ doc: number; line: number; message: string }>;
  /** Heredoc body for `kubectl apply -f - <<EOF`, or null when the editor holds no objects. */
  applyText: string | null;
  /** Lines deleting objects that were applied from the editor before and are gone from it now. */
  deletes: string[];
  /** Identities the editor holds now. */
  ids: ObjId[];
}

/**
 * @param docs parsed editor documents
 * @param schemaProblems editor markers from the schema checker (1-based lines)
 * @param previous identities applied from the editor last time
 */
export function planApply(
  text: string,
  docs: DocInfo[],
  schemaProblems: Array<{ line: number; message: string }>,
  previous: ObjId[],
): ApplyPlan {
  const blocked: ApplyPlan["blocked"] = [];
  for (const d of docs) for (const e of d.syntaxErrors) blocked.push({ doc: d.index, line: e.line, message: e.message });
  for (const p of schemaProblems) {
    const d = docs.find((x) => p.line >= x.startLine && p.line <= x.endLine);
    blocked.push({ doc: d?.index ?? 0, line: p.line, message: p.message });
  }
  blocked.sort((a, b) => a.line - b.line);
  const live = docs.filter((d) => !d.empty);
  const ids = live.filter((d) => d.kind && d.name).map(objId);
  if (blocked.length) return { blocked, applyText: null, deletes: [], ids };
  const have = new Set(ids.map(idString));
  const deletes = previous.filter((p) => !have.has(idString(p))).map(deleteLine);
  const body = text.endsWith("\n") ? text : text + "\n";
  return { blocked, applyText: live.length ? body : null, deletes, ids };
}

export interface DocError { doc: number; line: number; message: string }

/**
 * Attach each error line kubectl printed to the document it names. kubectl names objects as
 * `Kind.group "name"`, `kind "name"`, or `name: "name"` (resource mapping errors).
 */
export function mapErrors(err: string, docs: DocInfo[]): DocError[] {
  const out: DocError[] = [];
  const lines = err.split("\n").filter((l) => l.trim());
  let i = 0;
  while (i < lines.length) {
    // Group continuation lines ("* spec.x: …") with the head line.
    let msg = lines[i]!;
    while (i + 1 < lines.length && /^\s*\*/.test(lines[i + 1]!)) msg += "\n" + lines[++i]!;
    i++;
    const named = live(docs).filter((d) => d.name && msg.includes(`"${d.name}"`));
    let d = named.find((x) => x.kind && new RegExp(`\\b${x.kind}\\b`, "i").test(msg)) ?? named[0];
    if (!d && live(docs).length === 1) d = live(docs)[0];
    if (!d) { out.push({ doc: -1, line: 1, message: msg }); continue; }
    out.push({ doc: d.index, line: fieldLine(d, msg), message: msg });
  }
  return out;
}

function live(docs: DocInfo[]): DocInfo[] {
  return docs.filter((d) => !d.empty);
}

/** The line of the first field path (`spec.template.spec.containers[0].image: …`) the message names. */
export function fieldLine(d: DocInfo, msg: string): number {
  const m = /(?:^|[\s:*])((?:metadata|spec|status|data)(?:\.[A-Za-z0-9_-]+|\[\d+\])*)(?=:| |$)/m.exec(msg);
  if (!m) return d.startLine;
  const path: Array<string | number> = [];
  for (const part of m[1]!.matchAll(/([A-Za-z0-9_-]+)|\[(\d+)\]/g)) path.push(part[2] !== undefined ? Number(part[2]) : part[1]!);
  let node: unknown = d.doc.contents;
  let best: unknown = node;
  for (const p of path) {
    if (isMap(node)) node = node.get(p, true);
    else if (isSeq(node) && typeof p === "number") node = node.get(p, true);
    else break;
    if (!node) break;
    best = node;
  }
  const range = (best as YamlNode | null)?.range;
  if (!range || best === d.doc.contents) return d.startLine;
  const line = d.lineOf(range[0]);
  // A map/seq value starts on the line after its key: point at the key.
  return isMap(best) || isSeq(best) ? Math.max(d.startLine, line - 1) : line;
}
