/**
 * The compact event log (src/api/eventlog.ts: recorded Events as table slots, built when read) against the
 * objects it replaced: the recorder as it was before (kept here verbatim as the oracle, below) wrote full
 * Event objects through the store's ordinary create/update/delete, which still serve users' Events. Same
 * watch events (type, key, object and old version, in order), same get/list/getByUid answers and the same
 * object identity (a read returns the watch event's object until the next write), through random runs of
 * recording, users editing, labelling, deleting and re-creating Events, the recorder writing a deleted
 * Event's key again, and time passing the --event-ttl (with enough expired Events to compact the log).
 * The messages include the two the log keeps as their varying part (SuccessfulCreate's "Created pod: …"
 * with and without that pod in the store, Scheduled's "Successfully assigned ns/name to node" about the
 * object itself or another, with and without that node; and the recorder's createdPod/scheduled, which take
 * the varying part without the message), and times and resourceVersions that do not fit the
 * log's 32-bit columns (months of clock, a huge resourceVersion), and the clock set back (names then out of order).
 */
import { describe, expect, it } from "vitest";
import { ObjectStore } from "../../../src/api/store.ts";
import { EventRecorder } from "../../../src/api/events.ts";
import type { KubeObject, WatchEvent } from "../../../src/api/types.ts";
import { VirtualClock } from "../../../src/clock/clock.ts";
import { Rng } from "../../../src/clock/rng.ts";
import { fromLabelSelector } from "../../../src/api/labels.ts";
import { rfc3339 } from "../../../src/util/time.ts";
import { ApiError } from "../../../src/api/errors.ts";
import { hex8 } from "../../../src/clock/rng.ts";
import "../../../src/api/admission/index.ts";

// ---- the recorder before the event log, verbatim (full Event objects through store.create/get/update/delete)
interface EventSource { component: string; host?: string }

/** kube-apiserver `--event-ttl` (default 1h): an Event is gone an hour after its last write. */
const EVENT_TTL_MS = 3_600_000;

/** What the store's copy on create would do to a flat object: drop keys whose value is undefined. */
function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k in o) if (o[k] === undefined) delete o[k];
  return o;
}

/** The fields of an Event the recorder writes and reads back (its own versions are never edited). */
interface Ev extends KubeObject {
  involvedObject: { uid?: string };
  type: string;
  reason: string;
  message: string;
  source: EventSource;
  count: number;
}

/** One involved object's Events: one, a short list, or (many) a map by message. */
type Bucket = Ev | Ev[] | Map<string, Ev | Ev[]>;
/** A bucket list longer than this becomes a map by message (a ReplicaSet's thousands of SuccessfulCreate). */
const LIST_MAX = 8;

function same(e: Ev, type: string, reason: string, message: string, src: EventSource): boolean {
  return e.reason === reason && e.source === src && e.type === type && e.message === message;
}

/** A flat string (a template literal makes a tree of cons strings that stays alive with the object). */
function flat3(a: string, b: string, c: string): string {
  return [a, b, c].join("");
}

class OldRecorder {
  /** involvedObject uid → the Events written about it, one per aggregation key (latest version). */
  private byObject = new Map<string | undefined, Bucket>();
  /**
   * Events dropped from byObject while still queued for expiry: an Event a user deleted, recorded again
   * as a new one (name → latest version). Rare.
   */
  private orphans?: Map<string, Ev>;
  /** Last-write expiry of Events written more than once (name → time); others expire at their one entry. */
  private rewritten?: Map<string, number>;
  private lastMs = NaN;
  private seq = 0;
  private baseNanos = 0n;
  /** baseNanos in hex without its low 32 bits, and those bits ("" when baseNanos < 2^32). */
  private hiHex = "";
  private lo = 0;
  /** Expiry queue in write order (so in time order): one entry per write; stale ones are skipped. */
  private expAt: number[] = [];
  private expEv: Array<Ev | undefined> = [];
  private head = 0;
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
    // Fields that change later, written once more here: V8 then treats them as mutable (and `lo`, `lastMs`
    // as doubles) from the start, instead of throwing away event()'s optimised code at the first sweep.
    this.head = 0; this.expAt = []; this.expEv = []; this.timerArmed = false;
    this.lastMs = NaN; this.lo = 0.5; this.lo = 0; this.seq = 0; this.hiHex = ""; this.baseNanos = 0n;
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

