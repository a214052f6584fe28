/**
 * Share links: a whole session in the URL fragment, `#s=1.<base64url(deflate-raw(json))>`.
 *
 * Pure: no DOM, no globals beyond TextEncoder/TextDecoder. `parseShareHash` never throws; it treats its input
 * as hostile (links travel through chat and mail, and anyone can craft one):
 *  - the encoded text is capped at {@link MAX_ENCODED} characters before anything is decoded;
 *  - inflating streams the compressed bytes in small slices and stops as soon as the output passes
 *    {@link MAX_DECODED}, so a compression bomb (deflate expands up to ~1032×) never allocates much beyond the cap;
 *  - the JSON is parsed with a reviver that drops `__proto__`, `constructor` and `prototype` keys;
 *  - every field is type-checked; unknown `view` keys are dropped (forward compatible), unknown top-level
 *    keys are ignored.
 *
 * Format versions: the digit before the dot. `1` is the first and current one; a future `2` must keep a
 * decoder for `1` here (tests/engine/share pins a literal v1 link).
 *
 * @example
 * const hash = encodeShare({ v: 1, script: "sim node add w1\n", seed: 1, startTime: DEFAULT_START, at: DEFAULT_START })
 * location.hash = hash                        // "#s=1.K87MVcjLT1X..."
 * const r = parseShareHash(location.hash)     // { ok: true, payload }
 */
import { deflateSync, Inflate } from "fflate";
import type { Session } from "./session.ts";

/** What the UI shows besides the cluster: selection, open panel, graph zoom/viewport. All optional. */
export interface ShareView {
  /** Selected object, e.g. "Pod/default/web-0" (free text, ≤ 512 chars). */
  selected?: string;
  /** Open side panel id, e.g. "describe", "events", "lesson" (≤ 64 chars). */
  panel?: string;
  /** Graph zoom factor (0.01–100). */
  zoom?: number;
  /** Graph viewport origin. */
  x?: number;
  y?: number;
  /** Lesson id and step when the link points into a lesson. */
  lesson?: string;
  step?: number;
}

export interface SharePayloadV1 {
  v: 1;
  /** The session as script text (Session.script()). */
  script: string;
  /** Seed the session started with (uint32). */
  seed: number;
  /** Virtual start time, ms since epoch. */
  startTime: number;
  /** Virtual clock position to show, ms since epoch; startTime ≤ at ≤ startTime + 1 year. */
  at: number;
  view?: ShareView;
}

export type SharePayload = SharePayloadV1;

/** Why a hash did not decode: `none` = no share in the hash at all (not an error to show). */
export type ShareErrorKind = "none" | "unsupported" | "too-large" | "corrupt" | "invalid";

export type ShareParseResult =
  | { ok: true; payload: SharePayload }
  | { ok: false; kind: ShareErrorKind; error: string };

/** Encoded text cap (the part after `s=`), checked before decoding. */
export const MAX_ENCODED = 64 * 1024;
/** Decoded (inflated JSON) cap, checked while inflating. */
export const MAX_DECODED = 2 * 1024 * 1024;
/** Script text cap, in UTF-16 code units. */
export const MAX_SCRIPT = 2 * 1024 * 1024;
export const YEAR_MS = 365 * 24 * 3600_000;
/** Sane virtual start times: 1970-01-01 … 2200-01-01. */
export const MIN_START = 0;
export const MAX_START = Date.UTC(2200, 0, 1);
export const SHARE_VERSION = 1;
const PREFIX = "s=";
/** Compressed bytes fed to the inflater per push: bounds the output of one push to ~132 KiB. */
const INFLATE_SLICE = 128;

// ---------- encode ----------

/**
 * Encode a payload as a URL fragment, `#s=1.<base64url(deflate-raw(json))>`. Throws only on a payload
 * that would not decode (so a link we hand out always opens).
 */
export function encodeShare(payload: SharePayload): string {
  const checked = checkPayload(JSON.parse(JSON.stringify(payload)) as unknown);
  if (!checked.ok) throw new Error(checked.error);
  const json = JSON.stringify(checked.payload);
  const bytes = deflateSync(new TextEncoder().encode(json), { level: 9 });
  const text = `${SHARE_VERSION}.${base64urlEncode(bytes)}`;
  if (text.length > MAX_ENCODED) throw new Error(tooLarge(text.length));
  return `#${PREFIX}${text}`;
}

