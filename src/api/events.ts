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
import { ASSIGNED, CREATED_POD, MSG_ASSIGNED, MSG_CREATED_POD, MSG_WHOLE, OWN, STORED, TRACKED, dropUndefined, type EventLog, type EventSource } from "./eventlog.ts";

export type { EventSource };

/** kube-apiserver `--event-ttl` (default 1h): an Event is gone an hour after its last write. */
export const EVENT_TTL_MS = 3_600_000;

/**
 * One involved object's Events: the first slot of their chain in the log (`log.next`), or (many) a map from
 * message key (log.keyAt) to the first slot of the chain of that key's Events.
 */
type Bucket = number | Map<string, number>;
/** A chain longer than this becomes a map by message (a ReplicaSet's thousands of SuccessfulCreate). */
const CHAIN_MAX = 8;

export class EventRecorder {
  /**
   * involvedObject uid → the slots of the Events written about it, one per aggregation key. A slot's
   * (type, reason, source) and message (form and key) in the log are the recorder's own (a user's edit makes
   * the slot OWN and leaves them), so they are the aggregation key: a message has one form and key (see
   * encode()). A slot stays the key's while its name is: after a user
   * deleted the Event, a user's Event re-created under that name is the one the recorder writes.
   */
  private byObject = new Map<string | undefined, Bucket>();
  private readonly log: EventLog;
  private lastMs = NaN;
  private seq = 0;
  /**
   * Expiry queue in write order (so in time order), run-length coded: entry k stands for writes of the slots
   * `expFirst[k]` … `expFirst[k] + expCount[k] - 1`, one after the other, all expiring at `expAt[k]` (the new
   * Events of one instant are consecutive slots: one entry, not one per Event). A write acts only when its
   * slot is still tracked and its last write has expired (else a later write covers it).
   */
  private expAt = new Float64Array(64);
  private expFirst = new Int32Array(64);
  private expCount = new Int32Array(64);
  private expN = 0;
  /** The first entry not done, and how many of its writes are. */
  private head = 0;
  private headDone = 0;
  private timerArmed = false;
  /** Shared frozen sources: component → (host → source); `""`-keyed entry = no host. */
  private sources = new Map<string, Map<string | undefined, EventSource>>();
  private lastSrcIn: string | undefined;
  private lastSrc: EventSource | undefined;
  /** The shared source of the last object given as the source. */
  private lastHosted: EventSource | undefined;
  /** What involved() made: the involvedObject without its resourceVersion (shared), and that version (NaN: `invBase` is the whole). */
  private invBase: Readonly<Record<string, unknown>> | undefined;
  private invRv = NaN;
  /** The last shared base made or found (the same object often gets several Events in a row). */
  private lastBase: Readonly<Record<string, unknown>> | undefined;
  /** The log's index of invBase and of lastBase (-1: none yet; see EventLog.stage). */
  private invId = -1;
  private lastBaseId = -1;
  /** Per reason, the last message string: an equal new one is replaced by it (one copy in memory). */
  private lastMessage = new Map<string, string>();
  /** The bucket find() looked at (the object's, for involved()). */
  private bucket: Bucket | undefined = undefined;
  /** What encode() made of the message at hand: its form (MSG_*) and key. */
  private tmpl = MSG_WHOLE;
  private key = "";
  private readonly sweepFn = () => this.sweep();
  constructor(private store: ObjectStore) {
    this.log = store.eventLog;
    // Fields that change later, written once more here: V8 then treats them as mutable (and `lastMs` as a
    // double) from the start, instead of throwing away event()'s optimised code at the first sweep.
    this.head = 0; this.headDone = 0; this.expN = 0; this.timerArmed = false;
    this.lastMs = NaN; this.seq = 0;
    this.lastSrcIn = undefined; this.lastSrc = undefined; this.lastHosted = undefined; this.invBase = undefined; this.lastBase = undefined; this.invRv = 0.5; this.invRv = NaN;
  }

