/**
 * Job admission: defaults (J1, `SetDefaults_Job`), the API server's generated selector and labels (J2,
 * `generateSelector` in pkg/registry/batch/job/strategy.go) and validation with upstream's texts (J3,
 * pkg/apis/batch/validation/validation.go).
 */
import { registerAdmission } from "../../api/admission/registry.ts";
import { fieldErr, type FieldError } from "../../api/errors.ts";
import type { KubeObject } from "../../api/types.ts";
import { validatePodSpec } from "../../api/admission/core.ts";
import { defaultTemplate } from "../deployment/admission.ts";
import { canonicalJson } from "../util/hash.ts";
import { nonNegative, selectorTemplateErrors } from "../util/workloadValidation.ts";

export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const LEGACY_JOB_NAME_LABEL = "job-name";
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** SetDefaults_Job on a JobSpec (also used for CronJob templates' pod specs). */
export function defaultJobSpec(spec: any): void {
  if (!spec) return;
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  if (spec.backoffLimit == null) spec.backoffLimit = spec.backoffLimitPerIndex != null ? 2147483647 : 6;
  spec.completionMode ??= "NonIndexed";
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? "Failed" : "TerminatingOrFailed";
  spec.manualSelector ??= undefined;
  if (spec.manualSelector === undefined) delete spec.manualSelector;
  for (const r of spec.podFailurePolicy?.rules ?? []) {
    for (const p of r.onPodConditions ?? []) p.status ??= "True";
  }
  spec.template ??= {};
  defaultTemplate(spec.template);
}

/** J2: labels and selector the API server generates unless manualSelector is true. */
function generateSelector(job: KubeObject): void {
  const spec = job.spec;
  if (spec.manualSelector === true) return;
  spec.template ??= {};
  spec.template.metadata ??= {};
  const labels: Record<string, string> = { ...(spec.template.metadata.labels ?? {}) };
  const name = job.metadata.name, uid = job.metadata.uid;
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(k in labels)) labels[k] = name;
  if (uid) for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(k in labels)) labels[k] = uid;
  spec.template.metadata.labels = labels;
  if (uid) {
    spec.selector ??= {};
    spec.selector.matchLabels = { ...(spec.selector.matchLabels ?? {}) };
    if (!(CONTROLLER_UID_LABEL in spec.selector.matchLabels)) spec.selector.matchLabels[CONTROLLER_UID_LABEL] = uid;
  }
}

/**
 * validateJobSpec: the checks shared by Jobs and CronJob job templates. `path` is "spec" or
 * "spec.jobTemplate.spec".
 */
