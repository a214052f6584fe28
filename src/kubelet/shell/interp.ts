/**
 * The container mini-shell: a busybox-`sh`-like interpreter on virtual time. Programs are generators that
 * yield `{sleep: ms}` (the process driver arms a clock timer) or `{forever: true}` (block until killed);
 * they return the exit status. Output goes to the container log through `io`. No wall clock, no randomness.
 */
import { parse, ShellSyntaxError, type Node, type Redir, type Word } from "./parse.ts";
import { evalArith, ArithError } from "./arith.ts";
import { normalize, type FileSystem, type FsError } from "./fs.ts";

export type Yield = { sleep: number } | { forever: true };
export type Prog = Generator<Yield, number, void>;

export interface IO {
  stdin: string;
  out(s: string): void;
  err(s: string): void;
}

export interface ShellHost {
  now(): number;
  fs: FileSystem;
  hostname: string;
  /** `hostname -f` */
  fqdn: string;
  podIP: string;
  /** Image executables that are not shell builtins (servers like nginx): a program, or undefined if unknown. */
  exec?(argv: string[], io: IO, sh: Shell): Prog | undefined;
}

export class ExitSignal { constructor(readonly code: number) {} }
class BreakSignal { constructor(readonly n: number) {} }
class ContinueSignal { constructor(readonly n: number) {} }
class ReturnSignal { constructor(readonly code: number) {} }

/** Enough commands without a sleep count as one second of busy CPU (keeps `while true; do …; done` finite). */
const BUSY_STEPS = 10_000;

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** busybox `date` (UTC): `Wed Jan  1 00:00:00 UTC 2025`, or a `+FORMAT`. */
export function formatDate(ms: number, fmt?: string): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const Y = d.getUTCFullYear(), M = d.getUTCMonth(), D = d.getUTCDate(), h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds();
  if (fmt === undefined) return `${DAYS[d.getUTCDay()]} ${MONTHS[M]} ${String(D).padStart(2, " ")} ${p2(h)}:${p2(m)}:${p2(s)} UTC ${Y}`;
  return fmt.replace(/%([a-zA-Z%])/g, (_, c: string) => {
    switch (c) {
      case "Y": return String(Y);
      case "y": return p2(Y % 100);
      case "m": return p2(M + 1);
      case "d": return p2(D);
      case "e": return String(D).padStart(2, " ");
      case "H": return p2(h);
      case "M": return p2(m);
      case "S": return p2(s);
      case "s": return String(Math.floor(ms / 1000));
      case "N": return String((ms % 1000) * 1_000_000).padStart(9, "0");
      case "T": return `${p2(h)}:${p2(m)}:${p2(s)}`;
      case "F": return `${Y}-${p2(M + 1)}-${p2(D)}`;
      case "D": return `${p2(M + 1)}/${p2(D)}/${p2(Y % 100)}`;
      case "R": return `${p2(h)}:${p2(m)}`;
      case "a": return DAYS[d.getUTCDay()]!;
      case "A": return ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getUTCDay()]!;
      case "b": case "h": return MONTHS[M]!;
      case "B": return ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][M]!;
      case "Z": return "UTC";
      case "z": return "+0000";
      case "j": return String(Math.floor((Date.UTC(Y, M, D) - Date.UTC(Y, 0, 1)) / 86_400_000) + 1).padStart(3, "0");
      case "u": return String(d.getUTCDay() || 7);
      case "w": return String(d.getUTCDay());
      case "%": return "%";
      case "n": return "\n";
      case "t": return "\t";
      default: return `%${c}`;
    }
  });
}

function fsMsg(e: FsError): string {
  switch (e) {
    case "ENOENT": return "No such file or directory";
    case "EISDIR": return "Is a directory";
    case "ENOTDIR": return "Not a directory";
    case "EROFS": return "Read-only file system";
    case "EEXIST": return "File exists";
    case "ENOTEMPTY": return "Directory not empty";
  }
}

/** echo -e / printf escapes. */
function escapes(s: string): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) { out += c; continue; }
    const n = s[++i]!;
    switch (n) {
      case "n": out += "\n"; break;
      case "t": out += "\t"; break;
      case "r": out += "\r"; break;
      case "\\": out += "\\"; break;
      case "a": out += "\x07"; break;
      case "b": out += "\b"; break;
      case "e": out += "\x1b"; break;
      case "c": return { text: out, stop: true };
      case "0": {
        let j = i + 1, oct = "";
        while (j < s.length && oct.length < 3 && /[0-7]/.test(s[j]!)) oct += s[j++];
        out += String.fromCharCode(parseInt(oct || "0", 8));
        i = j - 1;
        break;
      }
      default: out += "\\" + n;
    }
  }
  return { text: out, stop: false };
}

function goPrintf(fmt: string, args: string[]): string {
  let out = "";
  let ai = 0;
  const take = () => (ai < args.length ? args[ai++]! : undefined);
  do {
    const start = ai;
    out += fmt.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifxXoceEgGbu%])|\\(?:[0-7]{1,3}|.)/g, (m, flags: string, width: string, prec: string, conv: string) => {
      if (m.startsWith("\\")) return escapes(m).text;
      if (conv === "%") return "%";
      const a = take();
      let v: string;
      switch (conv) {
        case "s": v = a ?? ""; if (prec !== undefined) v = v.slice(0, Number(prec)); break;
        case "b": v = escapes(a ?? "").text; break;
        case "c": v = (a ?? "").slice(0, 1); break;
        case "d": case "i": case "u": v = String(Math.trunc(Number(a ?? 0) || 0)); break;
        case "x": v = (Math.trunc(Number(a ?? 0)) >>> 0).toString(16); break;
        case "X": v = (Math.trunc(Number(a ?? 0)) >>> 0).toString(16).toUpperCase(); break;
        case "o": v = (Math.trunc(Number(a ?? 0)) >>> 0).toString(8); break;
        case "f": case "e": case "E": case "g": case "G": {
          const n = Number(a ?? 0) || 0;
          const pr = prec !== undefined ? Number(prec) : 6;
          v = conv === "f" ? n.toFixed(pr) : conv.toLowerCase() === "e" ? n.toExponential(pr).replace(/e([+-])(\d)$/, "e$10$2") : String(Number(n.toPrecision(pr || 1)));
          if (conv === "E" || conv === "G") v = v.toUpperCase();
          break;
        }
        default: v = a ?? "";
      }
      if (flags.includes("+") && /[dif]/.test(conv) && !v.startsWith("-")) v = "+" + v;
      if (width !== undefined && v.length < Number(width)) {
        const w = Number(width);
        if (flags.includes("-")) v = v.padEnd(w, " ");
        else if (flags.includes("0") && /[difxXo]/.test(conv)) v = v.startsWith("-") ? "-" + v.slice(1).padStart(w - 1, "0") : v.padStart(w, "0");
        else v = v.padStart(w, " ");
      }
      return v;
    });
    if (ai === start) break;
  } while (ai < args.length);
  return out;
}

