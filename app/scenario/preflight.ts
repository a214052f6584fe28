/**
 * A cheap look at a script before the page runs it, for scripts that come from elsewhere (share
 * links, imported files). The engine runs in the page: a link asking for a million replicas would
 * freeze the tab, so counts beyond what a browser playground can show are refused up front, with a
 * message saying which line asked for what. Pure.
 */
import { parseGoDuration } from "../../src/index.ts";

/** Pods one object may ask for (replicas, parallelism, completions). */
export const MAX_COUNT = 5000;
/** Commands in one script. */
export const MAX_COMMAND_LINES = 20_000;
/** Virtual time a script may advance in total (a minutely CronJob costs seconds of real time per virtual day). */
export const MAX_ADVANCE_MS = 31 * 24 * 3600_000;

const COUNT = /(?:^|[\s,{"'])(replicas|parallelism|completions)["']?\s*[:=]\s*["']?(\d+)/g;
const FLAG = /--(replicas)[=\s]+["']?(\d+)/g;

export function preflight(script: string): { ok: true } | { ok: false; error: string } {
  const lines = script.split("\n");
  let commands = 0;
  let advanced = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*(kubectl|k|sim)\s/.test(l)) commands++;
    const adv = /^\s*sim\s+advance\s+(\S+)\s*$/.exec(l);
    if (adv) {
      try { advanced += parseGoDuration(adv[1]!); } catch { /* the session reports a bad duration */ }
      if (advanced > MAX_ADVANCE_MS) return { ok: false, error: `This scenario moves the clock by more than 31 days (line ${i + 1}); kubeplay opens scenarios of at most 31 virtual days.` };
    }
    for (const re of [COUNT, FLAG]) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(l))) {
        const n = Number(m[2]);
        if (n > MAX_COUNT) {
          return { ok: false, error: `This scenario asks for ${m[1]} ${m[2].length > 12 ? m[2].slice(0, 12) + "…" : m[2]} (line ${i + 1}); kubeplay opens scenarios with at most ${MAX_COUNT} per object.` };
        }
      }
    }
  }
  if (commands > MAX_COMMAND_LINES) return { ok: false, error: `This scenario has ${commands} commands; kubeplay opens scenarios with at most ${MAX_COMMAND_LINES}.` };
  return { ok: true };
}