/** Length of the full link `base + encodeShare(payload)`: what the Share button can warn about. */
export function shareUrlLength(payload: SharePayload, base = ""): number {
  return base.length + encodeShare(payload).length;
}

/**
 * The payload for a session: its script, the seed and start time it runs with, the current clock (or
 * `at`, e.g. the timeline position) and optional view state. Open it with `sessionFromShare` (replay.ts).
 */
export function sharePayload(session: Session, view?: ShareView, at?: number): SharePayload {
  const p: SharePayload = { v: 1, script: session.script(), seed: session.sim.seed, startTime: session.sim.startTime, at: at ?? session.sim.now };
  if (view && Object.keys(view).length) p.view = view;
  return p;
}

// ---------- decode ----------

/**
 * Parse `location.hash` (with or without the leading `#`; other `&`-separated parameters are ignored).
 * Never throws.
 */
export function parseShareHash(hash: string): ShareParseResult {
  try {
    return parseUnsafe(hash);
  } catch (e) {
    // Defensive: every expected failure is returned below; this catches the unexpected.
    return { ok: false, kind: "corrupt", error: `This link is truncated or corrupt (${(e as Error)?.message ?? String(e)}).` };
  }
}

function parseUnsafe(hash: string): ShareParseResult {
  if (typeof hash !== "string") return { ok: false, kind: "none", error: "No scenario in this link." };
  // A bare fragment ("#s=…" or "s=…") or a whole pasted URL ("https://…/#s=…").
  const hashAt = hash.indexOf("#");
  const h = hashAt >= 0 ? hash.slice(hashAt + 1) : hash;
  // Find the s= parameter without decoding anything else (and without a regex over a huge string).
  let value: string | undefined;
  let start = 0;
  while (start <= h.length) {
    let end = h.indexOf("&", start);
    if (end < 0) end = h.length;
    if (h.startsWith(PREFIX, start)) { value = h.slice(start + PREFIX.length, end); break; }
    start = end + 1;
  }
  if (value === undefined || value === "") return { ok: false, kind: "none", error: "No scenario in this link." };
  if (value.length > MAX_ENCODED) return { ok: false, kind: "too-large", error: tooLarge(value.length) };
  const dot = value.indexOf(".");
  const version = dot < 0 ? "" : value.slice(0, dot);
  if (!/^\d{1,4}$/.test(version)) return corrupt("no format version");
  switch (version) {
    case "1": return decodeV1(value.slice(dot + 1));
    default:
      return { ok: false, kind: "unsupported", error: `This link was made by a newer version of kubeplay (format ${version}); this page reads format ${SHARE_VERSION}. Reload the page to get the latest version.` };
  }
}

function decodeV1(body: string): ShareParseResult {
  const bytes = base64urlDecode(body);
  if (typeof bytes === "string") return corrupt(bytes);
  const inflated = inflateCapped(bytes, MAX_DECODED);
  if (!inflated.ok) return inflated.tooLarge
    ? { ok: false, kind: "too-large", error: `This link is too large (it expands to more than ${MAX_DECODED / 1024} KiB).` }
    : corrupt(inflated.error);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(inflated.data);
  } catch {
    return corrupt("not UTF-8 text");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text, safeReviver);
  } catch {
    return corrupt("not JSON");
  }
  return checkPayload(raw);
}

function corrupt(why: string): ShareParseResult {
  return { ok: false, kind: "corrupt", error: `This link is truncated or corrupt (${why}).` };
}