  private source(source: EventSource | string): EventSource {
    if (typeof source === "string" && source === this.lastSrcIn) return this.lastSrc!;
    // A kubelet passes a new { component, host } each time, for a few Events in a row.
    const hosted = this.lastHosted;
    if (typeof source !== "string" && hosted !== undefined && source.host === hosted.host && source.component === hosted.component) return hosted;
    const component = typeof source === "string" ? source : source.component;
    const host = typeof source === "string" ? undefined : source.host;
    let hosts = this.sources.get(component);
    if (!hosts) this.sources.set(component, (hosts = new Map()));
    let src = hosts.get(host);
    if (!src) hosts.set(host, (src = Object.freeze(host !== undefined ? { component, host } : { component })));
    if (typeof source === "string") { this.lastSrcIn = source; this.lastSrc = src; } else this.lastHosted = src;
    return src;
  }

  /**
   * The involvedObject of an Event about `obj`, into invBase/invRv: its apiVersion, kind, name, namespace and
   * uid (frozen, shared with the object's other Events — of its bucket `b`, if any) and, apart, its
   * resourceVersion as a number (the log keeps it in a column and adds it back when the Event is read). A
   * resourceVersion that is not a plain integer (hand-made objects) stays in a whole involvedObject (NaN).
   */
  private involved(obj: KubeObject, b: Bucket | undefined): void {
    const md = obj.metadata;
    const rvText = md.resourceVersion;
    const rv = plainVersion(rvText);
    if (rv !== rv) {
      this.invBase = Object.freeze(dropUndefined({
        apiVersion: obj.apiVersion, kind: obj.kind, name: md.name,
        ...(md.namespace ? { namespace: md.namespace } : {}),
        uid: md.uid, resourceVersion: rvText,
      }));
      this.invRv = NaN;
      this.invId = -1;
      return;
    }
    this.invRv = rv;
    if (sameBase(this.lastBase, obj)) { this.invBase = this.lastBase; this.invId = this.lastBaseId; return; }
    const sibling = b === undefined ? -1 : typeof b === "number" ? b : b.values().next().value!;
    const sib = sibling >= 0 ? this.log.invBaseAt(sibling) : undefined;
    if (sameBase(sib, obj)) {
      this.invBase = this.lastBase = sib;
      this.invId = this.lastBaseId = this.log.invIdAt(sibling);
      return;
    }
    this.invBase = this.lastBase = Object.freeze(dropUndefined({
      apiVersion: obj.apiVersion, kind: obj.kind, name: md.name,
      ...(md.namespace ? { namespace: md.namespace } : {}),
      uid: md.uid,
    }));
    this.invId = this.lastBaseId = -1; // the log gives it an index when it records it
  }

  /**
   * The message form of `message` about `obj` into tmpl/key: a pod's SuccessfulCreate and Scheduled messages
   * as their varying part (see MSG_WHOLE), as createdPod() and scheduled() record them (the controllers call
   * those, so here only a message passed as text takes the form). The form depends on the text only (and, for
   * MSG_ASSIGNED, on the object's namespace/name, which its uid fixes), so equal messages get equal keys
   * whichever way they came.
   */
  private encode(obj: KubeObject, message: string): void {
    this.tmpl = MSG_WHOLE;
    this.key = message;
    if (typeof message !== "string") return;
    if (message.startsWith(CREATED_POD)) {
      this.tmpl = MSG_CREATED_POD;
      this.key = message.slice(CREATED_POD.length);
      return;
    }
    if (!message.startsWith(ASSIGNED)) return;
    const md = obj.metadata;
    if (!assignedForm(md)) return;
    const ns = md.namespace!, name = md.name;
    const at = ASSIGNED.length + ns.length + 1 + name.length;
    if (!(message.startsWith(ns, ASSIGNED.length) && message.charCodeAt(at - name.length - 1) === 47 /* / */
      && message.startsWith(name, at - name.length) && message.startsWith(" to ", at))) return;
    this.tmpl = MSG_ASSIGNED;
    this.key = message.slice(at + 4);
  }

