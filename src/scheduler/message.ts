/**
 * FitError.Error (K4): `0/N nodes are available: <count reason>, … . preemption: 0/N nodes are available: … .`
 * Pure: must not read the store. Src: pkg/scheduler/framework/types.go (FitError.Error), plugins/defaultpreemption.
 */
export const NO_NODES = "no nodes available to schedule pods";
export const PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NO_VICTIMS = "No preemption victims found for incoming pod";

export interface NodeOutcome {
  reasons: string[];
  unresolvable: boolean;
}

function histogram(items: string[]): string {
  const counts = new Map<string, number>();
  for (const r of items) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`);
  parts.sort(); // plain string sort: "10 …" before "2 …" (K4)
  return parts.join(", ");
}

/**
 * @param numNodes all nodes in the snapshot
 * @param outcomes one entry per node that was rejected (its first failing plugin's reasons)
 * @param preemption "eligible" (default) or "never" (preemptionPolicy: Never)
 */
export function fitErrorMessage(numNodes: number, outcomes: NodeOutcome[], preemption: "eligible" | "never" = "eligible"): string {
  if (numNodes === 0) return NO_NODES;
  const reasons: string[] = [];
  for (const o of outcomes) reasons.push(...o.reasons);
  let msg = `0/${numNodes} nodes are available: ${histogram(reasons)}.`;
  if (preemption === "never") {
    msg += " preemption: not eligible due to preemptionPolicy=Never.";
  } else {
    const pre = outcomes.map((o) => (o.unresolvable ? PREEMPTION_NOT_HELPFUL : NO_VICTIMS));
    msg += ` preemption: 0/${numNodes} nodes are available: ${histogram(pre)}.`;
  }
  return msg;
}
