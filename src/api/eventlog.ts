/**
 * The store's Events, compact. A big run keeps several Events per pod that almost nobody reads, so an Event
 * the recorder wrote is not kept as an object: it is one slot of a table — numbers in typed arrays, 4 bytes
 * each (its resourceVersion, the rng state its uid was drawn from, the involved object's resourceVersion and
 * the index of the rest of it — frozen apiVersion/kind/name/namespace/uid, shared by the object's Events —,
 * the next slot of the recorder's chain, an interned type/reason/source triple) and a pointer to the message
 * or, for the two messages every pod gets, to the name in it: ~34 bytes (26 of them in typed arrays, outside
 * the JS heap) instead of ~500. Creation time and name sequence are kept in runs (one per instant), count
 * and last-write time aside for the few Events written again.
 * Its object is built when someone reads it, exactly as the store held it before (same keys in the same
 * order, same strings), and cached in the slot from then on, so every reader gets the same object as before
 * (the same one until the next write). So a reader of every Event (`kubectl get events -A`, the UI's event
 * list) brings their objects back into memory.
 *
 * Slots are in creation order, which is the list order. A slot is either
 * - recorded (RECORDED, not OWN): the recorder's Event, its object built from the columns; its name is the
 *   involved object's name + "." + the hex of (ms × 10⁶ + seq), and the recorder's (ms, seq) only grow, so a
 *   name is found by binary search on those columns; or
 * - owned (OWN): the stored object itself — an Event a user created (name in `byName`), or a recorded one
 *   after a user (or the recorder on a user-edited Event) wrote it.
 * A slot outlives its Event while the recorder still tracks it (TRACKED: its expiry has to find its name);
 * `compact()` drops slots neither stored nor tracked.
 */
import type { KubeObject, WatchEvent, WatchEventType } from "./types.ts";
import { rfc3339 } from "../util/time.ts";
import { Rng, hex8, uidText } from "../clock/rng.ts";

export interface EventSource { component: string; host?: string }

/** The interned (type, reason, source) of recorded Events: one per combination in the whole run. */
export interface EventWhat { readonly type: string; readonly reason: string; readonly source: EventSource }

/**
 * Slot flags. WIDE_UID: the uid's four draws are in `wideUids` (not made from the slot's rng state).
 * REWRITTEN: the recorder's last write is not the creation (its time is in `rewrites`; a count above 1 in
 * `counts`).
 */
export const STORED = 1, TRACKED = 2, OWN = 4, CACHED = 8, RECORDED = 16, WIDE_UID = 32, REWRITTEN = 64;

/**
 * How a recorded Event's message is kept (`tmpl`, with its `key`): whole (the key is the message), or — the
 * two messages every pod gets, ~140 bytes of text each pod — as the one part that varies, the rest joined
 * again when read (messageText). The key is then a string something else holds anyway (the pod's or the
 * node's name), so the message costs no memory.
 * - MSG_CREATED_POD: "Created pod: " + key (a ReplicaSet's, DaemonSet's or Job's SuccessfulCreate);
 * - MSG_ASSIGNED: "Successfully assigned " + ns + "/" + name + " to " + key, ns/name the involved object's
 *   (the scheduler's Scheduled).
 */
export const MSG_WHOLE = 0, MSG_CREATED_POD = 1, MSG_ASSIGNED = 2;
export const CREATED_POD = "Created pod: ", ASSIGNED = "Successfully assigned ";

/** The message of a recorded Event kept as (tmpl, key) about `inv`, as one flat string. */
export function messageText(tmpl: number, key: string, inv: Ref): string {
  if (tmpl === MSG_CREATED_POD) return [CREATED_POD, key].join("");
  if (tmpl === MSG_ASSIGNED) return [ASSIGNED, inv.namespace as string, "/", inv.name as string, " to ", key].join("");
  return key;
}

/** A uint32 column's mark for "the value is in the column's `wide` map". */
const WIDE = 0xffffffff;

/**
 * A column of resourceVersions, 4 bytes a slot: a uint32 each, or (one that does not fit: NaN, past 2³²−2)
 * exactly in `wide`.
 */
