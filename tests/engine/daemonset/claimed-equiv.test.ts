/**
 * A DaemonSet full sync takes each node's daemon pods from its own claim instead of looking every pod up again
 * (D4 manage, D5 status, D9/D10 rolling update, D11 failed pods): each script runs with that shortcut on and
 * off, and the transcripts and every stored object must be identical.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";
import { parseScript } from "../../../src/scenario/script.ts";
import { setDaemonSetClaimedPods } from "../../../src/controllers/daemonset/controller.ts";

/** A step: a script, or a function of the session giving one (e.g. naming a pod it created). */
type Step = string | ((s: Session) => string);

function run(steps: Step[], claimed: boolean): { transcript: string; objects: string } {
  const session = new Session({});
  setDaemonSetClaimedPods(session.sim.ctx, claimed);
  let transcript = "";
  for (const step of steps) {
    for (const c of parseScript(typeof step === "string" ? step : step(session))) {
      const r = session.exec(c.line, c.stdin);
      transcript += `$ ${c.line}\n${r.out}${r.err}`;
    }
  }
  const objects: string[] = [];
  for (const kind of ["Node", "Pod", "DaemonSet", "ControllerRevision", "Event"]) {
    for (const o of session.sim.store.list(kind)) objects.push(JSON.stringify(o));
  }
  return { transcript, objects: objects.join("\n") };
}

const nodes = (n: number, from = 0, extra = "") => Array.from({ length: n }, (_, i) => `sim node add n${from + i}${extra}`).join("\n");

const DS = (extra = "", image = "fluentd:1") => `kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: kube-system
spec:
  selector:
    matchLabels: {name: agent}${extra}
  template:
    metadata:
      labels: {name: agent}
    spec:
      containers:
      - name: c
        image: ${image}
EOF`;

/** The n-th daemon pod (by name) of the current store. */
const daemonPod = (s: Session, n: number) =>
  s.sim.store.list("Pod", { namespace: "kube-system" }).map((p) => p.metadata.name).sort()[n] ?? "none";

const ORPHAN = (name: string, node: string) => `kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: kube-system
  labels: {name: agent}
spec:
  nodeName: ${node}
  containers:
  - name: c
    image: fluentd:1
EOF`;

const cases: Array<[string, Step[]]> = [
  ["D4 more nodes than one burst (250 creates per sync), then a node added and one stopped", [
    nodes(260), DS(), "sim advance 20s", "kubectl get ds -n kube-system", nodes(3, 260), "sim node stop n5", "sim advance 60s",
    "kubectl get ds -n kube-system",
  ]],
  ["D9 rolling update (maxUnavailable 3) with failed pods (D11) along the way", [
    nodes(12), DS(`
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 3}`), "sim advance 20s",
    (s) => `sim pod fail -n kube-system ${daemonPod(s, 2)}`,
    DS(`
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 3}`, "fluentd:2"),
    "sim advance 2s",
    (s) => `sim pod fail -n kube-system ${daemonPod(s, 5)}`,
    "sim advance 60s", "kubectl get ds -n kube-system", "kubectl get pods -n kube-system -o wide",
  ]],
  ["D10 surge rolling update, pods deleted by hand, node labels for a nodeSelector", [
    nodes(8), DS(`
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 2, maxUnavailable: 0}`), "sim advance 20s",
    DS(`
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 2, maxUnavailable: 0}`, "fluentd:3"),
    "sim advance 3s", (s) => `kubectl delete pod -n kube-system ${daemonPod(s, 1)} ${daemonPod(s, 4)}`, "sim advance 60s",
    "kubectl label node n3 disk=ssd", "sim advance 10s", "kubectl get ds -n kube-system",
  ]],
  ["X7 orphan daemon pods adopted by a later full sync (the claim writes)", [
    nodes(6), ORPHAN("stray-a", "n2"), ORPHAN("stray-b", "n4"), "sim advance 10s", DS(), "sim advance 30s",
    "kubectl get pods -n kube-system -o wide", DS("", "fluentd:2"), "sim advance 60s", "kubectl get ds -n kube-system",
  ]],
];

describe("DaemonSet full sync: pods from the claim = pods looked up", () => {
  it.each(cases)("%s", (_name, steps) => {
    const on = run(steps, true), off = run(steps, false);
    expect(on.transcript).toBe(off.transcript);
    expect(on.objects).toBe(off.objects);
  });
});
