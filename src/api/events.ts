/**
 * Events as the client-go recorder writes them: one Event object per (object, type, reason, message,
 * source), aggregated by count and lastTimestamp. Names are `<object>.<16 hex>`.
 */
import type { ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";
import { rfc3339 } from "../util/time.ts";

export interface EventSource { component: string; host?: string }

/** kube-apiserver `--event-ttl` (default 1h): an Event is gone an hour after its last write. */
export const EVENT_TTL_MS = 3_600_000;

/** What the store's copy on create would do to a flat object: drop keys whose value is undefined. */
function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k in o) if (o[k] === undefined) delete o[k];
  return o;
}

export class EventRecorder {
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
  constructor(private store: ObjectStore) {}

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
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource | string): void {
    const src: EventSource = typeof source === "string" ? { component: source } : source;
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
