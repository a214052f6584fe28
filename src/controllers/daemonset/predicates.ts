/**
 * D1/D2/D3: which nodes a DaemonSet runs on (`NodeShouldRunDaemonPod`), the auto-tolerations every
 * daemon pod carries (`AddOrUpdateDaemonPodTolerations`) and the pod template a node gets
 * (`CreatePodTemplate`, `ReplaceDaemonSetPodNodeNameNodeAffinity`).
 *
 * Pure: must not read the store.
 */
import type { Node } from "../../api/types.ts";
import { requiredAffinityMatches } from "../../scheduler/affinity.ts";
import { firstUntolerated, type Toleration } from "../../scheduler/tolerations.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";

export const CONTROLLER_REVISION_HASH = "controller-revision-hash";
export const POD_TEMPLATE_GENERATION = "pod-template-generation";
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

/** D2, in upstream order. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (hostNetwork) t.push({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  return t;
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? "") === (b.key ?? "") && (a.effect ?? "") === (b.effect ?? "") && (a.operator ?? "") === (b.operator ?? "") && (a.value ?? "") === (b.value ?? "");
}

/** AddOrUpdateTolerationInPodSpec for each D2 toleration: an equivalent one is replaced in place, else appended. */
export function withDaemonTolerations(tolerations: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  let out = [...(tolerations ?? [])];
  for (const t of daemonTolerations(hostNetwork)) {
    const i = out.findIndex((x) => sameToleration(x, t));
    if (i >= 0) {
      if (jsonEqual(out[i], t)) continue;
      out = out.map((x, j) => (j === i ? { ...t } : x));
    } else out.push({ ...t });
  }
  return out;
}

export interface ShouldRun {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/** The three possible answers of nodeShouldRunDaemonPod, shared (frozen: read-only to every caller). */
const RUN: ShouldRun = Object.freeze({ shouldRun: true, shouldContinueRunning: true });
const KEEP: ShouldRun = Object.freeze({ shouldRun: false, shouldContinueRunning: true });
const NONE: ShouldRun = Object.freeze({ shouldRun: false, shouldContinueRunning: false });
const SCHEDULE_EFFECTS = ["NoSchedule", "NoExecute"], EXECUTE_EFFECTS = ["NoExecute"];

/**
 * D1 NodeShouldRunDaemonPod on the virtual pod (template + D2 tolerations + nodeName). `tolerations` is
 * `withDaemonTolerations(templateSpec.tolerations, hostNetwork)` when the caller already has it (the
 * controller keeps one per DaemonSet version instead of building it for every node).
 */
export function nodeShouldRunDaemonPod(templateSpec: any, node: Pick<Node, "metadata" | "spec">, tolerations?: readonly Toleration[]): ShouldRun {
  const spec = templateSpec ?? {};
  const name = node.metadata.name;
  if (spec.nodeName && spec.nodeName !== name) return NONE;
  if (!requiredAffinityMatches(spec, name, node.metadata.labels)) return NONE;
  const taints = node.spec?.taints as Array<{ key: string; value?: string; effect: string }> | undefined;
  if (!taints?.length) return RUN;
  tolerations ??= withDaemonTolerations(spec.tolerations, !!spec.hostNetwork);
  if (firstUntolerated(taints, tolerations, SCHEDULE_EFFECTS)) {
    return firstUntolerated(taints, tolerations, EXECUTE_EFFECTS) ? NONE : KEEP;
  }
  return RUN;
}

/** D3 ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes `metadata.name In [node]`. */
export function replaceNodeAffinity(affinity: any, nodeName: string): any {
  const term = { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] };
  const sel = { nodeSelectorTerms: [term] };
  if (!affinity) return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: sel } };
  const a = { ...affinity };
  if (!a.nodeAffinity) { a.nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: sel }; return a; }
  a.nodeAffinity = { ...a.nodeAffinity };
  if (!a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) { a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = sel; return a; }
  a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { ...a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, nodeSelectorTerms: [term] };
  return a;
}

/** GetTargetNodeName: spec.nodeName, else the single matchFields metadata.name value. */
export function targetNodeName(pod: { spec?: any }): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const t of terms ?? []) {
    for (const f of t.matchFields ?? []) {
      if (f.key === "metadata.name" && f.operator === "In" && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}
