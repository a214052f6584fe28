import { describe, expect, it } from "vitest";
import { tabwrite, formatTable, DESCRIBE_TABWRITER } from "../../../src/kubectl/printers/tabwriter.ts";
import { podDisplayStatus } from "../../../src/kubectl/printers/podstatus.ts";
import { nodeStatusText, nodeRoles, formatEndpoints } from "../../../src/kubectl/printers/core.ts";
import type { Node, Pod } from "../../../src/api/types.ts";

const T0 = Date.UTC(2025, 0, 1);
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(".000Z", "Z");

function pod(p: { phase?: string; reason?: string; deleting?: boolean; containers?: any[]; statuses?: any[]; init?: any[]; initStatuses?: any[]; conditions?: any[] }): Pod {
  return {
    apiVersion: "v1", kind: "Pod",
    metadata: { name: "p", namespace: "default", uid: "u", resourceVersion: "1", creationTimestamp: at(0), ...(p.deleting ? { deletionTimestamp: at(100) } : {}) },
    spec: { containers: p.containers ?? [{ name: "c", image: "nginx" }], ...(p.init ? { initContainers: p.init } : {}) },
    status: { phase: p.phase ?? "Running", ...(p.reason ? { reason: p.reason } : {}), ...(p.statuses ? { containerStatuses: p.statuses } : {}),
      ...(p.initStatuses ? { initContainerStatuses: p.initStatuses } : {}), ...(p.conditions ? { conditions: p.conditions } : {}) },
  } as Pod;
}
const running = (name = "c", extra: any = {}) => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: at(1) } }, ...extra });

describe("tabwriter (kubectl get: minwidth 6, padding 3)", () => {
  it.each([
    { name: "pads to widest + 3, last column unpadded", rows: [["NAME", "READY", "AGE"], ["nginx", "1/1", "5s"]], want: "NAME    READY   AGE\nnginx   1/1     5s\n" },
    { name: "minwidth 6 for narrow columns", rows: [["A", "B"], ["x", "y"]], want: "A     B\nx     y\n" },
    { name: "empty cells still padded", rows: [["A", "B", "C"], ["", "", "z"]], want: "A     B     C\n            z\n" },
  ])("$name", ({ rows, want }) => {
    expect(formatTable(rows)).toBe(want);
  });
  it("describe writer: column blocks end at a line without tabs", () => {
    const text = "Name:\tx\nNamespace:\tdefault\nIPs:\n  IP:\t1.2.3.4\n";
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe("Name:       x\nNamespace:  default\nIPs:\n  IP:  1.2.3.4\n");
  });
});

describe("pod STATUS / READY / RESTARTS (O3, O4)", () => {
  it.each([
    { name: "O3 running", p: pod({ statuses: [running()] }), status: "Running", ready: "1/1", restarts: "0" },
    { name: "O3 pending unscheduled", p: pod({ phase: "Pending" }), status: "Pending", ready: "0/1", restarts: "0" },
    { name: "O3 waiting reason wins", p: pod({ phase: "Pending", statuses: [{ name: "c", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] }), status: "ContainerCreating", ready: "0/1", restarts: "0" },
    { name: "O3/O4 CrashLoopBackOff with restarts ago", p: pod({ statuses: [{ name: "c", ready: false, restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, finishedAt: at(45) } } }] }), status: "CrashLoopBackOff", ready: "0/1", restarts: "2 (15s ago)" },
    { name: "O3 completed", p: pod({ phase: "Succeeded", statuses: [{ name: "c", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] }), status: "Completed", ready: "0/1", restarts: "0" },
    { name: "O3 exit code without reason", p: pod({ phase: "Failed", statuses: [{ name: "c", ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] }), status: "ExitCode:3", ready: "0/1", restarts: "0" },
    { name: "O3 evicted reason", p: pod({ phase: "Failed", reason: "Evicted" }), status: "Evicted", ready: "0/1", restarts: "0" },
    { name: "O3 terminating", p: pod({ deleting: true, statuses: [running()] }), status: "Terminating", ready: "1/1", restarts: "0" },
    { name: "O3 terminal pod keeps Completed while deleting", p: pod({ phase: "Succeeded", deleting: true, statuses: [{ name: "c", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] }), status: "Completed", ready: "0/1", restarts: "0" },
    { name: "O3 init container running", p: pod({ phase: "Pending", init: [{ name: "i" }], initStatuses: [{ name: "i", ready: false, restartCount: 0, state: { running: {} } }] }), status: "Init:0/1", ready: "0/1", restarts: "0" },
    { name: "O3 init container failed", p: pod({ phase: "Pending", init: [{ name: "i" }], initStatuses: [{ name: "i", ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: "Error" } } }] }), status: "Init:Error", ready: "0/1", restarts: "0" },
    { name: "O3 completed sidecar + running → Running", p: pod({ containers: [{ name: "a" }, { name: "b" }], conditions: [{ type: "Ready", status: "True" }], statuses: [running("a"), { name: "b", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] }), status: "Running", ready: "1/2", restarts: "0" },
    { name: "O3 completed + running, pod not ready → NotReady", p: pod({ containers: [{ name: "a" }, { name: "b" }], statuses: [running("a"), { name: "b", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] }), status: "NotReady", ready: "1/2", restarts: "0" },
  ])("$name", ({ p, status, ready, restarts }) => {
    const s = podDisplayStatus(p, T0 + 60_000);
    expect([s.status, s.ready, s.restartsText]).toEqual([status, ready, restarts]);
  });
});

describe("node STATUS and ROLES (N4)", () => {
  const node = (cond: string | undefined, unsched = false, labels: Record<string, string> = {}) => ({
    apiVersion: "v1", kind: "Node", metadata: { name: "n", uid: "u", resourceVersion: "1", creationTimestamp: at(0), labels },
    spec: unsched ? { unschedulable: true } : {}, status: { conditions: cond ? [{ type: "Ready", status: cond }] : [] },
  }) as unknown as Node;
  it.each([
    { name: "N4 Ready", n: node("True"), want: "Ready" },
    { name: "N4 NotReady for False", n: node("False"), want: "NotReady" },
    { name: "N4 NotReady for Unknown", n: node("Unknown"), want: "NotReady" },
    { name: "N4 Unknown without a Ready condition", n: node(undefined), want: "Unknown" },
    { name: "N4 cordoned", n: node("True", true), want: "Ready,SchedulingDisabled" },
  ])("$name", ({ n, want }) => expect(nodeStatusText(n)).toBe(want));
  it("roles from node-role labels, sorted", () => {
    expect(nodeRoles(node("True", false, { "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "infra" }))).toEqual(["control-plane", "infra", "worker"]);
  });
  it("endpoints: first three then + N more...", () => {
    const ep: any = { subsets: [{ addresses: [1, 2, 3, 4, 5].map((i) => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }] }] };
    expect(formatEndpoints(ep)).toBe("10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...");
    expect(formatEndpoints({ subsets: [] } as any)).toBe("<none>");
  });
});
