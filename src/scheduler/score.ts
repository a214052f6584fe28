/**
 * Scoring (the default profile's weights): NodeResourcesFit LeastAllocated (1), NodeResourcesBalancedAllocation (1),
 * TaintToleration PreferNoSchedule (3), NodeAffinity preferred terms (2). Pure: must not read the store.
 */
import type { Pod } from "../api/types.ts";
import { preferredAffinityScore } from "./affinity.ts";
import type { NodeInfo } from "./cache.ts";
import { DEFAULT_MEMORY, DEFAULT_MILLI_CPU, type Requests } from "./resources.ts";
import { tolerated } from "./tolerations.ts";

const MAX = 100;

function leastAllocated(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return ((capacity - requested) * MAX) / capacity;
}

/** LeastAllocated over cpu and memory (equal weights), with the pod's non-zero requests added. */
export function leastAllocatedScore(req: Requests, n: NodeInfo): number {
  const cpu = n.nonZero.cpu + (req.cpu || DEFAULT_MILLI_CPU);
  const mem = n.nonZero.memory + (req.memory || DEFAULT_MEMORY);
  return Math.floor((leastAllocated(cpu, n.allocatable.cpu) + leastAllocated(mem, n.allocatable.memory)) / 2);
}

/** BalancedAllocation: 100 × (1 − std deviation of the cpu/memory fractions). */
export function balancedAllocationScore(req: Requests, n: NodeInfo): number {
  if (!n.allocatable.cpu || !n.allocatable.memory) return 0;
  const f1 = Math.min(1, (n.requested.cpu + req.cpu) / n.allocatable.cpu);
  const f2 = Math.min(1, (n.requested.memory + req.memory) / n.allocatable.memory);
  const std = Math.abs(f1 - f2) / 2;
  return Math.floor((1 - std) * MAX);
}

export function intolerablePreferNoSchedule(pod: Pod, n: NodeInfo): number {
  let c = 0;
  for (const t of n.node.spec?.taints ?? []) {
    if (t.effect === "PreferNoSchedule" && !tolerated(t as never, pod.spec.tolerations as never)) c++;
  }
  return c;
}

/**
 * scoreInto's total for a pod without preferred node affinity on a node without taints: the resource part, plus
 * TaintToleration's 3 × 100 (no intolerable taints anywhere), plus NodeAffinity's 0 — added in scoreInto's order.
 */
export function plainTotal(req: Requests, n: NodeInfo): number {
  return leastAllocatedScore(req, n) + balancedAllocationScore(req, n) + 3 * MAX + 0;
}

export interface Scored { node: NodeInfo; score: number }

/** Total weighted score per feasible node (normalisation as upstream's DefaultNormalizeScore). */
export function scoreNodes(pod: Pod, req: Requests, nodes: NodeInfo[]): Scored[] {
  const scores = scoreInto(pod, req, nodes);
  return nodes.map((n, i) => ({ node: n, score: scores[i]! }));
}

/** The same totals as scoreNodes, as numbers in node order (no per-node objects: the scheduler's hot path). */
export function scoreInto(pod: Pod, req: Requests, nodes: NodeInfo[], buf?: Float64Array): Float64Array {
  const n = nodes.length;
  // `buf`: a caller's scratch array of at least n entries, reused across pods (only [0, n) is written and meaningful).
  const out = buf && buf.length >= n ? buf : new Float64Array(n);
  const hasPrefs = !!pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length;
  let taintCounts: Float64Array | undefined, aff: Float64Array | undefined;
  let maxTaint = 0, maxAff = 0;
  for (let i = 0; i < n; i++) {
    const ni = nodes[i]!;
    if (ni.plain !== true && ni.node.spec?.taints?.length) { // a plain node has no taints
      const c = intolerablePreferNoSchedule(pod, ni);
      if (c) {
        (taintCounts ??= new Float64Array(n))[i] = c;
        if (c > maxTaint) maxTaint = c;
      }
    }
    if (hasPrefs) {
      const a = preferredAffinityScore(pod.spec, ni.name, ni.node.metadata.labels);
      (aff ??= new Float64Array(n))[i] = a;
      if (a > maxAff) maxAff = a;
    }
  }
  const rc = req.cpu, rm = req.memory;
  for (let i = 0; i < n; i++) {
    const ni = nodes[i]!;
    // The resource part depends only on the pod's cpu/memory and the node's numbers: memoised per node until
    // the node changes (the cache bumps `fast.version`), so pods of one template reuse it across the window.
    const f = ni.fast;
    let s: number;
    if (f === undefined) s = leastAllocatedScore(req, ni) + balancedAllocationScore(req, ni);
    else if (f.memoVersion === f.version && f.memoCpu === rc && f.memoMem === rm) s = f.memoScore;
    else {
      s = leastAllocatedScore(req, ni) + balancedAllocationScore(req, ni);
      f.memoVersion = f.version;
      f.memoCpu = rc;
      f.memoMem = rm;
      f.memoScore = s;
    }
    // TaintToleration: reverse-normalised count of intolerable PreferNoSchedule taints, weight 3.
    s += 3 * (maxTaint === 0 ? MAX : Math.floor(MAX - ((taintCounts ? taintCounts[i]! : 0) * MAX) / maxTaint));
    s += 2 * (maxAff === 0 ? 0 : Math.floor((aff![i]! * MAX) / maxAff));
    out[i] = s;
  }
  return out;
}

/** upstream numFeasibleNodesToFind: adaptive percentage (50 − nodes/125, at least 5%), at least 100 nodes. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  const minFeasible = 100;
  if (numAllNodes < minFeasible) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) {
    pct = 50 - Math.floor(numAllNodes / 125);
    if (pct < 5) pct = 5;
  }
  if (pct >= 100) return numAllNodes;
  const n = Math.floor((numAllNodes * pct) / 100);
  return n < minFeasible ? minFeasible : n;
}
