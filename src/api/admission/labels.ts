/**
 * Label and selector validation shared by every kind (apimachinery validation.ValidateLabels,
 * ValidateLabelSelector; util/validation IsQualifiedName, IsValidLabelValue), with the API server's texts.
 * The object's own metadata.labels go through ObjectStore.validateMeta; this module adds the pod
 * templates and selectors of the workload kinds, so a label value the API server refuses is refused
 * at admission instead of failing later in a controller.
 */
import { fieldErr, type FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { registerAdmission } from "./registry.ts";

const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_PART_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const PREFIX_MSG = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** IsValidLabelValue: one message per problem, as upstream lists them. */
export function labelValueProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push("must be no more than 63 characters");
  if (!LABEL_VALUE_RE.test(v)) out.push(VALUE_MSG);
  return out;
}

/** IsQualifiedName ([prefix/]name). */
export function qualifiedNameProblems(k: string): string[] {
  const out: string[] = [];
  const parts = k.split("/");
  let name = k;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) out.push("prefix part must be non-empty");
    else {
      if (prefix.length > 253) out.push("prefix part must be no more than 253 characters");
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) out.push(PREFIX_MSG);
    }
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) out.push("name part must be non-empty");
  else {
    if (name.length > 63) out.push("name part must be no more than 63 characters");
    if (!NAME_PART_RE.test(name)) out.push(NAME_MSG);
  }
  return out;
}

/** ValidateLabels: keys then values, each problem its own error at `field`. */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels || typeof labels !== "object") return errs;
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    for (const m of qualifiedNameProblems(k)) errs.push(fieldErr.invalid(field, k, m));
    if (typeof v !== "string") continue; // the schema layer reports non-strings
    for (const m of labelValueProblems(v)) errs.push(fieldErr.invalid(field, v, m));
  }
  return errs;
}

/** ValidateLabelSelector: matchLabels like labels; matchExpressions keys qualified, In/NotIn values label values. */
export function validateLabelSelector(sel: unknown, field: string): FieldError[] {
  if (!sel || typeof sel !== "object") return [];
  const s = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  const errs = validateLabels(s.matchLabels, `${field}.matchLabels`);
  if (Array.isArray(s.matchExpressions)) {
    s.matchExpressions.forEach((e: any, i: number) => {
      if (!e || typeof e !== "object") return;
      const p = `${field}.matchExpressions[${i}]`;
      if (typeof e.key === "string") for (const m of qualifiedNameProblems(e.key)) errs.push(fieldErr.invalid(`${p}.key`, e.key, m));
      if (Array.isArray(e.values)) e.values.forEach((v: unknown, j: number) => {
        if (typeof v === "string") for (const m of labelValueProblems(v)) errs.push(fieldErr.invalid(`${p}.values[${j}]`, v, m));
      });
    });
  }
  return errs;
}

/** Pod templates and selectors of the workload kinds: where each keeps them. */
const TEMPLATES: Record<string, Array<{ selector?: string[]; template: string[]; prefix: string }>> = {
  ReplicaSet: [{ selector: ["spec", "selector"], template: ["spec", "template"], prefix: "spec" }],
  Deployment: [{ selector: ["spec", "selector"], template: ["spec", "template"], prefix: "spec" }],
  DaemonSet: [{ selector: ["spec", "selector"], template: ["spec", "template"], prefix: "spec" }],
  StatefulSet: [{ selector: ["spec", "selector"], template: ["spec", "template"], prefix: "spec" }],
  Job: [{ selector: ["spec", "selector"], template: ["spec", "template"], prefix: "spec" }],
  CronJob: [{ selector: ["spec", "jobTemplate", "spec", "selector"], template: ["spec", "jobTemplate", "spec", "template"], prefix: "spec.jobTemplate.spec" }],
};

const at = (o: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);

for (const [kind, places] of Object.entries(TEMPLATES)) {
  registerAdmission(kind, {
    validate(obj: KubeObject, ctx) {
      if (ctx.status) return [];
      const errs: FieldError[] = [];
      for (const p of places) {
        if (p.selector) errs.push(...validateLabelSelector(at(obj, p.selector), `${p.prefix}.selector`));
        const tpl = at(obj, p.template) as { metadata?: { labels?: unknown; annotations?: unknown } } | undefined;
        errs.push(...validateLabels(tpl?.metadata?.labels, `${p.prefix}.template.metadata.labels`));
        if (kind === "CronJob") errs.push(...validateLabels(at(obj, ["spec", "jobTemplate", "metadata", "labels"]), "spec.jobTemplate.metadata.labels"));
      }
      return errs;
    },
  });
}
