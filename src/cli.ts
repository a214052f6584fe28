/** `kubeplay run FILE|-`: run a script headless and print its transcript. */
import { readFileSync } from "node:fs";
import { runScript } from "./scenario/session.ts";

function usage(): never {
  process.stderr.write("usage: kubeplay run FILE|-  [--seed N]\n");
  process.exit(2);
}

export function main(argv: string[]): number {
  const [cmd, file, ...rest] = argv;
  if (cmd !== "run" || !file) usage();
  let seed: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--seed") seed = Number(rest[++i]);
    else usage();
  }
  let text: string;
  try {
    text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  } catch (e) {
    process.stderr.write(`kubeplay: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const { transcript } = runScript(text, seed !== undefined ? { seed } : {});
    process.stdout.write(transcript);
    return 0;
  } catch (e) {
    process.stderr.write(`kubeplay: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