type Builtin = (sh: Shell, args: string[], io: IO) => Prog | number;

function* once(n: number): Prog {
  return n;
}

/** Parse a busybox sleep argument: `1`, `0.5`, `2m`, `1h`, `1d`, `infinity`. */
export function sleepMs(arg: string): number | "forever" | undefined {
  if (arg === "infinity" || arg === "inf") return "forever";
  const m = arg.match(/^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/);
  if (!m) return undefined;
  const mult = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return Math.round(parseFloat(m[1]!) * mult);
}

function readInputs(sh: Shell, cmd: string, files: string[], io: IO): { text: string; ok: boolean } {
  if (!files.length || (files.length === 1 && files[0] === "-")) return { text: io.stdin, ok: true };
  let text = "", ok = true;
  for (const f of files) {
    if (f === "-") { text += io.stdin; continue; }
    const c = sh.host.fs.read(sh.path(f));
    if (c === "EISDIR") { io.err(`${cmd}: read error: Is a directory\n`); ok = false; continue; }
    if (typeof c !== "string" || c === "ENOENT") { io.err(`${cmd}: can't open '${f}': No such file or directory\n`); ok = false; continue; }
    text += c;
  }
  return { text, ok };
}

function lines(text: string): string[] {
  if (!text) return [];
  const l = text.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l;
}

