/**
 * Model-based testing: the action alphabet. An action is a small, parameterised value that fast-check can
 * generate and shrink; `toCommand` turns it into one script line (+ heredoc body) against the live session,
 * resolving "the i-th pod" style references at run time, so a shrunk sequence is still a plain script.
 */
import fc from "fast-check";
import type { Session } from "../../../src/scenario/session.ts";

// ------------------------------------------------------------------ pools

/** Node names with fixed shapes: re-adding a node gives it the same allocatable (keeps K3 meaningful). */
export const NODES = {
  n1: "--cpu 2 --memory 4Gi",
  n2: "--cpu 2 --memory 4Gi --label disk=ssd",
  n3: "--cpu 1 --memory 2Gi --pods 6",
  n4: "--cpu 4 --memory 8Gi --label disk=ssd --label zone=b",
} as const;
export type NodeName = keyof typeof NODES;
const nodeName = fc.constantFrom(...(Object.keys(NODES) as NodeName[]));

/** Servers run until stopped; busybox with no command exits 0 at once (crash loops under Always). */
export const IMAGES = ["nginx:1.27", "nginx:1.28", "httpd:2.4", "busybox:1.36"] as const;
export const CRASHING_IMAGES = new Set<string>(["busybox:1.36"]);
const CPUS = [undefined, "100m", "250m", "700m"] as const;

export type WorkloadKind = "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" | "CronJob" | "Pod";
export const NAMES: Record<WorkloadKind, readonly string[]> = {
  Deployment: ["dep-a", "dep-b", "dep-c"],
  ReplicaSet: ["rs-a"],
  DaemonSet: ["ds-a", "ds-b"],
  StatefulSet: ["sts-a", "sts-b"],
  Job: ["job-a", "job-b"],
  CronJob: ["cj-a", "cj-b"],
  Pod: ["pod-a", "pod-b"],
};
const RESOURCE: Record<WorkloadKind, string> = {
  Deployment: "deployment", ReplicaSet: "replicaset", DaemonSet: "daemonset", StatefulSet: "statefulset",
  Job: "job", CronJob: "cronjob", Pod: "pod",
};

/** Strategy per Deployment name: a = defaults (25%/25%), b = surge 1 / unavailable 0, c = Recreate. */
export const DEPLOY_STRATEGY: Record<string, { type: "RollingUpdate" | "Recreate"; maxSurge?: number | string; maxUnavailable?: number | string }> = {
  "dep-a": { type: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" },
  "dep-b": { type: "RollingUpdate", maxSurge: 1, maxUnavailable: 0 },
  "dep-c": { type: "Recreate" },
};
/** ds-a: defaults (maxUnavailable 1). ds-b: surge 1, only on disk=ssd nodes. */
export const DS_SURGE: Record<string, number> = { "ds-a": 0, "ds-b": 1 };

// ------------------------------------------------------------------ actions

export interface WorkloadParams {
  replicas: number;
  image: number;
  cpu: number;
  /** Job: completions (0 = unset), parallelism, restartPolicy, sleep, exit code; CronJob: schedule/sleep. */
  completions: number;
  parallelism: number;
  onFailure: boolean;
  backoffLimit: number;
  sleep: number;
  exit: number;
  tolerateAll: boolean;
  concurrency: number;
}

export type Action =
  | { t: "apply"; kind: WorkloadKind; name: string; p: WorkloadParams }
  | { t: "delete"; kind: WorkloadKind; name: string; cascade: "" | "background" | "foreground" | "orphan" }
  | { t: "scale"; kind: "Deployment" | "ReplicaSet" | "StatefulSet"; name: string; n: number }
  | { t: "setImage"; kind: "Deployment" | "DaemonSet" | "StatefulSet"; name: string; image: number }
  | { t: "rollout"; op: "undo" | "pause" | "resume" | "restart"; name: string }
  | { t: "cordon" | "uncordon"; node: NodeName }
  | { t: "drain"; node: NodeName; force: boolean }
  | { t: "taint"; node: NodeName; effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule"; remove: boolean }
  | { t: "nodeAdd"; node: NodeName }
  | { t: "nodeDelete"; node: NodeName }
  | { t: "nodeStop" | "nodeStart"; node: NodeName }
  | { t: "podFail"; idx: number; exit: number }
  | { t: "podDelete"; idx: number }
  | { t: "jobPatch"; name: string; suspend?: boolean; parallelism?: number }
  | { t: "createJobFrom"; n: number }
  | { t: "advance"; ms: number }
  | { t: "settle" }
  | { t: "read"; what: number };

const params: fc.Arbitrary<WorkloadParams> = fc.record({
  replicas: fc.integer({ min: 0, max: 5 }),
  image: fc.integer({ min: 0, max: IMAGES.length - 1 }),
  cpu: fc.integer({ min: 0, max: CPUS.length - 1 }),
  completions: fc.integer({ min: 0, max: 4 }),
  parallelism: fc.integer({ min: 1, max: 3 }),
  onFailure: fc.boolean(),
  backoffLimit: fc.integer({ min: 0, max: 3 }),
  sleep: fc.constantFrom(0, 1, 5, 30, 75, 150),
  exit: fc.constantFrom(0, 0, 0, 1),
  tolerateAll: fc.boolean(),
  concurrency: fc.integer({ min: 0, max: 2 }),
});

const kind = fc.constantFrom<WorkloadKind>("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob", "Pod");
const withName = <K extends WorkloadKind>(k: fc.Arbitrary<K>) => k.chain((kk) => fc.constantFrom(...NAMES[kk]).map((name) => ({ kind: kk, name })));

/** Durations from 100ms to 10m, biased towards the short end (most interesting things happen within seconds). */
const duration = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 100, max: 10_000 }).map((ms) => Math.round(ms / 100) * 100) },
  { weight: 3, arbitrary: fc.integer({ min: 10, max: 120 }).map((s) => s * 1000) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 10 }).map((m) => m * 60_000) },
);

