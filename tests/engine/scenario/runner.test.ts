import { describe, expect, it } from "vitest";
import { runScript } from "../../../src/scenario/session.ts";
import { tokenize } from "../../../src/scenario/tokenize.ts";
import { main } from "../../../src/cli.ts";

const SCRIPT = `sim node add w1
sim node add w2
kubectl create deployment web --image=nginx --replicas=3
sim advance 20s
kubectl get pods -o wide
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: echo
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "echo $HOSTNAME done"]
EOF
sim advance 10s
kubectl get pods
kubectl get events
`;

describe("kubeplay run transcript", () => {
  it("determinism: same script + seed ⇒ byte-identical transcript", () => {
    const a = runScript(SCRIPT, { seed: 7 }).transcript;
    const b = runScript(SCRIPT, { seed: 7 }).transcript;
    expect(a).toBe(b);
    expect(a).toContain("$ kubectl get pods -o wide\n");
  });
  it("a different seed gives different generated names", () => {
    expect(runScript(SCRIPT, { seed: 1 }).transcript).not.toBe(runScript(SCRIPT, { seed: 2 }).transcript);
  });
  it("a bad line prints an error and the script goes on", () => {
    const t = runScript("kubectl get nope\nfrobnicate\nkubectl get ns -o name\n").transcript;
    expect(t).toBe(
      "$ kubectl get nope\nerror: the server doesn't have a resource type \"nope\"\n" +
      "$ frobnicate\nkubeplay: frobnicate: command not found (lines start with \"kubectl\" or \"sim\")\n" +
      "$ kubectl get ns -o name\nnamespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n");
  });
  it("heredoc bodies are literal ($VAR reaches the container)", () => {
    const { session } = runScript(SCRIPT, { seed: 1 });
    const pod = session.sim.store.get("Pod", "default", "echo")!;
    expect(pod.spec.containers[0].command[2]).toBe("echo $HOSTNAME done");
  });
});

describe("tokenize", () => {
  it.each([
    { line: `kubectl get pods -o jsonpath='{.items[*].metadata.name}'`, want: ["kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}"] },
    { line: `kubectl patch deploy web -p "{\\"spec\\":{\\"replicas\\":2}}"`, want: ["kubectl", "patch", "deploy", "web", "-p", '{"spec":{"replicas":2}}'] },
    { line: `kubectl label pods a  b=c`, want: ["kubectl", "label", "pods", "a", "b=c"] },
  ])("$line", ({ line, want }) => expect(tokenize(line)).toEqual(want));
});

describe("cli main", () => {
  const io = () => {
    const o = { out: "", err: "" };
    return { o, io: { out: (s: string) => { o.out += s; }, err: (s: string) => { o.err += s; }, stdin: () => "kubectl get ns nope\n" } };
  };
  it("exit 0 even when commands fail; transcript on stdout", () => {
    const { o, io: x } = io();
    expect(main(["run", "-"], x)).toBe(0);
    expect(o.out).toBe('$ kubectl get ns nope\nError from server (NotFound): namespaces "nope" not found\n');
  });
  it("exit 1 for an unreadable script", () => {
    const { o, io: x } = io();
    expect(main(["run", "/definitely/not/here.kp"], x)).toBe(1);
    expect(o.err).toContain("cannot read");
  });
  it("exit 2 for bad usage", () => {
    const { io: x } = io();
    expect(main(["walk"], x)).toBe(2);
  });
});