export const BUILTINS: Record<string, Builtin> = {
  ":": () => 0,
  true: () => 0,
  false: () => 1,
  echo(_sh, args, io) {
    let nl = true, esc = false, i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (!/^-[neE]+$/.test(a)) break;
      if (a.includes("n")) nl = false;
      if (a.includes("e")) esc = true;
      if (a.includes("E")) esc = false;
    }
    let s = args.slice(i).join(" ");
    if (esc) {
      const r = escapes(s);
      s = r.text;
      if (r.stop) nl = false;
    }
    io.out(s + (nl ? "\n" : ""));
    return 0;
  },
  printf(_sh, args, io) {
    if (!args.length) { io.err("printf: usage: printf FORMAT [ARGUMENT...]\n"); return 1; }
    io.out(goPrintf(args[0]!, args.slice(1)));
    return 0;
  },
  sleep(_sh, args, io) {
    if (!args.length) { io.err("sleep: missing operand\n"); return 1; }
    let total = 0;
    for (const a of args) {
      const ms = sleepMs(a);
      if (ms === undefined) { io.err(`sleep: invalid number '${a}'\n`); return 1; }
      if (ms === "forever") return (function* (): Prog { yield { forever: true }; return 0; })();
      total += ms;
    }
    return (function* (): Prog { if (total > 0) yield { sleep: total }; return 0; })();
  },
  exit(sh, args) {
    const n = args.length ? Number.parseInt(args[0]!, 10) : sh.status;
    throw new ExitSignal(Number.isNaN(n) ? 2 : ((n % 256) + 256) % 256);
  },
  date(sh, args, io) {
    const fmt = args.find((a) => a.startsWith("+"));
    io.out(formatDate(sh.host.now(), fmt?.slice(1)) + "\n");
    return 0;
  },
  hostname(sh, args, io) {
    if (args.includes("-f") || args.includes("--fqdn")) io.out(sh.host.fqdn + "\n");
    else if (args.includes("-i")) io.out(sh.host.podIP + "\n");
    else if (args.includes("-s")) io.out(sh.host.hostname.split(".")[0] + "\n");
    else io.out(sh.host.hostname + "\n");
    return 0;
  },
  env(sh, args, io) {
    if (args.length && !args[0]!.startsWith("-")) {
      // env VAR=x cmd …
      const extra: Record<string, string> = {};
      let i = 0;
      for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]!); i++) {
        const eq = args[i]!.indexOf("=");
        extra[args[i]!.slice(0, eq)] = args[i]!.slice(eq + 1);
      }
      if (i < args.length) {
        const saved = new Map(sh.vars);
        const savedExp = new Set(sh.exported);
        for (const [k, v] of Object.entries(extra)) { sh.vars.set(k, v); sh.exported.add(k); }
        const argv = args.slice(i);
        return (function* (): Prog {
          try { return yield* sh.runArgv(argv, io); } finally { sh.vars = saved; sh.exported = savedExp; }
        })();
      }
      for (const [k, v] of sh.environ()) io.out(`${k}=${v}\n`);
      for (const [k, v] of Object.entries(extra)) io.out(`${k}=${v}\n`);
      return 0;
    }
    for (const [k, v] of sh.environ()) io.out(`${k}=${v}\n`);
    return 0;
  },
  printenv(sh, args, io) {
    if (!args.length) { for (const [k, v] of sh.environ()) io.out(`${k}=${v}\n`); return 0; }
    let st = 0;
    const env = new Map(sh.environ());
    for (const a of args) {
      const v = env.get(a);
      if (v === undefined) st = 1;
      else io.out(v + "\n");
    }
    return st;
  },
  export(sh, args) {
    for (const a of args) {
      if (a === "-p") continue;
      const eq = a.indexOf("=");
      if (eq > 0) { sh.vars.set(a.slice(0, eq), a.slice(eq + 1)); sh.exported.add(a.slice(0, eq)); }
      else sh.exported.add(a);
    }
    return 0;
  },
  unset(sh, args) {
    for (const a of args) { if (a === "-v" || a === "-f") continue; sh.vars.delete(a); sh.exported.delete(a); sh.funcs.delete(a); }
    return 0;
  },
  set(sh, args) {
    for (const a of args) {
      if (a === "-e") sh.errexit = true;
      else if (a === "+e") sh.errexit = false;
      else if (a === "--") { sh.positional = args.slice(args.indexOf("--") + 1); break; }
    }
    return 0;
  },
  shift(sh, args) {
    const n = args.length ? Number(args[0]) : 1;
    sh.positional = sh.positional.slice(n);
    return 0;
  },
  cd(sh, args, io) {
    const target = sh.path(args[0] ?? sh.vars.get("HOME") ?? "/");
    if (!sh.host.fs.isDir(target)) { io.err(`sh: cd: can't cd to ${args[0]}: No such file or directory\n`); return 2; }
    sh.cwd = target;
    return 0;
  },
  pwd(sh, _a, io) { io.out(sh.cwd + "\n"); return 0; },
  wait: () => 0,
  read(sh, args, io) {
    const names = args.filter((a) => !a.startsWith("-"));
    if (!io.stdin) return 1;
    const nl = io.stdin.indexOf("\n");
    const line = nl < 0 ? io.stdin : io.stdin.slice(0, nl);
    io.stdin = nl < 0 ? "" : io.stdin.slice(nl + 1);
    const fields = line.trim().split(/[ \t]+/);
    names.forEach((n, i) => sh.vars.set(n, i === names.length - 1 ? fields.slice(i).join(" ") : fields[i] ?? ""));
    if (!names.length) sh.vars.set("REPLY", line);
    return 0;
  },
  trap(sh, args) {
    if (args.length < 2) return 0;
    const [action, ...sigs] = args;
    for (const s of sigs) {
      const sig = s.replace(/^SIG/, "").toUpperCase();
      const name = sig === "15" ? "TERM" : sig === "2" ? "INT" : sig === "0" ? "EXIT" : sig;
      if (action === "-") sh.traps.delete(name);
      else sh.traps.set(name, action!);
    }
    return 0;
  },
  kill(sh, args, io) {
    let sig = "TERM";
    const pids: string[] = [];
    for (const a of args) {
      if (a === "-l") { io.out("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n"); return 0; }
      if (a.startsWith("-")) { const s = a.slice(1).replace(/^SIG/, "").replace(/^s\s*/, ""); sig = s === "9" ? "KILL" : s === "15" ? "TERM" : s.toUpperCase(); }
      else pids.push(a);
    }
    for (const p of pids) {
      if (p === "1" || p === String(sh.pid) || p === "0" || p === "-1") {
        const r = sh.deliver(sig);
        if (r !== undefined) throw new ExitSignal(r);
      } else {
        io.err(`sh: can't kill pid ${p}: No such process\n`);
        return 1;
      }
    }
    return 0;
  },
  touch(sh, args, io) {
    let st = 0;
    for (const a of args.filter((x) => !x.startsWith("-"))) {
      const p = sh.path(a);
      if (sh.host.fs.exists(p)) continue;
      const e = sh.host.fs.write(p, "");
      if (e) { io.err(`touch: ${a}: ${fsMsg(e)}\n`); st = 1; }
    }
    return st;
  },
  rm(sh, args, io) {
    const force = args.some((a) => /^-[a-zA-Z]*f/.test(a));
    const rec = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a));
    let st = 0;
    for (const a of args.filter((x) => !x.startsWith("-"))) {
      const e = sh.host.fs.remove(sh.path(a), rec);
      if (e === "ENOENT" && force) continue;
      if (e) { io.err(`rm: can't remove '${a}': ${e === "EISDIR" ? "Is a directory" : fsMsg(e)}\n`); st = 1; }
    }
    return st;
  },
  mkdir(sh, args, io) {
    const parents = args.some((a) => /^-[a-zA-Z]*p/.test(a));
    let st = 0;
    for (const a of args.filter((x) => !x.startsWith("-"))) {
      const e = sh.host.fs.mkdir(sh.path(a), parents);
      if (e) { io.err(`mkdir: can't create directory '${a}': ${fsMsg(e)}\n`); st = 1; }
    }
    return st;
  },
  cat(sh, args, io) {
    const r = readInputs(sh, "cat", args.filter((a) => a === "-" || !a.startsWith("-")), io);
    io.out(r.text);
    return r.ok ? 0 : 1;
  },
  cp(sh, args, io) { return copyMove(sh, args, io, false); },
  mv(sh, args, io) { return copyMove(sh, args, io, true); },
  ls(sh, args, io) {
    const long = args.some((a) => /^-[a-zA-Z]*l/.test(a));
    const all = args.some((a) => /^-[a-zA-Z]*a/.test(a));
    const paths = args.filter((a) => !a.startsWith("-"));
    if (!paths.length) paths.push(".");
    let st = 0;
    const multi = paths.length > 1;
    paths.forEach((a, idx) => {
      const p = sh.path(a);
      const fs = sh.host.fs;
      if (fs.isFile(p)) { io.out((long ? lsLong(a, fs.read(p) as string, false) : a) + "\n"); return; }
      const l = fs.list(p);
      if (typeof l === "string") { io.err(`ls: ${a}: ${fsMsg(l)}\n`); st = 1; return; }
      if (multi) io.out(`${idx ? "\n" : ""}${a}:\n`);
      const names = all ? [".", "..", ...l] : l.filter((n) => !n.startsWith("."));
      if (long) io.out(`total ${names.length}\n`);
      for (const n of names) {
        const full = normalize(n, p);
        io.out((long ? lsLong(n, fs.isFile(full) ? (fs.read(full) as string) : "", fs.isDir(full)) : n) + "\n");
      }
    });
    return st;
  },
  test(sh, args, io) { return testCmd(sh, args, io); },
  "[": (sh, args, io) => {
    if (args[args.length - 1] !== "]") { io.err("sh: missing ]\n"); return 2; }
    return testCmd(sh, args.slice(0, -1), io);
  },
  wc(sh, args, io) {
    const flags = args.filter((a) => a.startsWith("-") && a !== "-").join("");
    const files = args.filter((a) => a === "-" || !a.startsWith("-"));
    const r = readInputs(sh, "wc", files, io);
    const l = (r.text.match(/\n/g) ?? []).length, w = r.text.split(/\s+/).filter(Boolean).length, c = new TextEncoder().encode(r.text).length;
    const cols: number[] = [];
    if (!flags) cols.push(l, w, c);
    else { if (flags.includes("l")) cols.push(l); if (flags.includes("w")) cols.push(w); if (flags.includes("c") || flags.includes("m")) cols.push(c); }
    const body = cols.length === 1 ? String(cols[0]) : cols.map((n) => String(n).padStart(7, " ")).join(" ");
    io.out(body + (files.length === 1 && files[0] !== "-" ? ` ${files[0]}` : "") + "\n");
    return r.ok ? 0 : 1;
  },
  grep(sh, args, io) {
    let invert = false, quiet = false, icase = false, count = false, num = false, fixed = false;
    const rest: string[] = [];
    for (const a of args) {
      if (/^-[a-zA-Z]+$/.test(a)) {
        for (const f of a.slice(1)) {
          if (f === "v") invert = true; else if (f === "q") quiet = true; else if (f === "i") icase = true;
          else if (f === "c") count = true; else if (f === "n") num = true; else if (f === "F") fixed = true;
        }
      } else rest.push(a);
    }
    const pat = rest.shift();
    if (pat === undefined) { io.err("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n"); return 2; }
    let re: RegExp;
    try {
      const src = fixed ? pat.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : pat.replace(/\\([(){}|+?])/g, "$1");
      re = new RegExp(src, icase ? "i" : "");
    } catch { io.err(`grep: bad regex '${pat}'\n`); return 2; }
    const r = readInputs(sh, "grep", rest, io);
    let n = 0;
    lines(r.text).forEach((line, i) => {
      if (re.test(line) !== invert) {
        n++;
        if (!quiet && !count) io.out((num ? `${i + 1}:` : "") + line + "\n");
      }
    });
    if (count && !quiet) io.out(`${n}\n`);
    if (!r.ok) return 2;
    return n > 0 ? 0 : 1;
  },
  seq(_sh, args, io) {
    const nums = args.map(Number);
    if (!nums.length || nums.some(Number.isNaN)) { io.err(`seq: invalid number '${args.find((a) => Number.isNaN(Number(a))) ?? ""}'\n`); return 1; }
    const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0]!] : nums.length === 2 ? [nums[0]!, 1, nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
    let out = "";
    if (inc === 0) return 1;
    for (let x = first, k = 0; inc > 0 ? x <= last : x >= last; x += inc, k++) {
      out += x + "\n";
      if (k > 100_000) break;
    }
    io.out(out);
    return 0;
  },
  head(sh, args, io) { return headTail(sh, args, io, true); },
  tail(sh, args, io) {
    if (args.includes("-f") || args.includes("-F")) {
      const files = args.filter((a) => !a.startsWith("-"));
      if (files.some((f) => f !== "/dev/null")) headTail(sh, args.filter((a) => a !== "-f" && a !== "-F"), io, false);
      return (function* (): Prog { yield { forever: true }; return 0; })();
    }
    return headTail(sh, args, io, false);
  },
  tee(sh, args, io) {
    const append = args.includes("-a");
    for (const f of args.filter((a) => !a.startsWith("-"))) {
      if (f === "/dev/null") continue;
      const e = sh.host.fs.write(sh.path(f), io.stdin, append);
      if (e) io.err(`tee: ${f}: ${fsMsg(e)}\n`);
    }
    io.out(io.stdin);
    return 0;
  },
  basename(_sh, args, io) {
    const [p = "", suf] = args;
    let b = p.replace(/\/+$/, "").split("/").pop() ?? "";
    if (suf && b.endsWith(suf) && b !== suf) b = b.slice(0, -suf.length);
    io.out(b + "\n");
    return 0;
  },
  dirname(_sh, args, io) {
    const p = (args[0] ?? "").replace(/\/+$/, "");
    const i = p.lastIndexOf("/");
    io.out((i < 0 ? "." : i === 0 ? "/" : p.slice(0, i)) + "\n");
    return 0;
  },
  uname(sh, args, io) {
    if (args.includes("-a")) io.out(`Linux ${sh.host.hostname} 6.8.0-1021-gcp #23-Ubuntu SMP x86_64 GNU/Linux\n`);
    else if (args.includes("-r")) io.out("6.8.0-1021-gcp\n");
    else if (args.includes("-m")) io.out("x86_64\n");
    else io.out("Linux\n");
    return 0;
  },
  whoami(_sh, _a, io) { io.out("root\n"); return 0; },
  id(_sh, _a, io) { io.out("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"); return 0; },
  expr(_sh, args, io) {
    if (args.length === 3 && /^-?\d+$/.test(args[0]!) && /^-?\d+$/.test(args[2]!)) {
      const a = Number(args[0]), b = Number(args[2]);
      const ops: Record<string, number> = { "+": a + b, "-": a - b, "*": a * b, "/": Math.trunc(a / b), "%": a % b, "<": +(a < b), ">": +(a > b), "=": +(a === b), "!=": +(a !== b), "<=": +(a <= b), ">=": +(a >= b) };
      const v = ops[args[1]!];
      if (v !== undefined) { io.out(v + "\n"); return v === 0 ? 1 : 0; }
    }
    if (args.length === 3 && args[1] === "=") { const v = +(args[0] === args[2]); io.out(v + "\n"); return v ? 0 : 1; }
    if (args.length === 1) { io.out(args[0] + "\n"); return args[0] === "" || args[0] === "0" ? 1 : 0; }
    io.err("expr: syntax error\n");
    return 2;
  },
  tr(_sh, args, io) {
    const del = args[0] === "-d";
    const a = del ? args[1] ?? "" : args[0] ?? "", b = del ? "" : args[1] ?? "";
    const expand = (s: string) => s.replace(/\[:upper:\]/g, "A-Z").replace(/\[:lower:\]/g, "a-z").replace(/(.)-(.)/g, (_m, x: string, y: string) => {
      let o = ""; for (let c = x.charCodeAt(0); c <= y.charCodeAt(0); c++) o += String.fromCharCode(c); return o;
    });
    const A = expand(a), B = expand(b);
    let out = "";
    for (const ch of io.stdin) {
      const i = A.indexOf(ch);
      if (i < 0) out += ch;
      else if (!del) out += B[Math.min(i, B.length - 1)] ?? "";
    }
    io.out(out);
    return 0;
  },
  sort(sh, args, io) {
    const r = readInputs(sh, "sort", args.filter((a) => !a.startsWith("-")), io);
    let l = lines(r.text);
    if (args.includes("-n")) l.sort((x, y) => parseFloat(x) - parseFloat(y)); else l.sort();
    if (args.includes("-r")) l = l.reverse();
    if (args.includes("-u")) l = [...new Set(l)];
    io.out(l.map((x) => x + "\n").join(""));
    return 0;
  },
  uniq(sh, args, io) {
    const r = readInputs(sh, "uniq", args.filter((a) => !a.startsWith("-")), io);
    const out: string[] = [];
    for (const l of lines(r.text)) if (out[out.length - 1] !== l) out.push(l);
    io.out(out.map((x) => x + "\n").join(""));
    return 0;
  },
  nproc(_sh, _a, io) { io.out("2\n"); return 0; },
  sync: () => 0,
  eval(sh, args, io) {
    return sh.runSource(args.join(" "), io);
  },
  exec(sh, args, io) {
    if (!args.length) return 0;
    return (function* (): Prog {
      const code = yield* sh.runArgv(args, io);
      throw new ExitSignal(code);
    })();
  },
  ".": (sh, args, io) => sourceFile(sh, args, io),
  source: (sh, args, io) => sourceFile(sh, args, io),
  break(_sh, args) { throw new BreakSignal(args.length ? Number(args[0]) : 1); },
  continue(_sh, args) { throw new ContinueSignal(args.length ? Number(args[0]) : 1); },
  return(sh, args) { throw new ReturnSignal(args.length ? Number(args[0]) : sh.status); },
  bc(_sh, _a, io) {
    io.out(bc(io.stdin));
    return 0;
  },
};