function READS_COUNT() {
  return READS.length - 1;
}
const READS = [
  "kubectl get all -o wide",
  "kubectl get pods -o wide --show-labels",
  "kubectl get nodes",
  "kubectl describe nodes",
  "kubectl get ds,sts,jobs,cronjobs",
  "kubectl describe deployment dep-a",
  "kubectl describe ds ds-b",
  "kubectl describe sts sts-a",
  "kubectl describe job job-a",
  "kubectl describe cronjob cj-a",
  "kubectl get events",
  "kubectl rollout history deployment/dep-b",
  "kubectl rollout status deployment/dep-a",
  "kubectl get pods -o yaml",
  "kubectl get rs -o json",
  "kubectl get pods -o jsonpath={.items[*].metadata.name}",
];

const applyArb: fc.Arbitrary<Action> = fc.tuple(withName(kind), params).map(([w, p]) => ({ t: "apply" as const, ...w, p }));

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: applyArb },
  { weight: 2, arbitrary: fc.tuple(withName(kind), fc.constantFrom("" as const, "background" as const, "foreground" as const, "orphan" as const)).map(([w, cascade]) => ({ t: "delete" as const, ...w, cascade })) },
  { weight: 3, arbitrary: fc.tuple(withName(fc.constantFrom("Deployment" as const, "ReplicaSet" as const, "StatefulSet" as const)), fc.integer({ min: 0, max: 6 })).map(([w, n]) => ({ t: "scale" as const, ...w, n })) },
  { weight: 3, arbitrary: fc.tuple(withName(fc.constantFrom("Deployment" as const, "DaemonSet" as const, "StatefulSet" as const)), fc.integer({ min: 0, max: IMAGES.length - 1 })).map(([w, image]) => ({ t: "setImage" as const, ...w, image })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("undo" as const, "pause" as const, "resume" as const, "restart" as const), fc.constantFrom(...NAMES.Deployment)).map(([op, name]) => ({ t: "rollout" as const, op, name })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "cordon" as const, node })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "uncordon" as const, node })) },
  { weight: 1, arbitrary: fc.tuple(nodeName, fc.boolean()).map(([node, force]) => ({ t: "drain" as const, node, force })) },
  { weight: 2, arbitrary: fc.tuple(nodeName, fc.constantFrom("NoSchedule" as const, "NoExecute" as const, "PreferNoSchedule" as const), fc.boolean()).map(([node, effect, remove]) => ({ t: "taint" as const, node, effect, remove })) },
  { weight: 2, arbitrary: nodeName.map((node) => ({ t: "nodeAdd" as const, node })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "nodeDelete" as const, node })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "nodeStop" as const, node })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "nodeStart" as const, node })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(50), fc.constantFrom(0, 1, 2, 137)).map(([idx, exit]) => ({ t: "podFail" as const, idx, exit })) },
  { weight: 2, arbitrary: fc.nat(50).map((idx) => ({ t: "podDelete" as const, idx })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NAMES.Job), fc.option(fc.boolean(), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined })).map(([name, suspend, parallelism]) => ({ t: "jobPatch" as const, name, ...(suspend !== undefined ? { suspend } : {}), ...(parallelism !== undefined ? { parallelism } : {}) })) },
  { weight: 1, arbitrary: fc.nat(9).map((n) => ({ t: "createJobFrom" as const, n })) },
  { weight: 8, arbitrary: duration.map((ms) => ({ t: "advance" as const, ms })) },
  { weight: 2, arbitrary: fc.constant({ t: "settle" as const }) },
  { weight: 1, arbitrary: fc.nat(READS_COUNT()).map((what) => ({ t: "read" as const, what })) },
);