  private find(uid: string | undefined, type: string, reason: string, message: string, src: EventSource): Ev | undefined {
    const b = this.byObject.get(uid);
    if (b === undefined) return undefined;
    if (Array.isArray(b)) {
      for (const e of b) if (same(e, type, reason, message, src)) return e;
      return undefined;
    }
    if (b instanceof Map) {
      const m = b.get(message);
      if (m === undefined) return undefined;
      if (Array.isArray(m)) {
        for (const e of m) if (same(e, type, reason, message, src)) return e;
        return undefined;
      }
      return same(m, type, reason, message, src) ? m : undefined;
    }
    return same(b, type, reason, message, src) ? b : undefined;
  }

  /** Put `ev` in its object's bucket, replacing `old` (same aggregation key) when given. */
  private put(uid: string | undefined, ev: Ev, old: Ev | undefined): void {
    const b = this.byObject.get(uid);
    if (b === undefined) { this.byObject.set(uid, ev); return; }
    if (b instanceof Map) { this.byObject.set(uid, putIn(b, ev.message, ev, old) as Bucket); return; }
    const next = putList(b, ev, old);
    if (Array.isArray(next) && next.length > LIST_MAX) {
      const m = new Map<string, Ev | Ev[]>();
      for (const e of next) putIn(m, e.message, e, undefined);
      this.byObject.set(uid, m);
    } else if (next !== b) this.byObject.set(uid, next);
  }

  /** The latest version of the Event named like `ev` if the recorder still tracks it. */
  private current(ev: Ev): Ev | undefined {
    const name = ev.metadata.name;
    const b = this.byObject.get(ev.involvedObject.uid);
    let hit: Ev | undefined;
    if (b !== undefined) {
      const list = b instanceof Map ? b.get(ev.message) : b;
      if (Array.isArray(list)) { for (const e of list) if (e.metadata.name === name) { hit = e; break; } }
      else if (list !== undefined && list.metadata.name === name) hit = list;
    }
    return hit ?? this.orphans?.get(name);
  }

  /** Stop tracking `ev` (the latest version of an expiring Event). */
  private forget(ev: Ev): void {
    const name = ev.metadata.name;
    this.rewritten?.delete(name);
    if (this.orphans?.get(name) === ev) { this.orphans.delete(name); return; }
    const uid = ev.involvedObject.uid;
    const b = this.byObject.get(uid)!;
    if (b instanceof Map) {
      const rest = dropFrom(b.get(ev.message)!, ev);
      if (rest === undefined) b.delete(ev.message); else b.set(ev.message, rest);
      if (!b.size) this.byObject.delete(uid);
      return;
    }
    const rest = dropFrom(b, ev);
    if (rest === undefined) this.byObject.delete(uid); else if (rest !== b) this.byObject.set(uid, rest);
  }

  private expire(at: number, ev: Ev): void {
    this.expAt.push(at);
    this.expEv.push(ev);
    if (!this.timerArmed) this.arm();
  }

  private arm(): void {
    if (this.head >= this.expAt.length) return;
    this.timerArmed = true;
    this.store.clock.at(this.expAt[this.head]!, this.sweepFn, "event-ttl");
  }

