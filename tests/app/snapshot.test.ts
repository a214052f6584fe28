/**
 * The engine side of the UI bridge: snapshots are plain data, agree with kubectl's printers (O3/O4,
 * N4), and keep object identity for unchanged pods/nodes so per-pod subscriptions stay quiet.
 */
import { describe, expect, it } from "vitest";
import { LocalEngineHost } from "../../app/engine/host.ts";

function cluster() {
  const h = new LocalEngineHost({ seed: 7 });
  h.exec("sim node add control-plane --label node-role.kubernetes.io/control-plane= --taint node-role.kubernetes.io/control-plane:NoSchedule");
  h.exec("sim node add w1");
  h.exec("sim node add w2");
  return h;
}

describe("snapshot", () => {
  it("shows nodes, pods and controllers as kubectl prints them", () => {
    const h = cluster();
    h.exec("kubectl create deployment web --image=nginx --replicas=2");
    const { snapshot: s } = h.exec("sim advance 1m");
    expect(s.nodes.map((n) => [n.name, n.status, n.roles])).toEqual([
      ["control-plane", "Ready", ["control-plane"]], ["w1", "Ready", []], ["w2", "Ready", []],
    ]);
    expect(s.nodes[0]!.taints).toEqual([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
    expect(s.controllers.map((c) => c.kind)).toEqual(["Deployment", "ReplicaSet"]);
    const pods = s.podKeys.map((k) => s.pods[k]!);
    expect(pods).toHaveLength(2);
    const out = h.query("kubectl get pods --no-headers").out;
    for (const p of pods) {
      expect(p.ownerKind).toBe("ReplicaSet");
      expect(out).toMatch(new RegExp(`^${p.name}\\s+${p.ready.replace("/", "\\/")}\\s+${p.status}\\s`, "m"));
    }
    expect(structuredClone(s)).toEqual(s); // crosses a worker boundary unchanged
  });

  it("keeps identity of unchanged pods and nodes across ticks", () => {
    const h = cluster();
    h.exec("kubectl create deployment web --image=nginx --replicas=3");
    const a = h.exec("sim advance 2m").snapshot;
    const b = h.exec("sim advance 1s").snapshot;
    expect(b.version).toBeGreaterThan(a.version);
    for (const k of a.podKeys) expect(b.pods[k]).toBe(a.pods[k]);
    b.nodes.forEach((n, i) => expect(n).toBe(a.nodes[i]));
    expect(b.controllers).toBe(a.controllers);
  });

  it("a pending pod carries the scheduler's reason (K4)", () => {
    const h = cluster();
    h.exec("kubectl apply -f - <<EOF", `apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: c
    image: nginx
    resources:
      requests:
        cpu: "100"
`);
    const s = h.exec("sim advance 1s").snapshot;
    const p = s.pods["default/huge"]!;
    expect(p.nodeName).toBe("");
    expect(p.status).toBe("Pending");
    expect(p.reason).toMatch(/^0\/3 nodes are available: .*Insufficient cpu/);
  });
});
