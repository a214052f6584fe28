import { describe, expect, it } from "vitest";
import { backoffDelay, firstPendingIndexes, formatIntervals, newBackoffRecord, parseIntervals, pastBackoffLimitOnFailure, podGenerateNameWithIndex, remainingBackoff, wantActive, isComplete, matchPodFailurePolicy } from "../../../src/controllers/job/plan.ts";
import type { Pod } from "../../../src/api/types.ts";

describe("J4 wantActive", () => {
  const cases = [
    { name: "J4 completions 6 parallelism 3, none done", completions: 6, parallelism: 3, active: 0, succeeded: 0, want: 3 },
    { name: "J4 completions 6 parallelism 3, 4 done → 2", completions: 6, parallelism: 3, active: 3, succeeded: 4, want: 2 },
    { name: "J4 completions reached → 0", completions: 6, parallelism: 3, active: 1, succeeded: 6, want: 0 },
    { name: "J4 floor 0 when over-succeeded", completions: 2, parallelism: 3, active: 0, succeeded: 3, want: 0 },
    { name: "J4 work queue before any success → parallelism", completions: undefined, parallelism: 4, active: 2, succeeded: 0, want: 4 },
    { name: "J4 work queue after a success → keep active", completions: undefined, parallelism: 4, active: 2, succeeded: 1, want: 2 },
    { name: "J4 parallelism 0 pauses", completions: 5, parallelism: 0, active: 0, succeeded: 0, want: 0 },
  ];
  it.each(cases)("$name", ({ completions, parallelism, active, succeeded, want }) => {
    expect(wantActive({ completions, parallelism, active, succeeded })).toBe(want);
  });
  it.each([
    { name: "J5 completions met, none active", c: 6, s: 6, a: 0, want: true },
    { name: "J5 completions met, one active", c: 6, s: 6, a: 1, want: false },
    { name: "J4 work queue: a success and nothing active", c: undefined, s: 1, a: 0, want: true },
  ])("$name", ({ c, s, a, want }) => expect(isComplete(c, s, a)).toBe(want));
});

describe("J8 pod-failure backoff", () => {
  it.each([
    { n: 0, want: 0 }, { n: 1, want: 10_000 }, { n: 2, want: 20_000 }, { n: 3, want: 40_000 }, { n: 4, want: 80_000 },
    { n: 5, want: 160_000 }, { n: 6, want: 320_000 }, { n: 7, want: 600_000 }, { n: 8, want: 600_000 }, { n: 30, want: 600_000 },
  ])("J8 $n failures → $want ms", ({ n, want }) => expect(backoffDelay(n)).toBe(want));

  it("J8 remaining time counts from the last failure", () => {
    expect(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: 1000 }, 5000)).toBe(6000);
    expect(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: 1000 }, 20_000)).toBe(0);
  });
  it.each([
    { name: "J8 two pods failing together → n=2", old: undefined, s: [], f: [100, 100], want: { failuresAfterLastSuccess: 2, lastFailureTime: 100 } },
    { name: "J8 failures add up", old: { failuresAfterLastSuccess: 2, lastFailureTime: 50 }, s: [], f: [200], want: { failuresAfterLastSuccess: 3, lastFailureTime: 200 } },
    { name: "J8 a success resets", old: { failuresAfterLastSuccess: 3, lastFailureTime: 50 }, s: [300], f: [], want: { failuresAfterLastSuccess: 0, lastFailureTime: undefined } },
    { name: "J8 only failures newer than the success count", old: undefined, s: [300], f: [200, 400, 500], want: { failuresAfterLastSuccess: 2, lastFailureTime: 500 } },
  ])("$name", ({ old, s, f, want }) => expect(newBackoffRecord(old, s, f)).toEqual(want));
});

describe("J12 completed index intervals", () => {
  it.each([
    { idx: [], want: "" }, { idx: [0], want: "0" }, { idx: [0, 1], want: "0,1" }, { idx: [0, 1, 2], want: "0-2" },
    { idx: [0, 2, 3, 4, 7], want: "0,2-4,7" }, { idx: [7, 3, 4, 2, 0, 3], want: "0,2-4,7" }, { idx: [1, 2, 4, 5, 6, 9, 10], want: "1,2,4-6,9,10" },
  ])("J12 $idx → '$want'", ({ idx, want }) => {
    expect(formatIntervals(idx)).toBe(want);
    expect([...parseIntervals(want, 100)].sort((a, b) => a - b)).toEqual([...new Set(idx)].sort((a, b) => a - b));
  });
  it("J12 lowest pending indexes first", () => {
    expect(firstPendingIndexes(new Set([0, 2]), new Set([1]), 2, 6)).toEqual([3, 4]);
  });
  it("J12 generateName is cut to 58 chars, keeping -<i>-", () => {
    expect(podGenerateNameWithIndex("job", 3)).toBe("job-3-");
    const g = podGenerateNameWithIndex("a".repeat(70), 12);
    expect(g.length).toBe(58);
    expect(g.endsWith("-12-")).toBe(true);
  });
});

const cpod = (phase: string, restarts: number, exitCode?: number) => ({
  metadata: { name: "p", namespace: "default" },
  status: { phase, containerStatuses: [{ name: "c", restartCount: restarts, ...(exitCode !== undefined ? { state: { terminated: { exitCode } } } : {}) }] },
}) as unknown as Pod;

describe("J7 backoffLimit with OnFailure (sum of restarts ≥ limit)", () => {
  it.each([
    { name: "J7 5 restarts < 6", pods: [cpod("Running", 5)], limit: 6, want: false },
    { name: "J7 6 restarts ≥ 6", pods: [cpod("Running", 6)], limit: 6, want: true },
    { name: "J7 summed over pods", pods: [cpod("Running", 3), cpod("Pending", 3)], limit: 6, want: true },
    { name: "J7 finished pods ignored", pods: [cpod("Failed", 9)], limit: 6, want: false },
    { name: "J7 limit 0: any restart", pods: [cpod("Running", 1)], limit: 0, want: true },
  ])("$name", ({ pods, limit, want }) => expect(pastBackoffLimitOnFailure("OnFailure", limit, pods)).toBe(want));
});

describe("J13 podFailurePolicy", () => {
  const policy = { rules: [{ action: "Ignore", onExitCodes: { operator: "In", values: [42] } }, { action: "FailJob", onExitCodes: { operator: "In", values: [1, 2] } }] };
  it.each([
    { name: "J13 Ignore rule: not counted", code: 42, want: { countFailed: false, action: "Ignore" } },
    { name: "J13 FailJob rule with message", code: 2, want: { countFailed: true, action: "FailJob", failJobMessage: "Container c for pod default/p failed with exit code 2 matching FailJob rule at index 1" } },
    { name: "J13 no rule matches: counted", code: 7, want: { countFailed: true } },
  ])("$name", ({ code, want }) => expect(matchPodFailurePolicy(policy, cpod("Failed", 0, code))).toEqual(want));
});