  /** The slot of the Event with this aggregation key (what, and the message's tmpl/key), or -1. */
  private find(uid: string | undefined, what: number): number {
    const b = (this.bucket = this.byObject.get(uid));
    if (b === undefined) return -1;
    const log = this.log, next = log.next, tmpl = this.tmpl, key = this.key;
    for (let s = typeof b === "number" ? b : b.get(key) ?? -1; s >= 0; s = next[s]!) {
      if (log.whatAt(s) === what && log.keyAt(s) === key && log.tmplAt(s) === tmpl) return s;
    }
    return -1;
  }

  /** Put `slot` in its object's bucket, in place of `old` (same aggregation key; -1: none). */
  private put(uid: string | undefined, slot: number, old: number): void {
    const b = this.byObject.get(uid);
    const log = this.log;
    if (b === undefined) { log.next[slot] = -1; this.byObject.set(uid, slot); return; }
    if (typeof b !== "number") {
      const key = log.keyAt(slot);
      const head = b.get(key);
      if (head === undefined) { log.next[slot] = -1; b.set(key, slot); } else b.set(key, chainPut(log.next, head, slot, old));
      return;
    }
    const head = chainPut(log.next, b, slot, old);
    let n = 0;
    for (let s = head; s >= 0; s = log.next[s]!) n++;
    if (n <= CHAIN_MAX) { if (head !== b) this.byObject.set(uid, head); return; }
    // Regroup the chain by message key.
    const m = new Map<string, number>();
    for (let s = head; s >= 0;) {
      const after = log.next[s]!;
      const key = log.keyAt(s);
      const h = m.get(key);
      log.next[s] = h ?? -1;
      m.set(key, s);
      s = after;
    }
    this.byObject.set(uid, m);
  }

  /** Stop tracking `slot` (its Event expired). */
  private forget(slot: number): void {
    const log = this.log;
    log.untrack(slot);
    const uid = log.uidOfInvolved(slot);
    const b = this.byObject.get(uid);
    if (b === undefined) return;
    if (typeof b !== "number") {
      const key = log.keyAt(slot);
      const head = b.get(key);
      if (head === undefined) return;
      const rest = chainDrop(log.next, head, slot);
      if (rest < 0) b.delete(key); else if (rest !== head) b.set(key, rest);
      if (!b.size) this.byObject.delete(uid);
      return;
    }
    const rest = chainDrop(log.next, b, slot);
    if (rest < 0) this.byObject.delete(uid); else if (rest !== b) this.byObject.set(uid, rest);
  }

  private expire(at: number, slot: number): void {
    const k = this.expN - 1;
    if (k >= this.head && this.expAt[k] === at && this.expFirst[k]! + this.expCount[k]! === slot) this.expCount[k]!++;
    else {
      if (this.expN === this.expAt.length) {
        const n = this.expN * 2;
        const at2 = new Float64Array(n), first = new Int32Array(n), count = new Int32Array(n);
        at2.set(this.expAt); first.set(this.expFirst); count.set(this.expCount);
        this.expAt = at2; this.expFirst = first; this.expCount = count;
      }
      this.expAt[this.expN] = at; this.expFirst[this.expN] = slot; this.expCount[this.expN] = 1;
      this.expN++;
    }
    if (!this.timerArmed) this.arm();
  }

  private arm(): void {
    if (this.head >= this.expN) return;
    this.timerArmed = true;
    this.store.clock.at(this.expAt[this.head]!, this.sweepFn, "event-ttl");
  }

