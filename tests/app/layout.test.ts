import { describe, expect, it } from "vitest";
import { assignSlots, emptyLayoutState, layoutGraph, nodeRows, podId, nodeId } from "../../app/graph/layout.ts";
import type { Snapshot, PodView, NodeView } from "../../app/engine/snapshot.ts";
import { virtualSpan } from "../../app/scenario/ScenarioUi.tsx";

describe("assignSlots (stable layout)", () => {
  it.each([
    { name: "fresh keys fill from 0", prev: [], keys: ["a", "b", "c"], want: { a: 0, b: 1, c: 2 } },
    { name: "survivors keep their slot when an earlier one leaves", prev: [["a", 0], ["b", 1], ["c", 2]], keys: ["b", "c"], want: { b: 1, c: 2 } },
    { name: "newcomers take the lowest hole", prev: [["b", 1], ["c", 2]], keys: ["b", "c", "d", "e"], want: { b: 1, c: 2, d: 0, e: 3 } },
  ] as const)("$name", ({ prev, keys, want }) => {
    const got = assignSlots(new Map(prev as unknown as Array<[string, number]>), [...keys]);
    expect(Object.fromEntries(got)).toEqual(want);
  });
  it.each([[-1, 2], [0, 2], [3, 2], [4, 4], [7, 4], [8, 6]])("nodeRows(%i) = %i (grows in steps of two rows)", (max, rows) => {
    expect(nodeRows(max)).toBe(rows);
  });
});

const node = (name: string): NodeView => ({
  name, uid: name, status: "Ready", ready: true, cordoned: false, kubeletRunning: true, roles: [], taints: [],
  cpuCapacity: 2000, memCapacity: 1, podCapacity: 110, cpuRequested: 0, memRequested: 0, podCount: 0,
});
const pod = (name: string, nodeName: string, ownerUid = ""): PodView => ({
  key: `default/${name}`, uid: name, name, namespace: "default", nodeName, status: "Running", statusClass: "Running",
  ready: "1/1", restarts: 0, ownerUid, ownerKind: "", reason: "",
});
function snap(nodes: string[], pods: PodView[]): Snapshot {
  return {
    now: 0, start: 0, version: 1, nodes: nodes.map(node), pods: Object.fromEntries(pods.map((p) => [p.key, p])),
    podKeys: pods.map((p) => p.key), events: [],
    controllers: [{ uid: "rs1", kind: "ReplicaSet", name: "web-1", namespace: "default", ownerUid: "", summary: "", resource: "replicaset" }],
  };
}

describe("layoutGraph", () => {
  it("places pods inside their node, pending ones in the lane, and keeps positions when others leave", () => {
    const s1 = snap(["w1", "w2"], [pod("a", "w1", "rs1"), pod("b", "w1", "rs1"), pod("c", ""), pod("d", "w2")]);
    const r1 = layoutGraph(s1, emptyLayoutState());
    const at = (r: typeof r1, id: string) => r.nodes.find((n) => n.id === id);
    expect(at(r1, podId("default/a"))!.parentId).toBe(nodeId("w1"));
    expect(at(r1, podId("default/c"))!.parentId).toBe("lane");
    expect(r1.edges.filter((e) => e.kind === "owns-pod").map((e) => e.target)).toEqual([podId("default/a"), podId("default/b")]);
    // a goes away: b must not move; w2 must not move.
    const s2 = snap(["w1", "w2"], [pod("b", "w1"), pod("c", ""), pod("d", "w2")]);
    const r2 = layoutGraph(s2, r1.state);
    expect(at(r2, podId("default/b"))!.position).toEqual(at(r1, podId("default/b"))!.position);
    expect(at(r2, nodeId("w2"))!.position).toEqual(at(r1, nodeId("w2"))!.position);
    // a node added later does not move existing nodes.
    const r3 = layoutGraph(snap(["w1", "w2", "w3"], [pod("b", "w1")]), r2.state);
    expect(at(r3, nodeId("w1"))!.position).toEqual(at(r1, nodeId("w1"))!.position);
    expect(at(r3, nodeId("w2"))!.position).toEqual(at(r1, nodeId("w2"))!.position);
  });
});

describe("progress bar: virtual time spans", () => {
  it.each([[0, "0s"], [2500, "2s"], [90_500, "1m30s"], [3_600_000, "1h"], [9_000_000, "2h30m"], [604_800_000, "7d"], [612_000_000, "7d2h"]])("%i ms → %s", (ms, want) => {
    expect(virtualSpan(ms)).toBe(want);
  });
});
