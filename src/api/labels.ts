/** Label selectors: metav1.LabelSelector (matchLabels + matchExpressions) and kubectl's `-l` strings. */
import type { LabelSelector } from "./types.ts";

export type Requirement =
  | { key: string; op: "In" | "NotIn"; values: string[] }
  | { key: string; op: "Exists" | "DoesNotExist" }
  | { key: string; op: "=" | "!="; value: string };

export interface Selector {
  requirements: Requirement[];
  /** A selector that matches nothing (a nil LabelSelector as used by controllers). */
  nothing?: boolean;
}

export const everything: Selector = { requirements: [] };

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function matches(sel: Selector, labels: Record<string, string> | undefined): boolean {
  if (sel.nothing) return false;
  const l = labels ?? NO_LABELS;
  const reqs = sel.requirements;
  for (let i = 0; i < reqs.length; i++) {
    const r = reqs[i]!;
    // `=` and `!=` compare with a string: a label object's value equal to it is its own property (nothing a
    // plain object inherits is a string), so they need no hasOwnProperty lookup (a megamorphic one per pod).
    if (r.op === "=") { if (l[r.key] !== r.value) return false; continue; }
    if (r.op === "!=") { if (l[r.key] === r.value) return false; continue; }
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "In": if (!has || !r.values.includes(v!)) return false; break;
      case "NotIn": if (has && r.values.includes(v!)) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
    }
  }
  return true;
}

/** metav1.LabelSelectorAsSelector: nil → nothing, empty → everything. */
export function fromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (!ls) return { requirements: [], nothing: true };
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) reqs.push({ key: k, op: "=", value: v });
  for (const e of ls.matchExpressions ?? []) {
    if (e.operator === "In" || e.operator === "NotIn") reqs.push({ key: e.key, op: e.operator, values: e.values ?? [] });
    else if (e.operator === "Exists" || e.operator === "DoesNotExist") reqs.push({ key: e.key, op: e.operator });
  }
  return { requirements: reqs };
}

export function labelSelectorMatches(ls: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  return matches(fromLabelSelector(ls), labels);
}

/** Equality requirements usable for an index lookup (`k=v`). */
export function equalityPairs(sel: Selector): string[] {
  return sel.requirements.filter((r): r is { key: string; op: "="; value: string } => r.op === "=").map((r) => `${r.key}=${r.value}`);
}

/**
 * Parse kubectl's `-l` syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. Throws with kubectl-like text.
 */
export function parseSelector(s: string): Selector {
  const reqs: Requirement[] = [];
  const src = s.trim();
  if (src === "") return everything;
  // split on commas not inside parentheses
  const parts: string[] = [];
  let depth = 0, cur = "";
  for (const ch of src) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) { parts.push(cur); cur = ""; } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      reqs.push({ key: m[1]!, op: m[2] === "in" ? "In" : "NotIn", values: m[3]!.split(",").map((x) => x.trim()).filter(Boolean) });
    } else if ((m = p.match(/^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/))) {
      reqs.push({ key: m[1]!, op: m[2] === "!=" ? "!=" : "=", value: m[3]! });
    } else if ((m = p.match(/^!\s*([A-Za-z0-9_./-]+)$/))) {
      reqs.push({ key: m[1]!, op: "DoesNotExist" });
    } else if ((m = p.match(/^([A-Za-z0-9_./-]+)$/))) {
      reqs.push({ key: m[1]!, op: "Exists" });
    } else {
      throw new Error(`unable to parse requirement: found '${p}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return { requirements: reqs };
}

/** `a=b,c=d` as kubectl prints selectors (sorted keys). */
export function formatLabels(labels: Record<string, string> | undefined, empty = "<none>"): string {
  const e = Object.entries(labels ?? {});
  if (e.length === 0) return empty;
  return e.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(",");
}

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`. */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  if (!ls) return "<none>";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`${k}=${v}`);
  for (const e of ls.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort();
    if (e.operator === "In") parts.push(`${e.key} in (${vals.join(",")})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${vals.join(",")})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(",") : "<none>";
}