  /** The etcd lease ran out: delete every Event whose last write is an hour old. */
  private sweep(): void {
    this.timerArmed = false;
    const now = this.store.clock.now;
    const expAt = this.expAt, expEv = this.expEv;
    while (this.head < expAt.length && expAt[this.head]! <= now) {
      const i = this.head++;
      const ev = expEv[i]!;
      expEv[i] = undefined;
      const cur = this.current(ev);
      if (cur === undefined) continue; // gone at an earlier entry
      if (cur !== ev && this.rewritten!.get(ev.metadata.name)! > now) continue; // rewritten since: a later entry covers it
      this.forget(cur);
      const ns = ev.metadata.namespace, name = ev.metadata.name;
      try {
        this.store.delete("Event", ns, name);
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === "NotFound")) throw e; // a user deleted it already
      }
    }
    if (this.head > 1024 && this.head * 2 > expAt.length) {
      this.expAt = expAt.slice(this.head);
      this.expEv = expEv.slice(this.head);
      this.head = 0;
    }
    this.arm();
  }

  /** Record an event on `obj`. type is "Normal" | "Warning". */
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource | string): void {
    const src = this.source(source);
    const ns = obj.metadata.namespace ?? "default";
    const uid = obj.metadata.uid;
    const now = this.store.clock.now;
    const existing = this.find(uid, type, reason, message, src);
    if (existing) {
      const ev = this.store.get("Event", ns, existing.metadata.name);
      if (ev) {
        const upd = this.store.update<Ev>({ ...ev, metadata: { ...ev.metadata }, count: (ev.count ?? 1) + 1, lastTimestamp: rfc3339(now) }, { skipAdmission: true });
        // What the recorder compares on stays its own (a user's edit of the stored Event does not change the key).
        const mine = upd.type === existing.type && upd.reason === existing.reason && upd.message === existing.message && upd.source === existing.source
          && upd.involvedObject === existing.involvedObject ? upd : { ...upd, type: existing.type, reason: existing.reason, message: existing.message, source: existing.source, involvedObject: existing.involvedObject } as Ev;
        this.put(uid, mine, existing);
        (this.rewritten ??= new Map()).set(existing.metadata.name, now + EVENT_TTL_MS);
        this.expire(now + EVENT_TTL_MS, mine);
        return;
      }
    }
    const last = this.lastMessage.get(reason);
    if (last === message) message = last;
    else this.lastMessage.set(reason, message);
    // Upstream names events `<object>.<hex UnixNano>`, so one object's events sort by time; a
    // per-millisecond sequence keeps names unique and ordered within one virtual instant.
    if (now !== this.lastMs) {
      this.lastMs = now; this.seq = 0; this.baseNanos = BigInt(now) * 1_000_000n;
      const hi = this.baseNanos >> 32n;
      this.hiHex = hi > 0n ? hi.toString(16) : "";
      this.lo = Number(this.baseNanos & 0xffffffffn);
    }
    const seq = this.seq++;
    const lo = this.lo + seq;
    const hex = this.hiHex && lo < 0x1_0000_0000 ? this.hiHex + hex8(lo) : (this.baseNanos + BigInt(seq)).toString(16);
    const name = flat3(obj.metadata.name, ".", hex);
    const ts = rfc3339(now);
    const o = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: ns } as KubeObject["metadata"],
      involvedObject: this.involved(obj),
      reason, message, type,
      source: src,
      firstTimestamp: ts,
      lastTimestamp: ts,
      eventTime: null,
      count: 1,
      reportingComponent: src.component,
      reportingInstance: src.host ?? "",
    };
    if (reason === undefined || message === undefined || type === undefined || src.component === undefined) dropUndefined(o);
    const ev = this.store.create(o, { fresh: true }) as Ev;
    if (existing) {
      // The Event for this key was deleted (by a user): the new one takes its place in the index, the old
      // one's queue entries still have to find it.
      (this.orphans ??= new Map()).set(existing.metadata.name, existing);
    }
    this.put(uid, ev, existing);
    this.expire(now + EVENT_TTL_MS, ev);
  }
}