function sourceFile(sh: Shell, args: string[], io: IO): Prog | number {
  const c = sh.host.fs.read(sh.path(args[0] ?? ""));
  if (typeof c !== "string" || c === "ENOENT" || c === "EISDIR") { io.err(`sh: .: line 1: can't open '${args[0]}': No such file or directory\n`); return 2; }
  return sh.runSource(c, io);
}

function lsLong(name: string, content: string, dir: boolean): string {
  return `${dir ? "drwxr-xr-x    2" : "-rw-r--r--    1"} root     root     ${String(dir ? 4096 : content.length).padStart(9, " ")} Jan  1 00:00 ${name}`;
}

function headTail(sh: Shell, args: string[], io: IO, head: boolean): number {
  let n = 10;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-n") { n = Number(args[++i]); continue; }
    if (/^-n?\d+$/.test(a)) { n = Number(a.replace(/^-n?/, "")); continue; }
    if (a.startsWith("-") && a !== "-") continue;
    files.push(a);
  }
  const r = readInputs(sh, head ? "head" : "tail", files, io);
  const l = lines(r.text);
  const sel = head ? l.slice(0, n) : l.slice(Math.max(0, l.length - n));
  io.out(sel.map((x) => x + "\n").join(""));
  return r.ok ? 0 : 1;
}

