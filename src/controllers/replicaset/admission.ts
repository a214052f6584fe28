/**
 * ReplicaSet defaulting (R5, pkg/apis/apps/v1/defaults.go SetDefaults_ReplicaSet) and validation
 * (pkg/apis/apps/validation/validation.go ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet;
 * pkg/registry/apps/replicaset/strategy.go ValidateUpdate for the apps/v1 selector immutability), with the
 * API server's texts.
 */
import { registerAdmission } from "../../api/admission/registry.ts";
import { validatePodSpec } from "../../api/admission/core.ts";
import { fieldErr, fmtValue, type FieldError } from "../../api/errors.ts";
import type { KubeObject, LabelSelector } from "../../api/types.ts";
import { fromLabelSelector, matches } from "../../api/labels.ts";
import { canonicalJson } from "../util/hash.ts";
import { defaultTemplate, goLabelSelector } from "../deployment/admission.ts";

const NONNEG = "must be greater than or equal to 0";

/** `map[string]string{"app":"x"}` / `map[string]string(nil)`: Go's %#v of a label map. */
function goLabels(labels: Record<string, string> | undefined): string {
  return labels ? fmtValue(labels) : "map[string]string(nil)";
}

/** ValidateReplicaSetSpec (the subset with user-facing texts), in upstream's order. */
export function validateReplicaSetSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof spec.replicas === "number" && spec.replicas < 0) errs.push(fieldErr.invalid("spec.replicas", spec.replicas, NONNEG));
  if (typeof spec.minReadySeconds === "number" && spec.minReadySeconds < 0) errs.push(fieldErr.invalid("spec.minReadySeconds", spec.minReadySeconds, NONNEG));
  const sel = spec.selector as LabelSelector | undefined | null;
  if (!sel) {
    errs.push(fieldErr.required("spec.selector"));
  } else {
    (sel.matchExpressions ?? []).forEach((e, i) => {
      const p = `spec.selector.matchExpressions[${i}]`;
      if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(e.operator)) errs.push(fieldErr.invalid(`${p}.operator`, e.operator, "not a valid selector operator"));
      else if ((e.operator === "In" || e.operator === "NotIn") && !(e.values?.length)) errs.push(fieldErr.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      else if ((e.operator === "Exists" || e.operator === "DoesNotExist") && e.values?.length) errs.push(fieldErr.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    });
    if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
      errs.push({ field: "spec.selector", message: `Invalid value: ${goLabelSelector(sel)}: empty selector is invalid for deployment` });
    }
  }
  const tpl = spec.template;
  if (!tpl) {
    errs.push(fieldErr.required("spec.template"));
    return errs;
  }
  // LabelSelectorAsSelector(nil) is labels.Nothing(), which is not Empty() and matches nothing: a missing
  // selector also reports the template labels (as a real API server does).
  const empty = !!sel && !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
  const labels = tpl.metadata?.labels as Record<string, string> | undefined;
  if (!empty && !matches(fromLabelSelector(sel), labels)) {
    errs.push({ field: "spec.template.metadata.labels", message: `Invalid value: ${goLabels(labels)}: \`selector\` does not match template \`labels\`` });
  }
  errs.push(...validatePodSpec(tpl.spec, "spec.template.spec"));
  const rp = tpl.spec?.restartPolicy;
  if (rp !== undefined && rp !== "Always") {
    errs.push(fieldErr.unsupported("spec.template.spec.restartPolicy", rp, ["Always"]));
  }
  if (tpl.spec?.activeDeadlineSeconds !== undefined && tpl.spec?.activeDeadlineSeconds !== null) {
    errs.push(fieldErr.invalid("spec.template.spec.activeDeadlineSeconds", tpl.spec.activeDeadlineSeconds, "activeDeadlineSeconds in ReplicaSet is not Supported"));
  }
  return errs;
}

/** apps/v1 forbids selector changes (strategy.ValidateUpdate → ValidateImmutableField). */
export function validateReplicaSetUpdate(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (!old) return [];
  if (canonicalJson(obj.spec?.selector ?? null) === canonicalJson(old.spec?.selector ?? null)) return [];
  return [{ field: "spec.selector", message: `Invalid value: ${goLabelSelector(obj.spec?.selector)}: field is immutable` }];
}

registerAdmission("ReplicaSet", {
  default(obj) {
    const spec = (obj.spec ??= {});
    spec.replicas ??= 1;
    defaultTemplate(spec.template);
  },
  validate(obj, ctx) {
    const errs = validateReplicaSetSpec(obj.spec ?? {});
    if (ctx.op === "UPDATE") errs.push(...validateReplicaSetUpdate(obj, ctx.old));
    return errs;
  },
});
