/** kubectl's cmdutil.CheckErr wording for API errors. */
import type { ApiError } from "../api/errors.ts";

export function formatApiError(e: ApiError): string {
  if (e.reason === "Invalid" && e.details && e.details.causes.length) {
    const causes = e.details.causes.map((c) => `${c.field}: ${c.message}`);
    const head = `The ${e.details.kind} "${e.details.name}" is invalid: `;
    return causes.length === 1 ? head + causes[0] : head + "\n" + causes.map((c) => `* ${c}`).join("\n");
  }
  return `Error from server (${e.reason}): ${e.message}`;
}
