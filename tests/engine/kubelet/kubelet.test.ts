import { describe, expect, it } from "vitest";
import { createSimulation, type Simulation } from "../../../src/simulation.ts";
import { addNode, failPod, startKubelet, stopKubelet } from "../../../src/kubelet/node.ts";
import { getLogs } from "../../../src/kubelet/logs.ts";
import { podPhase, type ContainerView } from "../../../src/kubelet/status.ts";
import type { Pod } from "../../../src/api/types.ts";

function sim1(): Simulation {
  const sim = createSimulation({ seed: 1 });
  addNode(sim, { name: "w1" });
  sim.settle();
  return sim;
}
function create(sim: Simulation, name: string, spec: any) {
  sim.act(() => sim.store.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" } as never, spec }));
}
const pod = (sim: Simulation, name: string) => sim.store.get<Pod>("Pod", "default", name)!;
const cs = (sim: Simulation, name: string, i = 0) => pod(sim, name).status.containerStatuses![i]!;
const events = (sim: Simulation, reason?: string) =>
  sim.store.list("Event").filter((e: any) => !reason || e.reason === reason).map((e: any) => `${e.reason} x${e.count}: ${e.message}`);
const sec = (s: number) => s * 1000;

describe("O1 phase (kubelet getPhase)", () => {
  const c = (over: Partial<ContainerView>): ContainerView => ({ name: "c", image: "i", imageFull: "i", imageID: "", state: "running", restartCount: 0, ready: false, started: true, ...over });
  const term = (exitCode: number) => ({ exitCode, reason: exitCode ? "Error" : "Completed", startedAt: 0, finishedAt: 1, containerID: "x" });
  it.each([
    { name: "container creating → Pending", cs: [c({ state: "waiting" })], policy: "Always", want: "Pending" },
    { name: "running", cs: [c({})], policy: "Always", want: "Running" },
    { name: "CrashLoopBackOff is Running", cs: [c({ state: "waiting", waitReason: "CrashLoopBackOff", last: term(1) })], policy: "Always", want: "Running" },
    { name: "exit 0 under Always restarts → Running", cs: [c({ state: "terminated", term: term(0) })], policy: "Always", want: "Running" },
    { name: "exit 0 under OnFailure → Succeeded", cs: [c({ state: "terminated", term: term(0) })], policy: "OnFailure", want: "Succeeded" },
    { name: "exit 1 under OnFailure → Running (restarting)", cs: [c({ state: "terminated", term: term(1) })], policy: "OnFailure", want: "Running" },
    { name: "exit 1 under Never → Failed", cs: [c({ state: "terminated", term: term(1) })], policy: "Never", want: "Failed" },
    { name: "one done, one running → Running", cs: [c({ state: "terminated", term: term(0) }), c({ name: "d" })], policy: "Never", want: "Running" },
    { name: "second container not created yet → Pending", cs: [c({}), c({ name: "d", state: "waiting" })], policy: "Always", want: "Pending" },
  ])("$name", ({ cs, policy, want }) => expect(podPhase(cs, policy, true, false)).toBe(want));
  it("init not done → Pending; init failed under Never → Failed", () => {
    expect(podPhase([c({ state: "waiting" })], "Always", false, false)).toBe("Pending");
    expect(podPhase([c({ state: "waiting" })], "Never", false, true)).toBe("Failed");
  });
});

describe("pod lifecycle", () => {
  it("admission defaults (restartPolicy, grace, dnsPolicy, pull policy, N6 tolerations) and Pending/qosClass on create", () => {
    const sim = createSimulation({ seed: 1 });
    create(sim, "p", { containers: [{ name: "c", image: "busybox" }, { name: "d", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] });
    const p = pod(sim, "p");
    expect(p.spec).toMatchObject({ restartPolicy: "Always", terminationGracePeriodSeconds: 30, dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", serviceAccountName: "default", enableServiceLinks: true, priority: 0 });
    expect(p.spec.containers.map((c) => c.imagePullPolicy)).toEqual(["Always", "IfNotPresent"]);
    expect(p.spec.containers[1]!.ports![0]!.protocol).toBe("TCP");
    expect(p.spec.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
    expect(p.status).toMatchObject({ phase: "Pending", qosClass: "BestEffort" });
  });

  it.each([
    { name: "containers required", spec: { containers: [] }, err: 'Pod "bad" is invalid: spec.containers: Required value' },
    { name: "image required", spec: { containers: [{ name: "c" }] }, err: 'Pod "bad" is invalid: spec.containers[0].image: Required value' },
    { name: "restartPolicy values", spec: { restartPolicy: "Sometimes", containers: [{ name: "c", image: "x" }] }, err: 'Pod "bad" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"' },
    { name: "duplicate names", spec: { containers: [{ name: "c", image: "x" }, { name: "c", image: "y" }] }, err: 'Pod "bad" is invalid: spec.containers[1].name: Duplicate value: "c"' },
  ])("validation: $name", ({ spec, err }) => {
    const sim = createSimulation({ seed: 1 });
    expect(() => sim.store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "bad", namespace: "default" } as never, spec })).toThrow(err);
  });

  it("pod spec is immutable except images (upstream text)", () => {
    const sim = sim1();
    create(sim, "p", { containers: [{ name: "c", image: "nginx" }] });
    const p = pod(sim, "p");
    expect(() => sim.store.update({ ...p, spec: { ...p.spec, containers: [{ ...p.spec.containers[0]!, ports: [{ containerPort: 81 }] }] } }))
      .toThrow("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
    expect(() => sim.store.update({ ...pod(sim, "p"), spec: { ...p.spec, containers: [{ ...p.spec.containers[0]!, image: "nginx:1.27" }] } })).not.toThrow();
  });

  it("ContainerCreating → Running with events, podIP, hostIP, conditions; logs of an nginx server", () => {
    const sim = sim1();
    create(sim, "web", { containers: [{ name: "nginx", image: "nginx:1.27" }] });
    expect(cs(sim, "web").state).toEqual({ waiting: { reason: "ContainerCreating" } });
    expect(pod(sim, "web").status.hostIP).toBe("172.18.0.2");
    sim.advance(sec(5));
    const p = pod(sim, "web");
    expect(p.status.phase).toBe("Running");
    expect(p.status.podIP).toBe("10.244.0.2");
    expect(p.status.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(["PodReadyToStartContainers=True", "Initialized=True", "Ready=True", "ContainersReady=True", "PodScheduled=True"]);
    expect(events(sim).filter((e) => !e.includes("Node ") && !e.startsWith("Starting") && !e.startsWith("NodeAllocatable"))).toEqual([
      "Scheduled x1: Successfully assigned default/web to w1",
      "Pulling x1: Pulling image \"nginx:1.27\"",
      expect.stringMatching(/^Pulled x1: Successfully pulled image "nginx:1.27" in \d\.\d+s \(\d\.\d+s including waiting\)\. Image size: 72188133 bytes\.$/),
      "Created x1: Created container: nginx",
      "Started x1: Started container nginx",
    ]);
    expect(getLogs(sim, "default", "web")).toContain("/docker-entrypoint.sh: Configuration complete; ready for start up\n");
  });

  it("O2: a bare busybox under restartPolicy Always crash-loops with 10s, 20s, 40s … backoff", () => {
    const sim = sim1();
    create(sim, "bb", { containers: [{ name: "bb", image: "busybox" }] });
    const seen: string[] = [];
    let last = "";
    for (let t = 0; t < 700; t++) {
      sim.advance(1000);
      const s = cs(sim, "bb");
      const m = s.state?.waiting?.message?.match(/^back-off (\S+) restarting failed container=bb pod=bb_default\(/);
      if (m && m[1] !== last) { seen.push(`${m[1]}@${s.restartCount}`); last = m[1]!; }
    }
    expect(seen).toEqual(["10s@1", "20s@2", "40s@3", "1m20s@4", "2m40s@5", "5m0s@6"]);
    expect(pod(sim, "bb").status.phase).toBe("Running");
    expect(cs(sim, "bb").lastState?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(events(sim, "BackOff")[0]).toMatch(/^BackOff x\d+: Back-off restarting failed container bb in pod bb_default\(/);
  });

  it("restartPolicy Never: exit 1 → Failed; OnFailure: exit 0 → Succeeded with PodCompleted conditions", () => {
    const sim = sim1();
    create(sim, "never", { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "echo boom; exit 1"] }] });
    create(sim, "onf", { restartPolicy: "OnFailure", containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "sleep 2"] }] });
    sim.advance(sec(10));
    expect(pod(sim, "never").status.phase).toBe("Failed");
    expect(cs(sim, "never").state?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(getLogs(sim, "default", "never")).toBe("boom\n");
    expect(pod(sim, "onf").status.phase).toBe("Succeeded");
    expect(pod(sim, "onf").status.conditions!.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
  });

  it("init containers run first (Init:0/1 → PodInitializing → Running) and share an emptyDir with the app", () => {
    const sim = sim1();
    create(sim, "javaweb-2", {
      initContainers: [{ image: "sample-war:v2", name: "war", command: ["cp", "/sample.war", "/app"], volumeMounts: [{ mountPath: "/app", name: "app-volume" }] }],
      containers: [{ image: "tomcat:7.0", name: "tomcat", command: ["sh", "-c", "/root/apache-tomcat-7.0.42-v2/bin/start.sh"], volumeMounts: [{ mountPath: "/root/apache-tomcat-7.0.42-v2/webapps", name: "app-volume" }], ports: [{ containerPort: 8080, hostPort: 8001 }] }],
      volumes: [{ name: "app-volume", emptyDir: {} }],
    });
    const p0 = pod(sim, "javaweb-2");
    expect(p0.status.initContainerStatuses![0]!.state).toEqual({ waiting: { reason: "PodInitializing" } });
    expect(p0.status.conditions!.find((c) => c.type === "Initialized")).toMatchObject({ status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [war]" });
    sim.advance(sec(20));
    const p = pod(sim, "javaweb-2");
    expect(p.status.phase).toBe("Running");
    expect(p.status.initContainerStatuses![0]!.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(getLogs(sim, "default", "javaweb-2", { container: "tomcat" })).toContain("Deploying web application archive /root/apache-tomcat-7.0.42-v2/webapps/sample.war");
  });

  it("liveness exec probe: fails 3× after the file is removed, Killing, restart (the docs example)", () => {
    const sim = sim1();
    create(sim, "liveness-exec", { containers: [{
      name: "liveness", image: "registry.k8s.io/busybox", args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
      livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 5, periodSeconds: 5 },
    }] });
    sim.advance(sec(35));
    expect(cs(sim, "liveness-exec").restartCount).toBe(0);
    sim.advance(sec(20));
    expect(events(sim, "Unhealthy")).toEqual(["Unhealthy x3: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"]);
    expect(events(sim, "Killing")).toEqual(["Killing x1: Container liveness failed liveness probe, will be restarted"]);
    // sh is PID 1 and ignores SIGTERM: it is SIGKILLed (137) when the 30 s grace period ends, then restarts
    expect(cs(sim, "liveness-exec").restartCount).toBe(0);
    sim.advance(sec(35));
    expect(cs(sim, "liveness-exec").restartCount).toBe(1);
    expect(cs(sim, "liveness-exec").lastState?.terminated?.exitCode).toBe(137);
    expect(cs(sim, "liveness-exec").state?.running).toBeDefined();
  });

  it("readiness probe gates Ready", () => {
    const sim = sim1();
    create(sim, "r", { containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "sleep 10; touch /tmp/ready; sleep 3600"], readinessProbe: { exec: { command: ["test", "-f", "/tmp/ready"] }, periodSeconds: 2 } }] });
    sim.advance(sec(8));
    expect(cs(sim, "r").ready).toBe(false);
    expect(pod(sim, "r").status.conditions!.find((c) => c.type === "Ready")!.status).toBe("False");
    sim.advance(sec(10));
    expect(cs(sim, "r").ready).toBe(true);
    expect(pod(sim, "r").status.conditions!.find((c) => c.type === "Ready")!.status).toBe("True");
  });

  it("O5: a server stops on TERM at once; a PID-1 shell without a TERM trap waits out the grace period", () => {
    const sim = sim1();
    create(sim, "quick", { containers: [{ name: "c", image: "nginx" }] });
    create(sim, "stubborn", { terminationGracePeriodSeconds: 20, containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "sleep 3600"] }] });
    sim.advance(sec(5));
    sim.act(() => { sim.store.delete("Pod", "default", "quick"); sim.store.delete("Pod", "default", "stubborn"); });
    expect(sim.store.get("Pod", "default", "quick")).toBeUndefined();
    expect(events(sim, "Killing")).toEqual(["Killing x1: Stopping container c", "Killing x1: Stopping container c"]);
    sim.advance(sec(19));
    expect(pod(sim, "stubborn").metadata.deletionTimestamp).toBeDefined();
    sim.advance(sec(2));
    expect(sim.store.get("Pod", "default", "stubborn")).toBeUndefined();
  });

  it("sim pod fail: the container exits now with the code, then the restart policy applies", () => {
    const sim = sim1();
    create(sim, "p", { containers: [{ name: "c", image: "nginx" }] });
    sim.advance(sec(5));
    sim.act(() => failPod(sim, "default", "p", { exitCode: 2 }));
    sim.advance(sec(2));
    expect(cs(sim, "p").restartCount).toBe(1);
    expect(cs(sim, "p").lastState?.terminated).toMatchObject({ exitCode: 2, reason: "Error" });
  });

  it("logs: errors in the API server's words, --previous after a restart", () => {
    const sim = sim1();
    create(sim, "two", { containers: [{ name: "a", image: "busybox", command: ["sh", "-c", "echo run at $(date +%S); exit 1"] }, { name: "b", image: "nginx" }] });
    expect(() => getLogs(sim, "default", "two")).toThrow("a container name must be specified for pod two, choose one of: [a b]");
    expect(() => getLogs(sim, "default", "two", { container: "a" })).toThrow('container "a" in pod "two" is waiting to start: ContainerCreating');
    expect(() => getLogs(sim, "default", "two", { container: "zz" })).toThrow("container zz is not valid for pod two");
    expect(() => getLogs(sim, "default", "nope")).toThrow('pods "nope" not found');
    expect(() => getLogs(sim, "default", "two", { container: "a", previous: true })).toThrow('previous terminated container "a" in pod "two" not found');
    sim.advance(sec(30));
    expect(getLogs(sim, "default", "two", { container: "a", previous: true })).toMatch(/^run at \d\d\n$/);
  });

  it("env: values, $(VAR) references, downward API, configMap and secret refs", () => {
    const sim = sim1();
    sim.act(() => {
      sim.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" } as never, data: { color: "blue" } });
      sim.store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" } as never, stringData: { pass: "hunter2" } });
    });
    create(sim, "env", { containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "echo $GREETING $POD $NODE $IP $COLOR $PASS; echo $(GREETING)"], env: [
      { name: "NAME", value: "kube" }, { name: "GREETING", value: "hello-$(NAME)" },
      { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      { name: "COLOR", valueFrom: { configMapKeyRef: { name: "cfg", key: "color" } } },
      { name: "PASS", valueFrom: { secretKeyRef: { name: "s", key: "pass" } } },
    ] }], restartPolicy: "Never" });
    sim.advance(sec(10));
    expect(getLogs(sim, "default", "env")).toBe("hello-kube env w1 10.244.0.2 blue hunter2\nhello-kube\n");
  });

  it("a stopped kubelet posts nothing; on start it catches up", () => {
    const sim = sim1();
    create(sim, "j", { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "sleep 20; echo done"] }] });
    sim.advance(sec(5));
    expect(pod(sim, "j").status.phase).toBe("Running");
    sim.act(() => stopKubelet(sim, "w1"));
    sim.advance(sec(30));
    expect(pod(sim, "j").status.phase).toBe("Running");
    expect(getLogs(sim, "default", "j")).toBe("done\n"); // the program kept running
    sim.act(() => startKubelet(sim, "w1"));
    expect(pod(sim, "j").status.phase).toBe("Succeeded");
  });

  it("a shell image with an unknown binary fails to start (StartError) and backs off", () => {
    const sim = sim1();
    create(sim, "x", { containers: [{ name: "c", image: "busybox", command: ["nosuchbinary"] }] });
    sim.advance(sec(5));
    expect(cs(sim, "x").lastState?.terminated ?? cs(sim, "x").state?.terminated).toMatchObject({ exitCode: 128, reason: "StartError" });
    expect(events(sim, "Failed")[0]).toContain('exec: "nosuchbinary": executable file not found in $PATH');
  });

  it("missing ConfigMap: CreateContainerConfigError (env) and FailedMount (volume) until it exists", () => {
    const sim = sim1();
    create(sim, "env", { containers: [{ name: "c", image: "nginx:1.27", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "cfg", key: "x" } } }] }] });
    create(sim, "vol", { containers: [{ name: "c", image: "nginx:1.27", volumeMounts: [{ name: "v", mountPath: "/cfg" }] }], volumes: [{ name: "v", configMap: { name: "cfg" } }] });
    sim.advance(sec(15));
    expect(cs(sim, "env").state).toEqual({ waiting: { reason: "CreateContainerConfigError", message: 'configmap "cfg" not found' } });
    expect(cs(sim, "vol").state).toEqual({ waiting: { reason: "ContainerCreating" } });
    expect(events(sim, "FailedMount")).toEqual(['FailedMount x1: MountVolume.SetUp failed for volume "v" : configmap "cfg" not found']);
    expect(events(sim, "Failed")[0]).toMatch(/^Failed x2: Error: configmap "cfg" not found$/);
    sim.act(() => sim.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" } as never, data: { x: "1" } }));
    sim.advance(sec(40));
    expect(pod(sim, "env").status.phase).toBe("Running");
    expect(pod(sim, "vol").status.phase).toBe("Running");
  });

  it("determinism: same script and seed ⇒ identical objects", () => {
    const run = () => {
      const sim = sim1();
      create(sim, "bb", { containers: [{ name: "bb", image: "busybox" }] });
      create(sim, "web", { containers: [{ name: "nginx", image: "nginx" }] });
      sim.advance(sec(120));
      return JSON.stringify(sim.store.list("Pod")) + JSON.stringify(sim.store.list("Event"));
    };
    expect(run()).toBe(run());
  });
});
