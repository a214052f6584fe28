/**
 * structuredClone for JSON-shaped data (plain objects, arrays, primitives), keeping keys whose value is
 * undefined as structuredClone does — without its serialisation cost (controllers copy a status or a
 * template on every sync).
 */
export function deepCopy<T>(o: T): T {
  if (o === null || typeof o !== "object") return o;
  if (Array.isArray(o)) {
    const n = o.length;
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = deepCopy(o[i]);
    return a as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in o as Record<string, unknown>) out[k] = deepCopy((o as Record<string, unknown>)[k]);
  return out as T;
}