/** `list` (one Event or several) with `ev` in place of `old` (or added). */
function putList(list: Ev | Ev[], ev: Ev, old: Ev | undefined): Ev | Ev[] {
  if (!Array.isArray(list)) return list === old ? ev : [list, ev];
  const i = old ? list.indexOf(old) : -1;
  if (i >= 0) list[i] = ev; else list.push(ev);
  return list;
}

function putIn(m: Map<string, Ev | Ev[]>, message: string, ev: Ev, old: Ev | undefined): Map<string, Ev | Ev[]> {
  const cur = m.get(message);
  if (cur === undefined) m.set(message, ev);
  else { const next = putList(cur, ev, old); if (next !== cur) m.set(message, next); }
  return m;
}

/** `list` without `ev` (undefined when nothing is left). */
function dropFrom(list: Ev | Ev[], ev: Ev): Ev | Ev[] | undefined {
  if (!Array.isArray(list)) return list === ev ? undefined : list;
  const i = list.indexOf(ev);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 1) return list[0];
  return list.length ? list : undefined;
}

// ---- the driver

interface Recorder { event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource | string): void }
interface World { store: ObjectStore; clock: VirtualClock; rec: Recorder; log: string[]; last: WatchEvent | undefined }

function world(old: boolean): World {
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  const store = new ObjectStore(clock, new Rng(7));
  const w: World = { store, clock, rec: old ? new OldRecorder(store) : new EventRecorder(store), log: [], last: undefined };
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } } as unknown as KubeObject);
  for (let i = 0; i < 4; i++) store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: `x-${i}`, namespace: "default" }, spec: { containers: [{ name: "c", image: "i" }] } } as unknown as KubeObject);
  store.create({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } } as unknown as KubeObject);
  store.watch((ev) => {
    if (ev.kind !== "Event") return;
    w.last = ev;
    w.log.push(`${ev.type} ${ev.key} ${JSON.stringify(ev.object)} old=${JSON.stringify(ev.old)}`);
  });
  return w;
}

const OBJECTS: KubeObject[] = [
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p1", namespace: "default", uid: "u-1", resourceVersion: "5" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p1", namespace: "default", uid: "u-1", resourceVersion: "6" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p2", namespace: "other", uid: "u-2", resourceVersion: "9" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p.dotted", namespace: "other", uid: "u-5", resourceVersion: "3" } },
  { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs", namespace: "default", uid: "u-3", resourceVersion: "2" } },
  { apiVersion: "v1", kind: "Node", metadata: { name: "n1", uid: "u-4", resourceVersion: "1" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "ref", namespace: "default" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "big", namespace: "default", uid: "u-6", resourceVersion: "99999999999" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "noversion", namespace: "other", uid: "u-7" } },
] as KubeObject[];
/** Messages: plain ones, and the two forms the log keeps as their varying part (x-0…x-3 and n1 are stored). */
const MESSAGES = [
  "m1", "m2", "Started container c", "Created pod: x-1", "Created pod: x-3", "Created pod: gone", "Created pod: ", "Created pod:",
  "Successfully assigned default/p1 to n1", "Successfully assigned default/p1 to n9", "Successfully assigned other/p2 to n1",
  "Successfully assigned default/ref to n1", "Successfully assigned default/p1 to ", "Successfully assigned default/p1to n1",
  "Successfully assigned other/p.dotted to n1", "Successfully assigned default/big to n1",
];
const REASONS = ["Scheduled", "Pulled", "BackOff", "SuccessfulCreate"];
const SOURCES: Array<EventSource | string> = ["kubelet", "default-scheduler", { component: "kubelet", host: "n1" }, { component: "kubelet", host: "n2" }];
const STEPS = [0, 0, 1, 500, 1000, 60_000, 3_599_999, 3_600_000, 3_600_001, 60 * 86_400_000, -1000];

function advance(w: World, ms: number): void {
  const target = w.clock.now + ms;
  while (w.clock.runNext(target)) { /* timers in order */ }
  w.clock.now = target;
}

