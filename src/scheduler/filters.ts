/**
 * The default profile's Filter plugins in upstream order (K1) and their reasons (K2).
 * Pure: must not read the store; works on a NodeInfo from the cache.
 * Src: pkg/scheduler/framework/plugins/{nodeunschedulable,nodename,tainttoleration,nodeaffinity,nodeports,noderesources}.
 */
import type { Pod } from "../api/types.ts";
import { portsConflict, type NodeInfo } from "./cache.ts";
import { requiredAffinityMatches } from "./affinity.ts";
import type { Requests } from "./resources.ts";
import { firstUntolerated, taintReason, tolerated } from "./tolerations.ts";

export interface FilterFailure {
  plugin: string;
  reasons: string[];
  /** UnschedulableAndUnresolvable: preemption cannot help on this node. */
  unresolvable: boolean;
}

/** What filters need from the pod, computed once per attempt. */
export interface PodInfo {
  pod: Pod;
  req: Requests;
  ports: string[];
}

export const REASON_UNSCHEDULABLE = "node(s) were unschedulable";
export const REASON_NODE_NAME = "node(s) didn't match the requested node name";
export const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_PREFILTER_AFFINITY = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };

export function nodeUnschedulable(p: PodInfo, n: NodeInfo): FilterFailure | null {
  if (!n.node.spec?.unschedulable) return null;
  if (tolerated(UNSCHEDULABLE_TAINT, p.pod.spec.tolerations as never)) return null;
  return { plugin: "NodeUnschedulable", reasons: [REASON_UNSCHEDULABLE], unresolvable: true };
}

export function nodeName(p: PodInfo, n: NodeInfo): FilterFailure | null {
  const want = p.pod.spec.nodeName;
  if (!want || want === n.name) return null;
  return { plugin: "NodeName", reasons: [REASON_NODE_NAME], unresolvable: true };
}

export function taintToleration(p: PodInfo, n: NodeInfo): FilterFailure | null {
  const t = firstUntolerated(n.node.spec?.taints as never, p.pod.spec.tolerations as never, ["NoSchedule", "NoExecute"]);
  if (!t) return null;
  return { plugin: "TaintToleration", reasons: [taintReason(t)], unresolvable: true };
}

export function nodeAffinity(p: PodInfo, n: NodeInfo): FilterFailure | null {
  if (!p.pod.spec.nodeSelector && !p.pod.spec.affinity?.nodeAffinity) return null;
  if (requiredAffinityMatches(p.pod.spec, n.name, n.node.metadata.labels)) return null;
  return { plugin: "NodeAffinity", reasons: [REASON_AFFINITY], unresolvable: true };
}

export function nodePorts(p: PodInfo, n: NodeInfo): FilterFailure | null {
  if (!portsConflict(p.ports, n.usedPorts)) return null;
  return { plugin: "NodePorts", reasons: [REASON_PORTS], unresolvable: false };
}

/** noderesources.fitsRequest: pods first, then cpu, memory, ephemeral-storage, extended resources (sorted). */
export function insufficientResources(req: Requests, n: NodeInfo): string[] {
  const out: string[] = [];
  const a = n.allocatable, r = n.requested;
  if (n.podCount + 1 > a.pods) out.push("Too many pods");
  if (req.cpu === 0 && req.memory === 0 && req.ephemeral === 0 && Object.keys(req.other).length === 0) return out;
  if (req.cpu > 0 && req.cpu > a.cpu - r.cpu) out.push("Insufficient cpu");
  if (req.memory > 0 && req.memory > a.memory - r.memory) out.push("Insufficient memory");
  if (req.ephemeral > 0 && req.ephemeral > a.ephemeral - r.ephemeral) out.push("Insufficient ephemeral-storage");
  for (const k of Object.keys(req.other).sort()) {
    const want = req.other[k]!;
    if (want > 0 && want > (a.other[k] ?? 0) - (r.other[k] ?? 0)) out.push(`Insufficient ${k}`);
  }
  return out;
}

export function nodeResourcesFit(p: PodInfo, n: NodeInfo): FilterFailure | null {
  const reasons = insufficientResources(p.req, n);
  if (!reasons.length) return null;
  return { plugin: "NodeResourcesFit", reasons, unresolvable: false };
}

export const FILTERS = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

/** insufficientResources(req, n).length === 0, without building the reasons (the hot path). */
export function fitsResources(req: Requests, n: NodeInfo): boolean {
  const a = n.allocatable, r = n.requested;
  if (n.podCount + 1 > a.pods) return false;
  if (req.cpu > 0 && req.cpu > a.cpu - r.cpu) return false;
  if (req.memory > 0 && req.memory > a.memory - r.memory) return false;
  if (req.ephemeral > 0 && req.ephemeral > a.ephemeral - r.ephemeral) return false;
  for (const k in req.other) {
    const want = req.other[k]!;
    if (want > 0 && want > (a.other[k] ?? 0) - (r.other[k] ?? 0)) return false;
  }
  return true;
}

/**
 * Run the filters in order (FILTERS); the first failing plugin's result, or null when the node fits (K1).
 * Each plugin is only called when it can fail for this pod and node, so a fitting node allocates nothing.
 */
export function runFilters(p: PodInfo, n: NodeInfo): FilterFailure | null {
  const spec = n.node.spec;
  const ps = p.pod.spec;
  let r: FilterFailure | null;
  if (spec?.unschedulable && (r = nodeUnschedulable(p, n))) return r;
  if (ps.nodeName && (r = nodeName(p, n))) return r;
  if (spec?.taints?.length && (r = taintToleration(p, n))) return r;
  if ((ps.nodeSelector || ps.affinity?.nodeAffinity) && (r = nodeAffinity(p, n))) return r;
  if (p.ports.length && n.usedPorts.size && (r = nodePorts(p, n))) return r;
  if (!fitsResources(p.req, n)) return nodeResourcesFit(p, n);
  return null;
}