function copyMove(sh: Shell, args: string[], io: IO, move: boolean): number {
  const cmd = move ? "mv" : "cp";
  const rec = args.some((a) => /^-[a-zA-Z]*[rRa]/.test(a));
  const paths = args.filter((a) => !a.startsWith("-"));
  if (paths.length < 2) { io.err(`${cmd}: missing file operand\n`); return 1; }
  const dst = paths.pop()!;
  const fs = sh.host.fs;
  const dstP = sh.path(dst);
  const dstIsDir = fs.isDir(dstP);
  if (paths.length > 1 && !dstIsDir) { io.err(`${cmd}: '${dst}' is not a directory\n`); return 1; }
  let st = 0;
  for (const src of paths) {
    const srcP = sh.path(src);
    const base = srcP.split("/").pop()!;
    const target = dstIsDir ? normalize(base, dstP) : dstP;
    if (fs.isDir(srcP)) {
      if (!rec && !move) { io.err(`cp: omitting directory '${src}'\n`); st = 1; continue; }
      copyTree(fs, srcP, target);
      if (move) fs.remove(srcP, true);
      continue;
    }
    const c = fs.read(srcP);
    if (typeof c !== "string" || c === "ENOENT") { io.err(`${cmd}: can't stat '${src}': No such file or directory\n`); st = 1; continue; }
    const e = fs.write(target, c);
    if (e) { io.err(`${cmd}: can't create '${dst}': ${fsMsg(e)}\n`); st = 1; continue; }
    if (move) fs.remove(srcP);
  }
  return st;
}

function copyTree(fs: FileSystem, src: string, dst: string) {
  fs.mkdir(dst, true);
  const l = fs.list(src);
  if (typeof l === "string") return;
  for (const n of l) {
    const s = normalize(n, src), d = normalize(n, dst);
    if (fs.isDir(s)) copyTree(fs, s, d);
    else fs.write(d, fs.read(s) as string);
  }
}

function testCmd(sh: Shell, args: string[], io: IO): number {
  const fs = sh.host.fs;
  const isInt = (s: string) => /^\s*-?\d+\s*$/.test(s);
  const evalExpr = (a: string[]): boolean => {
    const oi = a.indexOf("-o");
    if (oi > 0) return evalExpr(a.slice(0, oi)) || evalExpr(a.slice(oi + 1));
    const ai = a.indexOf("-a");
    if (ai > 0) return evalExpr(a.slice(0, ai)) && evalExpr(a.slice(ai + 1));
    if (a[0] === "!") return !evalExpr(a.slice(1));
    if (a[0] === "(" && a[a.length - 1] === ")") return evalExpr(a.slice(1, -1));
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== "";
    if (a.length === 2) {
      const [op, x] = a as [string, string];
      const p = sh.path(x);
      switch (op) {
        case "-z": return x === "";
        case "-n": return x !== "";
        case "-e": case "-r": case "-w": return fs.exists(p);
        case "-f": return fs.isFile(p);
        case "-d": return fs.isDir(p);
        case "-s": return fs.isFile(p) && (fs.read(p) as string).length > 0;
        case "-x": return fs.isDir(p) || (fs.isFile(p) && (fs.read(p) as string).startsWith("#!"));
        case "-L": case "-h": return false;
      }
      throw new Error(`${op}: unknown operand`);
    }
    const [x, op, y] = a as [string, string, string];
    switch (op) {
      case "=": case "==": return x === y;
      case "!=": return x !== y;
      case "<": return x < y;
      case ">": return x > y;
      case "-eq": case "-ne": case "-lt": case "-le": case "-gt": case "-ge": {
        if (!isInt(x)) throw new Error(`${x}: bad number`);
        if (!isInt(y)) throw new Error(`${y}: bad number`);
        const m = Number(x), n = Number(y);
        return op === "-eq" ? m === n : op === "-ne" ? m !== n : op === "-lt" ? m < n : op === "-le" ? m <= n : op === "-gt" ? m > n : m >= n;
      }
    }
    throw new Error(`${op}: unknown operand`);
  };
  try {
    return evalExpr(args) ? 0 : 1;
  } catch (e) {
    io.err(`sh: ${(e as Error).message}\n`);
    return 2;
  }
}

/** `bc` for the classic `echo 'scale=N; 4*a(1)' | bc -l` (π) and plain integer arithmetic. */
function bc(input: string): string {
  const src = input.trim();
  const pi = src.match(/scale\s*=\s*(\d+)\s*;\s*4\s*\*\s*a\s*\(\s*1\s*\)/);
  if (pi) {
    const digits = Math.min(Number(pi[1]), 20000);
    return wrapBc(piString(digits));
  }
  const out: string[] = [];
  for (const stmt of src.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
    if (/^scale\s*=/.test(stmt)) continue;
    try { out.push(String(evalArith(stmt, { get: () => undefined, set: () => undefined }))); } catch { out.push("(standard_in) 1: syntax error"); }
  }
  return out.map((l) => l + "\n").join("");
}

function wrapBc(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i += 69) {
    const chunk = s.slice(i, i + 69);
    out += chunk + (i + 69 < s.length ? "\\\n" : "\n");
  }
  return out;
}

