/**
 * One soak worker (spawned by scripts/soak.mjs): runs `--runs N` random sequences in chunks of fc.check
 * with seeds `--seed S`, `S+1`, …; a failing chunk is shrunk and reported, then the worker goes on.
 * Prints JSON lines: {progress}, {failure}, and a final {done}.
 */
import fc from "fast-check";
import { InvariantFailure, sequenceProperty } from "./harness/property.ts";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const runs = arg("runs", 1000);
const seed = arg("seed", 1);
const maxLength = arg("max-length", 12);
const chunk = arg("chunk", 500);
const determinismEvery = arg("determinism-every", 20);

const t0 = performance.now();
let done = 0;
let failures = 0;
for (let c = 0; done < runs; c++) {
  const n = Math.min(chunk, runs - done);
  const chunkSeed = seed + c;
  const r = fc.check(sequenceProperty({ maxLength, determinismEvery }), { numRuns: n, seed: chunkSeed, endOnFailure: false });
  // numRuns = sequences run up to (and including) the first failing one; shrinking runs are not counted
  done += r.failed ? r.numRuns : n;
  if (r.failed) {
    failures++;
    const e = r.errorInstance;
    const out = e instanceof InvariantFailure
      ? { failure: { chunkSeed, fact: e.fact, counterexamplePath: r.counterexamplePath, message: e.message } }
      : { failure: { chunkSeed, fact: "THROW", counterexamplePath: r.counterexamplePath, message: String((e as Error)?.stack ?? e) } };
    process.stdout.write(JSON.stringify(out) + "\n");
  }
  process.stdout.write(JSON.stringify({ progress: { done, failures, ms: Math.round(performance.now() - t0) } }) + "\n");
}
process.stdout.write(JSON.stringify({ done: { runs: done, failures, ms: Math.round(performance.now() - t0) } }) + "\n");
