/** Time helpers: RFC3339 on virtual time, Go durations, kubectl's HumanDuration (X10). */

/** Second-precision RFC3339 in UTC, as the API server writes metav1.Time. */
let lastSec = NaN, lastStr = "";
export function rfc3339(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSec) { lastSec = sec; lastStr = new Date(sec * 1000).toISOString().replace(".000Z", "Z"); }
  return lastStr;
}
/** metav1.MicroTime-style (for events' eventTime). */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
export function parseTime(s: string | undefined | null): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration: `500ms`, `30s`, `5m`, `1h30m`, `1.5h`. Returns milliseconds. */
export function parseGoDuration(s: string): number {
  const src = s.trim();
  if (src === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0, pos = 0, any = false;
  let sign = 1, body = src;
  if (body.startsWith("-") || body.startsWith("+")) { sign = body.startsWith("-") ? -1 : 1; body = body.slice(1); }
  re.lastIndex = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m || m.index !== pos) throw new Error(`time: invalid duration "${s}"`);
    total += parseFloat(m[1]!) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
    any = true;
  }
  if (!any) throw new Error(`time: invalid duration "${s}"`);
  return sign * Math.round(total);
}

/** Go's Duration.String for whole-ish durations: 1h30m0s, 5m0s, 10s, 500ms. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return "0s";
  const neg = ms < 0; ms = Math.abs(ms);
  if (ms < 1000) return `${neg ? "-" : ""}${ms}ms`;
  const h = Math.floor(ms / 3_600_000), m = Math.floor((ms % 3_600_000) / 60_000), s = (ms % 60_000) / 1000;
  let out = "";
  if (h) out += `${h}h`;
  if (h || m) out += `${m}m`;
  out += `${s}s`;
  return (neg ? "-" : "") + out;
}

/** apimachinery duration.HumanDuration (X10): 119s, 2m5s, 15m, 3h20m, 30h, 3d4h, 400d, 2y100d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** kubectl's translateTimestampSince: `<unknown>` for a missing time, else HumanDuration(now − t). */
export function age(ts: string | undefined | null, now: number): string {
  const t = parseTime(ts ?? undefined);
  if (t === undefined) return "<unknown>";
  return humanDuration(now - t);
}