/** π to `digits` decimals (Machin), truncated like bc. */
function piString(digits: number): string {
  const guard = 10n;
  const scale = 10n ** (BigInt(digits) + guard);
  const arctanInv = (x: bigint): bigint => {
    let sum = 0n, term = scale / x, n = 1n, sign = 1n;
    const x2 = x * x;
    while (term !== 0n) {
      sum += sign * (term / n);
      term /= x2;
      n += 2n;
      sign = -sign;
    }
    return sum;
  };
  const pi = 4n * (4n * arctanInv(5n) - arctanInv(239n));
  const s = (pi / 10n ** guard).toString();
  // bc's last digits can differ by rounding of a(1); we print the true truncation.
  return digits === 0 ? s : `${s.slice(0, 1)}.${s.slice(1)}`;
}

export interface ShellOptions {
  env: Array<[string, string]>;
  positional?: string[];
  argv0?: string;
  pid?: number;
}

/** Parsed scripts by source text (parse is pure; trees are read-only). */
const PARSED = new Map<string, Node>();

export class Shell {
  vars = new Map<string, string>();
  exported = new Set<string>();
  funcs = new Map<string, Node>();
  traps = new Map<string, string>();
  positional: string[] = [];
  status = 0;
  cwd = "/";
  errexit = false;
  argv0: string;
  readonly pid: number;
  private steps = 0;
  private envOrder: string[] = [];

  constructor(readonly host: ShellHost, opts: ShellOptions) {
    for (const [k, v] of opts.env) {
      if (!this.vars.has(k)) this.envOrder.push(k);
      this.vars.set(k, v);
      this.exported.add(k);
    }
    this.positional = opts.positional ?? [];
    this.argv0 = opts.argv0 ?? "sh";
    this.pid = opts.pid ?? 1;
    const wd = this.vars.get("PWD");
    if (wd && host.fs.isDir(wd)) this.cwd = wd;
  }

  path(p: string): string {
    return normalize(p, this.cwd);
  }