class Col32 {
  a = new Uint32Array(0);
  wide = new Map<number, number>();

  at(i: number): number {
    const v = this.a[i]!;
    return v === WIDE ? this.wide.get(i)! : v;
  }

  set(i: number, x: number): void {
    if (this.a[i] === WIDE) this.wide.delete(i);
    if (x >>> 0 === x && x !== WIDE) this.a[i] = x;
    else { this.a[i] = WIDE; this.wide.set(i, x); }
  }

  grow(cap: number): void {
    const b = new Uint32Array(cap);
    b.set(this.a);
    this.a = b;
  }

  /** compact(): slot `i` became `j` (all moved in slot order, then `renumber`). */
  move(j: number, i: number): void { this.a[j] = this.a[i]!; }

  renumber(map: Int32Array): void {
    if (this.wide.size) this.wide = renumbered(this.wide, map);
  }
}

/** A map by slot after compact() (old slot → new slot in `map`, -1: dropped). */
function renumbered<T>(m: Map<number, T>, map: Int32Array): Map<number, T> {
  const out = new Map<number, T>();
  for (const [i, x] of m) if (map[i]! >= 0) out.set(map[i]!, x);
  return out;
}

type Ref = Readonly<Record<string, unknown>>;

const NANOS_PER_MS = 1_000_000;

/** What the store's copy on create would do to a flat object: drop keys whose value is undefined. */
export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k in o) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The involvedObject the recorder made: `base` (apiVersion, kind, name, namespace, uid) + resourceVersion,
 * frozen as it was (keys in the same order).
 */
function withRv(base: Ref, rv: number): Ref {
  const o: Record<string, unknown> = {};
  for (const k in base) o[k] = base[k];
  o.resourceVersion = String(rv);
  return Object.freeze(o);
}

/** The namespace a recorded Event is stored in: its object's, or "default" (the store's `namespace || "default"`). */
function nsOfRef(inv: Ref): string {
  return (inv.namespace as string | undefined) ?? "default";
}

/** The name's part before the hex: the involved object's name ("" without one, as the recorder's join made it). */
function prefixOfRef(inv: Ref): string {
  return (inv.name as string | undefined) ?? "";
}

/**
 * One recorded Event version, all its parts copied: a watch event's object is built from it when read. `uid`:
 * the rng state before its draws, or the draws.
 */
export interface Version {
  ms: number; seq: number; uid: number | readonly number[];
  inv: Ref; invRv: number; what: number; tmpl: number; key: string; rv: number; count: number; last: number;
}

