/** API errors shaped like metav1.Status, so kubectl can print them in its own words. */
export type StatusReason =
  | "NotFound" | "AlreadyExists" | "Invalid" | "Conflict" | "BadRequest" | "Forbidden" | "MethodNotAllowed";

const CODES: Record<StatusReason, number> = {
  NotFound: 404, AlreadyExists: 409, Invalid: 422, Conflict: 409, BadRequest: 400, Forbidden: 403, MethodNotAllowed: 405,
};

export interface FieldError { field: string; message: string }

export class ApiError extends Error {
  readonly reason: StatusReason;
  readonly code: number;
  /** For Invalid: the kind (e.g. "Deployment") and name, plus each field cause. */
  readonly details?: { kind: string; name: string; causes: FieldError[] };
  constructor(reason: StatusReason, message: string, details?: { kind: string; name: string; causes: FieldError[] }) {
    super(message);
    this.reason = reason;
    this.code = CODES[reason];
    if (details) this.details = details;
  }
}

/** `pods "x" not found` */
export function notFound(resource: string, name: string): ApiError {
  return new ApiError("NotFound", `${resource} "${name}" not found`);
}
export function alreadyExists(resource: string, name: string): ApiError {
  return new ApiError("AlreadyExists", `${resource} "${name}" already exists`);
}
/** kind is the bare kind ("Deployment"); resource is e.g. "deployments.apps". */
export function invalid(kind: string, name: string, causes: FieldError[]): ApiError {
  const body = causes.length === 1
    ? `${causes[0]!.field}: ${causes[0]!.message}`
    : `[${causes.map((c) => `${c.field}: ${c.message}`).join(", ")}]`;
  return new ApiError("Invalid", `${kind} "${name}" is invalid: ${body}`, { kind, name, causes });
}

/** Field error helpers with the apimachinery field.Error wording. */
export const fieldErr = {
  required: (field: string, detail = ""): FieldError => ({ field, message: detail ? `Required value: ${detail}` : "Required value" }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({ field, message: `Invalid value: ${fmtValue(value)}: ${detail}` }),
  unsupported: (field: string, value: unknown, supported: string[]): FieldError => ({
    field, message: `Unsupported value: ${fmtValue(value)}: supported values: ${supported.map((s) => `"${s}"`).join(", ")}` }),
  forbidden: (field: string, detail: string): FieldError => ({ field, message: `Forbidden: ${detail}` }),
  duplicate: (field: string, value: unknown): FieldError => ({ field, message: `Duplicate value: ${fmtValue(value)}` }),
  tooLong: (field: string, value: unknown, max: number): FieldError => ({ field, message: `Too long: may not be more than ${max} bytes` + (value === undefined ? "" : "") }),
  notSupported: (field: string, detail: string): FieldError => ({ field, message: detail }),
};

/** Values print the way field.Error prints them: strings quoted, numbers bare, objects as Go would (roughly). */
export function fmtValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "null";
  if (typeof v === "object" && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(", ")}}`;
  }
  return JSON.stringify(v);
}