  /** The etcd lease ran out: delete every Event whose last write is an hour old. */
  private sweep(): void {
    this.timerArmed = false;
    const now = this.store.clock.now;
    const log = this.log;
    while (this.head < this.expN && this.expAt[this.head]! <= now) {
      const first = this.expFirst[this.head]!, count = this.expCount[this.head]!;
      while (this.headDone < count) {
        const slot = first + this.headDone++;
        if (!(log.flags[slot]! & TRACKED)) continue; // gone at an earlier write
        if (log.lastAt(slot) + EVENT_TTL_MS > now) continue; // rewritten since: a later write covers it
        this.forget(slot);
        if (log.flags[slot]! & STORED) { this.store.deleteEvent(slot); continue; }
        // A user deleted it: whatever a user stored under its name since goes (as the name's expiry).
        try {
          this.store.delete("Event", log.nsOf(slot), log.nameOf(slot));
        } catch (e) {
          if (!(e instanceof ApiError && e.reason === "NotFound")) throw e;
        }
      }
      this.head++;
      this.headDone = 0;
    }
    if (this.head > 1024 && this.head * 2 > this.expN) this.dropDone();
    if (log.wantsCompact()) this.compact();
    this.arm();
  }

  /** Drop the queue's done entries. */
  private dropDone(): void {
    const h = this.head;
    this.expAt.copyWithin(0, h, this.expN); this.expFirst.copyWithin(0, h, this.expN); this.expCount.copyWithin(0, h, this.expN);
    this.expN -= h;
    this.head = 0;
  }

  /** Compact the event log and renumber the slots kept here. */
  private compact(): void {
    const map = this.log.compact();
    const re = (s: number) => map[s]!;
    this.lastBaseId = -1; // the log renumbered its involved objects
    // The queue's writes still to do: an entry's slots kept are consecutive again (the log keeps slot order),
    // and the ones dropped were not tracked (they would not act).
    if (this.headDone) { this.expFirst[this.head]! += this.headDone; this.expCount[this.head]! -= this.headDone; this.headDone = 0; }
    for (let k = this.head; k < this.expN; k++) {
      const a = this.expFirst[k]!, end = a + this.expCount[k]!;
      let lo = a, hi = end - 1;
      while (lo < end && map[lo]! < 0) lo++;
      while (hi >= lo && map[hi]! < 0) hi--;
      this.expFirst[k] = lo <= hi ? map[lo]! : 0;
      this.expCount[k] = lo <= hi ? map[hi]! - map[lo]! + 1 : 0;
    }
    for (const [uid, b] of this.byObject) {
      if (typeof b === "number") this.byObject.set(uid, re(b));
      else for (const [m, head] of b) b.set(m, re(head));
    }
  }

