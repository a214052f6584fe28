/** X6: intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  if (!v.endsWith("%")) {
    const n = Number(v);
    if (v.trim() !== "" && Number.isInteger(n)) return n; // intstr from a string that is an int
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const p = percent(v);
  if (!Number.isFinite(p)) throw new Error(`invalid value "${v}": strconv.Atoi: parsing "${v.slice(0, -1)}": invalid syntax`);
  const x = (p * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** The last percentage parsed (one string, "25%" by default, serves every Deployment sync). */
let lastPercent = "", lastP = NaN;

/** Number("25%".slice(0, -1)), remembered for the last string. */
function percent(v: string): number {
  if (v !== lastPercent) { lastP = Number(v.slice(0, -1)); lastPercent = v; }
  return lastP;
}

/** True when the value is `0` or `0%` (validation of maxSurge/maxUnavailable). */
export function isZero(v: number | string | undefined | null): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "number") return v === 0;
  return v === "0" || v === "0%";
}
