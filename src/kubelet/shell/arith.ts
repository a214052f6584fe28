/** `$(( … ))` arithmetic (integers, C precedence, assignment). Pure. */
export class ArithError extends Error {}

type Vars = { get(name: string): string | undefined; set(name: string, v: string): void };

export function evalArith(src: string, vars: Vars): number {
  const toks = src.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%<>()!~?:=&|^])/g);
  const rest = src.replace(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%<>()!~?:=&|^])/g, "").trim();
  if (rest) throw new ArithError(`arithmetic syntax error`);
  const t = (toks ?? []).map((x) => x.trim());
  let p = 0;
  const peek = () => t[p];
  const num = (name: string) => {
    const v = vars.get(name);
    if (v === undefined || v.trim() === "") return 0;
    const n = Number.parseInt(v.trim(), 10);
    return Number.isNaN(n) ? 0 : n;
  };
  const BIN: Array<[string[], (a: number, b: number) => number]> = [
    [["||"], (a, b) => (a || b ? 1 : 0)],
    [["&&"], (a, b) => (a && b ? 1 : 0)],
    [["|"], (a, b) => a | b],
    [["^"], (a, b) => a ^ b],
    [["&"], (a, b) => a & b],
    [["==", "!="], () => 0],
    [["<", "<=", ">", ">="], () => 0],
    [["<<", ">>"], () => 0],
    [["+", "-"], () => 0],
    [["*", "/", "%"], () => 0],
  ];
  const apply = (op: string, a: number, b: number): number => {
    switch (op) {
      case "||": return a || b ? 1 : 0;
      case "&&": return a && b ? 1 : 0;
      case "|": return a | b;
      case "^": return a ^ b;
      case "&": return a & b;
      case "==": return a === b ? 1 : 0;
      case "!=": return a !== b ? 1 : 0;
      case "<": return a < b ? 1 : 0;
      case "<=": return a <= b ? 1 : 0;
      case ">": return a > b ? 1 : 0;
      case ">=": return a >= b ? 1 : 0;
      case "<<": return a << b;
      case ">>": return a >> b;
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/": if (b === 0) throw new ArithError("divide by zero"); return Math.trunc(a / b);
      case "%": if (b === 0) throw new ArithError("divide by zero"); return a % b;
    }
    throw new ArithError("arithmetic syntax error");
  };
  const level = (i: number): number => {
    if (i >= BIN.length) return unary();
    let a = level(i + 1);
    while (peek() !== undefined && BIN[i]![0].includes(peek()!)) {
      const op = t[p++]!;
      const b = level(i + 1);
      a = apply(op, a, b);
    }
    return a;
  };
  const unary = (): number => {
    const x = peek();
    if (x === "-") { p++; return -unary(); }
    if (x === "+") { p++; return unary(); }
    if (x === "!") { p++; return unary() ? 0 : 1; }
    if (x === "~") { p++; return ~unary(); }
    if (x === "++" || x === "--") {
      p++;
      const n = t[p++]!;
      const v = num(n) + (x === "++" ? 1 : -1);
      vars.set(n, String(v));
      return v;
    }
    return power();
  };
  const power = (): number => {
    const a = primary();
    if (peek() === "**") { p++; return Math.pow(a, unary()); }
    return a;
  };
  const primary = (): number => {
    const x = t[p++];
    if (x === undefined) throw new ArithError("arithmetic syntax error");
    if (x === "(") {
      const v = expr();
      if (t[p++] !== ")") throw new ArithError("arithmetic syntax error");
      return v;
    }
    if (/^\d+$/.test(x)) return Number.parseInt(x, 10);
    if (/^[A-Za-z_]/.test(x)) {
      if (peek() === "++" || peek() === "--") {
        const op = t[p++]!;
        const v = num(x);
        vars.set(x, String(v + (op === "++" ? 1 : -1)));
        return v;
      }
      return num(x);
    }
    throw new ArithError("arithmetic syntax error");
  };
  const ternary = (): number => {
    const c = level(0);
    if (peek() === "?") {
      p++;
      const a = expr();
      if (t[p++] !== ":") throw new ArithError("arithmetic syntax error");
      const b = ternary();
      return c ? a : b;
    }
    return c;
  };
  const expr = (): number => {
    const x = t[p], y = t[p + 1];
    if (x && /^[A-Za-z_]/.test(x) && y === "=" ) {
      p += 2;
      const v = expr();
      vars.set(x, String(v));
      return v;
    }
    return ternary();
  };
  if (!t.length) return 0;
  const v = expr();
  if (p < t.length) throw new ArithError("arithmetic syntax error");
  return v;
}