export function validateJobSpecCommon(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [fieldErr.required(path)];
  errs.push(...nonNegative(spec.parallelism, `${path}.parallelism`));
  errs.push(...nonNegative(spec.completions, `${path}.completions`));
  errs.push(...nonNegative(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`));
  errs.push(...nonNegative(spec.backoffLimit, `${path}.backoffLimit`));
  errs.push(...nonNegative(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`));
  if (spec.completionMode !== undefined) {
    if (spec.completionMode !== "NonIndexed" && spec.completionMode !== "Indexed") {
      errs.push(fieldErr.unsupported(`${path}.completionMode`, spec.completionMode, ["NonIndexed", "Indexed"]));
    }
    if (spec.completionMode === "Indexed" && spec.completions == null) {
      errs.push(fieldErr.required(`${path}.completions`, "when completion mode is Indexed"));
    }
  }
  if (spec.podReplacementPolicy !== undefined && !["TerminatingOrFailed", "Failed"].includes(spec.podReplacementPolicy)) {
    errs.push(fieldErr.unsupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ["Failed", "TerminatingOrFailed"]));
  } else if (spec.podFailurePolicy && spec.podReplacementPolicy === "TerminatingOrFailed") {
    errs.push(fieldErr.notSupported(`${path}.podReplacementPolicy`, `Unsupported value: "TerminatingOrFailed": supported values: "Failed"`));
  }
  (spec.podFailurePolicy?.rules ?? []).forEach((r: any, i: number) => {
    const rp = `${path}.podFailurePolicy.rules[${i}]`;
    if (!["FailJob", "FailIndex", "Ignore", "Count"].includes(r.action)) {
      errs.push(fieldErr.unsupported(`${rp}.action`, r.action ?? "", ["Count", "FailIndex", "FailJob", "Ignore"]));
    }
    if (r.onExitCodes && r.onPodConditions) errs.push(fieldErr.invalid(rp, "", "specifying both OnExitCodes and OnPodConditions is not supported"));
    if (!r.onExitCodes && !r.onPodConditions?.length) errs.push(fieldErr.invalid(rp, "", "specifying one of OnExitCodes and OnPodConditions is required"));
    if (r.onExitCodes) {
      if (!["In", "NotIn"].includes(r.onExitCodes.operator)) errs.push(fieldErr.unsupported(`${rp}.onExitCodes.operator`, r.onExitCodes.operator ?? "", ["In", "NotIn"]));
      if (r.onExitCodes.operator === "In" && (r.onExitCodes.values ?? []).includes(0)) {
        errs.push(fieldErr.invalid(`${rp}.onExitCodes.values[${r.onExitCodes.values.indexOf(0)}]`, 0, "must not be 0 for the In operator"));
      }
    }
    if (r.action === "FailIndex" && spec.backoffLimitPerIndex == null) {
      errs.push(fieldErr.invalid(`${rp}.action`, "FailIndex", "requires the backoffLimitPerIndex to be set"));
    }
  });
  const tspec = spec.template?.spec;
  errs.push(...validatePodSpec(tspec, `${path}.template.spec`).filter((e) => !e.field.endsWith(".restartPolicy")));
  const rp = tspec?.restartPolicy;
  if (rp === "Always" || rp === "" || rp === undefined) {
    errs.push(fieldErr.required(`${path}.template.spec.restartPolicy`, `valid values: "OnFailure", "Never"`));
  } else if (rp !== "OnFailure" && rp !== "Never") {
    errs.push(fieldErr.unsupported(`${path}.template.spec.restartPolicy`, rp, ["OnFailure", "Never"]));
  } else if (spec.podFailurePolicy && rp !== "Never") {
    errs.push(fieldErr.invalid(`${path}.template.spec.restartPolicy`, rp, `only "Never" is supported when podFailurePolicy is specified`));
  }
  return errs;
}

/** J12: an Indexed Job's last pod hostname `<name>-<completions-1>` must be a DNS label. */
function validateIndexedName(job: KubeObject): FieldError[] {
  const spec = job.spec;
  if (spec?.completionMode !== "Indexed" || typeof spec.completions !== "number" || spec.completions <= 0) return [];
  const last = `${job.metadata.name}-${spec.completions - 1}`;
  if (last.length > 63 || !DNS1123_LABEL.test(last)) {
    return [fieldErr.invalid("metadata.name", job.metadata.name, `will not able to create pod with invalid DNS label: ${last}`)];
  }
  return [];
}

const IMMUTABLE_MSG = "field is immutable";

registerAdmission("Job", {
  default(obj, ctx) {
    obj.spec ??= {};
    defaultJobSpec(obj.spec);
    if (ctx.op === "CREATE" || ctx.old) generateSelector(obj);
    // SetDefaults_Job shares the template's label map with the Job, so the Job shows the generated labels.
    if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) {
      const tl = obj.spec.template?.metadata?.labels;
      if (tl && Object.keys(tl).length) obj.metadata.labels = { ...tl };
    }
  },
  validate(obj, ctx) {
    const spec = obj.spec;
    const errs: FieldError[] = [];
    errs.push(...validateIndexedName(obj));
    errs.push(...validateJobSpecCommon(spec, "spec"));
    if (spec) errs.push(...selectorTemplateErrors(spec.selector, spec.template?.metadata?.labels, "spec"));
    const old = ctx.old;
    if (old && !ctx.status) {
      const o = old.spec ?? {};
      if (canonicalJson(o.selector) !== canonicalJson(spec?.selector)) errs.push(fieldErr.invalid("spec.selector", "", IMMUTABLE_MSG));
      if (canonicalJson(o.template) !== canonicalJson(spec?.template)) {
        errs.push({ field: "spec.template", message: `Invalid value: core.PodTemplateSpec{...}: ${IMMUTABLE_MSG}` });
      }
      if (o.completions !== spec?.completions && !(spec?.completionMode === "Indexed" && spec.completions === spec.parallelism)) {
        errs.push(fieldErr.invalid("spec.completions", spec?.completions ?? null, IMMUTABLE_MSG));
      }
      if (o.completionMode !== spec?.completionMode) errs.push(fieldErr.invalid("spec.completionMode", spec?.completionMode ?? "", IMMUTABLE_MSG));
    }
    return errs;
  },
});
