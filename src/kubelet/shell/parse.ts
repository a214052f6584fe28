/**
 * A small POSIX-sh parser for container programs: `;` `&&` `||` `|` `&`, `if/elif/else/fi`, `while`/`until`,
 * `for x in …`, `{ …; }`, `( … )`, `name() { …; }`, redirections, quoting, `$VAR` `${VAR:-x}` `$(…)` `` `…` ``
 * `$((…))`. Pure: no I/O.
 */
export type Part =
  | { t: "lit"; v: string; q: boolean }
  | { t: "var"; name: string; q: boolean; op?: string; arg?: Word }
  | { t: "cmd"; src: string; q: boolean }
  | { t: "arith"; expr: string; q: boolean };
export type Word = Part[];

export interface Redir { fd: number; op: ">" | ">>" | "<" | ">&"; target: Word }

export type Node =
  | { t: "simple"; assigns: Array<{ name: string; value: Word }>; words: Word[]; redirs: Redir[] }
  | { t: "pipeline"; cmds: Node[]; neg: boolean }
  | { t: "andor"; first: Node; rest: Array<{ op: "&&" | "||"; node: Node }> }
  | { t: "list"; items: Node[] }
  | { t: "if"; clauses: Array<{ cond: Node; body: Node }>; else?: Node }
  | { t: "while"; until: boolean; cond: Node; body: Node }
  | { t: "for"; name: string; items: Word[] | null; body: Node }
  | { t: "group"; body: Node; subshell: boolean; redirs: Redir[] }
  | { t: "func"; name: string; body: Node };

type Tok = { k: "word"; w: Word; raw: string } | { k: "op"; v: string } | { k: "redir"; fd: number; op: Redir["op"] } | { k: "eof" };

export class ShellSyntaxError extends Error {}

const OP_CHARS = new Set([";", "&", "|", "<", ">", "(", ")", "\n"]);

function readBalanced(s: string, i: number, open: string, close: string): number {
  // returns the index of the matching close, starting after the opening
  let depth = 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "\\") { i += 2; continue; }
    if (c === "'") { const j = s.indexOf("'", i + 1); if (j < 0) return -1; i = j + 1; continue; }
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') { if (s[i] === "\\") i++; i++; }
      i++;
      continue;
    }
    if (s.startsWith(open, i)) { depth++; i += open.length; continue; }
    if (s.startsWith(close, i)) { depth--; if (depth === 0) return i; i += close.length; continue; }
    i++;
  }
  return -1;
}