export class EventLog {
  /** Slots used. */
  n = 0;
  /** Stored Events. */
  live = 0;
  /** Bumped by compact() (slot numbers change). */
  epoch = 0;
  private cap = 0;
  /**
   * Creation time (ms) and name sequence — the name's search key — in runs: run k covers slots `runStart[k]`
   * … `runStart[k+1] - 1`, whose keys are (`runMs[k]`, `runSeq[k]` + the slot's place in the run). The new
   * Events of one instant get consecutive slots and sequences, so a run each instant (a user's Event, which
   * repeats the key before it, starts one): ~0 bytes a slot instead of 8.
   */
  private runStart = new Int32Array(64);
  private runMs = new Float64Array(64);
  private runSeq = new Float64Array(64);
  private runs = 0;
  /** The run of the last lookup (reads come in slot order). */
  private runAt = 0;
  /** The recorder's last write (and a recorded Event's lastTimestamp) when not the creation: few Events are written again. */
  private rewrites = new Map<number, number>();
  private rvs = new Col32();
  /** A recorded slot's count when above 1 (written again by the recorder: few are). */
  private counts = new Map<number, number>();
  /**
   * The store's rng state before it drew the uid: the uid is its next four draws (`new Rng(state).uid()`),
   * kept in 4 bytes instead of 16. (A uid not drawn so — see stage() — is in `wideUids`, flag WIDE_UID.)
   */
  private uidStates = new Uint32Array(0);
  private wideUids = new Map<number, readonly number[]>();
  private whatOf = new Uint32Array(0);
  /** The recorder's per-object chains of slots (-1 ends one): see EventRecorder.byObject. */
  next = new Int32Array(0);
  /** The involved object's resourceVersion as a number (its base is then the rest of it), or NaN (the base is the whole). */
  private invRvs = new Col32();
  flags = new Uint8Array(0);
  /** A recorded slot's message form (MSG_*), its key in `keys`. */
  private tmpls = new Uint8Array(0);
  /**
   * A recorded slot's involved object (without its resourceVersion when `invRvs` has it): an index into
   * `bases`, which holds each once (a pod's Events share one), so 4 bytes a slot instead of a pointer's 8.
   * compact() drops the ones no slot kept uses.
   */
  private invIds = new Int32Array(0);
  private bases: Ref[] = [];
  private keys: string[] = [];
  /** OWN slots' objects and recorded slots' built (CACHED) ones. */
  private objs = new Map<number, KubeObject>();
  /** Non-recorded slots' namespace and name (kept while the slot is). */
  private named = new Map<number, { ns: string; name: string }>();
  /** Non-recorded stored Events: namespace → name → slot. */
  private byName = new Map<string, Map<string, number>>();
  /** False once a recorded Event's (ms, seq) was not above the last one (a clock set back): lookups then scan. */
  private sorted = true;
  private maxSeq = 0;
  private lastMsKey = -Infinity;
  private lastSeqKey = 0;
  /** First uid draw → slot(s), built at the first getByUid that needs it, kept from then on. */
  private uidIdx: Map<number, number | number[]> | undefined;
  readonly whats: EventWhat[] = [];
  /** Per source, the indexes of its triples (the last source's at hand: sources come in runs). */
  private whatIdx = new Map<EventSource, number[]>();
  private lastWhatSrc: EventSource | undefined = undefined;
  private lastWhats: number[] | undefined = undefined;
  // The name hex of the last ms formatted (names are read in runs of one instant).
  private hexMs = NaN;
  private hexBase = 0n;
  private hiHex = "";
  private hexLo = 0;
  /** What the recorder staged for the next addRecorded (see stage()). */
  private stagedTmpl = MSG_WHOLE;
  private stagedState = -1;
  private stagedBase = -1;

  /** The index of the (type, reason, source) triple. */
  what(type: string, reason: string, source: EventSource): number {
    // A source writes a handful of reasons (mostly literals: equal strings are the same string), so a scan
    // of its few triples beats hashing the reason and the type.
    let mine = source === this.lastWhatSrc ? this.lastWhats : this.whatIdx.get(source);
    if (!mine) this.whatIdx.set(source, (mine = []));
    this.lastWhatSrc = source;
    this.lastWhats = mine;
    const whats = this.whats;
    for (let k = 0; k < mine.length; k++) {
      const w = whats[mine[k]!]!;
      if (w.reason === reason && w.type === type) return mine[k]!;
    }
    const i = whats.length;
    whats.push(Object.freeze({ type, reason, source }));
    mine.push(i);
    return i;
  }

  /** The uid of a recorded slot's involved object (the recorder's index key). */
  uidOfInvolved(slot: number): string | undefined { return this.invAt(slot).uid as string | undefined; }

  /** A recorded slot's involved object without its resourceVersion (shared by its Events), or undefined. */
  invBaseAt(slot: number): Ref | undefined { return this.invRvs.at(slot) === this.invRvs.at(slot) ? this.invAt(slot) : undefined; }

  /** The index of a recorded slot's involved object (see stage()). */
  invIdAt(slot: number): number { return this.invIds[slot]!; }

  /** A recorded slot's involved object as kept (without its resourceVersion when invBaseAt has it). */
  private invAt(slot: number): Ref { return this.bases[this.invIds[slot]!]!; }

  whatAt(slot: number): number { return this.whatOf[slot]!; }
  /** A recorded slot's message form and key (see MSG_WHOLE). */
  tmplAt(slot: number): number { return this.tmpls[slot]!; }
  keyAt(slot: number): string { return this.keys[slot]!; }
  /** The recorder's last write of a recorded slot. */
  lastAt(slot: number): number { return this.flags[slot]! & REWRITTEN ? this.rewrites.get(slot)! : this.msAt(slot); }
  setLast(slot: number, ms: number): void {
    this.rewrites.set(slot, ms);
    this.flags[slot]! |= REWRITTEN;
  }