  /** Record an event on `obj`. type is "Normal" | "Warning". */
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource | string): void {
    this.encode(obj, message);
    this.record(obj, type, reason, source);
  }

  /**
   * `event(obj, "Normal", "SuccessfulCreate", "Created pod: " + pod, source)` without making the message:
   * the log keeps `pod` (the created pod's name) as it is.
   */
  createdPod(obj: KubeObject, pod: string, source: EventSource | string): void {
    this.tmpl = MSG_CREATED_POD;
    this.key = pod;
    this.record(obj, "Normal", "SuccessfulCreate", source);
  }

  /**
   * `event(pod, "Normal", "Scheduled", "Successfully assigned <ns>/<name> to " + node, source)` without making
   * the message: the log keeps `node` (the node's name) as it is.
   */
  scheduled(pod: KubeObject, node: string, source: EventSource | string): void {
    const md = pod.metadata;
    if (!assignedForm(md)) {
      this.event(pod, "Normal", "Scheduled", [ASSIGNED, md.namespace, "/", md.name, " to ", node].join(""), source);
      return;
    }
    this.tmpl = MSG_ASSIGNED;
    this.key = node;
    this.record(pod, "Normal", "Scheduled", source);
  }

  /** event() with the message in tmpl/key. */
  private record(obj: KubeObject, type: "Normal" | "Warning", reason: string, source: EventSource | string): void {
    const src = this.source(source);
    const ns = obj.metadata.namespace ?? "default";
    const uid = obj.metadata.uid;
    const now = this.store.clock.now;
    const log = this.log;
    const what = log.what(type, reason, src);
    const existing = this.find(uid, what);
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
        log.setLast(existing, now);
        this.expire(now + EVENT_TTL_MS, existing);
        return;
      }
    }
    let key = this.key;
    if (this.tmpl === MSG_WHOLE) {
      const last = this.lastMessage.get(reason);
      if (last === key) key = last;
      else this.lastMessage.set(reason, key);
    }
    // Upstream names events `<object>.<hex UnixNano>`, so one object's events sort by time; a
    // per-millisecond sequence keeps names unique and ordered within one virtual instant. (The log formats
    // the name when it is read; BigInt here refuses a fractional time, as the name's formatting would.)
    if (now !== this.lastMs) { BigInt(now); this.lastMs = now; this.seq = 0; }
    const seq = this.seq++;
    this.involved(obj, this.bucket);
    // The store passes `key` on to the log as the message; the log takes its form, and keeps the uid as the
    // rng state it was drawn from, from here.
    log.stage(this.tmpl, this.store.rng.seedState, this.invId);
    let slot: number;
    try {
      slot = this.store.recordEvent(this.invBase!, this.invRv, what, key, now, seq);
    } catch (e) {
      log.stage(MSG_WHOLE, -1, -1); // AlreadyExists: nothing recorded
      throw e;
    }
    if (this.invBase === this.lastBase) this.lastBaseId = log.invIdAt(slot);
    // An Event of this key deleted by a user stays tracked (its name's expiry is queued) outside the index.
    this.put(uid, slot, existing);
    this.expire(now + EVENT_TTL_MS, slot);
  }
}

/**
 * May a Scheduled message about an object with this metadata take the MSG_ASSIGNED form? Objects without a
 * uid share one index bucket, and the form's key (the node) does not tell their messages apart: theirs stay
 * whole.
 */
function assignedForm(md: KubeObject["metadata"]): boolean {
  return !!md.namespace && typeof md.name === "string" && typeof md.uid === "string" && md.uid !== "";
}

/**
 * A resourceVersion as the number it spells when that is a plain non-negative safe integer (String(n) gives
 * the same text back), else NaN — without making String(n).
 */
function plainVersion(text: string | undefined): number {
  if (typeof text !== "string" || text.length === 0 || text.length > 16 || (text.charCodeAt(0) === 48 /* 0 */ && text.length > 1)) return NaN;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
  }
  const n = +text;
  return Number.isSafeInteger(n) ? n : NaN;
}

/** Is `base` the involvedObject (less its resourceVersion) of an Event about `obj`? */
function sameBase(base: Readonly<Record<string, unknown>> | undefined, obj: KubeObject): base is Readonly<Record<string, unknown>> {
  const md = obj.metadata;
  return base !== undefined && base.uid === md.uid && base.name === md.name && base.kind === obj.kind && base.apiVersion === obj.apiVersion
    && base.namespace === (md.namespace || undefined);
}

/** The chain from `head` with `slot` in place of `old` when `old` is in it, else first; returns its head. */
function chainPut(next: Int32Array, head: number, slot: number, old: number): number {
  if (old >= 0) {
    if (head === old) { next[slot] = next[old]!; return slot; }
    for (let s = head; s >= 0; s = next[s]!) {
      if (next[s] === old) { next[slot] = next[old]!; next[s] = slot; return head; }
    }
  }
  next[slot] = head;
  return slot;
}

/** The chain from `head` without `slot`; returns its head (-1: empty). */
function chainDrop(next: Int32Array, head: number, slot: number): number {
  if (head === slot) return next[slot]!;
  for (let s = head; s >= 0; s = next[s]!) {
    if (next[s] === slot) { next[s] = next[slot]!; break; }
  }
  return head;
}
