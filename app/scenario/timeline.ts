/**
 * The session's timeline, kept on the page side: one item per recorded command with the virtual time
 * it started and ended at. From it, pure functions build the timeline marks and the script that
 * rebuilds any past moment (replay.ts's rules, applied to known times: an advance that spans the
 * moment is cut short; a `rollout status`/`wait` spanning it is stood in for by an advance; a
 * `delete` spanning it is issued with `--wait=false`, then the clock advances; anything else that
 * spans it — `drain` — runs whole).
 */
import { advanceDuration, formatCommand, formatGoDuration, isDeleteWait, isObserverWait, parseGoDuration } from "../../src/index.ts";

export interface HistItem {
  /** Script source of the command (heredoc included), as Session.script() writes it. */
  source: string;
  line: string;
  stdin?: string;
  /** Virtual time the command started and ended at. */
  at: number;
  end: number;
  code: number;
}

export interface Mark {
  step: number;
  at: number;
  end: number;
  line: string;
  kind: "kubectl" | "sim" | "advance" | "setup";
  failed: boolean;
}

export function histItem(line: string, stdin: string | undefined, at: number, end: number, code: number): HistItem {
  const l = line.trim();
  return { source: formatCommand(l, stdin), line: l, ...(stdin !== undefined ? { stdin } : {}), at, end, code };
}

export const isSetup = (line: string) => /^\s*sim\s+(seed|clock)\b/.test(line);

export function markKind(line: string): Mark["kind"] {
  if (isSetup(line)) return "setup";
  if (advanceDuration(line) !== undefined) return "advance";
  return /^\s*sim\b/.test(line) ? "sim" : "kubectl";
}

export function marksOf(hist: HistItem[]): Mark[] {
  return hist.map((h, step) => ({ step, at: h.at, end: h.end, line: h.line, kind: markKind(h.line), failed: h.code !== 0 }));
}

/** Marks the timeline shows and steps through: actions, not the clock moving. */
export function actionMarks(hist: HistItem[]): Mark[] {
  return marksOf(hist).filter((m) => m.kind === "kubectl" || m.kind === "sim");
}

export function scriptOf(hist: HistItem[]): string {
  return hist.map((h) => h.source).join("\n") + (hist.length ? "\n" : "");
}

/** A `sim advance` line that parses back to exactly `ms`. */
export function advanceLine(ms: number): string {
  const go = formatGoDuration(ms);
  let back: number | undefined;
  try { back = parseGoDuration(go); } catch { back = undefined; }
  return `sim advance ${back === ms ? go : `${ms}ms`}`;
}

function noWait(line: string): string {
  const m = line.match(/\s*<<-?\s*['"]?\w+['"]?\s*$/);
  return m ? `${line.slice(0, m.index)} --wait=false${m[0]}` : `${line} --wait=false`;
}

export interface Cut {
  /** The history of the session at the moment (what its script is). */
  hist: HistItem[];
  /** Index of the last command (whole or cut short) in the full history; -1 = none. */
  step: number;
  /** The virtual time the cut session ends at. */
  at: number;
}

/** The session after command `step` (commands 0..step whole). */
export function cutAtStep(hist: HistItem[], step: number): Cut {
  const kept = hist.slice(0, Math.max(0, Math.min(step, hist.length - 1) + 1));
  const last = kept[kept.length - 1];
  return { hist: kept, step: kept.length - 1, at: last ? last.end : (hist[0]?.at ?? 0) };
}

/** The session at virtual time `t`: every command that starts at or before `t`, the one spanning it cut. */
export function cutAtTime(hist: HistItem[], t: number): Cut {
  const out: HistItem[] = [];
  let step = -1;
  for (let i = 0; i < hist.length; i++) {
    const h = hist[i]!;
    const pristine = out.every((o) => isSetup(o.line));
    if (isSetup(h.line) && pristine) { out.push(h); step = i; continue; }
    if (h.at > t) break;
    if (h.end <= t) { out.push(h); step = i; continue; }
    // h spans t.
    const ms = t - h.at;
    if (advanceDuration(h.line) !== undefined || isObserverWait(h.line)) {
      if (ms > 0) { out.push(histItem(advanceLine(ms), undefined, h.at, t, 0)); step = i; }
      break;
    }
    if (isDeleteWait(h.line)) {
      out.push({ ...histItem(noWait(h.line), h.stdin, h.at, h.at, h.code) });
      if (ms > 0) out.push(histItem(advanceLine(ms), undefined, h.at, t, 0));
      step = i;
      break;
    }
    out.push(h); // drain and anything else: lands at its end
    step = i;
    break;
  }
  const last = out[out.length - 1];
  return { hist: out, step, at: last ? last.end : t };
}

/** The editor manifest in effect after `step`: the body of the last `kubectl apply -f -` at or before it. */
export function manifestAt(hist: HistItem[], step: number): string | undefined {
  for (let i = Math.min(step, hist.length - 1); i >= 0; i--) {
    const h = hist[i]!;
    if (h.stdin !== undefined && /^(kubectl|k)\s+(apply|create)\b.*\s-f\s+-/.test(h.line)) return h.stdin;
  }
  return undefined;
}
