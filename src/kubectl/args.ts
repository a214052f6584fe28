/**
 * kubectl-style flag parsing (spf13/pflag): `--flag=value`, `--flag value`, `-n ns`, `-nns`,
 * boolean flags, `--` end of flags. Unknown flags give kubectl's errors.
 */
export interface FlagSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** "bool" flags take no value (but accept --x=true/false). */
  type: "bool" | "string" | "int" | "stringArray";
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
  has(name: string): boolean;
  /** Last value given for a flag. */
  get(name: string): string | undefined;
  all(name: string): string[];
  bool(name: string): boolean;
}

export class FlagError extends Error {}

/** Flags every kubectl command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "namespace", short: "n", type: "string" },
  { name: "context", type: "string" },
  { name: "kubeconfig", type: "string" },
  { name: "request-timeout", type: "string" },
  { name: "v", short: "v", type: "string" },
];

export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const all = [...GLOBAL_FLAGS, ...specs];
  const byLong = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const put = (s: FlagSpec, v: string) => {
    if (s.type === "int" && !/^-?\d+$/.test(v)) throw new FlagError(`invalid argument "${v}" for "${s.short ? `-${s.short}, ` : ""}--${s.name}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
    if (s.type === "bool" && !["true", "false", "1", "0", "t", "f", "True", "False", "TRUE", "FALSE"].includes(v)) throw new FlagError(`invalid argument "${v}" for "${s.short ? `-${s.short}, ` : ""}--${s.name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
    const l = flags.get(s.name) ?? [];
    l.push(v);
    flags.set(s.name, l);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") { positional.push(...argv.slice(i + 1)); break; }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const s = byLong.get(name);
      if (!s) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) put(s, a.slice(eq + 1));
      else if (s.type === "bool") put(s, "true");
      else {
        if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
        put(s, argv[++i]!);
      }
    } else if (a.startsWith("-") && a.length > 1 && !/^-\d/.test(a)) {
      // shorthand cluster: -it, -nfoo, -n foo, -o=yaml
      let j = 1;
      while (j < a.length) {
        const c = a[j]!;
        const s = byShort.get(c);
        if (!s) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (s.type === "bool") { put(s, "true"); j++; continue; }
        let rest = a.slice(j + 1);
        if (rest.startsWith("=")) rest = rest.slice(1);
        if (rest) put(s, rest);
        else {
          if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
          put(s, argv[++i]!);
        }
        break;
      }
    } else positional.push(a);
  }
  return {
    positional,
    flags,
    has: (n) => flags.has(n),
    get: (n) => flags.get(n)?.at(-1),
    all: (n) => flags.get(n) ?? [],
    bool: (n) => {
      const v = flags.get(n)?.at(-1);
      return v !== undefined && ["true", "1", "t", "True", "TRUE"].includes(v);
    },
  };
}
