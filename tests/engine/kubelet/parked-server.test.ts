import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import { addNode, failPod } from "../../../src/kubelet/node.ts";
import type { KubeObject, Pod } from "../../../src/api/types.ts";

// A running server whose program is parked for good shares one PARKED_SERVER (src/kubelet/process.ts) instead of its
// own Process; the kubelet acts for it on a signal or stop. It must still end as a server does: `sim pod fail` with the
// given code, then a restart with back-off bookkeeping (O2); SIGTERM on deletion exits 0 (O5).
function pod(name: string): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" } as KubeObject["metadata"], spec: { containers: [{ name: "web", image: "nginx:1.27" }] } };
}

function started() {
  const sim = createSimulation({ seed: 3 });
  addNode(sim, { name: "n1", cpu: "8", memory: "32Gi", pods: 110 });
  sim.settle();
  sim.store.create(pod("a"));
  sim.store.create(pod("b"));
  sim.advance(10_000);
  return sim;
}

const status = (sim: ReturnType<typeof started>, name: string) => sim.store.get<Pod>("Pod", "default", name)!.status as any;

describe("parked servers (O1, O2, O5)", () => {
  it.each([[3, "Error"], [0, "Completed"]])("O2 sim pod fail --exit-code %i ends the server, which restarts (lastState %s)", (code, reason) => {
    const sim = started();
    expect(status(sim, "a").containerStatuses[0].state.running).toBeDefined();
    failPod(sim, "default", "a", { exitCode: code });
    sim.advance(1_000);
    const cs = status(sim, "a").containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ exitCode: code, reason });
    expect(cs.restartCount).toBe(1);
    expect(cs.state.running).toBeDefined();
    expect(status(sim, "b").containerStatuses[0].restartCount).toBe(0);
  });

  it("O5 deleting a running server pod stops it at once (SIGTERM exits 0) and removes the pod", () => {
    const sim = started();
    sim.store.delete("Pod", "default", "a");
    sim.advance(1_000);
    expect(sim.store.get("Pod", "default", "a")).toBeUndefined();
    expect(status(sim, "b").phase).toBe("Running");
  });

  it("O1 pods whose conditions changed in the same seconds share one frozen conditions list", () => {
    const sim = started();
    const a = status(sim, "a").conditions, b = status(sim, "b").conditions;
    expect(Object.isFrozen(a)).toBe(true);
    expect(a.map((c: any) => c.type)).toEqual(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(b).toBe(a);
  });
});
