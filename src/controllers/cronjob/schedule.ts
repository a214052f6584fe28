/**
 * C1: CronJob schedules as Kubernetes parses them (robfig/cron v3 `ParseStandard`), iterated with
 * cron-parser 5.10.5 behind this thin adapter (toolchain.md §6).
 *
 * The adapter validates with robfig's own grammar and error texts (so the API server's messages come out
 * right), handles descriptors itself (`@midnight`, `@every`), and post-filters DST as robfig does: a wall
 * time that falls into a spring-forward gap is skipped that day, a wall time repeated in the fall-back
 * hour fires twice.
 *
 * Pure: must not read the store. No wall clock: every iteration is based on an explicit time.
 */
import { CronExpressionParser, type CronExpression } from "cron-parser";
import { parseGoDuration } from "../../util/time.ts";

export interface K8sSchedule {
  /** The first activation strictly after `afterMs`, or undefined when the schedule never fires. */
  next(afterMs: number): number | undefined;
}

export type ParseResult = { ok: true; schedule: K8sSchedule } | { ok: false; error: string };

interface Bounds { min: number; max: number; names?: Record<string, number> }
export const MINUTES: Bounds = { min: 0, max: 59 };
export const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const FIELD_BOUNDS = [MINUTES, HOURS, DOM, MONTHS, DOW];

const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
};

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

function mustParseInt(expr: string): number {
  let n: number;
  try {
    n = atoi(expr);
  } catch (e) {
    throw new Error(`failed to parse int from ${expr}: ${(e as Error).message}`);
  }
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  return mustParseInt(expr);
}

/** robfig getRange: validates one comma-separated element of a field. */
function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  const singleDigit = lowAndHigh.length === 1;
  let start: number, end: number, step: number;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = r.min;
    end = r.max;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    if (singleDigit) end = r.max;
  } else throw new Error(`too many slashes: ${expr}`);
  if (start < r.min) throw new Error(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new Error(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
}

/** Go's strings.Fields. */
function fields(s: string): string[] {
  return s.split(/[\t\n\v\f\r ]+/).filter((x) => x !== "");
}

/** Is `tz` a zone Go's time.LoadLocation accepts ("" and "UTC" included)? "Local" is handled by callers. */
export function isValidTimeZone(tz: string): boolean {
  if (tz === "" || tz === "UTC" || tz === "Local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * robfig's ParseStandard on `spec`: returns the 5 normalised fields, an @every interval, or throws with
 * robfig's error text. A `TZ=`/`CRON_TZ=` prefix is parsed as robfig does (the API server rejects it
 * separately, see validateSchedule).
 */
export function robfigParse(spec: string): { fields: string[]; tz?: string } | { everyMs: number; tz?: string } {
  if (spec.length === 0) throw new Error("empty spec string");
  let tz: string | undefined;
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const i = spec.indexOf(" ");
    const eq = spec.indexOf("=");
    const name = i < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, i);
    if (!isValidTimeZone(name) || name === "Local") {
      if (name !== "Local") throw new Error(`provided bad location ${name}: unknown time zone ${name}`);
    }
    tz = name;
    spec = i < 0 ? "" : spec.slice(i).trim();
  }
  if (spec.startsWith("@")) {
    const d = DESCRIPTORS[spec];
    if (d) return { fields: d.split(" "), ...(tz !== undefined ? { tz } : {}) };
    const every = "@every ";
    if (spec.startsWith(every)) {
      let ms: number;
      try {
        ms = parseGoDuration(spec.slice(every.length));
      } catch (e) {
        throw new Error(`failed to parse duration ${spec}: ${(e as Error).message}`);
      }
      // cron.Every: below one second becomes one second; sub-second parts are dropped.
      ms = ms < 1000 ? 1000 : ms - (ms % 1000);
      return { everyMs: ms, ...(tz !== undefined ? { tz } : {}) };
    }
    throw new Error(`unrecognized descriptor: ${spec}`);
  }
  const f = fields(spec);
  if (f.length !== 5) throw new Error(`expected exactly 5 fields, found ${f.length}: [${f.join(" ")}]`);
  f.forEach((field, i) => {
    for (const expr of field.split(",").filter((x) => x !== "")) checkRange(expr, FIELD_BOUNDS[i]!);
  });
  return { fields: f, ...(tz !== undefined ? { tz } : {}) };
}

