import { describe, expect, it } from "vitest";
import { parseK8sSchedule, validateSchedule } from "../../../src/controllers/cronjob/schedule.ts";
import { jobNameFor, jobsToRemove, mostRecentScheduleTime, nextScheduleDelay } from "../../../src/controllers/cronjob/plan.ts";

const T = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace(".000Z", "Z"));

describe("C1 schedule grammar (robfig ParseStandard)", () => {
  it.each([
    { s: "*/1 * * * *", ok: true }, { s: "0 0 13 * 5", ok: true }, { s: "0 0 ? * 1", ok: true }, { s: "5/15 * * * *", ok: true },
    { s: "0 9 * JAN,jul MON", ok: true }, { s: "@yearly", ok: true }, { s: "@midnight", ok: true }, { s: "@hourly", ok: true },
    { s: "@every 90m", ok: true }, { s: "0 0 31 2 *", ok: true },
    { s: "", err: "empty spec string" },
    { s: "0 0 * *", err: "expected exactly 5 fields, found 4: [0 0 * *]" },
    { s: "30 */15 * * * *", err: "expected exactly 5 fields, found 6: [30 */15 * * * *]" },
    { s: "0 0 * * 7", err: "end of range (7) above maximum (6): 7" },
    { s: "61 * * * *", err: "end of range (61) above maximum (59): 61" },
    { s: "0 22-2 * * *", err: "beginning of range (22) beyond end of range (2): 22-2" },
    { s: "*/0 * * * *", err: "step of range should be a positive number: */0" },
    { s: "0 0 L * *", err: 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax' },
    { s: "0 0 * * 1#1", err: 'failed to parse int from 1#1: strconv.Atoi: parsing "1#1": invalid syntax' },
    { s: "H * * * *", err: 'failed to parse int from H: strconv.Atoi: parsing "H": invalid syntax' },
    { s: "@reboot", err: "unrecognized descriptor: @reboot" },
    { s: "@minutely", err: "unrecognized descriptor: @minutely" },
  ])("C1 '$s'", ({ s, ok, err }) => {
    const r = parseK8sSchedule(s);
    if (ok) expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, error: err });
  });
  it("C2 TZ in the schedule is refused with the API server's message", () => {
    expect(validateSchedule("TZ=UTC 0 * * * *")).toEqual(["cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]);
    expect(validateSchedule("CRON_TZ=Europe/Berlin 0 * * * *")).toEqual(["cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]);
  });
  it.each([
    { name: "C1 DOM/DOW OR rule", s: "0 0 13 * 5", after: "2025-06-01T00:00:00Z", want: "2025-06-06T00:00:00Z" },
    { name: "C1 DOW only", s: "0 0 * * 1", after: "2025-06-01T00:00:00Z", want: "2025-06-02T00:00:00Z" },
    { name: "C1 @midnight = @daily", s: "@midnight", after: "2025-06-01T10:00:00Z", want: "2025-06-02T00:00:00Z" },
    { name: "C1 @every is a constant delay", s: "@every 90m", after: "2025-06-01T10:00:00Z", want: "2025-06-01T11:30:00Z" },
  ])("$name", ({ s, after, want }) => {
    const r = parseK8sSchedule(s);
    expect(r.ok && iso(r.schedule.next(T(after)))).toBe(want);
  });
  it("C1 never-firing schedule returns no next time", () => {
    const r = parseK8sSchedule("0 0 31 2 *");
    expect(r.ok && r.schedule.next(T("2025-01-01T00:00:00Z"))).toBeUndefined();
  });
  it("C1 DST: a wall time in the spring gap is skipped that day (Europe/Berlin)", () => {
    const r = parseK8sSchedule("30 2 * * *", "Europe/Berlin");
    if (!r.ok) throw new Error(r.error);
    expect(iso(r.schedule.next(T("2025-03-29T12:00:00Z")))).toBe("2025-03-31T00:30:00Z");
  });
  it("C1 DST: a repeated wall time fires twice (Europe/Berlin)", () => {
    const r = parseK8sSchedule("30 2 * * *", "Europe/Berlin");
    if (!r.ok) throw new Error(r.error);
    const a = r.schedule.next(T("2025-10-25T12:00:00Z"))!;
    const b = r.schedule.next(a)!;
    const c = r.schedule.next(b)!;
    expect([iso(a), iso(b), iso(c)]).toEqual(["2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z", "2025-10-27T01:30:00Z"]);
  });
  it("C1 timeZone shifts the schedule", () => {
    const r = parseK8sSchedule("0 9 * * *", "America/New_York");
    expect(r.ok && iso(r.schedule.next(T("2025-01-10T00:00:00Z")))).toBe("2025-01-10T14:00:00Z");
  });
});

describe("C4 mostRecentScheduleTime", () => {
  const every = parseK8sSchedule("* * * * *");
  const hourly = parseK8sSchedule("0 * * * *");
  if (!every.ok || !hourly.ok) throw new Error("parse");
  const created = T("2025-01-01T00:00:00Z");
  const cases = [
    { name: "C4 now before t1: nothing due", s: every.schedule, now: "2025-01-01T00:00:30Z", last: undefined, sds: undefined, want: { most: undefined, missed: "none" } },
    { name: "C4 between t1 and t2: t1", s: every.schedule, now: "2025-01-01T00:01:10Z", last: undefined, sds: undefined, want: { most: "2025-01-01T00:01:00Z", missed: "none" } },
    { name: "C4 several missed: the most recent", s: every.schedule, now: "2025-01-01T00:05:10Z", last: undefined, sds: undefined, want: { most: "2025-01-01T00:05:00Z", missed: "few" } },
    { name: "C5 >100 missed: many, still the latest", s: every.schedule, now: "2025-01-01T03:00:30Z", last: undefined, sds: undefined, want: { most: "2025-01-01T03:00:00Z", missed: "many" } },
    { name: "C4 from lastScheduleTime", s: hourly.schedule, now: "2025-01-01T05:30:00Z", last: "2025-01-01T04:00:00Z", sds: undefined, want: { most: "2025-01-01T05:00:00Z", missed: "none" } },
    { name: "C5 startingDeadlineSeconds narrows the window", s: every.schedule, now: "2025-01-01T03:00:30Z", last: undefined, sds: 200, want: { most: "2025-01-01T03:00:00Z", missed: "few" } },
  ];
  it.each(cases)("$name", ({ s, now, last, sds, want }) => {
    const r = mostRecentScheduleTime({ creationTimestamp: created, lastScheduleTime: last ? T(last) : undefined, startingDeadlineSeconds: sds }, T(now), s, true);
    expect({ most: iso(r.mostRecent), missed: r.missed }).toEqual(want);
  });
  it("C4 a schedule that never fires is an error (InvalidSchedule)", () => {
    const r = parseK8sSchedule("0 0 31 2 *");
    if (!r.ok) throw new Error(r.error);
    expect(mostRecentScheduleTime({ creationTimestamp: created }, T("2025-03-01T00:00:00Z"), r.schedule, true).error).toBe("time difference between two schedules is less than 1 second");
  });
  it("C6 requeue at next time + 100ms", () => {
    expect(nextScheduleDelay({ creationTimestamp: created }, T("2025-01-01T00:00:20Z"), every.schedule)).toBe(40_100);
  });
  it("C7 job name is <cronjob>-<unix minutes>", () => {
    expect(jobNameFor("hello", T("2024-01-01T00:00:00Z"))).toBe("hello-28401120");
  });
  it("C8 oldest finished jobs beyond the limit go first (startTime, nil last, then name)", () => {
    expect(jobsToRemove([{ name: "c", startTime: 3 }, { name: "a", startTime: 1 }, { name: "z" }, { name: "b", startTime: 2 }], 2)).toEqual(["a", "b"]);
  });
});
