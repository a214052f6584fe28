/**
 * Golden transcripts: every tests/engine/golden/<name>.kp runs through runScript (seed 1 unless the
 * script says `sim seed N`) and must print exactly <name>.out. `UPDATE=1 npx vitest run tests/engine/golden.test.ts`
 * rewrites the .out files — then read every changed golden against the spec and a real cluster.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScript } from "../../src/scenario/session.ts";

const dir = join(import.meta.dirname, "golden");
const scripts = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".kp")).sort() : [];
const update = process.env.UPDATE === "1";

describe("golden transcripts", () => {
  it("has golden scripts", () => {
    expect(scripts.length).toBeGreaterThan(0);
  });
  it.each(scripts)("%s", (file) => {
    const script = readFileSync(join(dir, file), "utf8");
    const { transcript } = runScript(script);
    const outFile = join(dir, file.replace(/\.kp$/, ".out"));
    if (update || !existsSync(outFile)) {
      writeFileSync(outFile, transcript);
      if (!update) throw new Error(`${outFile} did not exist; wrote it — review it and commit`);
      return;
    }
    expect(transcript).toBe(readFileSync(outFile, "utf8"));
  });
});
