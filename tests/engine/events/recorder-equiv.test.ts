/**
 * The recorder's index and expiry queue (uid → its Events, parallel arrays) behave exactly like the
 * aggregation-key index they replaced (kept here as the oracle): same Events, names, counts, timestamps,
 * resourceVersions and the same watch events in the same order, through random sequences of recording,
 * time passing past the --event-ttl, and users deleting, editing and re-creating Events.
 */
import { describe, expect, it } from "vitest";
import { ObjectStore } from "../../../src/api/store.ts";
import { EVENT_TTL_MS, EventRecorder, type EventSource } from "../../../src/api/events.ts";
import type { KubeObject } from "../../../src/api/types.ts";
import { VirtualClock } from "../../../src/clock/clock.ts";
import { Rng } from "../../../src/clock/rng.ts";
import { rfc3339 } from "../../../src/util/time.ts";
import "../../../src/api/admission/index.ts";

// ---- the previous recorder, verbatim (aggregation-key strings, `ns/name` expiry map)
interface EventSourceOld { component: string; host?: string }
type ObjectStoreT = ObjectStore;
/** What the store's copy on create would do to a flat object: drop keys whose value is undefined. */
function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k in o) if (o[k] === undefined) delete o[k];
  return o;
}

class OldRecorder {
  private index = new Map<string, string>(); // aggregation key → event name
  private lastMs = -1;
  private seq = 0;
  private baseNanos = 0n;
  /** Expiry queue in write order (so in time order): one entry per write; stale ones are skipped. */
  private expiry: Array<{ at: number; ns: string; name: string; aggKey: string }> = [];
  private head = 0;
  /** Event name (namespace-qualified) → when it expires (its last write + the TTL). */
  private expiresAt = new Map<string, number>();
  private timerArmed = false;
  constructor(private store: ObjectStoreT) {}

  private expire(at: number, ns: string, name: string, aggKey: string): void {
    this.expiresAt.set(`${ns}/${name}`, at);
    this.expiry.push({ at, ns, name, aggKey });
    if (!this.timerArmed) this.arm();
  }

  private arm(): void {
    const next = this.expiry[this.head];
    if (!next) return;
    this.timerArmed = true;
    this.store.clock.at(next.at, () => this.sweep(), "event-ttl");
  }

  /** The etcd lease ran out: delete every Event whose last write is an hour old. */
  private sweep(): void {
    this.timerArmed = false;
    const now = this.store.clock.now;
    while (this.head < this.expiry.length && this.expiry[this.head]!.at <= now) {
      const e = this.expiry[this.head++]!;
      const key = `${e.ns}/${e.name}`;
      const at = this.expiresAt.get(key);
      if (at === undefined || at > now) continue; // rewritten since: a later entry covers it
      this.expiresAt.delete(key);
      if (this.index.get(e.aggKey) === e.name) this.index.delete(e.aggKey);
      if (this.store.get("Event", e.ns, e.name)) this.store.delete("Event", e.ns, e.name);
    }
    if (this.head > 1024 && this.head * 2 > this.expiry.length) { this.expiry = this.expiry.slice(this.head); this.head = 0; }
    this.arm();
  }

  /** Record an event on `obj`. type is "Normal" | "Warning". */
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSourceOld | string): void {
    const src: EventSourceOld = typeof source === "string" ? { component: source } : source;
    const ns = obj.metadata.namespace ?? "default";
    const aggKey = `${obj.metadata.uid}\u0000${type}\u0000${reason}\u0000${message}\u0000${src.component}\u0000${src.host ?? ""}`;
    const now = this.store.clock.now;
    const existing = this.index.get(aggKey);
    if (existing) {
      const ev = this.store.get("Event", ns, existing);
      if (ev) {
        this.store.update({ ...ev, metadata: { ...ev.metadata }, count: (ev.count ?? 1) + 1, lastTimestamp: rfc3339(now) }, { skipAdmission: true });
        this.expire(now + EVENT_TTL_MS, ns, existing, aggKey);
        return;
      }
    }
    // Upstream names events `<object>.<hex UnixNano>`, so one object's events sort by time; a
    // per-millisecond sequence keeps names unique and ordered within one virtual instant.
    if (now !== this.lastMs) { this.lastMs = now; this.seq = 0; this.baseNanos = BigInt(now) * 1_000_000n; }
    const nanos = this.baseNanos + BigInt(this.seq++);
    const name = `${obj.metadata.name}.${nanos.toString(16)}`;
    this.store.create(dropUndefined({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: ns } as KubeObject["metadata"],
      involvedObject: dropUndefined({
        apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name,
        ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
        uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion,
      }),
      reason, message, type,
      source: src.host !== undefined ? { component: src.component, host: src.host } : { component: src.component },
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      eventTime: null,
      count: 1,
      reportingComponent: src.component,
      reportingInstance: src.host ?? "",
    }), { fresh: true });
    this.index.set(aggKey, name);
    this.expire(now + EVENT_TTL_MS, ns, name, aggKey);
  }
}

// ---- the driver

interface World { store: ObjectStore; clock: VirtualClock; rec: { event: EventRecorder["event"] }; log: string[] }

