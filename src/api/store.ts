/**
 * The simulated API server: a typed object store with uid, resourceVersion, generation, generateName,
 * graceful deletion, finalizers and watch events. Indexes keep the hot lists cheap: pods by node, any
 * object by owner uid, pods by label pair.
 *
 * Contract: objects returned by get/list are the stored ones: **never mutate them**. To change an object,
 * build a new one (see `clone`) and pass it to `update`/`updateStatus`.
 */
import { ApiError, alreadyExists, invalid, notFound, type FieldError } from "./errors.ts";
import { kindInfo, maybeKindInfo, resourceString } from "./kinds.ts";
import { equalityPairs, matches, type Selector } from "./labels.ts";
import { admissionFor, type AdmissionCtx } from "./admission/registry.ts";
import { validateLabels } from "./admission/labels.ts";
import { keyOf, splitKey, type KubeObject, type ObjectKey, type Pod, type WatchEvent } from "./types.ts";
import { generateName, type Rng } from "../clock/rng.ts";
import type { VirtualClock } from "../clock/clock.ts";
import { rfc3339 } from "../util/time.ts";
import { WriteOrderList } from "./writeorder.ts";
import { jsonEqual } from "../util/jsonEqual.ts";
import { EventLog, EventWatch, OWN, CACHED, type Version } from "./eventlog.ts";

export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  /** Pods: overrides spec.terminationGracePeriodSeconds; 0 = immediate (force) removal. */
  gracePeriodSeconds?: number;
}

export interface ListOptions {
  namespace?: string;
  selector?: Selector;
}

export const FINALIZER_FOREGROUND = "foregroundDeletion";
export const FINALIZER_ORPHAN = "orphan";

/**
 * Deep copy for JSON-shaped objects (plain objects, arrays, primitives). Several times faster than
 * structuredClone, which serialises; the store copies on every create and mutate.
 */
export function clone<T>(o: T): T {
  if (o === null || typeof o !== "object") return o;
  if (Array.isArray(o)) {
    const n = o.length;
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = clone(o[i]);
    return a as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in o as Record<string, unknown>) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = clone(v);
  }
  return out as T;
}

/**
 * `clone`, except that frozen objects/arrays are kept as they are: a frozen part can never change, so a new
 * object may share it (pods created from one template share their deep-frozen containers, tolerations…).
 * Like `clone`, drops keys whose value is undefined (frozen parts come from `clone`, so they hold none).
 */
export function cloneShared<T>(o: T): T {
  if (o === null || typeof o !== "object" || Object.isFrozen(o)) return o;
  if (Array.isArray(o)) {
    const n = o.length;
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = cloneShared(o[i]);
    return a as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in o as Record<string, unknown>) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = cloneShared(v);
  }
  return out as T;
}

/**
 * A constructor of plain objects — prototype Object.prototype, constructor Object: nothing in JS tells them from
 * `{}` — with room for `n` properties (at most 10) inside the object. An object made by `{}` or a spread has
 * room for 4; V8 keeps the rest in a separate property array (16 B + 8 per slot, with spare slots), and a spread
 * of such an object takes a slow path. V8 sizes a constructor's instances by watching its first few (slack
 * tracking), so the constructor is warmed here with instances of `n` dummy properties: every later instance
 * gets exactly `n` slots, whatever its keys are called and in whatever order they are added.
 */
function sizedPlainObject(n: number): new () => Record<string, unknown> {
  function Plain() {}
  Plain.prototype = Object.prototype;
  const C = Plain as unknown as new () => Record<string, unknown>;
  for (let i = 0; i < 8; i++) {
    const o = new C();
    for (let j = 0; j < n; j++) o[`_${j}`] = 0;
  }
  return C;
}

/** Stored objects: apiVersion, kind, metadata, spec, status. */
const StoredObject = sizedPlainObject(5);
/** Stored metadata: a controller's pod has 8 keys (namespace, generateName, labels, ownerReferences, name, uid, creationTimestamp, resourceVersion). */
const StoredMeta = sizedPlainObject(8);

/**
 * create's private copy of its input: the object and its top-level values (metadata, spec…) are always new
 * (admission defaults them in place); deeper frozen parts are shared (cloneShared).
 */
function copyInput(input: KubeObject): KubeObject {
  const out = new StoredObject();
  for (const k in input) {
    const v = input[k];
    if (v === undefined) continue;
    out[k] = v !== null && typeof v === "object" && Object.isFrozen(v) ? (Array.isArray(v) ? clone(v) : cloneShallow(v)) : cloneShared(v);
  }
  return out as KubeObject;
}

/** A new object with the same keys; values that are undefined are dropped, the rest shared if frozen, else copied. */
function cloneShallow(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = cloneShared(v);
  }
  return out;
}

/**
 * The same keys and values (undefined ones too) in a new object built key by key. A caller's `{ ...spec,
 * nodeName }` (a spread, then a key the source lacks) gets a hidden class of its own in V8 — a new map and
 * descriptor array per object (~340 bytes, and every property access on such specs goes megamorphic); built
 * key by key, the object follows the shared transition tree, so all pods with the same keys share one map.
 */
function relaid(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = o[k];
  return out;
}

