/**
 * C1 speed path: a UTC schedule `M H * * *` is answered with minute arithmetic on our own reading of the
 * minute and hour fields, without cron-parser. It must answer as the cron-parser adapter does everywhere,
 * including the fields cron-parser refuses (`*,5`: duplicate values; `+5`), which never fire.
 */
import { describe, expect, it } from "vitest";
import { CronExpressionParser } from "cron-parser";
import { fieldValues, HOURS, MINUTES, parseK8sSchedule, robfigParse } from "../../../src/controllers/cronjob/schedule.ts";
import { Rng } from "../../../src/clock/rng.ts";

const rng = new Rng(11);

/** A random robfig minute/hour field (valid by construction). */
function randomField(max: number): string {
  const parts: string[] = [];
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const a = rng.int(max + 1), b = a + rng.int(max + 1 - a), step = 1 + rng.int(rng.int(4) === 0 ? 100 : Math.max(1, Math.floor(max / 2)));
    switch (rng.int(9)) {
      case 0: parts.push("*"); break;
      case 1: parts.push(`*/${step}`); break;
      case 2: parts.push(String(a)); break;
      case 3: parts.push(`${a}-${b}`); break;
      case 4: parts.push(`${a}/${step}`); break;
      case 5: parts.push(`${a}-${b}/${step}`); break;
      case 6: parts.push(`${rng.int(2) ? "+" : "0"}${a}`); break;
      case 7: parts.push(`${a}-${b}/${step}`.replace(/^/, rng.int(2) ? "0" : "")); break;
      default: parts.push("?");
    }
  }
  return parts.join(",");
}

const specs = ["*,5 * * * *", "0 3,3 * * *", "+5 * * * *", "*/90 */30 * * *", "007 08 * * *", "* * * * *", "*/7 * * * *", "5/15 */2 * * *", "0-59/13 0-23/5 * * *", "1,2,3 4,5 ? * ?", "59 0 * * *", "0 23 * * *", "7-9,30 3-4/2,20 * * *"];
for (let i = 0; i < 60; i++) specs.push(`${randomField(59)} ${randomField(23)} * * *`);

describe("C1 minute/hour fields read as cron-parser reads them, next() = cron-parser's next()", () => {
  it.each(specs)("%s", (spec) => {
    const f = robfigParse(spec);
    if (!("fields" in f)) throw new Error("descriptor");
    let ref: ReturnType<typeof CronExpressionParser.parse> | undefined;
    try {
      ref = CronExpressionParser.parse(`0 ${f.fields.map((x) => x.replaceAll("?", "*")).join(" ")}`, { currentDate: new Date(0), tz: "UTC" });
    } catch {
      ref = undefined;
    }
    const mins = fieldValues(f.fields[0]!, MINUTES), hours = fieldValues(f.fields[1]!, HOURS);
    if (ref) {
      expect([...mins!].sort((a, b) => a - b)).toEqual([...(ref.fields.minute.values as number[])]);
      expect([...hours!].sort((a, b) => a - b)).toEqual([...(ref.fields.hour.values as number[])]);
    } else expect(mins === undefined || hours === undefined).toBe(true);
    const p = parseK8sSchedule(spec);
    if (!p.ok) throw new Error(p.error);
    for (let i = 0; i < 300; i++) {
      const t = Date.UTC(1970 + rng.int(100), rng.int(12), 1 + rng.int(28), rng.int(24), rng.int(60), rng.int(60)) + (i % 3 === 0 ? 0 : rng.int(1000));
      ref?.reset(new Date(t));
      expect(p.schedule.next(t)).toBe(ref ? ref.next().getTime() : undefined);
    }
  });
});