// ------------------------------------------------------------------ iteration

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
/** "YYYY-MM-DD HH:MM" wall time of `ms` in `tz`. */
function wallTime(ms: number, tz: string): string {
  let f = wallFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    wallFormatters.set(tz, f);
  }
  return f.format(new Date(ms));
}
function wallHourMinute(ms: number, tz: string): [number, number] {
  const w = wallTime(ms, tz);
  const m = /(\d{2}):(\d{2})$/.exec(w)!;
  return [Number(m[1]), Number(m[2])];
}

/** t[i] = the smallest allowed value ≥ i, or -1 when none is (values 0..n-1). */
function nextAllowed(allowed: Set<number>, n: number): Int8Array {
  const t = new Int8Array(n);
  let next = -1;
  for (let i = n - 1; i >= 0; i--) {
    if (allowed.has(i)) next = i;
    t[i] = next;
  }
  return t;
}

/**
 * The values a robfig minute/hour field allows (`*`, `?`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n`, comma lists),
 * for a field robfigParse has already validated — or undefined when cron-parser would refuse the field
 * (characters other than digits, `*`, `?`, `-`, `/`, e.g. Go's `+5`; or a value listed twice, e.g. `*,5`:
 * "duplicate values found"), which makes the schedule one that never fires here.
 */
export function fieldValues(field: string, r: Bounds): Set<number> | undefined {
  const out = new Set<number>();
  for (const expr of field.split(",")) {
    if (expr === "") continue;
    if (!/^[0-9*?/-]+$/.test(expr)) return undefined;
    const [range, stepText] = expr.split("/") as [string, string | undefined];
    const lowAndHigh = range.split("-");
    let start: number, end: number;
    if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
      start = r.min;
      end = r.max;
    } else {
      start = parseIntOrName(lowAndHigh[0]!, r.names);
      end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1]!, r.names) : start;
      if (stepText !== undefined && lowAndHigh.length === 1) end = r.max;
    }
    const step = stepText === undefined ? 1 : mustParseInt(stepText);
    for (let v = start; v <= end; v += step) {
      if (out.has(v)) return undefined;
      out.add(v);
    }
  }
  return out;
}

const isAny = (f: string): boolean => f === "*" || f === "?";

class CronSchedule implements K8sSchedule {
  private exprOrUndefined: CronExpression | undefined;
  private hours: Set<number>;
  private minutes: Set<number>;
  private never = false;
  constructor(private readonly fields5: string[], private readonly tz: string) {
    const minutes = fieldValues(fields5[0]!, MINUTES), hours = fieldValues(fields5[1]!, HOURS);
    if ((!tz || tz === "UTC") && isAny(fields5[2]!) && isAny(fields5[3]!) && isAny(fields5[4]!) && minutes && hours) {
      // Every day, UTC: minute arithmetic on our own reading of the two fields (the same sets cron-parser
      // builds; tests compare both). cron-parser (and luxon behind it) is only loaded if raw() is asked.
      this.minutes = minutes;
      this.hours = hours;
      this.nextMinute = nextAllowed(minutes, 60);
      this.nextHour = nextAllowed(hours, 24);
      return;
    }
    const expr = this.expr;
    this.hours = new Set(expr.fields.hour.values as number[]);
    this.minutes = new Set(expr.fields.minute.values as number[]);
  }

  /** The cron-parser expression, built on first use. */
  private get expr(): CronExpression {
    if (this.exprOrUndefined) return this.exprOrUndefined;
    // robfig treats `?` as `*`; cron-parser gets a seconds field of 0.
    const src = `0 ${this.fields5.map((f) => f.replaceAll("?", "*")).join(" ")}`;
    let expr: CronExpression | undefined;
    try {
      expr = CronExpressionParser.parse(src, { currentDate: new Date(0), tz: this.tz || "UTC" });
      expr.next();
    } catch {
      // e.g. `0 0 31 2 *`: robfig accepts it and never fires (Next returns the zero time).
      this.never = true;
    }
    this.exprOrUndefined = expr ?? CronExpressionParser.parse("0 0 0 * * *", { currentDate: new Date(0), tz: "UTC" });
    return this.exprOrUndefined;
  }