/**
 * Object.freeze, all the way down; returns `o`. What objects share must be frozen, so that code that still
 * changes one in place throws (ES modules are strict) instead of changing every object that holds it.
 */
export function deepFreeze<T>(o: T): T {
  if (o === null || typeof o !== "object" || Object.isFrozen(o)) return o;
  for (const k in o as Record<string, unknown>) deepFreeze((o as Record<string, unknown>)[k]);
  return Object.freeze(o);
}

/** A deep-frozen copy (`cloneShared` + `deepFreeze`: parts already frozen are kept): safe to share between objects. */
export function frozenCopy<T>(o: T): T {
  return deepFreeze(cloneShared(o));
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The latest instant RFC 3339 (four-digit years) can name: 9999-12-31T23:59:59Z. */
const MAX_TIMESTAMP_MS = 253402300799000;

/** now + grace seconds as a deletionTimestamp, clamped to what a timestamp can hold (a huge but valid int64 grace). */
function graceDeadline(now: number, graceSeconds: number): string {
  return rfc3339(Math.min(now + graceSeconds * 1000, MAX_TIMESTAMP_MS));
}

function hasExactlyNameNamespace(md: object): boolean {
  let i = 0;
  for (const k in md) {
    if ((i === 0 && k !== "name") || (i === 1 && k !== "namespace") || i > 1) return false;
    i++;
  }
  return i === 2 && typeof (md as { namespace?: unknown }).namespace === "string" && (md as { namespace: string }).namespace !== "";
}

const NO_STRINGS: string[] = [];
/** validateMeta's "no errors" (never changed: create copies it before adding to it). */
const NO_ERRORS: FieldError[] = Object.freeze([]) as unknown as FieldError[];
/** Frozen label sets that passed validateMeta's checks. */
const validLabels = new WeakSet<object>();
/** An index list: stored objects (their IndexRecs) in last-write order. */
type IndexList = WriteOrderList<IndexRec>;
const NO_LISTS: IndexList[] = [];

/**
 * One stored object (any kind but recorder Events): the current version, where it is stored, and the index
 * lists it belongs to (each list knows its own name). A write replaces `obj` and leaves the maps that hold the
 * record alone (byKind, byUid or podsByUid, podsByNs): no hashing on the write path.
 */
class IndexRec {
  /** Its last write's resourceVersion: its lists order their members by it (see writeorder.ts); -1 once removed. */
  stamp = 0;
  ownerLists: IndexList[] = NO_LISTS;
  labelLists: IndexList[] = NO_LISTS;
  nodeList: IndexList | undefined = undefined;
  /** `key`: the byKind key it is stored under ("" for an Event: those are not in byKind). */
  constructor(public obj: KubeObject, readonly key: ObjectKey) {}
}

/** Membership tests of the three indexes' lists (see writeorder.ts). */
const inOwnerList = (r: IndexRec, l: IndexList): boolean => r.ownerLists.includes(l);
const inNodeList = (r: IndexRec, l: IndexList): boolean => r.nodeList === l;
const inLabelList = (r: IndexRec, l: IndexList): boolean => r.labelLists.includes(l);

/**
 * A WeakMap that keeps its two latest hits at hand: pods of one template come in a row and ask for the same
 * two keys (their owners, their labels) again and again; a WeakMap lookup costs more than two comparisons.
 */
class RecentWeakMap<K extends object, V> {
  private readonly map = new WeakMap<K, V>();
  private k0: K | undefined = undefined;
  private v0: V | undefined = undefined;
  private k1: K | undefined = undefined;
  private v1: V | undefined = undefined;

  get(k: K): V | undefined {
    if (k === this.k0) return this.v0;
    if (k === this.k1) return this.v1;
    const v = this.map.get(k);
    if (v !== undefined) this.keep(k, v);
    return v;
  }

  set(k: K, v: V): void {
    this.map.set(k, v);
    this.keep(k, v);
  }

  private keep(k: K, v: V): void {
    this.k1 = this.k0; this.v1 = this.v0;
    this.k0 = k; this.v0 = v;
  }
}

/** Index keys of frozen (shared) labels / ownerReferences: pods of one template share one (frozen) list. */
const indexKeys = new RecentWeakMap<object, string[]>();

/** The owner uids of `refs`, each once, in order (shared for a frozen list; never changed once made). */
function ownerUidsOf(refs: readonly { uid: string }[] | undefined): string[] {
  if (refs === undefined) return NO_STRINGS;
  if (!Array.isArray(refs)) {
    const uids: string[] = [];
    for (const o of refs ?? []) if (!uids.includes(o.uid)) uids.push(o.uid);
    return uids;
  }
  if (!refs.length) return NO_STRINGS;
  const frozen = Object.isFrozen(refs);
  if (frozen) {
    const c = indexKeys.get(refs);
    if (c) return c;
  }
  const uids: string[] = new Array(refs.length);
  let n = 0;
  for (let i = 0; i < refs.length; i++) {
    const u = refs[i]!.uid;
    let dup = false;
    for (let j = 0; j < n; j++) if (uids[j] === u) { dup = true; break; }
    if (!dup) uids[n++] = u;
  }
  uids.length = n;
  if (frozen) indexKeys.set(refs, Object.freeze(uids) as string[]);
  return uids;
}

/** `k=v` for each label, in key order (shared for frozen labels; never changed once made). */
function labelPairsOf(labels: Record<string, string> | undefined): string[] {
  if (!labels) return NO_STRINGS;
  const frozen = Object.isFrozen(labels);
  if (frozen) {
    const c = indexKeys.get(labels);
    if (c) return c;
  }
  const keys = Object.keys(labels);
  const pairs: string[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) pairs[i] = `${keys[i]}=${labels[keys[i]!]}`;
  if (frozen) indexKeys.set(labels, Object.freeze(pairs) as string[]);
  return pairs;
}

export class ObjectStore {
  /** kind → key → the stored object's record. */
  private byKind = new Map<string, Map<ObjectKey, IndexRec>>();
  /** uid → the stored object's record, but pods (podsByUid) and Events without owners (see indexEvent). */
  private byUid = new Map<string, IndexRec>();
  /**
   * uid → a pod's record: made by the first getByUid that byUid cannot answer while there are pods, kept from
   * then on. Until then the pods (the bulk of a big cluster) cost no uid map: the controllers ask for owners by
   * uid (ReplicaSets, Jobs…), seldom for a pod, and for a missing uid only after an owner is deleted.
   */
  private podsByUid: Map<string, IndexRec> | undefined = undefined;
  /**
   * Every Event, in creation order (the recorder's compact, users' as objects: see eventlog.ts). Events are
   * not in byKind, nor in byUid unless they have owners (getByUid asks the log after byUid).
   */
  readonly eventLog = new EventLog();
  /**
   * Pods by namespace, then name: the hot `get("Pod", ns, name)` looks up the name string it is given (its
   * hash cached in the string) instead of building and hashing a "ns/name" key. Mirrors byKind's Pod map,
   * holding each pod's IndexRec (its current object and byKind key; a write changes the record, not this map).
   */
  private podsByNs = new Map<string, Map<string, IndexRec>>();
  /**
   * ownerUid → the stored dependents, in last-write order (a write moves the object to the end, as the
   * Map delete + set it replaces did).
   */
  private byOwner = new Map<string, IndexList>();
  /** nodeName → bound pods, label pair `k=v` → pods: both in last-write order like byOwner. */
  private podsByNode = new Map<string, IndexList>();
  private podsByLabel = new Map<string, IndexList>();
  /** Index lists arrays shared by the records whose (frozen, shared) names map to them: see relink. */
  private sharedLists = new RecentWeakMap<string[], IndexList[]>();
  private watchers: Array<(ev: WatchEvent) => void> = [];
  private rv = 0;

  constructor(readonly clock: VirtualClock, readonly rng: Rng) {}

  get resourceVersion(): number {
    return this.rv;
  }

  // ---------------------------------------------------------------- reads

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.find(kind, namespace, name) as T | undefined;
  }

  /** The record of what the last `find` found (undefined for an Event or nothing), for the write that follows. */
  private foundRec: IndexRec | undefined = undefined;
  /**
   * The record of the object (not an Event) a read or write returned last: updateStatus is usually given that
   * very object (a controller reads, then writes its status), and then needs no lookup by name.
   */
  private lastRec: IndexRec | undefined = undefined;

  /** get, remembering the record in `foundRec`. */
  private find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    let rec: IndexRec | undefined;
    if (kind === "Pod" && typeof name === "string" && (namespace === undefined || typeof namespace === "string")) {
      rec = this.podsByNs.get(namespace ?? "default")?.get(name);
    } else if (kind === "Event") {
      this.foundRec = undefined;
      return this.eventGet(namespace ?? "default", name);
    } else {
      const info = maybeKindInfo(kind);
      rec = this.byKind.get(kind)?.get(info?.namespaced ? `${namespace ?? "default"}/${name}` : name);
    }
    this.foundRec = rec;
    if (rec !== undefined) this.lastRec = rec;
    return rec?.obj;
  }

  getByKey<T extends KubeObject = KubeObject>(kind: string, key: ObjectKey): T | undefined {
    if (kind === "Event") {
      const { namespace, name } = splitKey(key);
      return this.eventGet(namespace ?? "default", name) as T | undefined;
    }
    const rec = this.byKind.get(kind)?.get(key);
    if (rec === undefined) return undefined;
    this.lastRec = rec;
    return rec.obj as T;
  }

  getByUid<T extends KubeObject = KubeObject>(uid: string): T | undefined {
    const rec = this.byUid.get(uid) ?? this.podByUid(uid);
    if (rec !== undefined) return rec.obj as T;
    const slot = this.eventLog.findUid(uid);
    return slot < 0 ? undefined : this.eventLog.object(slot) as T;
  }

  /** The record of the pod with this uid (building podsByUid at the first call that needs it). */
  private podByUid(uid: string): IndexRec | undefined {
    let m = this.podsByUid;
    if (m === undefined) {
      const pods = this.byKind.get("Pod");
      if (!pods?.size) return undefined;
      m = this.podsByUid = new Map();
      for (const rec of pods.values()) m.set(rec.obj.metadata.uid, rec);
    }
    return m.get(uid);
  }

  /** Objects of a kind, in creation order (deterministic). Uses the label index for pods. */
  list<T extends KubeObject = KubeObject>(kind: string, opts: ListOptions = {}): T[] {
    const { namespace, selector } = opts;
    if (kind === "Event") {
      const evs = this.eventLog.list(namespace) as T[];
      return selector ? evs.filter((o) => matches(selector, o.metadata.labels)) : evs;
    }
    const m = this.byKind.get(kind);
    if (!m) return [];
    if (kind === "Pod" && selector && !selector.nothing) {
      const pairs = equalityPairs(selector);
      if (pairs.length) {
        let best: IndexList | undefined;
        for (const p of pairs) {
          const s = this.podsByLabel.get(p);
          if (!s) return [];
          if (!best || s.size < best.size) best = s;
        }
        const out: T[] = [];
        const reqs = selector.requirements;
        // Only equality requirements (the usual matchLabels): compare the label values directly (for string
        // values, `labels[k] === v` is exactly matches()' own-property test).
        let onlyEq = true;
        for (let i = 0; i < reqs.length; i++) if (reqs[i]!.op !== "=") { onlyEq = false; break; }
        const recs = best!.members();
        for (let i = 0; i < recs.length; i++) {
          const o = recs[i]!.obj;
          if (namespace && o.metadata.namespace !== namespace) continue;
          const labels = o.metadata.labels;
          if (onlyEq && labels) {
            let ok = true;
            for (let i = 0; i < reqs.length; i++) {
              const r = reqs[i] as { key: string; value: string };
              if (typeof r.value !== "string" || labels[r.key] !== r.value) { ok = false; break; }
            }
            if (ok) { out.push(o as T); continue; }
          }
          if (matches(selector, labels)) out.push(o as T);
        }
        return out;
      }
    }
    const out: T[] = [];
    for (const rec of m.values()) {
      const o = rec.obj;
      if (namespace && o.metadata.namespace !== namespace) continue;
      if (selector && !matches(selector, o.metadata.labels)) continue;
      out.push(o as T);
    }
    return out;
  }

  /** How many pods carry the label `key=value` (any namespace): O(1) from the label index. */
  countPodsWithLabel(key: string, value: string): number {
    return this.podsByLabel.get(`${key}=${value}`)?.size ?? 0;
  }

  count(kind: string): number {
    if (kind === "Event") return this.eventLog.live;
    return this.byKind.get(kind)?.size ?? 0;
  }

  /** Pods bound to a node (spec.nodeName). */
  podsOnNode(nodeName: string): Pod[] {
    const pods = this.podsByNode.get(nodeName);
    if (!pods) return [];
    const out: Pod[] = [];
    const recs = pods.members();
    for (let i = 0; i < recs.length; i++) out.push(recs[i]!.obj as Pod);
    return out;
  }

  /** Objects whose ownerReferences name `ownerUid` (optionally only of one kind). */
  ownedBy<T extends KubeObject = KubeObject>(ownerUid: string, kind?: string): T[] {
    const refs = this.byOwner.get(ownerUid);
    if (!refs) return [];
    const out: T[] = [];
    const recs = refs.members();
    for (let i = 0; i < recs.length; i++) {
      const o = recs[i]!.obj;
      if (kind && o.kind !== kind) continue;
      out.push(o as T);
    }
    return out;
  }

  watch(fn: (ev: WatchEvent) => void): () => void {
    this.watchers.push(fn);
    return () => {
      this.watchers = this.watchers.filter((w) => w !== fn);
    };
  }

  // ---------------------------------------------------------------- writes

  /**
   * POST. Runs defaulting and validation; fills name (generateName), uid, resourceVersion,
   * creationTimestamp, generation. Throws ApiError.
   */
  create<T extends KubeObject>(input: T | KubeObject, opts: { fresh?: boolean } = {}): T {
    const info = maybeKindInfo(input.kind);
    if (!info) throw new ApiError("NotFound", `the server could not find the requested resource`);
    // `fresh`: the caller built `input` for this call alone (no undefined values, nothing shared with other
    // objects), so the store may keep it as is instead of copying it (EventRecorder).
    const obj = (opts.fresh ? input : copyInput(input)) as KubeObject;
    obj.apiVersion = info.apiVersion;
    const src = obj.metadata;
    // The event recorder's `{ name, namespace }`: build the metadata in its final shape at once (same keys in
    // the same order as the spread + additions below; Events have no admission and no generation).
    const adm = admissionFor(info.kind);
    const eventMeta = opts.fresh && info.kind === "Event" && src && hasExactlyNameNamespace(src) && !adm.length;
    obj.metadata = (eventMeta
      ? { name: src.name, namespace: src.namespace, uid: "", creationTimestamp: "", resourceVersion: "" }
      : Object.assign(new StoredMeta(), src)) as KubeObject["metadata"];
    const md = obj.metadata;
    if (info.namespaced) md.namespace = md.namespace || "default";
    else delete md.namespace;
    if (info.namespaced && info.kind !== "Event" && !this.get("Namespace", undefined, md.namespace!)) {
      throw notFound("namespaces", md.namespace!);
    }
    if (!md.name) {
      if (!md.generateName) throw invalid(info.kind, "", [{ field: "metadata.name", message: "Required value: name or generateName is required" }]);
      for (let i = 0; i < 8; i++) {
        md.name = generateName(this.rng, md.generateName);
        if (!this.get(info.kind, md.namespace, md.name)) break;
      }
    }
    const now = this.clock.now;
    // The API server fills uid before admission (FillObjectMetaSystemFields), so defaulting can use it
    // (the Job's generated controller-uid selector, J2).
    md.uid = this.rng.uid();
    for (const a of adm) a.default?.(obj, { op: "CREATE", now, store: this });
    let errs = this.validateMeta(obj);
    for (const a of adm) {
      const e = a.validate?.(obj, { op: "CREATE", now, store: this });
      if (e?.length) (errs === NO_ERRORS ? (errs = [...e]) : errs.push(...e));
    }
    if (errs.length) throw invalid(info.kind, md.name, errs);
    const isEvent = info.kind === "Event";
    const key = isEvent ? "" : keyOf(obj);
    if (isEvent ? this.eventLog.find(md.namespace!, md.name) >= 0 : this.byKind.get(info.kind)?.has(key)) throw alreadyExists(resourceString(info), md.name);
    md.creationTimestamp = rfc3339(now);
    md.resourceVersion = String(++this.rv);
    if (info.kind !== "Pod" && info.kind !== "Event" && obj.spec !== undefined) md.generation = 1;
    if (!eventMeta) delete md.deletionTimestamp;
    this.insert(obj, key);
    this.emit({ type: "ADDED", kind: info.kind, key: isEvent ? keyOf(obj) : key, object: obj });
    return obj as T;
  }

  /**
   * PUT. `obj` must be a new object (not the stored one). Metadata fields the server owns are kept;
   * generation bumps when spec changed. Validation runs with the old object in ctx (immutable fields).
   */
  update<T extends KubeObject>(input: T | KubeObject, opts: { skipAdmission?: boolean } = {}): T {
    const info = kindInfo(input.kind);
    const old = this.find(info.kind, input.metadata.namespace, input.metadata.name);
    if (!old) throw notFound(resourceString(info), input.metadata.name);
    const rec = this.foundRec; // (admission below may call find)
    const obj = input as KubeObject;
    obj.apiVersion = info.apiVersion;
    const spec = obj.spec;
    if (spec !== old.spec && spec !== null && typeof spec === "object" && !Array.isArray(spec) && !Object.isFrozen(spec)) obj.spec = relaid(spec);
    const md = (obj.metadata = Object.assign(new StoredMeta(), obj.metadata) as KubeObject["metadata"]);
    md.uid = old.metadata.uid;
    md.creationTimestamp = old.metadata.creationTimestamp;
    if (info.namespaced) md.namespace = old.metadata.namespace;
    if (old.metadata.deletionTimestamp) {
      md.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) md.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    }
    // status is a subresource: a PUT of the main resource keeps the stored status
    if ("status" in old) obj.status = old.status;
    else delete obj.status;
    const now = this.clock.now;
    if (!opts.skipAdmission) {
      const ctx: AdmissionCtx = { op: "UPDATE", now, store: this, old };
      for (const a of admissionFor(info.kind)) a.default?.(obj, ctx);
      const errs: FieldError[] = [...this.validateMeta(obj)];
      for (const a of admissionFor(info.kind)) errs.push(...(a.validate?.(obj, ctx) ?? []));
      if (errs.length) throw invalid(info.kind, md.name, errs);
    }
    if (old.metadata.generation !== undefined) {
      md.generation = old.metadata.generation + (!jsonEqual(obj.spec, old.spec) ? 1 : 0);
    }
    return this.write(old, obj, rec) as T;
  }

  /** PUT …/status: replaces only status. Cheap (no deep copy of the rest). */
  updateStatus<T extends KubeObject>(current: KubeObject, status: unknown): T {
    const info = kindInfo(current.kind);
    let rec = this.lastRec;
    let old: KubeObject | undefined;
    // `current` is still stored (it is its record's object, and the record was not removed): what find would return.
    if (rec !== undefined && rec.obj === current && rec.stamp >= 0) old = current;
    else {
      old = this.find(info.kind, current.metadata.namespace, current.metadata.name);
      rec = this.foundRec;
    }
    if (!old) throw notFound(resourceString(info), current.metadata.name);
    // Same keys in the same order as `{ ...old, metadata: { ...old.metadata }, status }`, in objects with room
    // for them (sizedPlainObject).
    const obj = Object.assign(new StoredObject(), old) as KubeObject;
    obj.metadata = Object.assign(new StoredMeta(), old.metadata) as KubeObject["metadata"];
    obj.status = status;
    return this.write(old, obj, rec) as T;
  }

  /**
   * Change metadata/spec through a function on a private copy (a read-modify-write, like a patch).
   * Skips admission when `skipAdmission` (used by controllers for their own bookkeeping).
   */
  mutate<T extends KubeObject>(kind: string, namespace: string | undefined, name: string, fn: (o: T) => void, opts: { skipAdmission?: boolean } = {}): T {
    const cur = this.get<T>(kind, namespace, name);
    if (!cur) throw notFound(resourceString(kindInfo(kind)), name);
    const copy = clone(cur);
    fn(copy);
    const newStatus = copy.status; // update() resets the input's status to the stored one
    const statusChanged = !jsonEqual(newStatus, cur.status);
    const res = this.update<T>(copy, opts);
    if (statusChanged) return this.updateStatus<T>(res, newStatus);
    return res;
  }

  /**
   * DELETE with the API server's semantics: graceful pod deletion (deletionTimestamp + grace; the kubelet
   * finishes it), finalizers (object stays until they are gone), and propagation policy recorded as the
   * `foregroundDeletion`/`orphan` finalizer for the garbage collector.
   */
  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject | undefined {
    const info = kindInfo(kind);
    const cur = this.find(kind, namespace, name);
    if (!cur) throw notFound(resourceString(info), name);
    const rec = this.foundRec;
    const now = this.clock.now;
    const md = cur.metadata;
    const policy: PropagationPolicy = opts.propagationPolicy ?? (kind === "Job" ? "Orphan" : "Background");
    if (md.deletionTimestamp) {
      // Already terminating: only a shorter grace period (force delete) changes anything.
      if (kind === "Pod" && opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < (md.deletionGracePeriodSeconds ?? 0)) {
        const upd = { ...cur, metadata: { ...md, deletionGracePeriodSeconds: opts.gracePeriodSeconds, deletionTimestamp: graceDeadline(now, opts.gracePeriodSeconds) } };
        if (opts.gracePeriodSeconds === 0 && !(md.finalizers?.length)) return this.remove(cur, rec);
        return this.write(cur, upd, rec);
      }
      return cur;
    }
    const finalizers = [...(md.finalizers ?? [])];
    if (policy === "Foreground" && !finalizers.includes(FINALIZER_FOREGROUND) && this.hasDependents(md.uid)) finalizers.push(FINALIZER_FOREGROUND);
    if (policy === "Orphan" && !finalizers.includes(FINALIZER_ORPHAN) && this.hasDependents(md.uid)) finalizers.push(FINALIZER_ORPHAN);
    let grace = 0;
    if (kind === "Pod") {
      const pod = cur as Pod;
      grace = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      const phase = pod.status?.phase;
      if (!pod.spec.nodeName || phase === "Succeeded" || phase === "Failed") grace = 0;
      if (grace > 0 || finalizers.length) {
        const deletionTimestamp = graceDeadline(now, grace);
        // Without finalizers the key is left out rather than deleted afterwards when it can be (a `delete` puts
        // the metadata in dictionary mode: every later copy of it, at each status write, is slow). Same keys.
        if (finalizers.length) return this.write(cur, { ...cur, metadata: { ...md, finalizers, deletionTimestamp, deletionGracePeriodSeconds: grace } }, rec);
        if (!("finalizers" in md)) return this.write(cur, { ...cur, metadata: { ...md, deletionTimestamp, deletionGracePeriodSeconds: grace } }, rec);
        const upd = { ...cur, metadata: { ...md, finalizers: undefined, deletionTimestamp, deletionGracePeriodSeconds: grace } };
        delete upd.metadata.finalizers;
        return this.write(cur, upd, rec);
      }
      return this.remove(cur, rec);
    }
    if (finalizers.length) {
      const upd = { ...cur, metadata: { ...md, finalizers, deletionTimestamp: rfc3339(now), deletionGracePeriodSeconds: 0 } };
      return this.write(cur, upd, rec);
    }
    return this.remove(cur, rec);
  }

  // ---------------------------------------------------------------- the event recorder's writes

  /**
   * The recorder's POST of a new Event about `inv` (its frozen involvedObject) at time `ms`, name sequence `seq`:
   * what `create` does with the Event object the recorder built (same uid draws, resourceVersion, watch event,
   * AlreadyExists), kept compact in the event log. Returns its slot.
   */
  recordEvent(inv: Readonly<Record<string, unknown>>, invRv: number, what: number, message: string, ms: number, seq: number): number {
    // Events have no admission (create's fast Event path relies on it too); one added later would be skipped here.
    if (admissionFor("Event").length) throw new Error("recordEvent: Events with admission are not supported");
    const r = this.rng;
    const u0 = r.next(), u1 = r.next(), u2 = r.next(), u3 = r.next();
    const log = this.eventLog;
    if (log.mayClash(ms, seq)) {
      const ns = (inv.namespace as string | undefined) ?? "default";
      const name = [(inv.name as string | undefined) ?? "", ".", (BigInt(ms) * 1_000_000n + BigInt(seq)).toString(16)].join("");
      if (log.find(ns, name) >= 0) throw alreadyExists("events", name);
    }
    const slot = log.addRecorded(ms, seq, u0, u1, u2, u3, ++this.rv, inv, invRv, what, message);
    if (this.watchers.length) this.emit(new EventWatch("ADDED", log, slot, log.epoch, log.version(slot), undefined, undefined));
    return slot;
  }

  /** The recorder's rewrite of a recorded Event nobody wrote since (not OWN): count + 1, lastTimestamp now. */
  bumpEvent(slot: number): void {
    const log = this.eventLog;
    const prev: Version = log.version(slot);
    const prevObj = log.flags[slot]! & CACHED ? log.object(slot) : undefined;
    log.bump(slot, this.clock.now, ++this.rv);
    if (this.watchers.length) this.emit(new EventWatch("MODIFIED", log, slot, log.epoch, log.version(slot), prevObj, prev));
  }

  /** DELETE of a stored Event by its slot (the recorder's expiry). */
  deleteEvent(slot: number): void {
    const log = this.eventLog;
    if (log.flags[slot]! & (OWN | CACHED)) {
      // An object exists: the ordinary path (a user's finalizers, owners, a cached object's identity).
      this.delete("Event", log.nsOf(slot), log.nameOf(slot));
      return;
    }
    const v = log.version(slot);
    v.rv = ++this.rv;
    log.unstore(slot);
    if (this.watchers.length) this.emit(new EventWatch("DELETED", log, slot, log.epoch, v, undefined, undefined));
  }

  /** True when some object lists `uid` as an owner. */
  hasDependents(uid: string): boolean {
    return (this.byOwner.get(uid)?.size ?? 0) > 0;
  }

  // ---------------------------------------------------------------- internals

  /** Metadata validation; NO_ERRORS (shared, never to be changed) when there is nothing to report. */
  private validateMeta(obj: KubeObject): FieldError[] {
    const errs: FieldError[] = [];
    const name = obj.metadata.name;
    const isPodLike = obj.kind === "Pod" || obj.kind === "Namespace" || obj.kind === "Service";
    const re = isPodLike && obj.kind !== "Pod" ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    if (obj.kind !== "Event" && (!re.test(name) || name.length > 253)) {
      errs.push({ field: "metadata.name", message: `Invalid value: ${JSON.stringify(name)}: ${re === DNS1123_LABEL
        ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"}` });
    }
    const labels = obj.metadata.labels;
    if (labels !== undefined && !validLabels.has(labels as object)) {
      for (const v of Object.values(labels ?? {})) {
        if (typeof v !== "string") errs.push({ field: `metadata.labels`, message: `Invalid value: ${JSON.stringify(v)}: label values must be strings` });
      }
      errs.push(...validateLabels(labels, "metadata.labels"));
      // Frozen labels cannot change: valid once, valid for every object that shares them.
      if (!errs.length && labels !== null && typeof labels === "object" && Object.isFrozen(labels)) validLabels.add(labels);
    }
    return errs.length ? errs : NO_ERRORS;
  }

  /** `rec`: the record of `old` (find's foundRec; undefined for an Event). */
  private write(old: KubeObject, obj: KubeObject, rec: IndexRec | undefined): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv);
    const md = obj.metadata;
    const isEvent = obj.kind === "Event";
    // The watch event's key: the stored key (a write never renames), or "ns/name" for an Event (not in byKind).
    const key = isEvent ? keyOf(obj) : rec!.key;
    if (md.deletionTimestamp && !(md.finalizers?.length) && (obj.kind !== "Pod" || md.deletionGracePeriodSeconds === 0)) {
      this.unindex(old, rec);
      return this.finishRemove(obj, key);
    }
    // Replace in place: the record keeps its position in byKind, so lists stay in creation order.
    if (isEvent) {
      this.eventLog.setOwn(this.eventLog.find(old.metadata.namespace!, old.metadata.name), obj);
      this.indexEvent(obj, false);
    } else {
      this.reindex(rec!, obj, false);
      this.lastRec = rec;
    }
    this.emit({ type: "MODIFIED", kind: obj.kind, key, object: obj, old });
    return obj;
  }

  /** The stored Event `namespace`/`name`. */
  private eventGet(namespace: string, name: string): KubeObject | undefined {
    const slot = this.eventLog.find(namespace, name);
    return slot < 0 ? undefined : this.eventLog.object(slot);
  }

  private setPodByNs(obj: KubeObject, rec: IndexRec): void {
    const ns = obj.metadata.namespace!;
    let m = this.podsByNs.get(ns);
    if (!m) this.podsByNs.set(ns, (m = new Map()));
    m.set(obj.metadata.name, rec);
  }

  /** `rec`: the record of `cur` (find's foundRec; undefined for an Event). */
  private remove(cur: KubeObject, rec: IndexRec | undefined): KubeObject {
    this.unindex(cur, rec);
    const gone = { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++this.rv) } };
    return this.finishRemove(gone, cur.kind === "Event" ? keyOf(gone) : rec!.key);
  }

  private finishRemove(obj: KubeObject, key: ObjectKey): KubeObject {
    this.emit({ type: "DELETED", kind: obj.kind, key, object: obj, old: obj });
    return obj;
  }

  private insert(obj: KubeObject, key: ObjectKey) {
    if (obj.kind === "Event") {
      this.eventLog.addOwn(obj);
      this.indexEvent(obj, true);
      return;
    }
    let m = this.byKind.get(obj.kind);
    if (!m) this.byKind.set(obj.kind, (m = new Map()));
    const rec = new IndexRec(obj, key);
    m.set(key, rec);
    if (obj.kind !== "Pod") this.byUid.set(obj.metadata.uid, rec);
    else this.podsByUid?.set(obj.metadata.uid, rec);
    this.reindex(rec, obj, true);
    this.lastRec = rec;
    if (obj.kind === "Pod") this.setPodByNs(obj, rec);
  }

  /**
   * byUid and the owner index for a created or rewritten Event of the store's own (see eventlog.ts): only one
   * that has (or had) owners has a record.
   */
  private indexEvent(obj: KubeObject, created: boolean) {
    const uid = obj.metadata.uid;
    const rec = created ? undefined : this.byUid.get(uid);
    if (rec !== undefined) this.reindex(rec, obj, false);
    else if (obj.metadata.ownerReferences?.length) {
      const r = new IndexRec(obj, "");
      this.byUid.set(uid, r);
      this.reindex(r, obj, true);
    }
  }

  /**
   * Stamp a record with its write and bring its index lists up to date for its object's new version `obj`
   * (`fresh`: a new record, in no list yet). A write that keeps the owners and labels (the same array/object as
   * the version before) and the node changes no list: the new stamp alone moves it to the end of its lists.
   */
  private reindex(rec: IndexRec, obj: KubeObject, fresh: boolean) {
    const prev = fresh ? undefined : rec.obj.metadata;
    rec.obj = obj;
    rec.stamp = this.rv;
    const md = obj.metadata;
    const refs = md.ownerReferences;
    if (prev === undefined ? refs !== undefined : refs !== prev.ownerReferences) {
      rec.ownerLists = this.relink(this.byOwner, rec.ownerLists, ownerUidsOf(refs), rec, inOwnerList);
    }
    if (obj.kind !== "Pod") return;
    const node = (obj.spec?.nodeName as string | undefined) || undefined;
    const nodeList = rec.nodeList;
    if (node !== nodeList?.name) {
      rec.nodeList = this.relink(this.podsByNode, nodeList ? [nodeList] : NO_LISTS, node ? [node] : NO_STRINGS, rec, inNodeList)[0];
    }
    const labels = md.labels;
    if (prev === undefined ? labels !== undefined : labels !== prev.labels) {
      rec.labelLists = this.relink(this.podsByLabel, rec.labelLists, labelPairsOf(labels), rec, inLabelList);
    }
  }

  /**
   * The lists named `names` for `rec`, which is in `oldLists` (`has`: the membership test of this index's
   * lists); `rec` is added to those it joins, and leaves the others (a list left empty leaves its index). The
   * caller then makes the returned lists `rec`'s own.
   */
  private relink(index: Map<string, IndexList>, oldLists: IndexList[], names: string[], rec: IndexRec, has: (r: IndexRec, l: IndexList) => boolean): IndexList[] {
    // Shared (frozen) names — one template's pods — share their lists array too while its lists are the ones
    // the names map to (a list that emptied left its index; its name then gets a new one and a new array).
    const shared = names.length && Object.isFrozen(names) ? this.sharedLists.get(names) : undefined;
    let lists: IndexList[] = shared ?? (names.length ? new Array(names.length) : NO_LISTS);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      let list: IndexList | undefined;
      for (let j = 0; j < oldLists.length; j++) if (oldLists[j]!.name === name) { list = oldLists[j]!; break; }
      if (list === undefined) {
        list = index.get(name);
        if (!list) index.set(name, (list = new WriteOrderList(name, has)));
        list.size++;
        list.add(rec);
      }
      if (lists === shared && shared[i] !== list) lists = shared.slice();
      lists[i] = list;
    }
    if (lists !== shared && names.length && Object.isFrozen(names)) this.sharedLists.set(names, lists);
    for (let j = 0; j < oldLists.length; j++) {
      const list = oldLists[j]!;
      if (names.includes(list.name)) continue;
      if (!--list.size) index.delete(list.name);
    }
    return lists;
  }

  /** Take a stored object out of every map and index (`rec`: its record; undefined for an Event). */
  private unindex(obj: KubeObject, rec: IndexRec | undefined) {
    const md = obj.metadata;
    if (obj.kind === "Event") {
      this.eventLog.unstore(this.eventLog.find(md.namespace!, md.name));
      rec = this.byUid.get(md.uid); // an Event with owners
      if (rec === undefined) return;
    } else {
      this.byKind.get(obj.kind)!.delete(rec!.key);
      if (obj.kind === "Pod") {
        const m = this.podsByNs.get(md.namespace!)!;
        m.delete(md.name);
        if (!m.size) this.podsByNs.delete(md.namespace!);
      }
    }
    (obj.kind === "Pod" ? this.podsByUid : this.byUid)?.delete(md.uid);
    const r = rec!;
    r.stamp = -1;
    this.relink(this.byOwner, r.ownerLists, NO_STRINGS, r, inOwnerList);
    if (r.nodeList) this.relink(this.podsByNode, [r.nodeList], NO_STRINGS, r, inNodeList);
    this.relink(this.podsByLabel, r.labelLists, NO_STRINGS, r, inLabelList);
    r.ownerLists = r.labelLists = NO_LISTS;
    r.nodeList = undefined;
  }

  private emit(ev: WatchEvent) {
    for (const w of this.watchers) w(ev);
  }
}
