/**
 * Taints and tolerations (N1, N2). Pure: must not read the store.
 * Src: staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint), component-helpers taint helpers.
 */
export interface Taint { key: string; value?: string; effect: string; timeAdded?: string }
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }

/** N1: effect must match unless empty; key must match unless empty; Exists ignores the value, Equal/"" compares it. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? "") {
    case "":
    case "Equal":
      return (t.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export function tolerated(taint: Taint, tolerations: readonly Toleration[] | undefined): boolean {
  for (const t of tolerations ?? []) if (toleratesTaint(t, taint)) return true;
  return false;
}

/**
 * The first taint (in the node's order) with an effect in `effects` that no toleration tolerates
 * (v1helper.FindMatchingUntoleratedTaint).
 */
export function firstUntolerated(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, effects: readonly string[]): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!effects.includes(taint.effect)) continue;
    if (!tolerated(taint, tolerations)) return taint;
  }
  return undefined;
}

/** `{key: value}` as the TaintToleration filter prints a taint (K2). */
export function taintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
}
