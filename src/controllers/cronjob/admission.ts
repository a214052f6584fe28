/**
 * CronJob admission: defaults (C3, `SetDefaults_CronJob`) and validation (C2, `ValidateCronJobCreate`,
 * `validateScheduleFormat`, `validateTimeZone`) with the API server's texts.
 */
import { registerAdmission } from "../../api/admission/registry.ts";
import { fieldErr, type FieldError } from "../../api/errors.ts";
import { defaultTemplate } from "../deployment/admission.ts";
import { validateJobSpecCommon } from "../job/admission.ts";
import { nonNegative } from "../util/workloadValidation.ts";
import { isValidTimeZone, validateSchedule } from "./schedule.ts";

registerAdmission("CronJob", {
  default(obj) {
    const spec = (obj.spec ??= {});
    spec.concurrencyPolicy ??= "Allow";
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    spec.jobTemplate ??= {};
    spec.jobTemplate.spec ??= {};
    spec.jobTemplate.spec.template ??= {};
    defaultTemplate(spec.jobTemplate.spec.template);
  },
  validate(obj, ctx) {
    const errs: FieldError[] = [];
    const spec = obj.spec ?? {};
    if (ctx.op === "CREATE" && obj.metadata.name.length > 52) {
      errs.push(fieldErr.invalid("metadata.name", obj.metadata.name, "must be no more than 52 characters"));
    }
    const schedule: unknown = spec.schedule;
    if (typeof schedule !== "string" || schedule.length === 0) errs.push(fieldErr.required("spec.schedule"));
    else {
      // Updates of objects that already carried TZ are allowed (only new TZ use is refused).
      const oldHadTZ = typeof ctx.old?.spec?.schedule === "string" && ctx.old.spec.schedule.includes("TZ");
      for (const m of validateSchedule(schedule)) {
        if (oldHadTZ && m.startsWith("cannot use TZ")) continue;
        errs.push(fieldErr.invalid("spec.schedule", schedule, m));
      }
    }
    if (spec.timeZone !== undefined && spec.timeZone !== null) {
      const tz = spec.timeZone;
      if (tz === "") errs.push(fieldErr.invalid("spec.timeZone", tz, "timeZone must be nil or non-empty string"));
      else if (typeof tz !== "string" || /^local$/i.test(tz)) errs.push(fieldErr.invalid("spec.timeZone", tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
      else if (!isValidTimeZone(tz)) errs.push(fieldErr.invalid("spec.timeZone", tz, `unknown time zone ${tz}`));
    }
    if (!["Allow", "Forbid", "Replace"].includes(spec.concurrencyPolicy)) {
      errs.push(fieldErr.unsupported("spec.concurrencyPolicy", spec.concurrencyPolicy ?? "", ["Allow", "Forbid", "Replace"]));
    }
    errs.push(...nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"));
    errs.push(...nonNegative(spec.successfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit"));
    errs.push(...nonNegative(spec.failedJobsHistoryLimit, "spec.failedJobsHistoryLimit"));
    const jt = spec.jobTemplate?.spec;
    if (jt?.selector && jt.manualSelector !== true) {
      errs.push(fieldErr.invalid("spec.jobTemplate.spec.selector", "", "`selector` will be auto-generated"));
    }
    errs.push(...validateJobSpecCommon(jt, "spec.jobTemplate.spec"));
    return errs;
  },
});