/** Everything a reader sees of the stored Events: list (all, per namespace, by label), get, getByUid, count. */
function reads(w: World, r: Rng): string {
  const all = w.store.list("Event");
  const out = [`count ${w.store.count("Event")}`, `list ${JSON.stringify(all)}`, `other ${w.store.list("Event", { namespace: "other" }).map((e) => e.metadata.name)}`];
  out.push(`labelled ${w.store.list("Event", { selector: fromLabelSelector({ matchLabels: { user: "yes" } }) }).map((e) => e.metadata.name)}`);
  if (all.length) {
    const e = all[r.int(all.length)]!;
    const got = w.store.get("Event", e.metadata.namespace, e.metadata.name);
    out.push(`get ${got === e} ${w.store.getByUid(e.metadata.uid) === e} ${w.store.getByKey("Event", `${e.metadata.namespace}/${e.metadata.name}`) === e}`);
    out.push(`miss ${w.store.get("Event", e.metadata.namespace === "other" ? "default" : "other", e.metadata.name) ?? "-"} ${w.store.get("Event", e.metadata.namespace, `${e.metadata.name}0`) ?? "-"}`);
  }
  return out.join("\n");
}

function run(seed: number, steps: number, old: boolean): string[] {
  const w = world(old);
  const r = new Rng(seed);
  const deleted: KubeObject[] = [];
  for (let i = 0; i < steps; i++) {
    const op = r.int(24);
    if (op < 12) {
      const obj = OBJECTS[r.int(OBJECTS.length)]!;
      // Many distinct messages on one object make the index switch to its by-message map.
      const form = r.int(6), src = SOURCES[r.int(SOURCES.length)]!;
      try {
        if (form === 0) {
          // The recorder's SuccessfulCreate without the message (the old one made the message).
          const pod = r.int(2) ? `x-${r.int(5)}` : "";
          if (w.rec instanceof EventRecorder) w.rec.createdPod(obj, pod, src);
          else w.rec.event(obj, "Normal", "SuccessfulCreate", `Created pod: ${pod}`, src);
        } else if (form === 1) {
          const node = ["n1", "n2", ""][r.int(3)]!, md = obj.metadata;
          if (w.rec instanceof EventRecorder) w.rec.scheduled(obj, node, src);
          else w.rec.event(obj, "Normal", "Scheduled", [`Successfully assigned `, md.namespace, "/", md.name, " to ", node].join(""), src);
        } else {
          const msg = r.int(3) === 0 ? `Created pod: x-${r.int(40)}` : MESSAGES[r.int(MESSAGES.length)]!;
          w.rec.event(obj, r.int(4) ? "Normal" : "Warning", REASONS[r.int(REASONS.length)]!, msg, src);
        }
      } catch (e) {
        w.log.push(`threw ${(e as Error).message}`); // AlreadyExists: the clock was set back onto an Event's name
        continue;
      }
      // The watch event's object is what a read returns, until the next write.
      const ev = w.last;
      if (ev && ev.type !== "DELETED") w.log.push(`same ${w.store.get("Event", ev.object.metadata.namespace, ev.object.metadata.name) === ev.object}`);
    } else if (op < 16) advance(w, STEPS[r.int(STEPS.length)]!);
    else if (op < 18) w.log.push(reads(w, r));
    else {
      const evs = w.store.list("Event");
      if (!evs.length) continue;
      const ev = evs[r.int(evs.length)]!;
      if (op === 18 || op === 19) { w.store.delete("Event", ev.metadata.namespace, ev.metadata.name); deleted.push(ev); }
      else if (op === 20) w.store.update({ ...ev, message: `${ev.message} (edited)`, source: { component: "edited" } }, { skipAdmission: true });
      else if (op === 21) w.store.mutate("Event", ev.metadata.namespace, ev.metadata.name, (o) => { o.metadata.labels = { user: "yes" }; o.count = 7; });
      else {
        // A user creates an Event with the name of one deleted before (or deletes one and re-creates it).
        const gone = deleted.length && r.int(2) ? deleted.splice(r.int(deleted.length), 1)[0]! : ev;
        if (gone === ev) w.store.delete("Event", ev.metadata.namespace, ev.metadata.name);
        if (w.store.get("Event", gone.metadata.namespace, gone.metadata.name)) continue;
        w.store.create({ apiVersion: "v1", kind: "Event", metadata: { name: gone.metadata.name, namespace: gone.metadata.namespace }, involvedObject: gone.involvedObject, reason: "Manual", message: "by hand", type: "Normal", firstTimestamp: rfc3339(w.clock.now) } as unknown as KubeObject);
      }
    }
  }
  w.log.push(reads(w, r));
  advance(w, 2 * 3_600_000);
  w.log.push(reads(w, r));
  return w.log;
}