function world(old: boolean): World {
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  const store = new ObjectStore(clock, new Rng(7));
  const log: string[] = [];
  store.watch((ev) => log.push(`${ev.type} ${ev.key} ${JSON.stringify(ev.object)}`));
  const rec = old ? new OldRecorder(store) : new EventRecorder(store);
  return { store, clock, rec, log };
}

const OBJECTS: KubeObject[] = [
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p1", namespace: "default", uid: "u-1", resourceVersion: "5" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p1", namespace: "default", uid: "u-1", resourceVersion: "6" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p2", namespace: "other", uid: "u-2", resourceVersion: "9" } },
  { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs", namespace: "default", uid: "u-3", resourceVersion: "2" } },
  { apiVersion: "v1", kind: "Node", metadata: { name: "n1", uid: "u-4", resourceVersion: "1" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "ref", namespace: "default" } },
] as KubeObject[];
const REASONS = ["Scheduled", "Pulled", "BackOff", "SuccessfulCreate"];
const SOURCES: Array<EventSource | string> = ["kubelet", "default-scheduler", { component: "kubelet", host: "n1" }, { component: "kubelet", host: "n2" }];
const STEPS = [0, 0, 1, 500, 1000, 60_000, 3_599_999, 3_600_000, 3_600_001];

function run(seed: number, steps: number, old: boolean): string[] {
  const w = world(old);
  const r = new Rng(seed);
  const deleted: KubeObject[] = [];
  const advance = (ms: number) => {
    const target = w.clock.now + ms;
    while (w.clock.runNext(target)) { /* timers in order */ }
    w.clock.now = target;
  };
  for (let i = 0; i < steps; i++) {
    const op = r.int(20);
    if (op < 12) {
      const obj = OBJECTS[r.int(OBJECTS.length)]!;
      // Many distinct messages on one object make the new index switch to its by-message map.
      const msg = r.int(3) === 0 ? `Created pod: x-${r.int(40)}` : ["m1", "m2", "Started container c"][r.int(3)]!;
      w.rec.event(obj, r.int(4) ? "Normal" : "Warning", REASONS[r.int(REASONS.length)]!, msg, SOURCES[r.int(SOURCES.length)]!);
    } else if (op < 16) advance(STEPS[r.int(STEPS.length)]!);
    else {
      const evs = w.store.list("Event");
      if (!evs.length) continue;
      const ev = evs[r.int(evs.length)]!;
      if (op === 16 || op === 17) { w.store.delete("Event", ev.metadata.namespace, ev.metadata.name); deleted.push(ev); }
      else if (op === 18) w.store.update({ ...ev, message: `${ev.message} (edited)`, source: { component: "edited" } }, { skipAdmission: true });
      else {
        // A user creates an Event with the name of one deleted before (or deletes one and re-creates it).
        const old = deleted.length && r.int(2) ? deleted.splice(r.int(deleted.length), 1)[0]! : ev;
        if (old === ev) w.store.delete("Event", ev.metadata.namespace, ev.metadata.name);
        if (w.store.get("Event", old.metadata.namespace, old.metadata.name)) continue;
        w.store.create({ apiVersion: "v1", kind: "Event", metadata: { name: old.metadata.name, namespace: old.metadata.namespace }, involvedObject: old.involvedObject, reason: "Manual", message: "by hand", type: "Normal", firstTimestamp: rfc3339(w.clock.now) } as unknown as KubeObject);
      }
    }
  }
  advance(2 * 3_600_000);
  w.log.push(`left ${w.store.count("Event")}`);
  return w.log;
}

/** A user deletes an Event, the recorder writes its key again (a new Event), then a user re-creates the first name. */
function orphan(old: boolean): string[] {
  const w = world(old);
  const pod = OBJECTS[0]!;
  w.rec.event(pod, "Warning", "BackOff", "m1", "kubelet");
  w.clock.now += 10;
  w.rec.event(pod, "Warning", "BackOff", "m1", "kubelet");
  const first = w.store.list("Event")[0]!;
  w.store.delete("Event", "default", first.metadata.name);
  w.clock.now += 1000;
  w.rec.event(pod, "Warning", "BackOff", "m1", "kubelet");
  w.store.create({ apiVersion: "v1", kind: "Event", metadata: { name: first.metadata.name, namespace: "default" }, reason: "Manual", message: "by hand", type: "Normal" } as unknown as KubeObject);
  for (const step of [3_600_000 - 1011, 1, 10, 1000, 3_600_000]) {
    const target = w.clock.now + step;
    while (w.clock.runNext(target)) { /* timers */ }
    w.clock.now = target;
    w.log.push(`at +${step}: ${w.store.list("Event").map((e) => `${e.metadata.name}:${e.reason}`).join(",")}`);
  }
  return w.log;
}

describe("EventRecorder index and expiry = the aggregation-key recorder", () => {
  it("a re-created Event name still expires with the recorder's Event it replaced", () => {
    expect(orphan(false)).toEqual(orphan(true));
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))("random sequence, seed %i", (seed) => {
    const a = run(seed, 400, true), b = run(seed, 400, false);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) expect(b[i]).toBe(a[i]);
  });
});
