/**
 * StatefulSet planning (pkg/controller/statefulset/stateful_set_control.go `updateStatefulSet`,
 * `processReplica`, `processCondemned`, `runForAll`; S3–S7).
 *
 * Pure: takes a summary of the set and its pods, returns the actions of one sync in order.
 */

export interface StsPodView {
  name: string;
  ordinal: number;
  /** controller-revision-hash → revision name (`<set>-<hash>`). */
  revision: string;
  phase: string;
  /** Running and Ready. */
  runningAndReady: boolean;
  /** Running, Ready and Available for minReadySeconds. */
  available: boolean;
  terminating: boolean;
}

export interface StsPlanInput {
  replicas: number;
  startOrdinal: number;
  /** OrderedReady → true; Parallel → false. */
  monotonic: boolean;
  updateStrategy: "RollingUpdate" | "OnDelete";
  partition: number;
  currentRevision: string;
  updateRevision: string;
  pods: StsPodView[];
  /** The set is being deleted: status only. */
  deleting?: boolean;
}

export type StsAction =
  | { type: "create"; ordinal: number; revision: "current" | "update" }
  /** reason: failed/succeeded pod recreated (S3), condemned (S4), rolling update (S6). */
  | { type: "delete"; name: string; reason: "failed" | "succeeded" | "condemned" | "update" };

export interface StsPlan {
  actions: StsAction[];
  /** Why the sync stopped early, for explanations and tests. */
  blockedBy?: string;
}

const healthy = (p: StsPodView) => p.runningAndReady && !p.terminating;

/** newVersionedStatefulSetPod: ordinals below the partition are (re)created at the current revision (S6/S7). */
export function revisionForOrdinal(inp: StsPlanInput, ordinal: number): "current" | "update" {
  if (inp.updateStrategy === "RollingUpdate" && ordinal < inp.startOrdinal + inp.partition) return "current";
  return "update";
}

/** One StatefulSet sync (S3–S7). */
export function planStatefulSet(inp: StsPlanInput): StsPlan {
  const actions: StsAction[] = [];
  const count = inp.replicas;
  const replicas: Array<StsPodView | undefined> = new Array(count).fill(undefined);
  const condemned: StsPodView[] = [];
  for (const p of inp.pods) {
    const idx = p.ordinal - inp.startOrdinal;
    if (p.ordinal >= inp.startOrdinal && idx < count) replicas[idx] = p;
    else if (p.ordinal >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  // first unhealthy pod: replicas in order, then condemned from the lowest ordinal
  // (a missing replica counts as the first unhealthy pod, as the new pod object does upstream)
  let firstUnhealthy: StsPodView | "missing" | undefined;
  for (const p of replicas) if (!p || !healthy(p)) { firstUnhealthy = p ?? "missing"; break; }
  if (!firstUnhealthy) for (let i = condemned.length - 1; i >= 0; i--) if (!healthy(condemned[i]!)) { firstUnhealthy = condemned[i]; break; }
  if (inp.deleting) return { actions };

  // processReplica for each ordinal
  for (let i = 0; i < count; i++) {
    const ord = inp.startOrdinal + i;
    let p = replicas[i];
    if (p && (p.phase === "Failed" || p.phase === "Succeeded") && !p.terminating) {
      actions.push({ type: "delete", name: p.name, reason: p.phase === "Failed" ? "failed" : "succeeded" });
      p = undefined;
      replicas[i] = undefined;
    }
    if (!p) {
      actions.push({ type: "create", ordinal: ord, revision: revisionForOrdinal(inp, ord) });
      if (inp.monotonic) return { actions, blockedBy: `created ${ord}` };
      continue;
    }
    if (p.terminating && inp.monotonic) return { actions, blockedBy: `${p.name} is terminating` };
    if (!p.runningAndReady && inp.monotonic) return { actions, blockedBy: `${p.name} is not running and ready` };
    if (!p.available && inp.monotonic) return { actions, blockedBy: `${p.name} is not available` };
  }
  // processCondemned, highest ordinal first (S4)
  for (const p of condemned) {
    if (p.terminating) {
      if (inp.monotonic) return { actions, blockedBy: `${p.name} is terminating` };
      continue;
    }
    if (!p.runningAndReady && inp.monotonic && p !== firstUnhealthy) return { actions, blockedBy: `${p.name} is not running and ready` };
    if (!p.available && inp.monotonic && p !== firstUnhealthy) return { actions, blockedBy: `${p.name} is not available` };
    actions.push({ type: "delete", name: p.name, reason: "condemned" });
    if (inp.monotonic) return { actions, blockedBy: `scaling down ${p.name}` };
  }
  if (inp.updateStrategy === "OnDelete") return { actions };
  // RollingUpdate (S6): the highest ordinal ≥ partition not at the update revision goes; wait for health.
  for (let t = count - 1; t >= inp.partition; t--) {
    const p = replicas[t];
    if (!p) return { actions, blockedBy: "pod being created" };
    if (p.revision !== inp.updateRevision && !p.terminating) {
      actions.push({ type: "delete", name: p.name, reason: "update" });
      return { actions, blockedBy: `updating ${p.name}` };
    }
    if (!healthy(p)) return { actions, blockedBy: `waiting for ${p.name} to update` };
  }
  return { actions };
}

/** getParentNameAndOrdinal: `web-3` → ["web", 3]; not a member → ordinal -1. */
export function parentAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = /^(.*)-([0-9]+)$/.exec(podName);
  if (!m) return { parent: "", ordinal: -1 };
  return { parent: m[1]!, ordinal: Number(m[2]) };
}
