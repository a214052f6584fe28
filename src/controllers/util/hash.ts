/**
 * X3: template hash. Upstream hashes the Go struct with spew (not reproducible outside Go); we hash a
 * canonical JSON of the template with the same FNV-32a and SafeEncodeString, so hashes have the real
 * shape (`[4-9bcdf]`, 1–10 chars) and change exactly when the template changes.
 */
import { NAME_ALPHABET } from "../../clock/rng.ts";

export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    // UTF-8 encode so non-ASCII hashes like Go bytes would
    if (c < 0x80) {
      h = Math.imul(h ^ c, 0x01000193) >>> 0;
    } else {
      const bytes = new TextEncoder().encode(s[i]!);
      for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
      c = 0;
    }
  }
  return h >>> 0;
}

/** Canonical JSON: object keys sorted, undefined dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** rand.SafeEncodeString: each char c → alphanums[c % 27]. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += NAME_ALPHABET[s.charCodeAt(i) % NAME_ALPHABET.length];
  return out;
}

/** controller.ComputeHash(template, collisionCount). */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  let s = canonicalJson(template);
  if (collisionCount !== undefined && collisionCount !== null) s += `#${collisionCount}`;
  return safeEncodeString(String(fnv32a(s)));
}
