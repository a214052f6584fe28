import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/api/types.ts";
import { createSimulation } from "../../src/simulation.ts";
import { VirtualClock } from "../../src/clock/clock.ts";
import { NAME_ALPHABET, Rng, generateName } from "../../src/clock/rng.ts";
import { humanDuration, parseGoDuration } from "../../src/util/time.ts";
import { parseSelector, matches, fromLabelSelector } from "../../src/api/labels.ts";

describe("X10 HumanDuration", () => {
  it.each([
    [0, "0s"], [119_000, "119s"], [120_000, "2m"], [125_000, "2m5s"], [15 * 60_000, "15m"],
    [(3 * 60 + 20) * 60_000, "3h20m"], [30 * 3600_000, "30h"], [(3 * 24 + 4) * 3600_000, "3d4h"], [400 * 24 * 3600_000, "400d"],
  ])("%i ms → %s", (ms, want) => expect(humanDuration(ms)).toBe(want));
});

describe("Go durations", () => {
  it.each([["500ms", 500], ["30s", 30_000], ["5m", 300_000], ["1h30m", 5_400_000], ["1.5h", 5_400_000]])("%s", (s, ms) =>
    expect(parseGoDuration(s)).toBe(ms));
  it.each([
    ["5 minutes", 'time: unknown unit " minutes" in duration "5 minutes"'],
    ["1", 'time: missing unit in duration "1"'],
    ["1x", 'time: unknown unit "x" in duration "1x"'],
    ["--cascade=foreground", 'time: invalid duration "--cascade=foreground"'],
  ])("rejects %j with Go's text", (s, msg) => expect(() => parseGoDuration(s)).toThrow(msg));
});

describe("X1 generated names", () => {
  it("uses the 27-char alphabet, 5 chars, base cut to 58", () => {
    const rng = new Rng(7);
    const n = generateName(rng, "a".repeat(70) + "-");
    expect(n).toHaveLength(63);
    for (const ch of n.slice(58)) expect(NAME_ALPHABET).toContain(ch);
  });
  it("is deterministic per seed", () => {
    expect(new Rng(3).suffix()).toBe(new Rng(3).suffix());
    expect(new Rng(3).suffix()).not.toBe(new Rng(4).suffix());
  });
});

describe("virtual clock", () => {
  it("runs timers in time order, ties in scheduling order", () => {
    const c = new VirtualClock(0);
    const seen: string[] = [];
    c.at(20, () => seen.push("b"));
    c.at(10, () => seen.push("a"));
    c.at(20, () => seen.push("c"));
    const id = c.at(15, () => seen.push("x"));
    c.cancel(id);
    while (c.runNext(100));
    expect(seen).toEqual(["a", "b", "c"]);
    expect(c.now).toBe(20);
  });
});

describe("selectors", () => {
  it.each([
    ["app=web", { app: "web" }, true],
    ["app=web,tier!=db", { app: "web", tier: "db" }, false],
    ["env in (a,b)", { env: "b" }, true],
    ["env notin (a,b)", {}, true],
    ["!canary", { canary: "x" }, false],
    ["canary", { canary: "" }, true],
  ])("%s on %j → %s", (sel, labels, want) => expect(matches(parseSelector(sel), labels)).toBe(want));
  it("nil LabelSelector selects nothing, empty selects everything", () => {
    expect(matches(fromLabelSelector(undefined), {})).toBe(false);
    expect(matches(fromLabelSelector({}), {})).toBe(true);
  });
});

describe("object store", () => {
  it("fills uid, resourceVersion, creationTimestamp, generateName; rv strictly increases", () => {
    const sim = createSimulation({ seed: 1 });
    const a = sim.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "cfg-" } as KubeObject["metadata"], data: { a: "1" } });
    expect(a.metadata.name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const b = sim.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } as KubeObject["metadata"] });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(a.metadata.creationTimestamp).toBe("2025-01-01T00:00:00Z");
    expect(() => sim.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } as KubeObject["metadata"] })).toThrow('configmaps "b" already exists');
    expect(() => sim.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "nope" } as KubeObject["metadata"] })).toThrow('namespaces "nope" not found');
  });
  it("default and kube-system namespaces exist", () => {
    const sim = createSimulation();
    expect(sim.store.list("Namespace").map((n) => n.metadata.name)).toEqual(["default", "kube-system", "kube-public", "kube-node-lease"]);
  });
});

describe("store.mutate", () => {
  it("keeps both metadata and status changes (regression: update() reset the copy's status)", () => {
    const sim = createSimulation({ seed: 1 });
    sim.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "t" } as KubeObject["metadata"], status: { phase: "Active" } });
    const out = sim.store.mutate("Namespace", undefined, "t", (o) => {
      o.metadata.labels = { a: "b" };
      o.status = { phase: "Terminating" };
    });
    expect(out.metadata.labels).toMatchObject({ a: "b" });
    expect(out.status).toEqual({ phase: "Terminating" });
    expect(sim.store.get("Namespace", undefined, "t")!.status).toEqual({ phase: "Terminating" });
  });
  it("clone drops undefined and copies deeply", () => {
    const sim = createSimulation({ seed: 1 });
    const src = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { x: "1" } } as unknown as KubeObject["metadata"], data: { k: "v" }, extra: undefined };
    const made = sim.store.create(src);
    src.metadata.labels!.x = "2";
    expect(made.metadata.labels).toEqual({ x: "1" });
    expect("extra" in made).toBe(false);
  });
});