/** Parse `$…` at s[i] (s[i] === "$"); returns the part and the next index. */
function dollar(s: string, i: number, q: boolean): [Part, number] {
  const n = s[i + 1];
  if (n === "(" && s[i + 2] === "(") {
    const end = readBalanced(s, i + 3, "((", "))");
    if (end < 0) throw new ShellSyntaxError("syntax error: unterminated arithmetic");
    return [{ t: "arith", expr: s.slice(i + 3, end), q }, end + 2];
  }
  if (n === "(") {
    const end = readBalanced(s, i + 2, "(", ")");
    if (end < 0) throw new ShellSyntaxError("syntax error: unterminated quoted string");
    return [{ t: "cmd", src: s.slice(i + 2, end), q }, end + 1];
  }
  if (n === "{") {
    const end = readBalanced(s, i + 2, "{", "}");
    if (end < 0) throw new ShellSyntaxError("syntax error: missing '}'");
    const body = s.slice(i + 2, end);
    if (body.startsWith("#")) return [{ t: "var", name: body.slice(1), q, op: "#len" }, end + 1];
    const m = body.match(/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!])(:?[-=+?]|##?|%%?)?([\s\S]*)$/);
    if (!m) throw new ShellSyntaxError(`syntax error: bad substitution`);
    if (!m[2]) return [{ t: "var", name: m[1]!, q }, end + 1];
    return [{ t: "var", name: m[1]!, q, op: m[2], arg: lexWordText(m[3]!, q) }, end + 1];
  }
  if (n !== undefined && /[A-Za-z_]/.test(n)) {
    let j = i + 1;
    while (j < s.length && /[A-Za-z0-9_]/.test(s[j]!)) j++;
    return [{ t: "var", name: s.slice(i + 1, j), q }, j];
  }
  if (n !== undefined && /[0-9?$#@*!]/.test(n)) return [{ t: "var", name: n, q }, i + 2];
  return [{ t: "lit", v: "$", q }, i + 1];
}

/** Lex a text as one word (used for `${x:-default}` operands). */
function lexWordText(s: string, q: boolean): Word {
  const parts: Word = [];
  let i = 0, lit = "";
  while (i < s.length) {
    const c = s[i]!;
    if (c === "$") {
      if (lit) { parts.push({ t: "lit", v: lit, q }); lit = ""; }
      const [p, j] = dollar(s, i, q);
      parts.push(p); i = j; continue;
    }
    if (c === "'" && !q) { const j = s.indexOf("'", i + 1); lit += s.slice(i + 1, j < 0 ? s.length : j); i = j < 0 ? s.length : j + 1; continue; }
    if (c === '"' && !q) { i++; continue; }
    if (c === "\\" && i + 1 < s.length) { lit += s[i + 1]; i += 2; continue; }
    lit += c; i++;
  }
  if (lit) parts.push({ t: "lit", v: lit, q });
  return parts;
}

export function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const s = src;
  while (i < s.length) {
    const c = s[i]!;
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (c === "\\" && s[i + 1] === "\n") { i += 2; continue; }
    if (c === "#") { while (i < s.length && s[i] !== "\n") i++; continue; }
    // redirections: 2>, 2>>, 2>&1, >&2, <, &>
    if (s.startsWith("&>", i)) { toks.push({ k: "redir", fd: -1, op: ">" }); i += 2; continue; }
    const rm = s.slice(i, i + 4).match(/^(\d?)(>>|>&|>|<)/);
    if (rm) {
      const op = rm[2]!;
      const fd = rm[1] ? Number(rm[1]) : op === "<" ? 0 : 1;
      toks.push({ k: "redir", fd, op: op as Redir["op"] });
      i += rm[0].length;
      continue;
    }
    if (s.startsWith("&&", i) || s.startsWith("||", i) || s.startsWith(";;", i)) { toks.push({ k: "op", v: s.slice(i, i + 2) }); i += 2; continue; }
    if (OP_CHARS.has(c)) { toks.push({ k: "op", v: c }); i++; continue; }
    // a word
    const parts: Word = [];
    let lit = "", litQ = false;
    const flush = () => { if (lit) { parts.push({ t: "lit", v: lit, q: litQ }); lit = ""; } };
    const start = i;
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === " " || ch === "\t" || ch === "\r" || OP_CHARS.has(ch)) break;
      if (ch === "'") {
        const j = s.indexOf("'", i + 1);
        if (j < 0) throw new ShellSyntaxError("syntax error: unterminated quoted string");
        flush(); parts.push({ t: "lit", v: s.slice(i + 1, j), q: true }); i = j + 1; continue;
      }
      if (ch === '"') {
        flush();
        i++;
        let inner = "";
        let closed = false;
        while (i < s.length) {
          const d = s[i]!;
          if (d === '"') { closed = true; i++; break; }
          if (d === "\\" && i + 1 < s.length && "$`\"\\\n".includes(s[i + 1]!)) { if (s[i + 1] !== "\n") inner += s[i + 1]; i += 2; continue; }
          if (d === "$") {
            if (inner) { parts.push({ t: "lit", v: inner, q: true }); inner = ""; }
            const [p, j] = dollar(s, i, true);
            parts.push(p); i = j; continue;
          }
          if (d === "`") {
            const j = s.indexOf("`", i + 1);
            if (j < 0) throw new ShellSyntaxError("syntax error: unterminated quoted string");
            if (inner) { parts.push({ t: "lit", v: inner, q: true }); inner = ""; }
            parts.push({ t: "cmd", src: s.slice(i + 1, j), q: true }); i = j + 1; continue;
          }
          inner += d; i++;
        }
        if (!closed) throw new ShellSyntaxError("syntax error: unterminated quoted string");
        parts.push({ t: "lit", v: inner, q: true });
        continue;
      }
      if (ch === "\\") {
        if (i + 1 < s.length) { flush(); parts.push({ t: "lit", v: s[i + 1]!, q: true }); }
        i += 2; continue;
      }
      if (ch === "$") {
        flush();
        const [p, j] = dollar(s, i, false);
        parts.push(p); i = j; continue;
      }
      if (ch === "`") {
        const j = s.indexOf("`", i + 1);
        if (j < 0) throw new ShellSyntaxError("syntax error: unterminated quoted string");
        flush(); parts.push({ t: "cmd", src: s.slice(i + 1, j), q: false }); i = j + 1; continue;
      }
      litQ = false;
      lit += ch; i++;
    }
    flush();
    toks.push({ k: "word", w: parts, raw: s.slice(start, i) });
  }
  toks.push({ k: "eof" });
  return toks;
}

