/**
 * `kubeplay run FILE|-  [--seed N]`: run a script headless and print its transcript (`$ line` + output).
 * A failing command prints its error and the script goes on; the exit code is non-zero only when the
 * script cannot be read or parsed (e.g. an unterminated heredoc). `kubectl apply -f PATH` inside the
 * script may read real files here (the browser has none).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { runScript } from "./scenario/session.ts";
import { fileReader } from "./kubectl/verbs/apply.ts";

const USAGE = "usage: kubeplay run FILE|-  [--seed N]\n";

export function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void; stdin: () => string } = {
  out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), stdin: () => readFileSync(0, "utf8"),
}): number {
  const [cmd, file, ...rest] = argv;
  if (cmd === "--help" || cmd === "-h" || cmd === "help") { io.out(USAGE); return 0; }
  if (cmd !== "run" || !file) { io.err(USAGE); return 2; }
  let seed: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const v = a.startsWith("--seed=") ? a.slice(7) : a === "--seed" ? rest[++i] : undefined;
    if (v === undefined) { io.err(`kubeplay: unknown argument ${a}\n${USAGE}`); return 2; }
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) { io.err(`kubeplay: --seed takes a non-negative integer, got ${JSON.stringify(v)}\n`); return 2; }
    seed = n;
  }
  let text: string;
  try {
    text = file === "-" ? io.stdin() : readFileSync(file, "utf8");
  } catch (e) {
    io.err(`kubeplay: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}\n`);
    return 1;
  }
  const base = file === "-" ? process.cwd() : dirname(resolve(file));
  fileReader.read = (p) => readFileSync(resolve(base, p), "utf8");
  try {
    const { transcript } = runScript(text, seed !== undefined ? { seed } : {});
    io.out(transcript);
    return 0;
  } catch (e) {
    io.err(`kubeplay: ${(e as Error).message}\n`);
    return 1;
  } finally {
    delete fileReader.read;
  }
}

const isEntry = (() => {
  const a = process.argv[1] ?? "";
  return /(?:^|[\\/])(cli\.ts|kubeplay(\.mjs)?)$/.test(a);
})();
if (isEntry) process.exitCode = main(process.argv.slice(2));
