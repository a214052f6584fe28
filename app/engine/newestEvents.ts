/**
 * The UI's newest Events without reading every Event. The store keeps Events in a compact log
 * (src/api/eventlog.ts: one slot per Event, in creation order, numbers in typed arrays) and builds an
 * Event's object only when someone reads it, so listing every Event each tick would rebuild (and keep)
 * ~900k objects at the envelope. The list the UI shows is "every Event sorted by its last timestamp
 * (seconds: the RFC 3339 text), ties in creation order; the last `max`", i.e. the `max` greatest
 * (second, slot) ranks. This keeps those ranks and, per update, looks only at what changed:
 *  - slots added since the last update (the log only appends; a compaction renumbers: then rescan),
 *  - Events the watch stream reported MODIFIED or DELETED (`touch`).
 * Every Event outside the kept ranks ranked below the lowest kept one when it was kept; it still does
 * unless it changed (then it is a candidate). So the new top is exact whenever at least `max`
 * candidates rank at or above that old lowest rank; otherwise (kept ones deleted or moved back in time)
 * the log is rescanned from its columns. A recorded Event's rank comes from its columns; only an
 * object a user wrote (OWN) is read, and views are built from transient objects (nothing is cached in
 * the log).
 */
import type { KubeObject } from "../../src/index.ts";
import { CACHED, OWN, STORED, type EventLog } from "../../src/api/eventlog.ts";
import { resourceOf, type EventView } from "./snapshot.ts";

interface Entry { slot: number; sec: number; key: string; view: EventView }

export class NewestEvents {
  private log: EventLog | undefined;
  /** The log's epoch and slot count at the last update (slots ≥ seen are new). */
  private epoch = -1;
  private seen = 0;
  /** The kept ranks, lowest first. */
  private top: Entry[] = [];
  private byKey = new Map<string, Entry>();
  /** Keys of Events modified or deleted since the last update. */
  private touched = new Set<string>();
  private rescan = true;
  private views: EventView[] = [];

  constructor(private readonly max: number) {}

  /** Start over on another log (a new session). */
  reset(log: EventLog): void {
    this.log = log;
    this.rescan = true;
    this.touched.clear();
    this.top = [];
    this.byKey.clear();
  }

  /** The watch stream reported `key` MODIFIED or DELETED. */
  touch(key: string): void {
    this.touched.add(key);
  }

  /** The newest Events' views, oldest first; the same array while nothing in it changed. */
  update(): EventView[] {
    const log = this.log;
    if (!log) return this.views;
    // Slot numbers name the same Event only within one epoch (a compaction renumbers them).
    const sameEpoch = !this.rescan && log.epoch === this.epoch;
    let ranked: Array<{ sec: number; slot: number }> | undefined;
    if (sameEpoch) ranked = this.incremental(log);
    if (!ranked) ranked = selectTop(log, allStored(log), this.max);
    this.rescan = false;
    this.epoch = log.epoch;
    this.seen = log.n;
    const touched = this.touched;
    const old = this.byKey;
    const top: Entry[] = new Array(ranked.length);
    const byKey = new Map<string, Entry>();
    let same = ranked.length === this.top.length;
    for (let i = 0; i < ranked.length; i++) {
      const { sec, slot } = ranked[i]!;
      const prev = this.top[i];
      let e: Entry;
      if (sameEpoch && prev && prev.slot === slot && !touched.has(prev.key)) e = prev;
      else {
        // Kept before and not written since (a key names one stored Event): same view.
        const key = `${log.nsOf(slot)}/${log.nameOf(slot)}`;
        const was = touched.has(key) ? undefined : old.get(key);
        e = was?.slot === slot ? was : { slot, sec, key, view: was ? was.view : eventView(objectAt(log, slot)) };
      }
      if (e !== prev) same = false;
      top[i] = e;
      byKey.set(e.key, e);
    }
    touched.clear();
    if (same) return this.views;
    this.top = top;
    this.byKey = byKey;
    this.views = top.map((e) => e.view);
    return this.views;
  }

