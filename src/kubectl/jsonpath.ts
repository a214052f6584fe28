/**
 * kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), the subset people use:
 * `{.a.b}`, `{.items[*].metadata.name}`, `[n]`, `[a:b]`, `[*]`, `..name`, `.*`, filters
 * `[?(@.type=="Ready")]` (==, !=, <, <=, >, >=, or bare existence), `{range …}…{end}`, quoted
 * literals `{"\n"}`, `$` and `@`. Missing keys print nothing (kubectl sets AllowMissingKeys).
 * Pure.
 */
type Step =
  | { t: "field"; name: string }
  | { t: "recursive"; name: string }
  | { t: "wildcard" }
  | { t: "index"; start?: number; end?: number; single: boolean; all?: boolean }
  | { t: "filter"; left: Operand; op?: string; right?: Operand }
  | { t: "union"; names: string[] };

type Operand = { t: "path"; rel: "@" | "$"; steps: Step[] } | { t: "lit"; v: unknown };

type Node =
  | { t: "text"; s: string }
  | { t: "path"; steps: Step[]; root: "@" | "$" }
  | { t: "range"; steps: Step[]; root: "@" | "$" }
  | { t: "end" };

export class JsonPathError extends Error {}

function parseTemplate(tpl: string): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf("{", i);
    if (open < 0) { out.push({ t: "text", s: tpl.slice(i) }); break; }
    if (open > i) out.push({ t: "text", s: tpl.slice(i, open) });
    // find matching } outside quotes
    let j = open + 1, q: string | null = null;
    for (; j < tpl.length; j++) {
      const ch = tpl[j]!;
      if (q) { if (ch === "\\") { j++; continue; } if (ch === q) q = null; continue; }
      if (ch === '"' || ch === "'") q = ch;
      else if (ch === "}") break;
    }
    if (j >= tpl.length) throw new JsonPathError(`unclosed action`);
    out.push(...parseAction(tpl.slice(open + 1, j).trim()));
    i = j + 1;
  }
  return out;
}

function unquote(s: string): string {
  const q = s[0]!;
  const body = s.slice(1, -1);
  if (q === "'") return body;
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" } as Record<string, string>)[c] ?? c);
}

function parseAction(a: string): Node[] {
  if (a === "end") return [{ t: "end" }];
  if (a.startsWith("range ") || a === "range") {
    const p = parsePath(a.slice(5).trim());
    return [{ t: "range", steps: p.steps, root: p.root }];
  }
  if ((a.startsWith('"') && a.endsWith('"') && a.length >= 2) || (a.startsWith("'") && a.endsWith("'") && a.length >= 2)) {
    return [{ t: "text", s: unquote(a) }];
  }
  const p = parsePath(a);
  return [{ t: "path", steps: p.steps, root: p.root }];
}

function parsePath(src: string): { root: "@" | "$"; steps: Step[] } {
  let s = src;
  let root: "@" | "$" = "@";
  if (s.startsWith("$")) { root = "$"; s = s.slice(1); }
  else if (s.startsWith("@")) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  const ident = () => {
    const m = /^[A-Za-z0-9_\-/$]+/.exec(s.slice(i));
    if (!m) return "";
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    const ch = s[i]!;
    if (s.startsWith("..", i)) {
      i += 2;
      if (s[i] === "*") { i++; steps.push({ t: "recursive", name: "*" }); continue; }
      const name = ident();
      steps.push({ t: "recursive", name });
    } else if (ch === ".") {
      i++;
      if (s[i] === "*") { i++; steps.push({ t: "wildcard" }); continue; }
      const name = ident();
      if (name) steps.push({ t: "field", name });
    } else if (ch === "[") {
      let depth = 0, j = i, q: string | null = null;
      for (; j < s.length; j++) {
        const c = s[j]!;
        if (q) { if (c === q) q = null; continue; }
        if (c === "'" || c === '"') q = c;
        else if (c === "[") depth++;
        else if (c === "]") { depth--; if (depth === 0) break; }
      }
      if (j >= s.length) throw new JsonPathError(`unterminated array`);
      steps.push(parseBracket(s.slice(i + 1, j).trim()));
      i = j + 1;
    } else if (ch === " ") {
      i++;
    } else {
      const name = ident();
      if (!name) throw new JsonPathError(`unrecognized character in action: U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} '${ch}'`);
      steps.push({ t: "field", name });
    }
  }
  return { root, steps };
}

