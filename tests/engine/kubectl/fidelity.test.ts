/**
 * Fidelity fixes found by review (h12): each case cites the upstream source it follows.
 */
import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import { runKubectl } from "../../../src/kubectl/index.ts";
import { tokenize } from "../../../src/scenario/tokenize.ts";
import { podRequests } from "../../../src/scheduler/resources.ts";

type Sim = ReturnType<typeof createSimulation>;
const k = (sim: Sim, line: string, stdin?: string) => runKubectl(sim, tokenize(line), stdin);
const deploy = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
`;

describe("--record (kubectl RecordFlags: ChangeCauseRecorder, parseCommandArguments)", () => {
  it.each([
    { verb: "apply", line: "apply -f - --record", cause: "kubectl apply --filename=- --record=true", inLastApplied: true },
    { verb: "create", line: "create --record -f -", cause: "kubectl create --record=true --filename=-", inLastApplied: false },
    { verb: "apply -n", line: "apply -n default -f - --record", cause: "kubectl apply --namespace=default --filename=- --record=true", inLastApplied: true },
  ])("$verb: change-cause is the command line, deprecation warning on stderr", ({ line, cause, inLastApplied }) => {
    const sim = createSimulation();
    const r = k(sim, line, deploy("nginx:1.25"));
    expect(r.err).toBe("Flag --record has been deprecated, --record will be removed in the future\n");
    expect(r.out).toBe("deployment.apps/web created\n");
    const d = sim.store.get("Deployment", "default", "web")!;
    expect(d.metadata.annotations?.["kubernetes.io/change-cause"]).toBe(cause);
    const last = d.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
    if (inLastApplied) expect(last).toContain(`"kubernetes.io/change-cause":"${cause}"`);
    sim.settle();
    expect(k(sim, "rollout history deployment/web").out).toBe(`deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         ${cause}\n\n`);
  });
  it("--record=false records nothing but still warns (pflag prints the notice whenever the flag is set)", () => {
    const sim = createSimulation();
    const r = k(sim, "apply -f - --record=false", deploy("nginx"));
    expect(r.err).toBe("Flag --record has been deprecated, --record will be removed in the future\n");
    expect(sim.store.get("Deployment", "default", "web")!.metadata.annotations?.["kubernetes.io/change-cause"]).toBeUndefined();
  });
  it("a second apply --record with a new image records the new command on revision 2", () => {
    const sim = createSimulation();
    k(sim, "apply -f - --record", deploy("nginx:1.25"));
    sim.settle();
    k(sim, "apply -f - --record", deploy("nginx:1.26"));
    sim.settle();
    expect(k(sim, "rollout history deployment/web").out).toContain("2         kubectl apply --filename=- --record=true\n");
  });
});

describe("ControllerRevisions carry the owner's annotations (DS snapshot, STS newRevision) → rollout history CHANGE-CAUSE", () => {
  const ds = (image: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: ${image}
`;
  const sts = (image: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: ${image}
`;
  it.each([
    { kind: "daemonset.apps/agent", res: "ds/agent", manifest: ds },
    { kind: "statefulset.apps/db", res: "sts/db", manifest: sts },
  ])("$kind", ({ kind, res, manifest }) => {
    const sim = createSimulation();
    k(sim, "apply -f - --record", manifest("nginx:1.25"));
    sim.settle();
    k(sim, `set image ${res} *=nginx:1.26 --record`);
    sim.settle();
    expect(k(sim, `rollout history ${res}`).out).toBe(
      `${kind} \nREVISION  CHANGE-CAUSE\n1         kubectl apply --filename=- --record=true\n2         kubectl set image ${res} *=nginx:1.26 --record=true\n\n`);
  });
});

describe("events ordering (get.go: no default sort; kubectl events: SortableEvents by time)", () => {
  const setup = () => {
    const sim = createSimulation();
    k(sim, "apply -f -", deploy("nginx"));
    sim.settle();
    return sim;
  };
  it("get events lists in the API's name order (<object>.<hex time>): pods, then the ReplicaSet, then the Deployment", () => {
    const sim = setup();
    const objs = k(sim, `get events -o jsonpath='{range .items[*]}{.involvedObject.kind}{"\\n"}{end}'`).out.split("\n").filter(Boolean);
    const firstOf = (kind: string) => objs.indexOf(kind);
    expect(objs.length).toBeGreaterThan(2);
    // ('-' sorts before '.': web-<hash>-<x>.… < web-<hash>.… < web.…)
    expect(firstOf("Deployment")).toBe(objs.length - 1);
    expect(firstOf("ReplicaSet")).toBeGreaterThan(objs.lastIndexOf("Pod"));
  });
  it("kubectl events: time order, Kind/name objects, no-events message", () => {
    const sim = createSimulation();
    expect(k(sim, "events").err).toBe("No events found in default namespace.\n");
    expect(k(sim, "events -A").err).toBe("No events found.\n");
    k(sim, "apply -f -", deploy("nginx"));
    sim.settle();
    // same second: the API's name order breaks the tie (Go's insertion sort is stable on short lists)
    const cells = k(sim, "events").out.replace(/web-\w+-\w+/g, "POD").replace(/web-\w+/g, "RS").trimEnd().split("\n").map((l) => l.split(/ {2,}/));
    expect(cells).toEqual([
      ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
      ["0s", "Warning", "FailedScheduling", "Pod/POD", "no nodes available to schedule pods"],
      ["0s", "Normal", "SuccessfulCreate", "ReplicaSet/RS", "Created pod: POD"],
      ["0s", "Normal", "ScalingReplicaSet", "Deployment/web", "Scaled up replica set RS from 0 to 1"],
    ]);
    expect(k(sim, "events --types=Warning").out.split("\n").filter(Boolean).every((l, i) => i === 0 || / Warning /.test(l))).toBe(true);
    expect(k(sim, "events --types=Bogus").err).toBe("error: valid --types are Normal or Warning\n");
    expect(k(sim, "events --for deployment/web").out.trimEnd().split("\n").length).toBe(2);
  });
  it("repeated events show (xN over T)", () => {
    const sim = createSimulation();
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", uid: "u1" } } as never;
    sim.events.event(pod, "Warning", "BackOff", "Back-off", "kubelet");
    sim.advance(30_000);
    sim.events.event(pod, "Warning", "BackOff", "Back-off", "kubelet");
    sim.advance(10_000);
    expect(k(sim, "events").out).toBe("LAST SEEN           TYPE      REASON    OBJECT   MESSAGE\n10s (x2 over 40s)   Warning   BackOff   Pod/p    Back-off\n");
  });
});

describe("v1 Endpoints deprecation warning (1.33, KEP-4974; client-go prints server warnings to stderr)", () => {
  const W = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";
  it.each([
    { line: "get endpoints", warn: true },
    { line: "get ep -A", warn: true },
    { line: "get endpoints,svc", warn: true },
    { line: "describe endpoints", warn: true },
    { line: "get svc", warn: false },
    { line: "get pods", warn: false },
  ])("$line", ({ line, warn }) => {
    const sim = createSimulation();
    const r = k(sim, line);
    expect(r.err.startsWith(W)).toBe(warn);
  });
});

describe("kubectl explain type names (OpenAPI v3 typeGuess: x-kubernetes-int-or-string → IntOrString, $ref Quantity)", () => {
  it.each([
    { path: "deploy.spec.strategy.rollingUpdate.maxSurge", type: "IntOrString" },
    { path: "deploy.spec.strategy.rollingUpdate.maxUnavailable", type: "IntOrString" },
    { path: "ds.spec.updateStrategy.rollingUpdate.maxSurge", type: "IntOrString" },
    { path: "sts.spec.updateStrategy.rollingUpdate.maxUnavailable", type: "IntOrString" },
    { path: "svc.spec.ports.targetPort", type: "IntOrString" },
    { path: "pod.spec.containers.livenessProbe.httpGet.port", type: "IntOrString" },
    { path: "pod.spec.containers.readinessProbe.tcpSocket.port", type: "IntOrString" },
    { path: "pod.spec.containers.ports.containerPort", type: "integer" },
    { path: "pod.spec.volumes.emptyDir.sizeLimit", type: "Quantity" },
    { path: "pod.spec.overhead", type: "map[string]Quantity" },
    { path: "pod.spec.containers.resources.limits", type: "map[string]Quantity" },
    // metav1.Time is inlined as a string in the v3 schema: `creationTimestamp	<string>`
    { path: "pod.metadata.creationTimestamp", type: "string" },
  ])("$path <$type>", ({ path, type }) => {
    const sim = createSimulation();
    expect(k(sim, `explain ${path}`).out).toContain(`\nFIELD: ${path.split(".").at(-1)} <${type}>\n`);
  });
  it("an IntOrString field's DESCRIPTION adds the type's own text, double spaces kept (go-wordwrap)", () => {
    const out = k(createSimulation(), "explain svc.spec.ports.targetPort").out;
    expect(out).toContain(
      "    https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service\n" +
      "    IntOrString is a type that can hold an int32 or a string.  When used in JSON\n" +
      "    or YAML marshalling and unmarshalling, it produces or consumes the inner\n" +
      "    type.  This allows you to have, for example, a JSON field that can accept a\n" +
      "    name or number.\n");
  });
  it("FIELDS lists show <IntOrString>", () => {
    expect(k(createSimulation(), "explain deploy.spec.strategy.rollingUpdate").out).toContain("FIELDS:\n  maxSurge\t<IntOrString>\n");
  });
});

describe("the default/kubernetes Service and Endpoints every cluster has", () => {
  it("get svc / get endpoints / get all on a fresh cluster", () => {
    const sim = createSimulation();
    sim.advance(300_000);
    expect(k(sim, "get svc").out).toBe(
      "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   5m\n");
    expect(k(sim, "get all").out).toBe(
      "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nservice/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   5m\n");
    expect(k(sim, "get endpoints").out).toBe("NAME         ENDPOINTS         AGE\nkubernetes   172.18.0.1:6443   5m\n");
    const svc = sim.store.get("Service", "default", "kubernetes")!;
    expect(svc.metadata.labels).toEqual({ component: "apiserver", provider: "kubernetes" });
    expect(svc.spec.ports).toEqual([{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }]);
  });
  it("draws nothing from the seeded generator (names and uids of everything else are unchanged)", () => {
    const sim = createSimulation({ seed: 7 });
    // four namespaces × four draws per uid, nothing more
    let state = 7;
    for (let i = 0; i < 16; i++) state = (state + 0x9e3779b9) >>> 0;
    expect(sim.rng.seedState).toBe(state);
    const uids = new Set(sim.store.list("Namespace").map((n) => n.metadata.uid));
    expect(uids.has(sim.store.get("Service", "default", "kubernetes")!.metadata.uid)).toBe(false);
  });
});

describe("--record on scale and patch (scale.go / patch.go: a second merge patch with the change-cause)", () => {
  it.each([
    { line: "scale deployment web --replicas=3 --record", out: "deployment.apps/web scaled\n", cause: "kubectl scale deployment web --replicas=3 --record=true" },
    { line: `patch deployment web -p '{"spec":{"replicas":2}}' --record`, out: "deployment.apps/web patched\n", cause: `kubectl patch deployment web --patch={"spec":{"replicas":2}} --record=true` },
    { line: `patch deployment web -p '{"spec":{"replicas":1}}' --record`, out: "deployment.apps/web patched (no change)\n", cause: `kubectl patch deployment web --patch={"spec":{"replicas":1}} --record=true` },
  ])("$line", ({ line, out, cause }) => {
    const sim = createSimulation();
    k(sim, "apply -f -", deploy("nginx"));
    const r = k(sim, line);
    expect(r.out).toBe(out);
    expect(r.err).toBe("Flag --record has been deprecated, --record will be removed in the future\n");
    expect(sim.store.get("Deployment", "default", "web")!.metadata.annotations?.["kubernetes.io/change-cause"]).toBe(cause);
  });
});

describe("pod requests with native sidecars (resourcehelper.PodRequests)", () => {
  const c = (cpu: string, sidecar = false) => ({ name: `c${cpu}${sidecar}`, image: "busybox", ...(sidecar ? { restartPolicy: "Always" } : {}), resources: { requests: { cpu } } });
  it.each([
    { name: "app only", init: [], app: ["100m", "200m"], want: 300 },
    { name: "regular init above the app sum (max)", init: [c("500m")], app: ["100m"], want: 500 },
    { name: "sidecar adds to the app sum", init: [c("100m", true)], app: ["200m"], want: 300 },
    { name: "init after a sidecar runs beside it: 100m + 500m", init: [c("100m", true), c("500m")], app: ["50m"], want: 600 },
    { name: "init before the sidecar does not", init: [c("500m"), c("100m", true)], app: ["50m"], want: 500 },
  ])("$name", ({ init, app, want }) => {
    const pod = { spec: { initContainers: init, containers: app.map((x) => c(x)) } } as never;
    expect(podRequests(pod).cpu).toBe(want);
  });
});
