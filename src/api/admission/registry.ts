/**
 * Admission, as the API server runs it on every write: mutating defaults first, then validation.
 * Each kind registers its own (`src/api/admission/*.ts`, `src/controllers/<kind>/admission.ts`).
 */
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import type { ObjectStore } from "../store.ts";

export interface AdmissionCtx {
  op: "CREATE" | "UPDATE";
  now: number;
  store: ObjectStore;
  /** The stored object before this write (UPDATE only). */
  old?: KubeObject;
  /** True when the write is a status-subresource write (validation of spec is skipped). */
  status?: boolean;
}

export interface KindAdmission {
  /** Mutate `obj` in place (it is already a private copy). Runs before validation. */
  default?(obj: KubeObject, ctx: AdmissionCtx): void;
  /** Return every field error; an empty list admits the object. */
  validate?(obj: KubeObject, ctx: AdmissionCtx): FieldError[];
}

const registry = new Map<string, KindAdmission[]>();

export function registerAdmission(kind: string, adm: KindAdmission): void {
  const list = registry.get(kind) ?? [];
  list.push(adm);
  registry.set(kind, list);
}

export function admissionFor(kind: string): KindAdmission[] {
  return registry.get(kind) ?? [];
}
