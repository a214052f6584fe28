import { describe, expect, it } from "vitest";
import { appendEntry, transcript, type ConsoleEntry } from "../../app/store/simStore.ts";
import { addNodeLine, drainLine, failPodLine, nextNodeName, untaintLine, describeLine, deletePodLine } from "../../app/toolbar/commands.ts";

const e = (id: number, line: string, source: ConsoleEntry["source"], out = ""): ConsoleEntry => ({ id, line, out, err: "", at: 0, source });

describe("console entries", () => {
  it("merges consecutive Play advances into one line", () => {
    let list: ConsoleEntry[] = [];
    list = appendEntry(list, e(1, "sim advance 250ms", "play"));
    list = appendEntry(list, e(2, "sim advance 2.5s", "play"));
    list = appendEntry(list, e(3, "sim advance 2.5s", "play"));
    expect(list.map((x) => x.line)).toEqual(["sim advance 5.25s"]);
    list = appendEntry(list, e(4, "sim advance 10s", "button"));
    expect(list).toHaveLength(2);
  });
  it("prints like kubeplay run: `$ line` then output", () => {
    expect(transcript([e(1, "kubectl get nodes", "console", "NAME   STATUS\n")])).toBe("$ kubectl get nodes\nNAME   STATUS\n");
  });
});

describe("controls → script lines", () => {
  it.each([
    [addNodeLine({ name: "w3", cpu: "4", memory: "8Gi", pods: "110", labels: "disk=ssd, zone=a", taints: "dedicated=gpu:NoSchedule" }),
      "sim node add w3 --cpu 4 --memory 8Gi --label disk=ssd --label zone=a --taint dedicated=gpu:NoSchedule"],
    [drainLine("w1"), "kubectl drain w1 --ignore-daemonsets --force"],
    [untaintLine("w1", "k=v:NoExecute"), "kubectl taint nodes w1 k:NoExecute-"],
    [failPodLine({ kind: "Pod", name: "web-x", namespace: "default" }, 1), "sim pod fail web-x --exit-code 1"],
    [deletePodLine({ kind: "Pod", name: "fluentd-x", namespace: "kube-system" }), "kubectl delete pod fluentd-x -n kube-system"],
    [describeLine({ kind: "Node", name: "w1", namespace: "" }), "kubectl describe node w1"],
    [describeLine({ kind: "Deployment", name: "web", namespace: "default" }), "kubectl describe deployment web"],
    [nextNodeName(["control-plane", "w1", "w2"]), "w3"],
  ])("%s", (got, want) => expect(got).toBe(want));
});

import { statusClass } from "../../app/engine/podStatus.ts";
describe("statusClass (legend colour for kubectl's STATUS, O3)", () => {
  it.each([
    ["Pending", "Pending"], ["SchedulingGated", "Pending"], ["ContainerCreating", "ContainerCreating"], ["Init:0/2", "ContainerCreating"],
    ["PodInitializing", "ContainerCreating"], ["Running", "Running"], ["NotReady", "ContainerCreating"], ["Completed", "Completed"],
    ["Error", "Error"], ["OOMKilled", "Error"], ["ExitCode:3", "Error"], ["Init:Error", "Error"], ["Evicted", "Error"],
    ["CrashLoopBackOff", "CrashLoopBackOff"], ["Init:CrashLoopBackOff", "CrashLoopBackOff"], ["ImagePullBackOff", "CrashLoopBackOff"],
    ["ErrImagePull", "CrashLoopBackOff"], ["Terminating", "Terminating"], ["Unknown", "Terminating"],
  ])("%s → %s", (st, want) => expect(statusClass(st)).toBe(want));
});