/** The plain text of a word when it is a single unquoted literal (keywords, names). */
function plain(w: Word): string | undefined {
  if (w.length === 1 && w[0]!.t === "lit" && !w[0]!.q) return w[0]!.v;
  return undefined;
}

const RESERVED_END = new Set(["then", "elif", "else", "fi", "do", "done", "}", "esac"]);

class Parser {
  private p = 0;
  constructor(private toks: Tok[]) {}
  private peek(): Tok { return this.toks[this.p]!; }
  private next(): Tok { return this.toks[this.p++]!; }
  private isKw(kw: string): boolean {
    const t = this.peek();
    return t.k === "word" && plain(t.w) === kw;
  }
  private skipNewlines() {
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && (t.v === "\n" || t.v === ";")) { this.p++; continue; }
      break;
    }
  }
  private unexpected(): never {
    const t = this.peek();
    const what = t.k === "eof" ? "end of file" : t.k === "op" ? (t.v === "\n" ? "newline" : `"${t.v}"`) : t.k === "word" ? `"${t.raw}"` : "redirection";
    if (t.k === "eof") throw new ShellSyntaxError(`syntax error: unexpected end of file`);
    throw new ShellSyntaxError(`syntax error: unexpected ${what}`);
  }
  private expectKw(kw: string) {
    this.skipNewlines();
    if (!this.isKw(kw)) this.unexpected();
    this.p++;
  }

  parseProgram(): Node {
    const l = this.list();
    if (this.peek().k !== "eof") this.unexpected();
    return l;
  }

  /** A list up to a reserved terminator word or ")" or EOF. */
  list(): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.k === "eof") break;
      if (t.k === "op" && (t.v === ")" || t.v === ";;")) break;
      if (t.k === "word" && RESERVED_END.has(plain(t.w) ?? "")) break;
      items.push(this.andOr());
      const s = this.peek();
      if (s.k === "op" && (s.v === ";" || s.v === "\n" || s.v === "&")) { this.p++; continue; }
      if (s.k === "eof" || (s.k === "op" && s.v === ")") || (s.k === "word" && RESERVED_END.has(plain(s.w) ?? ""))) continue;
      this.unexpected();
    }
    return { t: "list", items };
  }

  private andOr(): Node {
    const first = this.pipeline();
    const rest: Array<{ op: "&&" | "||"; node: Node }> = [];
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && (t.v === "&&" || t.v === "||")) {
        this.p++;
        while (this.peek().k === "op" && (this.peek() as { v: string }).v === "\n") this.p++;
        rest.push({ op: t.v as "&&" | "||", node: this.pipeline() });
        continue;
      }
      break;
    }
    return rest.length ? { t: "andor", first, rest } : first;
  }

  private pipeline(): Node {
    let neg = false;
    if (this.isKw("!")) { neg = true; this.p++; }
    const cmds = [this.command()];
    while (this.peek().k === "op" && (this.peek() as { v: string }).v === "|") {
      this.p++;
      while (this.peek().k === "op" && (this.peek() as { v: string }).v === "\n") this.p++;
      cmds.push(this.command());
    }
    return cmds.length === 1 && !neg ? cmds[0]! : { t: "pipeline", cmds, neg };
  }

  private redirs(): Redir[] {
    const out: Redir[] = [];
    while (this.peek().k === "redir") {
      const r = this.next() as { k: "redir"; fd: number; op: Redir["op"] };
      const w = this.next();
      if (w.k !== "word") { this.p--; this.unexpected(); }
      if (r.fd === -1) { out.push({ fd: 1, op: ">", target: (w as { w: Word }).w }); out.push({ fd: 2, op: ">&", target: [{ t: "lit", v: "1", q: false }] }); }
      else out.push({ fd: r.fd, op: r.op, target: (w as { w: Word }).w });
    }
    return out;
  }

  private command(): Node {
    const t = this.peek();
    if (t.k === "op" && t.v === "(") {
      this.p++;
      const body = this.list();
      if (!(this.peek().k === "op" && (this.peek() as { v: string }).v === ")")) this.unexpected();
      this.p++;
      return { t: "group", body, subshell: true, redirs: this.redirs() };
    }
    if (t.k === "word") {
      const kw = plain(t.w);
      if (kw === "if") return this.ifCmd();
      if (kw === "while" || kw === "until") return this.whileCmd(kw === "until");
      if (kw === "for") return this.forCmd();
      if (kw === "{") {
        this.p++;
        const body = this.list();
        this.expectKw("}");
        return { t: "group", body, subshell: false, redirs: this.redirs() };
      }
      if (kw && RESERVED_END.has(kw)) this.unexpected();
      // function definition: name() { … }
      const n1 = this.toks[this.p + 1], n2 = this.toks[this.p + 2];
      if (kw && /^[A-Za-z_][A-Za-z0-9_]*$/.test(kw) && n1?.k === "op" && n1.v === "(" && n2?.k === "op" && n2.v === ")") {
        this.p += 3;
        this.skipNewlines();
        return { t: "func", name: kw, body: this.command() };
      }
    }
    return this.simple();
  }

  private simple(): Node {
    const assigns: Array<{ name: string; value: Word }> = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k === "redir") { redirs.push(...this.redirs()); continue; }
      if (t.k !== "word") break;
      if (words.length === 0) {
        const f = t.w[0];
        if (f && f.t === "lit" && !f.q) {
          const m = f.v.match(/^([A-Za-z_][A-Za-z0-9_]*)=/);
          if (m) {
            this.p++;
            const rest: Word = [];
            const after = f.v.slice(m[0].length);
            if (after) rest.push({ t: "lit", v: after, q: false });
            rest.push(...t.w.slice(1));
            assigns.push({ name: m[1]!, value: rest });
            continue;
          }
        }
      }
      this.p++;
      words.push(t.w);
    }
    if (!words.length && !assigns.length && !redirs.length) this.unexpected();
    return { t: "simple", assigns, words, redirs };
  }

  private ifCmd(): Node {
    this.p++; // if
    const clauses: Array<{ cond: Node; body: Node }> = [];
    const cond = this.list();
    this.expectKw("then");
    clauses.push({ cond, body: this.list() });
    let els: Node | undefined;
    for (;;) {
      this.skipNewlines();
      if (this.isKw("elif")) {
        this.p++;
        const c = this.list();
        this.expectKw("then");
        clauses.push({ cond: c, body: this.list() });
        continue;
      }
      if (this.isKw("else")) { this.p++; els = this.list(); }
      this.expectKw("fi");
      break;
    }
    return els ? { t: "if", clauses, else: els } : { t: "if", clauses };
  }

  private whileCmd(until: boolean): Node {
    this.p++;
    const cond = this.list();
    this.expectKw("do");
    const body = this.list();
    this.expectKw("done");
    return { t: "while", until, cond, body };
  }

  private forCmd(): Node {
    this.p++;
    const nt = this.next();
    const name = nt.k === "word" ? plain(nt.w) : undefined;
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) { this.p--; this.unexpected(); }
    let items: Word[] | null = null;
    while (this.peek().k === "op" && (this.peek() as { v: string }).v === "\n") this.p++;
    if (this.isKw("in")) {
      this.p++;
      items = [];
      while (this.peek().k === "word") items.push((this.next() as { w: Word }).w);
    }
    const s = this.peek();
    if (s.k === "op" && (s.v === ";" || s.v === "\n")) this.p++;
    this.expectKw("do");
    const body = this.list();
    this.expectKw("done");
    return { t: "for", name: name!, items, body };
  }
}

export function parse(src: string): Node {
  return new Parser(tokenize(src)).parseProgram();
}
