/**
 * Deployment defaulting (P1, pkg/apis/apps/v1/defaults.go) and validation (P2,
 * pkg/apis/apps/validation/validation.go ValidateDeployment / ValidateDeploymentUpdate), with the API
 * server's texts.
 */
import { registerAdmission } from "../../api/admission/registry.ts";
import { defaultPodSpec, validatePodSpec } from "../../api/admission/core.ts";
import { fieldErr, fmtValue, type FieldError } from "../../api/errors.ts";
import type { KubeObject, LabelSelector } from "../../api/types.ts";
import { fromLabelSelector, matches } from "../../api/labels.ts";
import { canonicalJson } from "../util/hash.ts";

/** Go's %#v of a metav1.LabelSelector, as field.Invalid prints it. */
export function goLabelSelector(ls: LabelSelector | undefined | null): string {
  if (!ls) return "(*v1.LabelSelector)(nil)";
  const ml = ls.matchLabels ? fmtValue(ls.matchLabels) : "map[string]string(nil)";
  const me = ls.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${ls.matchExpressions.map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${e.values ? `[]string{${e.values.map((v) => JSON.stringify(v)).join(", ")}}` : "[]string(nil)"}}`).join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

/** Template defaults shared by the workload kinds: the pod spec's defaults. */
export function defaultTemplate(tpl: any) {
  if (!tpl) return;
  tpl.spec ??= {};
  // SetDefaults_PodSpec only: the Pod-level defaults (service account admission, enableServiceLinks,
  // priority admission) do not apply to templates, so a template keeps what the user wrote there.
  const keep = { sa: tpl.spec.serviceAccountName, dsa: tpl.spec.serviceAccount, esl: tpl.spec.enableServiceLinks, pp: tpl.spec.preemptionPolicy };
  defaultPodSpec(tpl.spec);
  if (keep.sa === undefined && keep.dsa === undefined) { delete tpl.spec.serviceAccountName; delete tpl.spec.serviceAccount; }
  if (keep.esl === undefined) delete tpl.spec.enableServiceLinks;
  if (keep.pp === undefined) delete tpl.spec.preemptionPolicy;
}

/** ValidateLabelSelector + "empty selector is invalid" + template labels must match (ValidatePodTemplateSpecForReplicaSet). */
export function validateSelectorAndTemplate(kind: string, spec: any, opts: { restartAlways: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector as LabelSelector | undefined;
  if (!sel) errs.push(fieldErr.required("spec.selector"));
  else {
    for (const e of sel.matchExpressions ?? []) {
      if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(e.operator)) errs.push(fieldErr.invalid("spec.selector.matchExpressions[0].operator", e.operator, "not a valid selector operator"));
      if ((e.operator === "In" || e.operator === "NotIn") && !(e.values?.length)) errs.push(fieldErr.required("spec.selector.matchExpressions[0].values", "must be specified when `operator` is 'In' or 'NotIn'"));
    }
    if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
      errs.push({ field: "spec.selector", message: `Invalid value: ${goLabelSelector(sel)}: empty selector is invalid for ${kind.toLowerCase()}` });
    }
  }
  const tpl = spec.template;
  if (!tpl) {
    errs.push(fieldErr.required("spec.template"));
    return errs;
  }
  const labels = tpl.metadata?.labels as Record<string, string> | undefined;
  // A nil selector matches nothing (labels.Nothing()), so it reports the template labels too.
  const empty = !!sel && !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
  if (!empty) {
    if (!matches(fromLabelSelector(sel), labels)) {
      errs.push({ field: "spec.template.metadata.labels", message: `Invalid value: ${labels ? fmtValue(labels) : "map[string]string(nil)"}: \`selector\` does not match template \`labels\`` });
    }
  }
  errs.push(...validatePodSpec(tpl.spec, "spec.template.spec"));
  if (opts.restartAlways && tpl.spec?.restartPolicy !== undefined && tpl.spec.restartPolicy !== "Always") {
    errs.push(fieldErr.unsupported("spec.template.spec.restartPolicy", tpl.spec.restartPolicy, ["Always"]));
  }
  if (tpl.spec?.activeDeadlineSeconds !== undefined && tpl.spec?.activeDeadlineSeconds !== null) {
    errs.push(fieldErr.invalid("spec.template.spec.activeDeadlineSeconds", tpl.spec.activeDeadlineSeconds, "activeDeadlineSeconds in ReplicaSet is not Supported"));
  }
  return errs;
}