  /** Exported variables, in environment order (initial env first, then later exports). */
  environ(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const k of [...this.envOrder, ...this.exported]) {
      if (seen.has(k) || !this.exported.has(k)) continue;
      seen.add(k);
      const v = this.vars.get(k);
      if (v !== undefined) out.push([k, v]);
    }
    return out;
  }

  /**
   * A signal arrives. Returns the exit status when it terminates the shell, or undefined when ignored/handled.
   * `trap '' TERM` ignores; `trap 'cmd' TERM` runs cmd (and exits if cmd exits); KILL always terminates.
   * As a container's PID 1 the shell has no default action for signals it does not trap (the kernel
   * drops them for a namespace's init), so a plain `sh -c '…'` container ignores SIGTERM and is
   * SIGKILLed (137) when the grace period ends — the familiar 30 s busybox shutdown.
   */
  deliver(sig: string): number | undefined {
    const code = sig === "KILL" ? 137 : sig === "INT" ? 130 : sig === "HUP" ? 129 : sig === "QUIT" ? 131 : 143;
    if (sig === "KILL") return code;
    const t = this.traps.get(sig);
    if (t === undefined) return this.pid === 1 ? undefined : code;
    if (t === "") return undefined;
    const gen = this.runSource(t, { stdin: "", out: (s) => this.trapOut?.(s), err: (s) => this.trapErr?.(s) });
    try {
      if (typeof gen === "number") return undefined;
      for (let r = gen.next(); !r.done; r = gen.next()) { /* sleeps inside a trap handler do not wait */ }
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
    return undefined;
  }
  /** Where trap handler output goes (set by the process driver). */
  trapOut?: (s: string) => void;
  trapErr?: (s: string) => void;

  /** Parse and run source text (sh -c, eval, probe commands). */
  runSource(src: string, io: IO): Prog | number {
    let ast: Node | undefined = PARSED.get(src);
    if (!ast) try {
      ast = parse(src);
      // The interpreter never changes a tree, so every container running the same script shares one.
      if (PARSED.size >= 500) PARSED.clear();
      PARSED.set(src, ast);
    } catch (e) {
      if (e instanceof ShellSyntaxError) { io.err(`${this.argv0}: ${e.message}\n`); return 2; }
      throw e;
    }
    return this.exec(ast, io);
  }

  /** Run the top level: returns the exit status, handling `exit` and the EXIT trap. */
  *main(src: string, io: IO): Prog {
    let code: number;
    try {
      const r = this.runSource(src, io);
      code = typeof r === "number" ? r : yield* r;
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof ReturnSignal) code = e.code;
      else if (e instanceof BreakSignal || e instanceof ContinueSignal) code = this.status;
      else throw e;
    }
    return code;
  }

  /**
   * Run a program that may wait; the busy-CPU count restarts only when it really waited (virtual time
   * passed): `while true; do sleep 0; done` still burns a second of CPU per BUSY_STEPS commands.
   */
  private *waits(p: Prog): Prog {
    for (let r = p.next(); ; r = p.next()) {
      if (r.done) return r.value;
      if (!("sleep" in r.value) || r.value.sleep > 0) this.steps = 0;
      yield r.value;
    }
  }

  /** Run argv directly (no shell parsing): builtins, functions, image executables, or `not found`. */
  *runArgv(argv: string[], io: IO): Prog {
    const name = argv[0]!;
    const args = argv.slice(1);
    if (++this.steps >= BUSY_STEPS) {
      this.steps = 0;
      yield { sleep: 1000 };
    }
    const fn = this.funcs.get(name);
    if (fn) {
      const saved = this.positional;
      this.positional = args;
      try {
        return yield* this.exec(fn, io);
      } catch (e) {
        if (e instanceof ReturnSignal) return e.code;
        throw e;
      } finally {
        this.positional = saved;
      }
    }
    const base = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
    const isBinPath = /^\/(usr\/)?(local\/)?s?bin\//.test(name);
    const b = BUILTINS[name] ?? (isBinPath ? BUILTINS[base] : undefined);
    if (b) {
      const r = b(this, args, io);
      if (typeof r === "number") return r;
      return yield* this.waits(r);
    }
    if (base === "sh" || base === "bash" || base === "ash" || base === "dash") {
      const ci = args.indexOf("-c");
      if (ci >= 0) {
        const sub = new Shell(this.host, { env: this.environ(), positional: args.slice(ci + 2), argv0: args[ci + 1] ?? base, pid: this.pid + 1 });
        return yield* sub.main(args[ci + 1] ?? "", io);
      }
      if (args[0]) return yield* this.runScriptFile(args[0], args.slice(1), io);
      return 0;
    }
    const ext = this.host.exec?.(argv, io, this);
    if (ext) return yield* this.waits(ext);
    if (name.includes("/")) {
      const p = this.path(name);
      const fs = this.host.fs;
      if (fs.isFile(p)) {
        const c = fs.read(p) as string;
        if (c.startsWith("#!")) return yield* this.runScriptFile(name, args, io);
        io.err(`${this.argv0}: ${name}: Permission denied\n`);
        return 126;
      }
      if (fs.isDir(p)) { io.err(`${this.argv0}: ${name}: Permission denied\n`); return 126; }
    }
    io.err(`${this.argv0}: ${name}: not found\n`);
    return 127;
  }

  private *runScriptFile(file: string, args: string[], io: IO): Prog {
    const c = this.host.fs.read(this.path(file));
    if (typeof c !== "string" || c === "ENOENT" || c === "EISDIR") {
      io.err(`${this.argv0}: can't open '${file}': No such file or directory\n`);
      return 2;
    }
    const sub = new Shell(this.host, { env: this.environ(), positional: args, argv0: file, pid: this.pid + 1 });
    return yield* sub.main(c.replace(/^#![^\n]*\n?/, ""), io);
  }

  // ---------------------------------------------------------------- execution

  *exec(n: Node, io: IO): Prog {
    switch (n.t) {
      case "list": {
        let st = 0;
        for (const item of n.items) {
          st = yield* this.exec(item, io);
          this.status = st;
          if (this.errexit && st !== 0 && item.t !== "andor" && item.t !== "if" && item.t !== "while") throw new ExitSignal(st);
        }
        return st;
      }
      case "andor": {
        let st = yield* this.exec(n.first, io);
        this.status = st;
        for (const r of n.rest) {
          if ((r.op === "&&" && st === 0) || (r.op === "||" && st !== 0)) {
            st = yield* this.exec(r.node, io);
            this.status = st;
          }
        }
        return st;
      }
      case "pipeline": {
        let input = io.stdin;
        let st = 0;
        for (let i = 0; i < n.cmds.length; i++) {
          const last = i === n.cmds.length - 1;
          let buf = "";
          const sub: IO = { stdin: input, out: last ? io.out : (s) => { buf += s; }, err: io.err };
          st = yield* this.exec(n.cmds[i]!, sub);
          input = buf;
        }
        if (n.neg) st = st === 0 ? 1 : 0;
        this.status = st;
        return st;
      }
      case "if": {
        for (const c of n.clauses) {
          const cs = yield* this.exec(c.cond, io);
          if (cs === 0) return yield* this.exec(c.body, io);
        }
        if (n.else) return yield* this.exec(n.else, io);
        return 0;
      }
      case "while": {
        let st = 0;
        for (;;) {
          const cs = yield* this.exec(n.cond, io);
          if ((cs === 0) === n.until) break;
          try {
            st = yield* this.exec(n.body, io);
          } catch (e) {
            if (e instanceof BreakSignal) { if (e.n > 1) throw new BreakSignal(e.n - 1); break; }
            if (e instanceof ContinueSignal) { if (e.n > 1) throw new ContinueSignal(e.n - 1); continue; }
            throw e;
          }
        }
        return st;
      }
      case "for": {
        let items: string[];
        if (n.items === null) items = [...this.positional];
        else {
          items = [];
          for (const w of n.items) items.push(...(yield* this.expand(w, io)));
        }
        let st = 0;
        for (const it of items) {
          this.vars.set(n.name, it);
          try {
            st = yield* this.exec(n.body, io);
          } catch (e) {
            if (e instanceof BreakSignal) { if (e.n > 1) throw new BreakSignal(e.n - 1); break; }
            if (e instanceof ContinueSignal) { if (e.n > 1) throw new ContinueSignal(e.n - 1); continue; }
            throw e;
          }
        }
        return st;
      }
      case "group": {
        const rio = yield* this.redirect(n.redirs, io);
        if (typeof rio === "number") return rio;
        try {
          if (!n.subshell) return yield* this.exec(n.body, rio.io);
          const sub = new Shell(this.host, { env: this.environ(), positional: this.positional, argv0: this.argv0, pid: this.pid });
          for (const [k, v] of this.vars) sub.vars.set(k, v);
          for (const [k, f] of this.funcs) sub.funcs.set(k, f);
          sub.cwd = this.cwd;
          return yield* sub.execCatching(n.body, rio.io);
        } finally {
          rio.done();
        }
      }
      case "func":
        this.funcs.set(n.name, n.body);
        return 0;
      case "simple":
        return yield* this.simple(n, io);
    }
  }

  /** Run a subshell body, turning `exit` into a status. */
  *execCatching(body: Node, io: IO): Prog {
    try {
      return yield* this.exec(body, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  private *simple(n: Extract<Node, { t: "simple" }>, io: IO): Prog {
    const argv: string[] = [];
    for (const w of n.words) {
      // A word of literal parts only (`date`, `"a b"`) expands to itself without a generator.
      const lit = literalWord(w);
      if (lit === undefined) argv.push(...(yield* this.expand(w, io)));
      else if (lit !== null) argv.push(lit);
    }
    const assigned: Array<[string, string]> = [];
    for (const a of n.assigns) assigned.push([a.name, yield* this.expandNoSplit(a.value, io)]);
    if (!argv.length) {
      for (const [k, v] of assigned) this.vars.set(k, v);
      const rio = yield* this.redirect(n.redirs, io);
      if (typeof rio === "number") return rio;
      rio.done();
      return this.lastSubstStatus ?? 0;
    }
    const rio = n.redirs.length ? yield* this.redirect(n.redirs, io) : { io, done: noop };
    if (typeof rio === "number") return rio;
    // prefix assignments apply to this command only
    const saved: Array<[string, string | undefined, boolean]> = assigned.map(([k]) => [k, this.vars.get(k), this.exported.has(k)]);
    for (const [k, v] of assigned) { this.vars.set(k, v); this.exported.add(k); }
    try {
      return yield* this.runArgv(argv, rio.io);
    } finally {
      rio.done();
      for (const [k, v, ex] of saved) {
        if (v === undefined) this.vars.delete(k); else this.vars.set(k, v);
        if (!ex) this.exported.delete(k);
      }
    }
  }

  private lastSubstStatus: number | undefined;

  /** Apply redirections: returns a new IO and a `done` that flushes file writes. */
  private *redirect(redirs: Redir[], io: IO): Generator<Yield, { io: IO; done: () => void } | number, void> {
    if (!redirs.length) return { io, done: () => undefined };
    let out = io.out, err = io.err, stdin = io.stdin;
    const files: Array<{ path: string; buf: string[]; append: boolean; shown: string }> = [];
    for (const r of redirs) {
      const target = yield* this.expandNoSplit(r.target, io);
      if (r.op === ">&") {
        if (target === "1") { if (r.fd === 2) err = out; }
        else if (target === "2") { if (r.fd === 1) out = err; }
        continue;
      }
      if (r.op === "<") {
        const c = this.host.fs.read(this.path(target));
        if (typeof c !== "string" || c === "ENOENT" || c === "EISDIR") { io.err(`${this.argv0}: can't open '${target}': No such file or directory\n`); return 1; }
        stdin = c;
        continue;
      }
      if (target === "/dev/null") { if (r.fd === 1) out = () => undefined; else if (r.fd === 2) err = () => undefined; continue; }
      if (target === "/dev/stdout" || target === "/proc/1/fd/1") { if (r.fd === 2) err = io.out; continue; }
      if (target === "/dev/stderr" || target === "/proc/1/fd/2") { if (r.fd === 1) out = io.err; continue; }
      const path = this.path(target);
      const f = { path, buf: [] as string[], append: r.op === ">>", shown: target };
      // create/truncate now, as the shell does
      const e = this.host.fs.write(path, "", f.append);
      if (e) { io.err(`${this.argv0}: can't create ${target}: ${fsMsg(e)}\n`); return 1; }
      files.push(f);
      const w = (s: string) => { this.host.fs.write(path, s, true); };
      if (r.fd === 1) out = w; else if (r.fd === 2) err = w;
    }
    return { io: { stdin, out, err }, done: () => undefined };
  }

  // ---------------------------------------------------------------- expansion

  private *partValue(p: Word[number], io: IO): Generator<Yield, string, void> {
    switch (p.t) {
      case "lit": return p.v;
      case "var": return yield* this.varValue(p, io);
      case "cmd": {
        let buf = "";
        const sub: IO = { stdin: "", out: (s) => { buf += s; }, err: io.err };
        const sh = new Shell(this.host, { env: this.environ(), positional: this.positional, argv0: this.argv0, pid: this.pid });
        for (const [k, v] of this.vars) sh.vars.set(k, v);
        for (const [k, f] of this.funcs) sh.funcs.set(k, f);
        sh.cwd = this.cwd;
        const st = yield* sh.main(p.src, sub);
        this.lastSubstStatus = st;
        this.status = st;
        return buf.replace(/\n+$/, "");
      }
      case "arith": {
        const expr = yield* this.expandNoSplit(parseArithWord(p.expr), io);
        try {
          return String(evalArith(expr, { get: (k) => this.vars.get(k), set: (k, v) => { this.vars.set(k, v); } }));
        } catch (e) {
          if (e instanceof ArithError) { io.err(`${this.argv0}: arithmetic syntax error\n`); throw new ExitSignal(2); }
          throw e;
        }
      }
    }
  }

  private *varValue(p: Extract<Word[number], { t: "var" }>, io: IO): Generator<Yield, string, void> {
    const raw = this.special(p.name);
    if (p.op === "#len") return String((raw ?? "").length);
    if (!p.op) return raw ?? "";
    const arg = () => this.expandNoSplit(p.arg ?? [], io);
    const unsetOrEmpty = p.op.startsWith(":") ? !raw : raw === undefined;
    switch (p.op.replace(":", "")) {
      case "-": return unsetOrEmpty ? yield* arg() : raw!;
      case "=": if (unsetOrEmpty) { const v = yield* arg(); this.vars.set(p.name, v); return v; } return raw!;
      case "+": return unsetOrEmpty ? "" : yield* arg();
      case "?": if (unsetOrEmpty) { const m = yield* arg(); io.err(`${this.argv0}: ${p.name}: ${m || "parameter not set"}\n`); throw new ExitSignal(2); } return raw!;
      case "#": case "##": case "%": case "%%": {
        const pat = yield* arg();
        const v = raw ?? "";
        const re = globToRe(pat);
        const greedy = p.op.length === 2;
        if (p.op.startsWith("#")) {
          for (let i = greedy ? v.length : 0; greedy ? i >= 0 : i <= v.length; i += greedy ? -1 : 1) if (re.test(v.slice(0, i))) return v.slice(i);
        } else {
          for (let i = greedy ? 0 : v.length; greedy ? i <= v.length : i >= 0; i += greedy ? 1 : -1) if (re.test(v.slice(i))) return v.slice(0, i);
        }
        return v;
      }
    }
    return raw ?? "";
  }

  private special(name: string): string | undefined {
    switch (name) {
      case "?": return String(this.status);
      case "$": return String(this.pid);
      case "#": return String(this.positional.length);
      case "@": case "*": return this.positional.join(" ");
      case "0": return this.argv0;
      case "!": return "";
    }
    if (/^[1-9][0-9]*$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  *expandNoSplit(w: Word, io: IO): Generator<Yield, string, void> {
    let s = "";
    for (const p of w) s += yield* this.partValue(p, io);
    return s;
  }

  /** Word expansion with field splitting of unquoted expansions (no globbing). */
  *expand(w: Word, io: IO): Generator<Yield, string[], void> {
    const out: string[] = [];
    let cur = "", has = false;
    for (const p of w) {
      const v = yield* this.partValue(p, io);
      if (p.t === "lit" || p.q) {
        cur += v;
        if (p.q || v) has = true;
        continue;
      }
      if (p.t === "var" && p.name === "@" && p.q) { cur += v; has = true; continue; }
      const pieces = v.split(/[ \t\n]+/);
      for (let i = 0; i < pieces.length; i++) {
        if (i > 0) {
          if (has || cur) out.push(cur);
          cur = ""; has = false;
        }
        cur += pieces[i]!;
        if (pieces[i]) has = true;
      }
    }
    if (has || cur) out.push(cur);
    return out;
  }
}

function noop(): void {}

/**
 * What `expand` gives for a word made only of literal parts, without running it: the text (one field), null
 * for no field (only unquoted empty literals), or undefined when the word has an expansion.
 */
function literalWord(w: Word): string | null | undefined {
  let cur = "", has = false;
  for (let i = 0; i < w.length; i++) {
    const p = w[i]!;
    if (p.t !== "lit") return undefined;
    cur += p.v;
    if (p.q || p.v) has = true;
  }
  return has || cur ? cur : null;
}

function parseArithWord(expr: string): Word {
  // $x / ${x} / $(cmd) inside $(( )) are expanded first; bare names are read by the evaluator.
  const out: Word = [];
  let i = 0, lit = "";
  while (i < expr.length) {
    if (expr[i] === "$") {
      if (lit) { out.push({ t: "lit", v: lit, q: true }); lit = ""; }
      const m = expr.slice(i).match(/^\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9#?])\}?/);
      if (m) { out.push({ t: "var", name: m[1]!, q: true }); i += m[0].length; continue; }
    }
    lit += expr[i++];
  }
  if (lit) out.push({ t: "lit", v: lit, q: true });
  return out;
}

function globToRe(pat: string): RegExp {
  return new RegExp("^" + pat.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
}
