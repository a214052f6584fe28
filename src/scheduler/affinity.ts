/**
 * Node affinity and nodeSelector matching (component-helpers/scheduling/corev1/nodeaffinity).
 * Pure: must not read the store.
 */
type Expr = { key: string; operator: string; values?: string[] };
export interface NodeSelectorTerm { matchExpressions?: Expr[]; matchFields?: Expr[] }

function matchExpr(e: Expr, value: string | undefined, has: boolean): boolean {
  const vals = e.values ?? [];
  switch (e.operator) {
    case "In": return has && vals.includes(value!);
    case "NotIn": return !has || !vals.includes(value!);
    case "Exists": return has;
    case "DoesNotExist": return !has;
    case "Gt":
    case "Lt": {
      if (!has || vals.length !== 1) return false;
      const a = Number.parseInt(value!, 10), b = Number.parseInt(vals[0]!, 10);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return e.operator === "Gt" ? a > b : a < b;
    }
    default: return false;
  }
}

/** One term: all expressions and fields must match; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, nodeName: string, labels: Record<string, string> | undefined): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const l = labels ?? {};
  for (const e of exprs) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    if (!matchExpr(e, l[e.key], has)) return false;
  }
  for (const f of fields) {
    if (f.key !== "metadata.name") return false;
    if (!matchExpr(f, nodeName, true)) return false;
  }
  return true;
}

/** nodeSelector (all pairs) AND required node affinity (any term). */
export function requiredAffinityMatches(spec: any, nodeName: string, labels: Record<string, string> | undefined): boolean {
  const sel = spec?.nodeSelector as Record<string, string> | undefined;
  if (sel) {
    for (const [k, v] of Object.entries(sel)) if ((labels ?? {})[k] !== v) return false;
  }
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as NodeSelectorTerm[] | undefined;
  if (terms && terms.length) {
    if (!terms.some((t) => termMatches(t, nodeName, labels))) return false;
  }
  return true;
}

/**
 * NodeAffinity PreFilter: when every required term pins `metadata.name In [...]`, the node names it allows
 * (DaemonSet pods, D3); otherwise undefined (all nodes).
 */
export function preFilterNodeNames(spec: any): Set<string> | undefined {
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as NodeSelectorTerm[] | undefined;
  if (!terms || !terms.length) return undefined;
  const out = new Set<string>();
  for (const t of terms) {
    const f = (t.matchFields ?? []).find((x) => x.key === "metadata.name" && x.operator === "In");
    if (!f) return undefined;
    for (const v of f.values ?? []) out.add(v);
  }
  return out;
}

/** Sum of weights of preferred terms the node matches (NodeAffinity Score, before normalisation). */
export function preferredAffinityScore(spec: any, nodeName: string, labels: Record<string, string> | undefined): number {
  const prefs = spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution as Array<{ weight: number; preference: NodeSelectorTerm }> | undefined;
  let s = 0;
  for (const p of prefs ?? []) if (p.weight && termMatches(p.preference, nodeName, labels)) s += p.weight;
  return s;
}