function tooLarge(len: number): string {
  return `This link is too large (${Math.ceil(len / 1024)} KiB > ${MAX_ENCODED / 1024} KiB).`;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** JSON.parse reviver: returning undefined deletes the key. */
function safeReviver(key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

/**
 * Inflate raw deflate data, never producing (much) more than `cap` bytes: the input is pushed in
 * small slices and decoding stops as soon as the output passes the cap.
 */
export function inflateCapped(data: Uint8Array, cap: number):
  { ok: true; data: Uint8Array } | { ok: false; tooLarge: boolean; error: string } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let done = false;
  const inf = new Inflate((chunk, final) => {
    if (over) return;
    total += chunk.length;
    if (total > cap) { over = true; return; }
    if (chunk.length) chunks.push(chunk);
    if (final) done = true;
  });
  try {
    for (let i = 0; i < data.length && !over; i += INFLATE_SLICE) {
      const end = Math.min(i + INFLATE_SLICE, data.length);
      inf.push(data.subarray(i, end), end === data.length);
    }
    if (data.length === 0) inf.push(new Uint8Array(0), true);
  } catch (e) {
    const msg = (e as Error)?.message ?? "";
    return { ok: false, tooLarge: false, error: /EOF/i.test(msg) ? "the data ends too early" : "bad compressed data" };
  }
  if (over) return { ok: false, tooLarge: true, error: "too large" };
  if (!done) return { ok: false, tooLarge: false, error: "the data ends too early" };
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return { ok: true, data: out };
}

// ---------- validation ----------

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function invalid(error: string): ShareParseResult {
  return { ok: false, kind: "invalid", error: `This link is not a valid kubeplay scenario (${error}).` };
}

/** Strict field checks. Returns a fresh object holding only known fields. */
export function checkPayload(raw: unknown): ShareParseResult {
  if (!isPlainObject(raw)) return invalid("not an object");
  if (raw.v === undefined) return invalid("the payload has no version");
  if (raw.v !== 1) return invalid(`unknown payload version ${JSON.stringify(raw.v).slice(0, 20)}`);
  const { script, seed, startTime, at } = raw;
  if (typeof script !== "string") return invalid("script must be text");
  if (script.length > MAX_SCRIPT) return invalid(`script is longer than ${MAX_SCRIPT / 1024 / 1024} MiB`);
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) return invalid("seed must be an integer from 0 to 4294967295");
  if (typeof startTime !== "number" || !Number.isFinite(startTime) || !Number.isInteger(startTime) || startTime < MIN_START || startTime > MAX_START) {
    return invalid("startTime must be a time between 1970 and 2200 in whole milliseconds");
  }
  if (typeof at !== "number" || !Number.isFinite(at) || !Number.isInteger(at)) return invalid("at must be a time in whole milliseconds");
  if (at < startTime) return invalid("at is before startTime");
  if (at > startTime + YEAR_MS) return invalid("at is more than a year after startTime");
  const payload: SharePayloadV1 = { v: 1, script, seed, startTime, at };
  if (raw.view !== undefined) {
    const view = checkView(raw.view);
    if (typeof view === "string") return invalid(view);
    if (Object.keys(view).length) payload.view = view;
  }
  return { ok: true, payload };
}

function checkView(raw: unknown): ShareView | string {
  if (!isPlainObject(raw)) return "view must be an object";
  const view: ShareView = {};
  const str = (k: "selected" | "panel" | "lesson", max: number): string | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v.length > max) return `view.${k} must be text of at most ${max} characters`;
    view[k] = v;
    return undefined;
  };
  const num = (k: "zoom" | "x" | "y" | "step", min: number, max: number, int = false): string | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) return `view.${k} must be a number from ${min} to ${max}`;
    view[k] = v;
    return undefined;
  };
  return str("selected", 512) ?? str("panel", 64) ?? str("lesson", 128)
    ?? num("zoom", 0.01, 100) ?? num("x", -1e7, 1e7) ?? num("y", -1e7, 1e7) ?? num("step", 0, 1e6, true)
    ?? view;
}

// ---------- base64url ----------

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  // Accept standard base64 too (a link pasted through a tool that "fixed" it).
  t["+".charCodeAt(0)] = 62;
  t["/".charCodeAt(0)] = 63;
  return t;
})();

/** base64url without padding (RFC 4648 §5). */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]!;
  }
  return out;
}

/** Strict base64url decode (padding tolerated); returns an error text on bad input. */
export function base64urlDecode(text: string): Uint8Array | string {
  let s = text;
  while (s.endsWith("=")) s = s.slice(0, -1);
  // Percent-encoded padding from some mail clients.
  while (s.endsWith("%3D") || s.endsWith("%3d")) s = s.slice(0, -3);
  if (s.length % 4 === 1) return "its length is wrong";
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0, acc = 0, bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0) return `unexpected character ${JSON.stringify(s[i])} at ${i + 1}`;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