/** Thousands of Events expiring (the log compacts its slots), users' Events among them, then more recording. */
function many(old: boolean): string[] {
  const w = world(old);
  const r = new Rng(3);
  const pods = Array.from({ length: 3000 }, (_, i) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: `pod-${i}`, namespace: i % 3 ? "default" : "other", uid: `uid-${i}`, resourceVersion: "1" } }) as KubeObject);
  const later = (p: KubeObject) => {
    w.rec.event(p, "Normal", "Created", "Created container: c", "kubelet");
    w.rec.event(p, "Normal", "Started", "Started container c", "kubelet");
    w.rec.event(p, "Warning", "BackOff", "Back-off restarting failed container", "kubelet");
  };
  for (let round = 0; round < 4; round++) {
    for (const p of pods) {
      w.rec.event(p, "Normal", "Scheduled", `Successfully assigned ${p.metadata.name}`, "default-scheduler");
      w.rec.event(p, "Normal", "Pulled", "Container image already present on machine", { component: "kubelet", host: "n1" });
      if (r.int(50) === 0) w.rec.event(p, "Normal", "Pulled", "Container image already present on machine", { component: "kubelet", host: "n1" });
    }
    // 40 minutes on, more Events about the same objects: tracked (and chained with each other) when the first
    // ones expire and the log compacts; written again after it.
    advance(w, 2_400_000);
    for (const p of pods) later(p);
    advance(w, 1_500_000);
    for (let k = 0; k < pods.length; k += 7) later(pods[k]!);
    const evs = w.store.list("Event");
    for (let k = 0; k < 20; k++) {
      const e = evs[r.int(evs.length)]!;
      if (!w.store.get("Event", e.metadata.namespace, e.metadata.name)) continue;
      if (k % 2) w.store.delete("Event", e.metadata.namespace, e.metadata.name);
      else w.store.create({ apiVersion: "v1", kind: "Event", metadata: { name: `user-${round}-${k}`, namespace: "default" }, reason: "Manual" } as unknown as KubeObject);
    }
    w.log.push(reads(w, r));
    advance(w, 1_800_000 + r.int(3_600_000));
    w.log.push(reads(w, r));
  }
  if (!old) w.log.push(`compacted ${(w.store.eventLog.epoch > 0)}`);
  else w.log.push("compacted true");
  return w.log;
}

describe("the event log = the Event objects it replaced", () => {
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))("random run, seed %i", (seed) => {
    const a = run(seed, 500, true), b = run(seed, 500, false);
    for (let i = 0; i < a.length; i++) expect(b[i], `line ${i}`).toBe(a[i]);
    expect(b.length).toBe(a.length);
  });

  it("thousands of Events expiring, compacted, with users' Events among them", () => {
    const a = many(true), b = many(false);
    for (let i = 0; i < a.length; i++) expect(b[i], `line ${i}`).toBe(a[i]);
    expect(b.length).toBe(a.length);
  });
});
