/**
 * The bench scenarios still run (not how fast: figures belong in `npm run bench`). The bench reaches into
 * engine internals (the scheduler's queue for the throughput phase), so an engine refactor can break it
 * without any other test noticing — as the switch of controller queues to KeyQueues once did.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("npm run bench scenarios run to the end", () => {
  it.each([["sched5k"], ["classroom"]])("%s: exit 0, one row in the JSON", (name) => {
    const out = join(mkdtempSync(join(tmpdir(), "kp-bench-")), "bench.json");
    execFileSync(process.execPath, ["--import", "tsx", "tests/bench/run.ts", name], {
      env: { ...process.env, BENCH_OUT: out }, stdio: "pipe",
    });
    const rows = JSON.parse(readFileSync(out, "utf8")).rows as Array<{ pods: number }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.pods).toBeGreaterThan(0);
  });
});
