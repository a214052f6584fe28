/** Time helpers: RFC3339 on virtual time, Go durations, kubectl's HumanDuration (X10). */

/** Second-precision RFC3339 in UTC, as the API server writes metav1.Time. */
let lastSec = NaN, lastStr = "", prevSec = NaN, prevStr = "";
export function rfc3339(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec === lastSec) return lastStr;
  // Two recent seconds cached (callers alternate between now and an earlier time): one string per second.
  if (sec === prevSec) {
    const str = prevStr;
    prevSec = lastSec; prevStr = lastStr; lastSec = sec; lastStr = str;
    return str;
  }
  prevSec = lastSec; prevStr = lastStr;
  lastSec = sec; lastStr = formatSec(sec);
  return lastStr;
}

/** "YYYY-MM-DDTHH:MM:SSZ" character codes; the date part is filled once per day. */
const TS_CODES: number[] = [..."0000-00-00T00:00:00Z"].map((c) => c.charCodeAt(0));
let tsDay = NaN;

/**
 * = new Date(sec * 1000).toISOString().replace(".000Z", "Z"), as one flat string, with the date part
 * computed once per day and the time of day by arithmetic (4× faster).
 */
function formatSec(sec: number): string {
  const day = Math.floor(sec / 86400);
  if (day !== tsDay) {
    const iso = new Date(day * 86_400_000).toISOString();
    if (iso.length !== 24) return new Date(sec * 1000).toISOString().replace(".000Z", "Z"); // years past 9999 or before 0
    for (let i = 0; i < 11; i++) TS_CODES[i] = iso.charCodeAt(i);
    tsDay = day;
  }
  let s = sec - day * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const c = TS_CODES;
  c[11] = 48 + Math.floor(h / 10); c[12] = 48 + (h % 10);
  c[14] = 48 + Math.floor(m / 10); c[15] = 48 + (m % 10);
  c[17] = 48 + Math.floor(s / 10); c[18] = 48 + (s % 10);
  return String.fromCharCode.apply(null, c);
}
/** metav1.MicroTime-style (for events' eventTime). */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
let lastParsed = "", lastParsedMs: number | undefined;
export function parseTime(s: string | undefined | null): number | undefined {
  if (!s) return undefined;
  if (s === lastParsed) return lastParsedMs;
  const ms = parseAny(s);
  lastParsed = s;
  lastParsedMs = ms;
  return ms;
}

/** parseTime without the cache. */
function parseAny(s: string): number | undefined {
  const fast = parseCanonical(s);
  if (fast !== undefined) return fast;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** Days per month in a leap / common year (index 1..12). */
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * "YYYY-MM-DDTHH:MM:SSZ" (what rfc3339 writes) with every field in range and a year from 100 (Date.UTC maps 0–99 to 19xx): the same number Date.parse gives,
 * without its general parser. Anything else → undefined (the caller uses Date.parse).
 */
function parseCanonical(s: string): number | undefined {
  if (s.length !== 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84
    || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 90) return undefined;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : MONTH_DAYS[mo]!)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec);
}

/** The decimal number in s[at, at+n), or -1 if any char is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
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
    if (!m || m.index !== pos) {
      // Go's texts: a number with no unit, or with a unit it does not know.
      const num = /^(\d+(?:\.\d*)?|\.\d+)([^\d.]*)/.exec(body.slice(pos));
      if (num && num[2] === "" && pos + num[0].length === body.length) throw new Error(`time: missing unit in duration "${s}"`);
      if (num && num[2] && /^[^\d.]+$/.test(num[2])) throw new Error(`time: unknown unit "${num[2]}" in duration "${s}"`);
      throw new Error(`time: invalid duration "${s}"`);
    }
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