function isPercent(v: unknown): v is string {
  return typeof v === "string" && v.endsWith("%");
}

/** ValidatePositiveIntOrPercent + IsValidPercent. */
function validateIntOrPercent(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") {
    if (!/^[0-9]+%$/.test(v)) return [fieldErr.invalid(field, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    return [];
  }
  if (typeof v === "number" && v < 0) return [fieldErr.invalid(field, v, "must be greater than or equal to 0")];
  return [];
}

function percentValue(v: unknown): number {
  return isPercent(v) ? Number(v.slice(0, -1)) : -1;
}

function isZero(v: unknown): boolean {
  return v === 0 || v === "0%" || v === "0";
}

/** P2 ValidateDeploymentSpec (the subset with user-facing texts). */
export function validateDeploymentSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof spec.replicas === "number" && spec.replicas < 0) errs.push(fieldErr.invalid("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
  errs.push(...validateSelectorAndTemplate("Deployment", spec, { restartAlways: true }));
  const st = spec.strategy ?? {};
  if (st.type !== undefined && st.type !== "Recreate" && st.type !== "RollingUpdate") {
    errs.push(fieldErr.unsupported("spec.strategy.type", st.type, ["Recreate", "RollingUpdate"]));
  }
  if (st.type === "Recreate" && st.rollingUpdate) {
    errs.push(fieldErr.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
  }
  if (st.type === "RollingUpdate" && st.rollingUpdate) {
    const ru = st.rollingUpdate;
    const p = "spec.strategy.rollingUpdate";
    errs.push(...validateIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
    errs.push(...validateIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
    // *intstr.IntOrString is a fmt.Stringer: field.Invalid prints it bare (`0`, `0%`), as v1.33 API servers do.
    if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
      errs.push({ field: `${p}.maxUnavailable`, message: `Invalid value: ${String(ru.maxUnavailable ?? 0)}: may not be 0 when \`maxSurge\` is 0` });
    }
    if (percentValue(ru.maxUnavailable) > 100) errs.push({ field: `${p}.maxUnavailable`, message: `Invalid value: ${String(ru.maxUnavailable)}: must not be greater than 100%` });
  }
  if (typeof spec.minReadySeconds === "number" && spec.minReadySeconds < 0) errs.push(fieldErr.invalid("spec.minReadySeconds", spec.minReadySeconds, "must be greater than or equal to 0"));
  if (typeof spec.revisionHistoryLimit === "number" && spec.revisionHistoryLimit < 0) errs.push(fieldErr.invalid("spec.revisionHistoryLimit", spec.revisionHistoryLimit, "must be greater than or equal to 0"));
  if (typeof spec.progressDeadlineSeconds === "number") {
    if (spec.progressDeadlineSeconds < 0) errs.push(fieldErr.invalid("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds, "must be greater than or equal to 0"));
    else if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) errs.push(fieldErr.invalid("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds, "must be greater than minReadySeconds"));
  }
  return errs;
}

/** Immutable selector (ValidateDeploymentUpdate / ValidateStatefulSetUpdate …). */
export function validateSelectorImmutable(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (!old) return [];
  if (canonicalJson(obj.spec?.selector ?? null) === canonicalJson(old.spec?.selector ?? null)) return [];
  return [{ field: "spec.selector", message: `Invalid value: ${goLabelSelector(obj.spec?.selector)}: field is immutable` }];
}

registerAdmission("Deployment", {
  default(obj) {
    const spec = (obj.spec ??= {});
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= "RollingUpdate";
    if (spec.strategy.type === "RollingUpdate") {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= "25%";
      spec.strategy.rollingUpdate.maxSurge ??= "25%";
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(spec.template);
  },
  validate(obj, ctx) {
    const errs = validateDeploymentSpec(obj.spec ?? {});
    if (ctx.op === "UPDATE") errs.push(...validateSelectorImmutable(obj, ctx.old));
    return errs;
  },
});