export interface Sequence {
  seed: number;
  nodes: NodeName[];
  /** Workloads applied right after the nodes (then 30s pass), so most sequences act on a live cluster. */
  initial: Action[];
  actions: Action[];
}

export function sequenceArb(maxLength = 30, actions: fc.Arbitrary<Action> = actionArb, initial: fc.Arbitrary<Action> = applyArb): fc.Arbitrary<Sequence> {
  return fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    nodes: fc.subarray(Object.keys(NODES) as NodeName[], { minLength: 2 }),
    initial: fc.array(initial, { minLength: 1, maxLength: 5 }),
    actions: fc.array(actions, { minLength: 1, maxLength, size: "max" }),
  });
}

/**
 * Rollouts with no disruption (P3/P5): only Deployment template/scale/rollout actions, time, and node
 * changes that evict nothing (add, cordon, NoSchedule taints), on servers that do not crash, so the
 * availability bound is checked through whole rollouts instead of being reset by a pod failure.
 */
const serverParams = params.map((p) => ({ ...p, image: p.image % 3 }));
const depName = fc.constantFrom("dep-a", "dep-b");
export const rolloutInitialArb: fc.Arbitrary<Action> = fc.tuple(depName, serverParams).map(([name, p]) => ({ t: "apply" as const, kind: "Deployment" as const, name, p: { ...p, replicas: Math.max(1, p.replicas) } }));
export const rolloutActionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(depName, fc.integer({ min: 0, max: 2 })).map(([name, image]) => ({ t: "setImage" as const, kind: "Deployment" as const, name, image })) },
  { weight: 2, arbitrary: rolloutInitialArb },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("undo" as const, "pause" as const, "resume" as const, "restart" as const), depName).map(([op, name]) => ({ t: "rollout" as const, op, name })) },
  { weight: 1, arbitrary: fc.tuple(depName, fc.integer({ min: 1, max: 6 })).map(([name, n]) => ({ t: "scale" as const, kind: "Deployment" as const, name, n })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "nodeAdd" as const, node })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "cordon" as const, node })) },
  { weight: 1, arbitrary: nodeName.map((node) => ({ t: "uncordon" as const, node })) },
  { weight: 1, arbitrary: fc.tuple(nodeName, fc.boolean()).map(([node, remove]) => ({ t: "taint" as const, node, effect: "NoSchedule" as const, remove })) },
  { weight: 6, arbitrary: duration.map((ms) => ({ t: "advance" as const, ms: Math.min(ms, 20_000) })) },
);

// ------------------------------------------------------------------ to script lines

export interface Command {
  line: string;
  stdin?: string;
}

const podsSorted = (s: Session) => s.sim.store.list("Pod").map((p) => p.metadata.name).sort();

