/**
 * Validation pieces shared by workload kinds (apps/batch validation.go): selector vs template labels,
 * non-negative fields, IntOrString printing as field.Invalid shows it.
 */
import { fieldErr, type FieldError } from "../../api/errors.ts";
import { fromLabelSelector, matches } from "../../api/labels.ts";
import type { LabelSelector } from "../../api/types.ts";

/** `spec.selector: Required value` + `spec.template.metadata.labels: … does not match` (+ empty selector). */
export function selectorTemplateErrors(selector: LabelSelector | undefined | null, templateLabels: Record<string, string> | undefined, path: string, emptyWord?: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector) errs.push(fieldErr.required(`${path}.selector`));
  if (!matches(fromLabelSelector(selector), templateLabels)) {
    errs.push({ field: `${path}.template.metadata.labels`, message: `Invalid value: ${goStringMap(templateLabels)}: \`selector\` does not match template \`labels\`` });
  }
  if (emptyWord && selector && Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0) {
    errs.push({ field: `${path}.selector`, message: `Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for ${emptyWord}` });
  }
  return errs;
}

/** Go's %#v of a map[string]string. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (!m) return "map[string]string(nil)";
  const entries = Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1));
  return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}`;
}

/** Go's %#v of an intstr.IntOrString (how field.Invalid prints maxSurge/maxUnavailable). */
export function goIntOrString(v: number | string | undefined | null): string {
  if (typeof v === "string") return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`;
}

/** ValidateNonnegativeField. */
export function nonNegative(v: unknown, field: string): FieldError[] {
  if (typeof v === "number" && v < 0) return [fieldErr.invalid(field, v, "must be greater than or equal to 0")];
  return [];
}