  /**
   * The recorder's next addRecorded (through the store's recordEvent, which passes the message key on as its
   * message) has message form `tmpl`, the store's rng is at `rngState` before drawing its uid, and its
   * involved object is the one of index `base` (invIdAt of a slot since the last compact(); -1: a new one).
   */
  stage(tmpl: number, rngState: number, base: number): void {
    this.stagedTmpl = tmpl;
    this.stagedState = rngState;
    this.stagedBase = base;
  }

  private grow(): void {
    // ×1.25: the columns are ~40 bytes a slot, so the spare part of the last growth matters more than the copies.
    const cap = Math.max(1024, Math.ceil(this.cap * 1.25));
    const u32 = (a: Uint32Array) => { const b = new Uint32Array(cap); b.set(a); return b; };
    this.rvs.grow(cap); this.invRvs.grow(cap);
    this.whatOf = u32(this.whatOf); this.uidStates = u32(this.uidStates);
    const nx = new Int32Array(cap); nx.set(this.next); this.next = nx;
    const ids = new Int32Array(cap); ids.set(this.invIds); this.invIds = ids;
    const fl = new Uint8Array(cap); fl.set(this.flags); this.flags = fl;
    const tm = new Uint8Array(cap); tm.set(this.tmpls); this.tmpls = tm;
    this.cap = cap;
  }

  /** A new slot with search key (ms, seq). */
  private slot(ms: number, seq: number): number {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.keyed(i, ms, seq);
    return i;
  }

  /** The last slot, `i`, has search key (ms, seq): in the last run, or the start of a new one. */
  private keyed(i: number, ms: number, seq: number): void {
    const last = this.runs - 1;
    if (last >= 0 && this.runMs[last] === ms && this.runSeq[last]! + (i - this.runStart[last]!) === seq) return;
    const k = this.runs;
    if (k === this.runStart.length) {
      const st = new Int32Array(k * 2), m = new Float64Array(k * 2), sq = new Float64Array(k * 2);
      st.set(this.runStart); m.set(this.runMs); sq.set(this.runSeq);
      this.runStart = st; this.runMs = m; this.runSeq = sq;
    }
    this.runStart[k] = i; this.runMs[k] = ms; this.runSeq[k] = seq;
    this.runs = k + 1;
  }

