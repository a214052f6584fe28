/**
 * Fuzzing, quick budget (FUZZ_RUNS inputs per target, default 150): YAML manifests (grammar + mutations of
 * the seeds', lessons' and goldens' manifests + bombs), kubectl command lines, share links, script text.
 * Oracles (tests/fuzz/harness.ts): nothing throws, no engine-internal error, no input over the 2 s watchdog,
 * clear error texts, a failed kubectl command that printed nothing changed nothing, the session still works.
 * `npm run fuzz -- --runs N` runs long campaigns.
 */
import { describe, expect, it } from "vitest";
import { parseShareHash } from "../../src/scenario/share.ts";
import { runFuzz, TARGETS, unclear, yamlCorpus, commandCorpus, validShareLinks, type FuzzFailure } from "./harness.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20251123);

const show = (fs: FuzzFailure[]) => fs.slice(0, 3).map((f) => `[${f.target} #${f.index} seed ${f.seed}] ${f.problem}\n${f.input}${f.stdin ? `\n<<EOF\n${f.stdin}EOF` : ""}`).join("\n\n");

describe("fuzz", () => {
  it("has a corpus (seeds, lessons, goldens)", () => {
    expect(yamlCorpus().length).toBeGreaterThan(10);
    expect(commandCorpus().length).toBeGreaterThan(10);
    expect(validShareLinks().length).toBeGreaterThan(0);
    for (const l of validShareLinks()) expect(parseShareHash(l).ok).toBe(true);
  });

  it.each(TARGETS)("%s: no throw, no hang (2 s CPU watchdog), clear errors, nothing lost", (target) => {
    const st = runFuzz({ seed: SEED, runs: { [target]: RUNS }, maxFailures: 5 });
    expect(st.counts[target]).toBe(RUNS);
    expect(show(st.failures)).toBe("");
  }, 300_000);

  it.each([
    [{ code: 1, err: "" }, "failure with an empty error message"],
    [{ code: 1, err: "error: x\n    at foo (/a/b.ts:1:2)\n" }, "stderr looks like a JS stack trace"],
    [{ code: 0, out: "[object Object]\n" }, "stdout contains [object Object]"],
    [{ code: 1, err: "Error from server (NotFound): pods \"undefined\" not found\n" }, "stderr contains \"undefined\""],
    [{ code: 1, err: "error: Cannot read properties of undefined (reading 'x')\n" }, "stderr shows an internal error: Cannot read prop"],
    [{ code: 1, err: "Error from server (NotFound): pods \"web\" not found\n" }, undefined],
  ])("oracle: unclear(%j) = %s", (r, want) => {
    expect(unclear(r, "kubectl get pods")).toBe(want);
  });
});