/**
 * Most references should hit something that exists: a name from the pool that is absent is replaced by an
 * existing object of that kind (chosen by the name's position in the pool), and only stays as is (→ a
 * NotFound error, also worth testing) when there is none. Resolved at run time, so shrinking stays valid.
 */
export function existing(s: Session, kind: string, name: string, pool: readonly string[], unownedOnly = false): string {
  const store = s.sim.store;
  if (store.get(kind, "default", name)) return name;
  const names = store.list(kind).filter((o) => !o.metadata.deletionTimestamp && !(unownedOnly && o.metadata.ownerReferences?.length)).map((o) => o.metadata.name).sort();
  return names.length ? names[Math.max(0, pool.indexOf(name)) % names.length]! : name;
}

export function toCommand(a: Action, s: Session): Command {
  const nodes = Object.keys(NODES);
  const node = "node" in a ? (a.t === "nodeAdd" || a.t === "nodeStart" ? a.node : existing(s, "Node", a.node, nodes)) : "";
  // Scaling a Deployment's ReplicaSet by hand makes its surge bound transient upstream too (the controller
  // only scales old ReplicaSets down as pods become available), so `scale` only picks unowned ReplicaSets.
  const obj = "kind" in a && "name" in a && a.t !== "apply" ? existing(s, a.kind, a.name, NAMES[a.kind], a.t === "scale") : "";
  switch (a.t) {
    case "apply": return { line: "kubectl apply -f - <<EOF", stdin: manifest(a.kind, a.name, a.p) };
    case "delete": return { line: `kubectl delete ${RESOURCE[a.kind]} ${obj}${a.cascade ? ` --cascade=${a.cascade}` : ""}` };
    case "scale": return { line: `kubectl scale ${RESOURCE[a.kind]} ${obj} --replicas=${a.n}` };
    case "setImage": return { line: `kubectl set image ${RESOURCE[a.kind]}/${obj} app=${IMAGES[a.image]}` };
    case "rollout": return { line: `kubectl rollout ${a.op} deployment/${existing(s, "Deployment", a.name, NAMES.Deployment)}` };
    case "cordon": return { line: `kubectl cordon ${node}` };
    case "uncordon": return { line: `kubectl uncordon ${node}` };
    case "drain": return { line: `kubectl drain ${node} --ignore-daemonsets${a.force ? " --force --delete-emptydir-data" : ""}` };
    case "taint": return { line: `kubectl taint nodes ${node} maint=yes:${a.effect}${a.remove ? "-" : ""}` };
    case "nodeAdd": return { line: `sim node add ${a.node} ${NODES[a.node]}` };
    case "nodeDelete": return { line: `kubectl delete node ${node}` };
    case "nodeStop": return { line: `sim node stop ${node}` };
    case "nodeStart": return { line: `sim node start ${node}` };
    case "podFail": {
      const pods = podsSorted(s);
      const name = pods.length ? pods[a.idx % pods.length]! : "no-such-pod";
      return { line: `sim pod fail ${name}${a.exit !== 1 ? ` --exit-code ${a.exit}` : ""}` };
    }
    case "podDelete": {
      const pods = podsSorted(s);
      const name = pods.length ? pods[a.idx % pods.length]! : "no-such-pod";
      return { line: `kubectl delete pod ${name}` };
    }
    case "jobPatch": {
      const spec: Record<string, unknown> = {};
      if (a.suspend !== undefined) spec.suspend = a.suspend;
      if (a.parallelism !== undefined) spec.parallelism = a.parallelism;
      return { line: `kubectl patch job ${existing(s, "Job", a.name, NAMES.Job)} --type=merge -p '${JSON.stringify({ spec })}'` };
    }
    // cj-b only: a manual Job owned by the Forbid CronJob cj-a would legitimately be a second active Job (C6)
    case "createJobFrom": return { line: `kubectl create job manual-${a.n} --from=cronjob/cj-b` };
    case "advance": return { line: `sim advance ${goDuration(a.ms)}` };
    case "settle": return { line: "sim advance 2m" };
    case "read": return { line: READS[a.what % READS.length]! };
  }
}

export function goDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

// ------------------------------------------------------------------ manifests

