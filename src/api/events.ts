/**
 * Events as the client-go recorder writes them: one Event object per (object, type, reason, message,
 * source), aggregated by count and lastTimestamp. Names are `<object>.<16 hex>`.
 */
import type { ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";
import { rfc3339 } from "../util/time.ts";

export interface EventSource { component: string; host?: string }

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
  constructor(private store: ObjectStore) {}

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
  }
}
