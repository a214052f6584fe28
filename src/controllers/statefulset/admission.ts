/**
 * StatefulSet defaulting (S2, pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet) and validation
 * (ValidateStatefulSet / ValidateStatefulSetUpdate) with the API server's texts.
 */
import { registerAdmission } from "../../api/admission/registry.ts";
import { fieldErr, type FieldError } from "../../api/errors.ts";
import { canonicalJson } from "../util/hash.ts";
import { defaultTemplate, validateSelectorAndTemplate, validateSelectorImmutable } from "../deployment/admission.ts";

const UPDATE_FORBIDDEN = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

registerAdmission("StatefulSet", {
  default(obj) {
    const spec = (obj.spec ??= {});
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= "OrderedReady";
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= "RollingUpdate";
    if (spec.updateStrategy.type === "RollingUpdate") {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= {};
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= "Retain";
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= "Retain";
    defaultTemplate(spec.template);
    for (const t of spec.volumeClaimTemplates ?? []) {
      t.apiVersion ??= "v1";
      t.kind ??= "PersistentVolumeClaim";
      t.spec ??= {};
      t.spec.volumeMode ??= "Filesystem";
      t.status ??= { phase: "Pending" };
    }
  },
  validate(obj, ctx) {
    const spec = obj.spec ?? {};
    const errs: FieldError[] = [];
    if (typeof spec.replicas === "number" && spec.replicas < 0) errs.push(fieldErr.invalid("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
    if (!["OrderedReady", "Parallel"].includes(spec.podManagementPolicy)) {
      errs.push(fieldErr.invalid("spec.podManagementPolicy", spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
    }
    const us = spec.updateStrategy ?? {};
    if (!["RollingUpdate", "OnDelete"].includes(us.type)) {
      errs.push(fieldErr.invalid("spec.updateStrategy", us.type, "must be 'RollingUpdate' or 'OnDelete'"));
    } else if (us.type === "OnDelete" && us.rollingUpdate) {
      errs.push(fieldErr.invalid("spec.updateStrategy.rollingUpdate", us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
    } else if (us.type === "RollingUpdate" && typeof us.rollingUpdate?.partition === "number" && us.rollingUpdate.partition < 0) {
      errs.push(fieldErr.invalid("spec.updateStrategy.rollingUpdate.partition", us.rollingUpdate.partition, "must be greater than or equal to 0"));
    }
    // Claim templates are volumes of every pod: mounts may name them.
    const claims = (spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name).filter(Boolean);
    const forValidation = spec.template?.spec && claims.length
      ? { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, volumes: [...(spec.template.spec.volumes ?? []), ...claims.filter((n: string) => !(spec.template.spec.volumes ?? []).some((v: any) => v.name === n)).map((n: string) => ({ name: n, persistentVolumeClaim: { claimName: n } }))] } } }
      : spec;
    errs.push(...validateSelectorAndTemplate("StatefulSet", forValidation, { restartAlways: true }));
    (spec.volumeClaimTemplates ?? []).forEach((t: any, i: number) => {
      if (!t.metadata?.name) errs.push(fieldErr.required(`spec.volumeClaimTemplates[${i}].metadata.name`, "name or generateName is required"));
      if (!(t.spec?.accessModes?.length)) errs.push(fieldErr.required(`spec.volumeClaimTemplates[${i}].spec.accessModes`, "at least 1 access mode is required"));
      if (t.spec?.resources?.requests?.storage === undefined) errs.push(fieldErr.required(`spec.volumeClaimTemplates[${i}].spec.resources[storage]`));
    });
    if (ctx.op === "UPDATE" && ctx.old) {
      const strip = (s: any) => {
        const c = { ...(s ?? {}) };
        for (const k of ["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"]) delete c[k];
        return canonicalJson(c);
      };
      if (strip(spec) !== strip(ctx.old.spec)) errs.push(fieldErr.forbidden("spec", UPDATE_FORBIDDEN));
      else errs.push(...validateSelectorImmutable(obj, ctx.old));
    }
    return errs;
  },
});
