/**
 * DaemonSet admission: defaults (D8, `SetDefaults_DaemonSet`), the template generation the API server
 * keeps in `deprecated.daemonset.template.generation` (strategy PrepareForCreate/PrepareForUpdate), and
 * validation with upstream texts (`ValidateDaemonSetSpec`, `ValidateRollingUpdateDaemonSet`).
 */
import { registerAdmission } from "../../api/admission/registry.ts";
import { fieldErr, type FieldError } from "../../api/errors.ts";
import { validatePodSpec } from "../../api/admission/core.ts";
import { defaultTemplate } from "../deployment/admission.ts";
import { canonicalJson } from "../util/hash.ts";
import { goIntOrString, nonNegative, selectorTemplateErrors } from "../util/workloadValidation.ts";
import { TEMPLATE_GENERATION_ANNOTATION } from "./predicates.ts";

const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

function intOrPercentValue(v: number | string | undefined): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Number(m[1]) : 0;
}

function validateIntOrPercent(v: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v === undefined || v === null) return errs;
  if (typeof v === "string") {
    if (!/^[0-9]+%$/.test(v)) errs.push({ field, message: `Invalid value: ${goIntOrString(v)}: ${PERCENT_MSG}` });
    else if (Number(v.slice(0, -1)) > 100) errs.push({ field, message: `Invalid value: ${goIntOrString(v)}: must not be greater than 100%` });
  } else if (typeof v === "number" && v < 0) errs.push(fieldErr.invalid(field, v, "must be greater than or equal to 0"));
  return errs;
}

/** ValidateRollingUpdateDaemonSet (D8). */
export function validateRollingUpdateDaemonSet(ru: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`));
  errs.push(...validateIntOrPercent(ru.maxSurge, `${path}.maxSurge`));
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push({ field: `${path}.maxSurge`, message: `Invalid value: ${goIntOrString(ru.maxSurge)}: may not be set when maxUnavailable is non-zero` });
  else if (!hasUnavailable && !hasSurge) errs.push(fieldErr.required(`${path}.maxUnavailable`, "cannot be 0 when maxSurge is 0"));
  return errs;
}

registerAdmission("DaemonSet", {
  default(obj, ctx) {
    const spec = (obj.spec ??= {});
    const us = (spec.updateStrategy ??= {});
    us.type ||= "RollingUpdate";
    if (us.type === "RollingUpdate") {
      us.rollingUpdate ??= {};
      us.rollingUpdate.maxUnavailable ??= 1;
      us.rollingUpdate.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.template ??= {};
    defaultTemplate(spec.template);
    const md = obj.metadata;
    if (ctx.op === "CREATE") {
      md.annotations = { ...(md.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: "1" };
    } else if (ctx.old) {
      const oldGen = Number(ctx.old.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? "1") || 1;
      const changed = canonicalJson(ctx.old.spec?.template) !== canonicalJson(spec.template);
      md.annotations = { ...(md.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(changed ? oldGen + 1 : oldGen) };
    }
  },
  validate(obj, ctx) {
    const spec = obj.spec ?? {};
    const errs: FieldError[] = [];
    errs.push(...selectorTemplateErrors(spec.selector, spec.template?.metadata?.labels, "spec", "daemonset"));
    const tspec = spec.template?.spec;
    errs.push(...validatePodSpec(tspec, "spec.template.spec").filter((e) => !e.field.endsWith(".restartPolicy")));
    if (tspec && tspec.restartPolicy !== "Always") errs.push(fieldErr.unsupported("spec.template.spec.restartPolicy", tspec.restartPolicy ?? "", ["Always"]));
    if (tspec?.activeDeadlineSeconds != null) errs.push(fieldErr.invalid("spec.template.spec.activeDeadlineSeconds", tspec.activeDeadlineSeconds, "activeDeadlineSeconds in DaemonSet is not Supported"));
    errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
    const us = spec.updateStrategy ?? {};
    if (us.type === "RollingUpdate") {
      if (!us.rollingUpdate) errs.push(fieldErr.required("spec.updateStrategy.rollingUpdate"));
      else errs.push(...validateRollingUpdateDaemonSet(us.rollingUpdate, "spec.updateStrategy.rollingUpdate"));
    } else if (us.type !== "OnDelete") {
      errs.push(fieldErr.unsupported("spec.updateStrategy", us.type, ["RollingUpdate", "OnDelete"]));
    }
    errs.push(...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"));
    if (ctx.old && canonicalJson(ctx.old.spec?.selector) !== canonicalJson(spec.selector)) {
      errs.push({ field: "spec.selector", message: "Invalid value: v1.LabelSelector{...}: field is immutable" });
    }
    return errs;
  },
});
