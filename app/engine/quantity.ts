/** Kubernetes resource quantities → numbers (cpu in millicores, everything else in base units). Pure. */
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** "500Mi" → 524288000, "100m" → 0.1, 2 → 2. Unparsable → 0. */
export function quantity(q: string | number | undefined | null): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === "number") return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(q.trim());
  if (!m) return 0;
  return Number(m[1]) * (SUFFIX[m[2] ?? ""] ?? 1);
}

/** cpu quantity → millicores (integer). */
export function milliCpu(q: string | number | undefined | null): number {
  return Math.round(quantity(q) * 1000);
}

/** 8589934592 → "8Gi"; 1500 (millicores) → "1500m" / 2000 → "2". */
export function formatBytes(b: number): string {
  for (const [s, f] of [["Gi", 1024 ** 3], ["Mi", 1024 ** 2], ["Ki", 1024]] as const) {
    if (b >= f) {
      const v = b / f;
      return `${Number.isInteger(v) ? v : v.toFixed(1)}${s}`;
    }
  }
  return String(b);
}

export function formatMilliCpu(m: number): string {
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}