  /** The new ranks from the kept ones and the changed slots, or undefined when the log must be rescanned. */
  private incremental(log: EventLog): Array<{ sec: number; slot: number }> | undefined {
    if (!this.touched.size && log.n === this.seen) return this.top;
    const cand: number[] = [];
    const moved = new Set<number>();
    for (const key of this.touched) {
      const e = this.byKey.get(key);
      if (e) moved.add(e.slot);
      const slot = findSlot(log, key);
      // Slots ≥ seen are new: scanned below.
      if (slot >= 0 && slot < this.seen) { cand.push(slot); moved.add(slot); }
    }
    const full = this.top.length === this.max;
    const low = this.top[0];
    for (const e of this.top) if (!moved.has(e.slot)) cand.push(e.slot);
    const flags = log.flags;
    for (let s = this.seen; s < log.n; s++) if (flags[s]! & STORED) cand.push(s);
    const ranked = selectTop(log, cand, this.max);
    // Exact only if the lowest kept rank is still covered (see the header).
    if (full && low && (ranked.length < this.max || before(ranked[0]!, low))) return undefined;
    return ranked;
  }
}

function before(a: { sec: number; slot: number }, b: { sec: number; slot: number }): boolean {
  return a.sec < b.sec || (a.sec === b.sec && a.slot < b.slot);
}

function allStored(log: EventLog): number[] {
  const out: number[] = [];
  const flags = log.flags;
  for (let s = 0; s < log.n; s++) if (flags[s]! & STORED) out.push(s);
  return out;
}

/** The stored Event `key` ("ns/name")'s slot, or -1. */
function findSlot(log: EventLog, key: string): number {
  const i = key.indexOf("/");
  return i < 0 ? -1 : log.find(key.slice(0, i), key.slice(i + 1));
}

/**
 * Date.parse of the Event's last timestamp as the event view reads it (0 when unparsable). A recorded
 * Event's lastTimestamp is rfc3339 of its `last` column: that second.
 */
function secAt(log: EventLog, slot: number): number {
  if (log.flags[slot]! & OWN) return lastOf(log.object(slot));
  return Math.floor(log.lastAt(slot) / 1000) * 1000;
}

/** The Event's object: the stored one when it exists, else built for this read only (not cached in the log). */
function objectAt(log: EventLog, slot: number): KubeObject {
  return log.flags[slot]! & (OWN | CACHED) ? log.object(slot) : log.build(log.version(slot));
}

function lastOf(e: KubeObject): number {
  const t = Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp);
  return Number.isNaN(t) ? 0 : t;
}

export function eventView(e: KubeObject): EventView {
  const io = e.involvedObject ?? {};
  return {
    uid: e.metadata.uid, type: e.type ?? "Normal", reason: e.reason ?? "", namespace: e.metadata.namespace ?? "default",
    object: `${resourceOf(io.kind ?? "")}/${io.name ?? ""}`, message: e.message ?? "", count: e.count ?? 1,
    last: lastOf(e),
  };
}

/** The `max` greatest (second, slot) ranks among `slots` (distinct), lowest first. */
function selectTop(log: EventLog, slots: number[], max: number): Array<{ sec: number; slot: number }> {
  const n = slots.length;
  const secs = new Float64Array(n);
  for (let i = 0; i < n; i++) secs[i] = secAt(log, slots[i]!);
  let picked: number[];
  if (n <= max) picked = Array.from(slots.keys());
  else {
    // The max-th greatest second; everything above it is in, and of those at it, the latest slots.
    const sorted = secs.slice().sort();
    const t = sorted[n - max]!;
    picked = [];
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      if (secs[i]! > t) picked.push(i);
      else if (secs[i] === t) at.push(i);
    }
    at.sort((a, b) => slots[b]! - slots[a]!);
    for (let k = 0; picked.length < max; k++) picked.push(at[k]!);
  }
  const out = picked.map((i) => ({ sec: secs[i]!, slot: slots[i]! }));
  out.sort((a, b) => a.sec - b.sec || a.slot - b.slot);
  return out;
}