function parseBracket(b: string): Step {
  if (b === "*") return { t: "wildcard" };
  if (b.startsWith("?(") && b.endsWith(")")) {
    const e = b.slice(2, -1).trim();
    const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(e);
    if (!m) return { t: "filter", left: operand(e) };
    return { t: "filter", left: operand(m[1]!), op: m[2]!, right: operand(m[3]!) };
  }
  if (/^'.*'$|^".*"$/.test(b) || b.includes("'")) {
    const names = b.split(",").map((x) => x.trim()).map((x) => (/^['"].*['"]$/.test(x) ? x.slice(1, -1) : x));
    return names.length === 1 ? { t: "field", name: names[0]! } : { t: "union", names };
  }
  const m = /^(-?\d*)\s*(?::\s*(-?\d*))?$/.exec(b);
  if (!m) throw new JsonPathError(`invalid array index ${b}`);
  if (b.includes(":")) {
    const st: Step = { t: "index", single: false };
    if (m[1]) st.start = Number(m[1]);
    if (m[2]) st.end = Number(m[2]);
    return st;
  }
  return { t: "index", start: Number(m[1]), single: true };
}

function operand(s: string): Operand {
  const x = s.trim();
  if (x.startsWith("@") || x.startsWith("$")) {
    const p = parsePath(x);
    return { t: "path", rel: p.root, steps: p.steps };
  }
  if (/^['"].*['"]$/.test(x)) return { t: "lit", v: x.slice(1, -1) };
  if (x === "true" || x === "false") return { t: "lit", v: x === "true" };
  if (/^-?\d+(\.\d+)?$/.test(x)) return { t: "lit", v: Number(x) };
  return { t: "lit", v: x };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function evalSteps(steps: Step[], start: unknown[], root: unknown): unknown[] {
  let cur = start;
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      switch (st.t) {
        case "field":
          if (isObj(v) && st.name in v && v[st.name] !== undefined) next.push(v[st.name]);
          break;
        case "union":
          if (isObj(v)) for (const n of st.names) if (n in v) next.push(v[n]);
          break;
        case "wildcard":
          if (Array.isArray(v)) next.push(...v);
          else if (isObj(v)) for (const k of Object.keys(v).sort()) next.push(v[k]);
          break;
        case "recursive": {
          const visit = (x: unknown) => {
            if (isObj(x)) {
              if (st.name === "*") next.push(...Object.values(x));
              else if (st.name in x) next.push(x[st.name]);
              for (const k of Object.keys(x)) visit(x[k]);
            } else if (Array.isArray(x)) for (const y of x) visit(y);
          };
          visit(v);
          break;
        }
        case "index": {
          if (!Array.isArray(v)) break;
          const n = v.length;
          if (st.single) {
            let idx = st.start ?? 0;
            if (idx < 0) idx += n;
            if (idx < 0 || idx >= n) throw new JsonPathError(`array index out of bounds: index ${st.start}, length ${n}`);
            next.push(v[idx]);
          } else {
            let a = st.start ?? 0, b = st.end ?? n;
            if (a < 0) a += n;
            if (b < 0) b += n;
            a = Math.max(0, Math.min(n, a));
            b = Math.max(0, Math.min(n, b));
            next.push(...v.slice(a, b));
          }
          break;
        }
        case "filter": {
          const items = Array.isArray(v) ? v : isObj(v) ? Object.values(v) : [];
          for (const it of items) if (filterMatches(st, it, root)) next.push(it);
          break;
        }
      }
    }
    cur = next;
  }
  return cur;
}

function operandValues(o: Operand, cur: unknown, root: unknown): unknown[] {
  if (o.t === "lit") return [o.v];
  return evalSteps(o.steps, [o.rel === "$" ? root : cur], root);
}

function filterMatches(st: Extract<Step, { t: "filter" }>, item: unknown, root: unknown): boolean {
  const left = operandValues(st.left, item, root);
  if (!st.op || !st.right) return left.length > 0 && left[0] !== false && left[0] !== null;
  const right = operandValues(st.right, item, root);
  if (!left.length || !right.length) return false;
  const a = left[0], b = right[0];
  switch (st.op) {
    case "==": return String(a) === String(b);
    case "!=": return String(a) !== String(b);
    case "<": return Number(a) < Number(b);
    case "<=": return Number(a) <= Number(b);
    case ">": return Number(a) > Number(b);
    case ">=": return Number(a) >= Number(b);
  }
  return false;
}

/** Go's JSON for jsonpath results (encoding/json: HTML-escaped, compact). */
export function goJson(v: unknown, indent?: string): string {
  const s = indent === undefined ? JSON.stringify(v) : JSON.stringify(v, null, indent);
  return (s ?? "null").replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function toText(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) || isObj(v)) return goJson(v);
  if (v === null || v === undefined) return "<nil>";
  return String(v);
}

/** Evaluate one path expression (as custom-columns and --sort-by do); `{…}` braces optional. */
export function evalPath(expr: string, data: unknown): unknown[] {
  const e = relaxed(expr);
  const nodes = parseTemplate(e);
  const out: unknown[] = [];
  for (const n of nodes) if (n.t === "path") out.push(...evalSteps(n.steps, [data], data));
  return out;
}

/** kubectl's RelaxedJSONPathExpression: `.a.b` / `a.b` / `{.a.b}` → `{.a.b}`. */
export function relaxed(expr: string): string {
  const e = expr.trim();
  if (e.startsWith("{") && e.endsWith("}")) return e;
  if (e.startsWith("$")) return `{${e}}`;
  return e.startsWith(".") ? `{${e}}` : `{.${e}}`;
}

/** Render a template against data, as `kubectl get -o jsonpath=…` prints it. */
export function renderJsonPath(template: string, data: unknown): string {
  const nodes = parseTemplate(template);
  let out = "";
  const walk = (from: number, to: number, cur: unknown) => {
    for (let i = from; i < to; i++) {
      const n = nodes[i]!;
      if (n.t === "text") out += n.s;
      else if (n.t === "path") {
        const res = evalSteps(n.steps, [n.root === "$" ? data : cur], data);
        out += res.map(toText).join(" ");
      } else if (n.t === "range") {
        let depth = 1, j = i + 1;
        for (; j < to; j++) {
          const m = nodes[j]!;
          if (m.t === "range") depth++;
          if (m.t === "end" && --depth === 0) break;
        }
        if (j >= to) throw new JsonPathError(`not in range, nothing to end`);
        let items = evalSteps(n.steps, [n.root === "$" ? data : cur], data);
        if (items.length === 1 && Array.isArray(items[0])) items = items[0] as unknown[];
        for (const it of items) walk(i + 1, j, it);
        i = j;
      } else if (n.t === "end") throw new JsonPathError(`not in range, nothing to end`);
    }
  };
  walk(0, nodes.length, data);
  return out;
}