function container(image: string, cpu: string | undefined, command?: string): string {
  let s = `      - name: app\n        image: ${image}\n`;
  if (command) s += `        command: ["sh", "-c", ${JSON.stringify(command)}]\n`;
  if (cpu) s += `        resources:\n          requests:\n            cpu: ${cpu}\n            memory: 64Mi\n`;
  return s;
}

/** Shift every line right (n > 0) or left (n < 0) by |n| spaces. */
function indent(text: string, n: number): string {
  return text.split("\n").map((l) => (l === "" ? l : n > 0 ? " ".repeat(n) + l : l.slice(-n))).join("\n");
}

const TOLERATE_ALL = "      tolerations:\n      - operator: Exists\n";

export function manifest(kind: WorkloadKind, name: string, p: WorkloadParams): string {
  const image = IMAGES[p.image]!;
  const cpu = CPUS[p.cpu];
  const labels = `app: ${name}`;
  const tpl = (spec: string, extraPodSpec = "") =>
    `  template:\n    metadata:\n      labels:\n        ${labels}\n    spec:\n${extraPodSpec}      containers:\n${spec}`;
  const selector = `  selector:\n    matchLabels:\n      ${labels}\n`;
  switch (kind) {
    case "Deployment": {
      const st = DEPLOY_STRATEGY[name]!;
      const strategy = st.type === "Recreate"
        ? "  strategy:\n    type: Recreate\n"
        : `  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: ${JSON.stringify(st.maxSurge)}\n      maxUnavailable: ${JSON.stringify(st.maxUnavailable)}\n`;
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${p.replicas}\n${strategy}${selector}${tpl(container(image, cpu))}`;
    }
    case "ReplicaSet":
      return `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${p.replicas}\n${selector}${tpl(container(image, cpu))}`;
    case "DaemonSet": {
      const surge = DS_SURGE[name]!;
      const strategy = surge
        ? `  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: ${surge}\n      maxUnavailable: 0\n`
        : "";
      const extra = (name === "ds-b" ? "      nodeSelector:\n        disk: ssd\n" : "") + (p.tolerateAll ? TOLERATE_ALL : "");
      return `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\nspec:\n${strategy}${selector}${tpl(container(image, cpu), extra)}`;
    }
    case "StatefulSet": {
      const policy = name === "sts-b" ? "  podManagementPolicy: Parallel\n" : "";
      return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\nspec:\n  serviceName: ${name}\n  replicas: ${Math.min(p.replicas, 4)}\n${policy}${selector}${tpl(container(image, cpu))}`;
    }
    case "Job": {
      const completions = name === "job-b" || p.completions === 0 ? "" : `  completions: ${p.completions}\n`;
      const cmd = `sleep ${p.sleep}; exit ${p.exit}`;
      return `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\nspec:\n${completions}  parallelism: ${p.parallelism}\n  backoffLimit: ${p.backoffLimit}\n  template:\n    spec:\n      restartPolicy: ${p.onFailure ? "OnFailure" : "Never"}\n      containers:\n${container("busybox:1.36", cpu, cmd)}`;
    }
    case "CronJob": {
      const policy = name === "cj-a" ? "Forbid" : (["Allow", "Replace", "Forbid"] as const)[p.concurrency]!;
      const schedule = p.replicas % 2 === 0 ? "*/1 * * * *" : "*/2 * * * *";
      const cmd = `sleep ${p.sleep * 2}; exit ${p.exit}`;
      return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "${schedule}"\n  concurrencyPolicy: ${policy}\n  jobTemplate:\n    spec:\n      backoffLimit: ${p.backoffLimit}\n      template:\n        spec:\n          restartPolicy: ${p.onFailure ? "OnFailure" : "Never"}\n          containers:\n${indent(container("busybox:1.36", cpu, cmd), 4)}`;
    }
    case "Pod": {
      const rp = p.onFailure ? "OnFailure" : p.exit ? "Never" : "Always";
      return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n    ${labels}\nspec:\n  restartPolicy: ${rp}\n${p.tolerateAll ? indent(TOLERATE_ALL, -4) : ""}  containers:\n${indent(container(image, cpu), -4)}`;
    }
  }
}