  /**
   * Every day, UTC (`M H * * *`): the answer is plain minute arithmetic, no cron-parser/luxon date walk
   * (which allocated ~20 KB per call). nextMinute[m] = the first allowed minute ≥ m, or -1.
   */
  private nextMinute: Int8Array | undefined;
  private nextHour: Int8Array | undefined;

  private fast(after: number): number {
    const nm = this.nextMinute!, nh = this.nextHour!;
    // The first whole minute strictly after `after`.
    let minutes = Math.floor(after / 60_000) + 1;
    for (;;) {
      const hourIdx = Math.floor(minutes / 60);
      const h = ((hourIdx % 24) + 24) % 24;
      const m = minutes - hourIdx * 60;
      const hh = nh[h]!;
      if (hh !== h) {
        // jump to the start of the next allowed hour (maybe tomorrow)
        const add = hh >= 0 ? hh - h : 24 - h + nh[0]!;
        minutes = (hourIdx + add) * 60 + nm[0]!;
        return minutes * 60_000;
      }
      const mm = nm[m]!;
      if (mm >= 0) return (hourIdx * 60 + mm) * 60_000;
      minutes = (hourIdx + 1) * 60; // next hour, minute 0: re-check the hour
    }
  }

  private raw(after: number): number | undefined {
    try {
      this.expr.reset(new Date(after));
      return this.expr.next().getTime();
    } catch {
      return undefined;
    }
  }

  /** next() is called with the same few times over and over (lastScheduleTime, t1, t2): memoise. */
  private memo = new Map<number, number | undefined>();

  next(after: number): number | undefined {
    if (this.never) return undefined;
    if (this.memo.has(after)) return this.memo.get(after);
    const r = this.compute(after);
    if (this.memo.size >= 512) this.memo.clear();
    this.memo.set(after, r);
    return r;
  }

  private compute(after: number): number | undefined {
    if (this.nextMinute) return this.fast(after);
    if (!this.tz || this.tz === "UTC") return this.raw(after);
    // DST post-filter (robfig semantics). Start one hour early so the second occurrence of a repeated
    // wall time is found even when `after` lies between the two occurrences.
    let t = after - 3_600_000;
    for (let guard = 0; guard < 1000; guard++) {
      const c = this.raw(t);
      if (c === undefined) return undefined;
      const [h, m] = wallHourMinute(c, this.tz);
      const inGap = !this.hours.has(h) || !this.minutes.has(m);
      if (!inGap) {
        if (c > after) return c;
        const again = c + 3_600_000;
        if (again > after && wallTime(again, this.tz) === wallTime(c, this.tz)) return again;
      }
      t = c;
    }
    return undefined;
  }
}

class EverySchedule implements K8sSchedule {
  constructor(private readonly delayMs: number) {}
  next(after: number): number {
    // ConstantDelaySchedule.Next: t + delay, rounded down to the second.
    return after - (((after % 1000) + 1000) % 1000) + this.delayMs;
  }
}

const cache = new Map<string, ParseResult>();

/**
 * Parse a CronJob schedule (C1) in `timeZone` (undefined/"" = UTC, the controller-manager's zone here).
 * @example parseK8sSchedule("*\/5 * * * *").ok === true
 */
export function parseK8sSchedule(schedule: string, timeZone?: string | null): ParseResult {
  const key = `${timeZone ?? ""}\u0000${schedule}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let res: ParseResult;
  try {
    const p = robfigParse(schedule);
    const tz = p.tz ?? timeZone ?? "";
    res = { ok: true, schedule: "everyMs" in p ? new EverySchedule(p.everyMs) : new CronSchedule(p.fields, tz === "Local" ? "" : tz) };
  } catch (e) {
    res = { ok: false, error: (e as Error).message };
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, res);
  return res;
}

/**
 * The API server's checks of spec.schedule (C2, `validateScheduleFormat`): one message per problem.
 * Empty input is reported by the caller as `Required value`.
 */
export function validateSchedule(schedule: string): string[] {
  const out: string[] = [];
  try {
    robfigParse(schedule);
  } catch (e) {
    out.push((e as Error).message);
  }
  if (schedule.includes("TZ")) out.push("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
  return out;
}
