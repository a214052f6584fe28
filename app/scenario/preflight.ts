/**
 * A cheap look at a script before the page runs it, for scripts that come from elsewhere (share
 * links, imported files). The engine runs in the page: a link asking for a million replicas would
 * freeze the tab, so counts beyond what a browser playground can show are refused up front, with a
 * message saying which line asked for what. Pure.
 */
/** Pods one object may ask for (replicas, parallelism, completions). */
export const MAX_COUNT = 5000;
/** Commands in one script. */
export const MAX_COMMAND_LINES = 20_000;

const COUNT = /(?:^|[\s,{"'])(replicas|parallelism|completions)["']?\s*[:=]\s*["']?(\d+)/g;
const FLAG = /--(replicas)[=\s]+["']?(\d+)/g;

export function preflight(script: string): { ok: true } | { ok: false; error: string } {
  const lines = script.split("\n");
  let commands = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*(kubectl|k|sim)\s/.test(l)) commands++;
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