  /** The run of `slot`. */
  private runOf(slot: number): number {
    const st = this.runStart, k = this.runAt;
    if (k < this.runs && st[k]! <= slot && (k + 1 === this.runs || slot < st[k + 1]!)) return k;
    let lo = 0, hi = this.runs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (st[mid]! <= slot) lo = mid; else hi = mid - 1;
    }
    return (this.runAt = lo);
  }

  private msAt(slot: number): number { return this.runMs[this.runOf(slot)]!; }

  private seqAt(slot: number): number {
    const k = this.runOf(slot);
    return this.runSeq[k]! + (slot - this.runStart[k]!);
  }

  /** Would a recorded Event at (ms, seq) possibly have a stored Event's name? (Else no lookup is needed.) */
  mayClash(ms: number, seq: number): boolean {
    return this.byName.size > 0 || seq >= NANOS_PER_MS || this.maxSeq >= NANOS_PER_MS || !this.sorted
      || ms < this.lastMsKey || (ms === this.lastMsKey && seq <= this.lastSeqKey);
  }

  /**
   * A new recorded Event (stored and tracked): uid draws u0..u3, message `key` (in the form stage() set, else
   * whole).
   */
  addRecorded(ms: number, seq: number, u0: number, u1: number, u2: number, u3: number, rv: number, inv: Ref, invRv: number, what: number, key: string): number {
    const i = this.slot(ms, seq);
    if (ms < this.lastMsKey || (ms === this.lastMsKey && seq <= this.lastSeqKey)) this.sorted = false;
    this.lastMsKey = ms; this.lastSeqKey = seq;
    if (seq > this.maxSeq) this.maxSeq = seq;
    this.rvs.set(i, rv);
    let flags = STORED | TRACKED | RECORDED;
    const st = this.stagedState;
    this.stagedState = -1;
    if (st >= 0 && sameDraws(st, u0, u1, u2, u3)) this.uidStates[i] = st;
    else { flags |= WIDE_UID; this.wideUids.set(i, [u0, u1, u2, u3]); }
    this.whatOf[i] = what;
    this.flags[i] = flags;
    this.tmpls[i] = this.stagedTmpl;
    this.stagedTmpl = MSG_WHOLE;
    let base = this.stagedBase;
    this.stagedBase = -1;
    if (!(base >= 0 && this.bases[base] === inv)) { base = this.bases.length; this.bases.push(inv); }
    this.invIds[i] = base;
    this.invRvs.set(i, invRv);
    this.next[i] = -1;
    this.keys[i] = key;
    this.live++;
    this.uidIdx && indexUid(this.uidIdx, u0, i);
    return i;
  }

  /** A new Event created through the store's generic path (a user's): kept as the object. */
  addOwn(obj: KubeObject): number {
    // Its search key repeats the previous slot's, so the keys stay sorted for the binary search.
    const n = this.n;
    const i = n > 0 ? this.slot(this.msAt(n - 1), this.seqAt(n - 1)) : this.slot(-Infinity, 0);
    this.flags[i] = STORED | OWN;
    this.invIds[i] = -1;
    this.keys[i] = undefined as unknown as string;
    const ns = obj.metadata.namespace!, name = obj.metadata.name;
    this.named.set(i, { ns, name });
    let names = this.byName.get(ns);
    if (!names) this.byName.set(ns, (names = new Map()));
    names.set(name, i);
    this.objs.set(i, obj);
    this.live++;
    this.uidIdx && indexUid(this.uidIdx, uidKey(obj.metadata.uid), i);
    return i;
  }

  /** A write replaced the stored object of `slot`: it is the object from now on. */
  setOwn(slot: number, obj: KubeObject): void {
    this.objs.set(slot, obj);
    this.flags[slot] = (this.flags[slot]! | OWN) & ~CACHED;
  }

  /** The recorder wrote a recorded (not OWN) Event again at `now`, as resourceVersion `rv`. */
  bump(slot: number, now: number, rv: number): void {
    this.counts.set(slot, (this.counts.get(slot) ?? 1) + 1);
    this.setLast(slot, now);
    this.rvs.set(slot, rv);
    if (this.flags[slot]! & CACHED) { this.objs.delete(slot); this.flags[slot]! &= ~CACHED; }
  }

  /** The Event of `slot` is no longer stored. */
  unstore(slot: number): void {
    const f = this.flags[slot]!;
    this.flags[slot] = f & ~(STORED | CACHED | OWN);
    this.objs.delete(slot);
    this.live--;
    if (!(f & RECORDED)) {
      const { ns, name } = this.named.get(slot)!;
      const names = this.byName.get(ns)!;
      names.delete(name);
      if (!names.size) this.byName.delete(ns);
    }
  }

  /** The recorder no longer tracks `slot`. */
  untrack(slot: number): void {
    this.flags[slot]! &= ~TRACKED;
  }

  nsOf(slot: number): string {
    return this.flags[slot]! & RECORDED ? nsOfRef(this.invAt(slot)) : this.named.get(slot)!.ns;
  }

  nameOf(slot: number): string {
    if (!(this.flags[slot]! & RECORDED)) return this.named.get(slot)!.name;
    // One flat string (a `+` chain would keep a tree of cons strings alive with a cached object).
    return [prefixOfRef(this.invAt(slot)), ".", this.hex(this.msAt(slot), this.seqAt(slot))].join("");
  }

  /** "ns/name" of a recorded Event version (a watch event's key). */
  keyOf(v: Version): string {
    return [nsOfRef(v.inv), "/", prefixOfRef(v.inv), ".", this.hex(v.ms, v.seq)].join("");
  }

  rvAt(slot: number): number { return this.rvs.at(slot); }

  /** The recorder's name hex: UnixNano of `ms`, plus the sequence within that millisecond. */
  private hex(ms: number, seq: number): string {
    if (ms !== this.hexMs) {
      this.hexMs = ms;
      this.hexBase = BigInt(ms) * 1_000_000n;
      const hi = this.hexBase >> 32n;
      this.hiHex = hi > 0n ? hi.toString(16) : "";
      this.hexLo = Number(this.hexBase & 0xffffffffn);
    }
    const lo = this.hexLo + seq;
    return this.hiHex && lo < 0x1_0000_0000 ? this.hiHex + hex8(lo) : (this.hexBase + BigInt(seq)).toString(16);
  }

  /** The stored Event `ns`/`name`, or -1. */
  find(ns: string, name: string): number {
    const dot = name.lastIndexOf(".");
    if (dot >= 0) {
      const hex = name.slice(dot + 1);
      if (hex.length > 0 && hex.length <= 24 && /^[0-9a-f]+$/.test(hex)) {
        const i = this.findRecorded(ns, name, dot, hex);
        if (i >= 0) return i;
      }
    }
    return this.byName.get(ns)?.get(name) ?? -1;
  }

  private findRecorded(ns: string, name: string, dot: number, hex: string): number {
    const prefix = name.slice(0, dot);
    if (!this.sorted) {
      for (let i = 0; i < this.n; i++) {
        if ((this.flags[i]! & (STORED | RECORDED)) === (STORED | RECORDED) && nsOfRef(this.invAt(i)) === ns && this.nameOf(i) === name) return i;
      }
      return -1;
    }
    const nanos = BigInt("0x" + hex);
    const ms = Number(nanos / 1_000_000n), seq = Number(nanos % 1_000_000n);
    // A sequence past 10⁶ in one millisecond spills into the next milliseconds' nanoseconds.
    for (let k = 0; k * NANOS_PER_MS <= this.maxSeq; k++) {
      const i = this.search(ns, prefix, ms - k, seq + k * NANOS_PER_MS);
      if (i >= 0 && this.nameOf(i) === name) return i;
    }
    return -1;
  }

  /** The stored recorded slot with key (ms, seq), namespace `ns` and name prefix `prefix`, or -1. */
  private search(ns: string, prefix: string, ms: number, seq: number): number {
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.msAt(mid);
      if (m < ms || (m === ms && this.seqAt(mid) < seq)) lo = mid + 1; else hi = mid;
    }
    for (let i = lo; i < this.n && this.msAt(i) === ms && this.seqAt(i) === seq; i++) {
      if ((this.flags[i]! & (STORED | RECORDED)) !== (STORED | RECORDED)) continue;
      const inv = this.invAt(i);
      if (nsOfRef(inv) === ns && prefixOfRef(inv) === prefix) return i;
    }
    return -1;
  }

  /** The stored object of `slot` (built and cached for a recorded one). */
  object(slot: number): KubeObject {
    const f = this.flags[slot]!;
    if (f & (OWN | CACHED)) return this.objs.get(slot)!;
    const o = this.build(this.version(slot));
    this.objs.set(slot, o);
    this.flags[slot] = f | CACHED;
    return o;
  }

  /** The current version of a recorded slot, copied out. */
  version(slot: number): Version {
    return {
      ms: this.msAt(slot), seq: this.seqAt(slot), uid: this.flags[slot]! & WIDE_UID ? this.wideUids.get(slot)! : this.uidStates[slot]!,
      inv: this.invAt(slot), invRv: this.invRvs.at(slot), what: this.whatOf[slot]!, tmpl: this.tmpls[slot]!, key: this.keys[slot]!,
      rv: this.rvs.at(slot), count: this.counts.get(slot) ?? 1, last: this.lastAt(slot),
    };
  }

  /** A recorded Event's object, as the recorder's create (+ its count/lastTimestamp updates) made it. */
  build(v: Version): KubeObject {
    const w = this.whats[v.what]!, src = w.source, inv = v.inv;
    const ts = rfc3339(v.ms);
    const message = messageText(v.tmpl, v.key, inv);
    const o = {
      apiVersion: "v1",
      kind: "Event",
      metadata: {
        name: [prefixOfRef(inv), ".", this.hex(v.ms, v.seq)].join(""), namespace: nsOfRef(inv),
        uid: uidOf(v.uid), creationTimestamp: ts, resourceVersion: String(v.rv),
      },
      involvedObject: v.invRv === v.invRv ? withRv(inv, v.invRv) : inv,
      reason: w.reason, message, type: w.type,
      source: src,
      firstTimestamp: ts,
      lastTimestamp: v.last === v.ms ? ts : rfc3339(v.last),
      eventTime: null,
      count: v.count,
      reportingComponent: src.component,
      reportingInstance: src.host ?? "",
    };
    if (w.reason === undefined || message === undefined || w.type === undefined || src.component === undefined) dropUndefined(o);
    return o as unknown as KubeObject;
  }

  /** Stored Events in list order (of namespace `ns` when given). */
  list(ns: string | undefined): KubeObject[] {
    const out: KubeObject[] = [];
    const flags = this.flags;
    for (let i = 0; i < this.n; i++) {
      const f = flags[i]!;
      if (!(f & STORED)) continue;
      if (ns && (f & OWN ? this.objs.get(i)!.metadata.namespace : this.nsOf(i)) !== ns) continue;
      out.push(this.object(i));
    }
    return out;
  }

  /** The stored Event with this uid, or -1. */
  findUid(uid: string): number {
    if (!this.live) return -1;
    if (!this.uidIdx) {
      this.uidIdx = new Map();
      for (let i = 0; i < this.n; i++) if (this.flags[i]! & STORED) indexUid(this.uidIdx, this.uidKeyAt(i), i);
    }
    const hit = this.uidIdx.get(uidKey(uid));
    if (hit === undefined) return -1;
    for (const i of typeof hit === "number" ? [hit] : hit) if (this.flags[i]! & STORED && this.uidAt(i) === uid) return i;
    return -1;
  }

  private uidKeyAt(i: number): number {
    const f = this.flags[i]!;
    if (!(f & RECORDED)) return uidKey(this.objs.get(i)!.metadata.uid);
    return f & WIDE_UID ? this.wideUids.get(i)![0]! : new Rng(this.uidStates[i]!).next();
  }

  private uidAt(i: number): string {
    const f = this.flags[i]!;
    if (f & (OWN | CACHED)) return this.objs.get(i)!.metadata.uid;
    return uidOf(f & WIDE_UID ? this.wideUids.get(i)! : this.uidStates[i]!);
  }

  /** Slots neither stored nor tracked, worth dropping? */
  wantsCompact(): boolean {
    const dead = this.n - this.live;
    return dead > 4096 && dead * 2 > this.n;
  }

  /**
   * Drop slots neither stored nor tracked (list order kept); returns old slot → new slot (-1: dropped) for
   * the slot numbers the caller keeps.
   */
  compact(): Int32Array {
    const map = new Int32Array(this.n).fill(-1);
    const objs = new Map<number, KubeObject>(), named = new Map<number, { ns: string; name: string }>();
    // The runs of the slots kept, made again as slot() makes them (read from the old ones as they go).
    const old = { start: this.runStart, ms: this.runMs, seq: this.runSeq, runs: this.runs };
    this.runStart = new Int32Array(64); this.runMs = new Float64Array(64); this.runSeq = new Float64Array(64);
    this.runs = 0; this.runAt = 0;
    let j = 0, r = 0;
    for (let i = 0; i < this.n; i++) {
      const f = this.flags[i]!;
      if (!(f & (STORED | TRACKED))) continue;
      map[i] = j;
      while (r + 1 < old.runs && old.start[r + 1]! <= i) r++;
      this.keyed(j, old.ms[r]!, old.seq[r]! + (i - old.start[r]!));
      this.rvs.move(j, i); this.invRvs.move(j, i);
      this.whatOf[j] = this.whatOf[i]!;
      this.uidStates[j] = this.uidStates[i]!;
      this.flags[j] = f;
      this.tmpls[j] = this.tmpls[i]!;
      this.invIds[j] = this.invIds[i]!;
      this.next[j] = this.next[i]!;
      this.keys[j] = this.keys[i]!;
      const o = this.objs.get(i);
      if (o) objs.set(j, o);
      const nm = this.named.get(i);
      if (nm) named.set(j, nm);
      j++;
    }
    this.n = j;
    this.rvs.renumber(map); this.invRvs.renumber(map);
    this.rewrites = renumbered(this.rewrites, map);
    this.counts = renumbered(this.counts, map);
    this.wideUids = renumbered(this.wideUids, map);
    // A chain's slots are all tracked, so all kept (renumbered once all are mapped: a chain may point forward).
    for (let k = 0; k < j; k++) if (this.next[k]! >= 0) this.next[k] = map[this.next[k]!]!;
    const baseMap = new Int32Array(this.bases.length).fill(-1), bases: Ref[] = [];
    for (let k = 0; k < j; k++) {
      const b = this.invIds[k]!;
      if (b < 0) continue;
      if (baseMap[b]! < 0) { baseMap[b] = bases.length; bases.push(this.bases[b]!); }
      this.invIds[k] = baseMap[b]!;
    }
    this.bases = bases;
    this.keys.length = j;
    this.objs = objs;
    this.named = named;
    for (const names of this.byName.values()) for (const [name, i] of names) names.set(name, map[i]!);
    this.uidIdx = undefined;
    this.epoch++;
    return map;
  }
}

