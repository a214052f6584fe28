/**
 * Autosave of the session (the script and what it runs with) and of the editor, in localStorage.
 * Parsing is pure and defensive: whatever is stored may be old, hand-edited or from another version.
 */
export const SESSION_KEY = "kubeplay.session.v1";

export interface SavedSession {
  v: 1;
  script: string;
  seed: number;
  startTime: number;
}

export function parseSavedSession(text: string | null): SavedSession | null {
  if (!text) return null;
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { return null; }
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1 || typeof r.script !== "string" || !Number.isInteger(r.seed) || !Number.isInteger(r.startTime)) return null;
  if ((r.seed as number) < 0 || (r.seed as number) > 0xffff_ffff) return null;
  return { v: 1, script: r.script, seed: r.seed as number, startTime: r.startTime as number };
}

export function readStorage(key: string): string | null {
  try { return localStorage.getItem(key); } catch { return null; }
}

export function writeStorage(key: string, value: string): boolean {
  try { localStorage.setItem(key, value); return true; } catch { return false; }
}
