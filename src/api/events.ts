/**
 * Events as the client-go recorder writes them: one Event object per (object, type, reason, message,
 * source), aggregated by count and lastTimestamp. Names are `<object>.<16 hex>`.
 *
 * Memory: a big run keeps hundreds of thousands of Events, so they are kept compact in the store's event log
 * (eventlog.ts: one table slot each, the object built when read), and the recorder's own bookkeeping is
 * small — no aggregation-key strings: its index goes from the involved object's uid to the slots of the
 * Events it wrote about it, the expiry queue holds slots in runs of one expiry time, and Events share frozen
 * `source` and `involvedObject` parts and repeated message strings.
 */
import type { ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";
import { rfc3339 } from "../util/time.ts";
import { ApiError } from "./errors.ts";
import { OWN, STORED, TRACKED, dropUndefined, type EventLog, type EventSource } from "./eventlog.ts";

export type { EventSource };

/** kube-apiserver `--event-ttl` (default 1h): an Event is gone an hour after its last write. */
export const EVENT_TTL_MS = 3_600_000;

/**
 * One involved object's Events (their slots in the store's event log): one, a short list, or (many) a map by
 * message.
 */
type Bucket = number | number[] | Map<string, number | number[]>;
/** A bucket list longer than this becomes a map by message (a ReplicaSet's thousands of SuccessfulCreate). */
const LIST_MAX = 8;

export class EventRecorder {
  /**
   * involvedObject uid → the slots of the Events written about it, one per aggregation key. A slot's
   * (type, reason, source) and message in the log are the recorder's own (a user's edit makes the slot OWN
   * and leaves them), so they are the aggregation key. A slot stays the key's while its name is: after a user
   * deleted the Event, a user's Event re-created under that name is the one the recorder writes.
   */
  private byObject = new Map<string | undefined, Bucket>();
  private readonly log: EventLog;
  private lastMs = NaN;
  private seq = 0;
  /**
   * Expiry queue, one entry per write in write order (so in time order): the written slot; `runAt[k]` is the
   * expiry of entries `runEnd[k-1]`..`runEnd[k]-1` (many writes share an instant). An entry acts only when its
   * slot is still tracked and its last write has expired (else a later entry covers it).
   */
  private expSlots = new Int32Array(1024);
  private expN = 0;
  private runAt: number[] = [];
  private runEnd: number[] = [];
  private head = 0;
  private run = 0;
  private timerArmed = false;
  /** Shared frozen sources: component → (host → source); `""`-keyed entry = no host. */
  private sources = new Map<string, Map<string | undefined, EventSource>>();
  private lastSrcIn: string | undefined;
  private lastSrc: EventSource | undefined;
  /** The involvedObject built last (the same object version often gets several Events in a row). */
  private lastRef: Record<string, unknown> | undefined;
  /** Per reason, the last message string: an equal new one is replaced by it (one copy in memory). */
  private lastMessage = new Map<string, string>();
  private readonly sweepFn = () => this.sweep();
  constructor(private store: ObjectStore) {
    this.log = store.eventLog;
    // Fields that change later, written once more here: V8 then treats them as mutable (and `lastMs` as a
    // double) from the start, instead of throwing away event()'s optimised code at the first sweep.
    this.head = 0; this.run = 0; this.expN = 0; this.timerArmed = false;
    this.lastMs = NaN; this.seq = 0;
    this.lastSrcIn = undefined; this.lastSrc = undefined; this.lastRef = undefined;
  }

  private source(source: EventSource | string): EventSource {
    if (typeof source === "string" && source === this.lastSrcIn) return this.lastSrc!;
    const component = typeof source === "string" ? source : source.component;
    const host = typeof source === "string" ? undefined : source.host;
    let hosts = this.sources.get(component);
    if (!hosts) this.sources.set(component, (hosts = new Map()));
    let src = hosts.get(host);
    if (!src) hosts.set(host, (src = Object.freeze(host !== undefined ? { component, host } : { component })));
    if (typeof source === "string") { this.lastSrcIn = source; this.lastSrc = src; }
    return src;
  }

  private involved(obj: KubeObject): Record<string, unknown> {
    const md = obj.metadata, last = this.lastRef;
    // The same object version as last time (often the same object): the same content, so the same frozen part.
    if (last && last.uid === md.uid && last.resourceVersion === md.resourceVersion && last.name === md.name
      && last.kind === obj.kind && last.apiVersion === obj.apiVersion && last.namespace === (md.namespace || undefined)) return last;
    const ref = Object.freeze(dropUndefined({
      apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion,
    }));
    this.lastRef = ref;
    return ref;
  }

  /** The slot of the Event with this aggregation key, or -1. */
  private find(uid: string | undefined, what: number, message: string): number {
    const b = this.byObject.get(uid);
    if (b === undefined) return -1;
    const list = b instanceof Map ? b.get(message) : b;
    if (list === undefined) return -1;
    const log = this.log;
    if (typeof list === "number") return log.whatAt(list) === what && log.messageAt(list) === message ? list : -1;
    for (const s of list) if (log.whatAt(s) === what && log.messageAt(s) === message) return s;
    return -1;
  }

  /** Put `slot` in its object's bucket, replacing `old` (same aggregation key; -1: none). */
  private put(uid: string | undefined, slot: number, old: number): void {
    const b = this.byObject.get(uid);
    if (b === undefined) { this.byObject.set(uid, slot); return; }
    if (b instanceof Map) { putIn(b, this.log.messageAt(slot), slot, old); return; }
    const next = putList(b, slot, old);
    if (Array.isArray(next) && next.length > LIST_MAX) {
      const m = new Map<string, number | number[]>();
      for (const s of next) putIn(m, this.log.messageAt(s), s, -1);
      this.byObject.set(uid, m);
    } else if (next !== b) this.byObject.set(uid, next);
  }

  /** Stop tracking `slot` (its Event expired). */
  private forget(slot: number): void {
    const log = this.log;
    log.untrack(slot);
    const uid = log.uidOfInvolved(slot);
    const b = this.byObject.get(uid);
    if (b === undefined) return;
    if (b instanceof Map) {
      const message = log.messageAt(slot);
      const l = b.get(message);
      if (l === undefined) return;
      const rest = dropFrom(l, slot);
      if (rest === undefined) b.delete(message); else if (rest !== l) b.set(message, rest);
      if (!b.size) this.byObject.delete(uid);
      return;
    }
    const rest = dropFrom(b, slot);
    if (rest === undefined) this.byObject.delete(uid); else if (rest !== b) this.byObject.set(uid, rest);
  }

  private expire(at: number, slot: number): void {
    if (this.expN === this.expSlots.length) {
      const a = new Int32Array(this.expN * 2);
      a.set(this.expSlots);
      this.expSlots = a;
    }
    this.expSlots[this.expN++] = slot;
    const k = this.runAt.length;
    if (k > this.run && this.runAt[k - 1] === at) this.runEnd[k - 1] = this.expN;
    else { this.runAt.push(at); this.runEnd.push(this.expN); }
    if (!this.timerArmed) this.arm();
  }

  private arm(): void {
    if (this.run >= this.runAt.length) return;
    this.timerArmed = true;
    this.store.clock.at(this.runAt[this.run]!, this.sweepFn, "event-ttl");
  }

  /** The etcd lease ran out: delete every Event whose last write is an hour old. */
  private sweep(): void {
    this.timerArmed = false;
    const now = this.store.clock.now;
    const log = this.log;
    while (this.run < this.runAt.length && this.runAt[this.run]! <= now) {
      const end = this.runEnd[this.run]!;
      while (this.head < end) {
        const slot = this.expSlots[this.head++]!;
        if (slot < 0 || !(log.flags[slot]! & TRACKED)) continue; // gone at an earlier entry
        if (log.last[slot]! + EVENT_TTL_MS > now) continue; // rewritten since: a later entry covers it
        this.forget(slot);
        if (log.flags[slot]! & STORED) { this.store.deleteEvent(slot); continue; }
        // A user deleted it: whatever a user stored under its name since goes (as the name's expiry).
        try {
          this.store.delete("Event", log.nsOf(slot), log.nameOf(slot));
        } catch (e) {
          if (!(e instanceof ApiError && e.reason === "NotFound")) throw e;
        }
      }
      this.run++;
    }
    if (this.head > 1024 && this.head * 2 > this.expN) this.dropDone();
    if (log.wantsCompact()) this.compact();
    this.arm();
  }

  /** Drop the queue's done entries (and runs). */
  private dropDone(): void {
    const h = this.head;
    this.expSlots.copyWithin(0, h, this.expN);
    this.expN -= h;
    this.head = 0;
    this.runAt = this.runAt.slice(this.run);
    this.runEnd = this.runEnd.slice(this.run).map((e) => e - h);
    this.run = 0;
  }

  /** Compact the event log and renumber the slots kept here. */
  private compact(): void {
    const map = this.log.compact();
    const re = (s: number) => map[s]!;
    for (let i = this.head; i < this.expN; i++) this.expSlots[i] = re(this.expSlots[i]!);
    for (const [uid, b] of this.byObject) {
      if (typeof b === "number") this.byObject.set(uid, re(b));
      else if (Array.isArray(b)) for (let i = 0; i < b.length; i++) b[i] = re(b[i]!);
      else for (const [m, l] of b) {
        if (typeof l === "number") b.set(m, re(l));
        else for (let i = 0; i < l.length; i++) l[i] = re(l[i]!);
      }
    }
  }

  /** Record an event on `obj`. type is "Normal" | "Warning". */
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource | string): void {
    const src = this.source(source);
    const ns = obj.metadata.namespace ?? "default";
    const uid = obj.metadata.uid;
    const now = this.store.clock.now;
    const log = this.log;
    const what = log.what(type, reason, src);
    const existing = this.find(uid, what, message);
    if (existing >= 0) {
      const f = log.flags[existing]!;
      if ((f & (STORED | OWN)) === STORED && log.nsOf(existing) === ns) {
        this.store.bumpEvent(existing);
        this.expire(now + EVENT_TTL_MS, existing);
        return;
      }
      // Written by a user since (or deleted, and maybe re-created under its name): update what is stored
      // under its name (in the namespace of the object, as the recorder always looked it up).
      const ev = this.store.get("Event", ns, log.nameOf(existing));
      if (ev) {
        this.store.update({ ...ev, metadata: { ...ev.metadata }, count: (ev.count ?? 1) + 1, lastTimestamp: rfc3339(now) }, { skipAdmission: true });
        log.last[existing] = now;
        this.expire(now + EVENT_TTL_MS, existing);
        return;
      }
    }
    const last = this.lastMessage.get(reason);
    if (last === message) message = last;
    else this.lastMessage.set(reason, message);
    // Upstream names events `<object>.<hex UnixNano>`, so one object's events sort by time; a
    // per-millisecond sequence keeps names unique and ordered within one virtual instant. (The log formats
    // the name when it is read; BigInt here refuses a fractional time, as the name's formatting would.)
    if (now !== this.lastMs) { BigInt(now); this.lastMs = now; this.seq = 0; }
    const seq = this.seq++;
    const slot = this.store.recordEvent(this.involved(obj), what, message, now, seq);
    // An Event of this key deleted by a user stays tracked (its name's expiry is queued) outside the index.
    this.put(uid, slot, existing);
    this.expire(now + EVENT_TTL_MS, slot);
  }
}

/** `list` (one slot or several) with `slot` in place of `old` (or added). */
function putList(list: number | number[], slot: number, old: number): number | number[] {
  if (typeof list === "number") return list === old ? slot : [list, slot];
  const i = old >= 0 ? list.indexOf(old) : -1;
  if (i >= 0) list[i] = slot; else list.push(slot);
  return list;
}

function putIn(m: Map<string, number | number[]>, message: string, slot: number, old: number): void {
  const cur = m.get(message);
  if (cur === undefined) m.set(message, slot);
  else { const next = putList(cur, slot, old); if (next !== cur) m.set(message, next); }
}

/** `list` without `slot` (undefined when nothing is left). */
function dropFrom(list: number | number[], slot: number): number | number[] | undefined {
  if (typeof list === "number") return list === slot ? undefined : list;
  const i = list.indexOf(slot);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 1) return list[0];
  return list.length ? list : undefined;
}