/** Are u0..u3 the four draws after rng state `st` (what the store's recordEvent draws for the uid)? */
function sameDraws(st: number, u0: number, u1: number, u2: number, u3: number): boolean {
  const r = new Rng(st);
  return r.next() === u0 && r.next() === u1 && r.next() === u2 && r.next() === u3;
}

/** A recorded Event's uid text: from the rng state before its draws, or the four draws. */
function uidOf(u: number | readonly number[]): string {
  return typeof u === "number" ? new Rng(u).uid() : uidText(u[0]!, u[1]!, u[2]!, u[3]!);
}

/** The uid index's key: the uid's first 32 bits (its first draw), NaN when it is not a store-made uid. */
function uidKey(uid: string): number {
  return typeof uid === "string" && uid.length === 36 ? parseInt(uid.slice(0, 8), 16) : NaN;
}

function indexUid(idx: Map<number, number | number[]>, key: number, slot: number): void {
  const cur = idx.get(key);
  if (cur === undefined) idx.set(key, slot);
  else if (typeof cur === "number") idx.set(key, [cur, slot]);
  else cur.push(slot);
}

/**
 * A watch event about a recorded Event: its object (and old version) are built when read — the simulation's
 * dispatcher and the scheduler look at `kind` only. Built once per watch event; when that version is still
 * the stored one, it becomes the slot's cached object (the store's get returns the watch event's object, as
 * before).
 */
export class EventWatch implements WatchEvent {
  readonly kind = "Event";
  private obj: KubeObject | undefined = undefined;
  private prevObj: KubeObject | undefined;
  constructor(
    readonly type: WatchEventType,
    private log: EventLog,
    private slot: number,
    private epoch: number,
    private v: Version,
    /** MODIFIED: the previous version's object when it was built, else its count/last/rv. */
    prev: KubeObject | undefined,
    private prevV: Version | undefined,
  ) {
    this.prevObj = prev;
  }

  get key(): string {
    return this.log.keyOf(this.v);
  }

  get object(): KubeObject {
    if (this.obj) return this.obj;
    const log = this.log, s = this.slot;
    const current = this.type !== "DELETED" && log.epoch === this.epoch && (log.flags[s]! & (STORED | OWN)) === STORED && log.rvAt(s) === this.v.rv;
    this.obj = current ? log.object(s) : log.build(this.v);
    return this.obj;
  }

  get old(): KubeObject | undefined {
    if (this.type === "ADDED") return undefined;
    if (this.type === "DELETED") return this.object;
    return (this.prevObj ??= this.log.build(this.prevV!));
  }
}
