/**
 * Pure pieces of the node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
 * condition taints (N3, `doNoScheduleTaintingPass`), zone keys and states (N5, `ComputeZoneState`),
 * monitor ticks (N4), and the eviction rate limiter on virtual time.
 *
 * Pure: must not read the store.
 */
import type { Node } from "../../api/types.ts";

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const LABEL_EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption";

/** nodeConditionToTaintKeyStatusMap */
export const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: "node.kubernetes.io/memory-pressure" },
  DiskPressure: { True: "node.kubernetes.io/disk-pressure" },
  NetworkUnavailable: { True: "node.kubernetes.io/network-unavailable" },
  PIDPressure: { True: "node.kubernetes.io/pid-pressure" },
};
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

export interface Taint { key: string; value?: string; effect: string; timeAdded?: string }

/** --node-monitor-period */
export const MONITOR_PERIOD_MS = 5_000;
/** --node-monitor-grace-period (50s since v1.32) */
export const GRACE_PERIOD_MS = 50_000;
/** --node-eviction-rate / --secondary-node-eviction-rate / --large-cluster-size-threshold / --unhealthy-zone-threshold */
export const EVICTION_QPS = 0.1;
export const SECONDARY_EVICTION_QPS = 0.01;
export const LARGE_CLUSTER_THRESHOLD = 50;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;

/** The first monitor tick strictly after `t` (ticks are every 5s from the simulation's start). */
export function tickAfter(t: number, start: number): number {
  return start + (Math.floor((t - start) / MONITOR_PERIOD_MS) + 1) * MONITOR_PERIOD_MS;
}

/** Taints the conditions and spec.unschedulable call for (all NoSchedule), in condition order. */
export function desiredConditionTaints(node: Pick<Node, "spec" | "status">): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: "NoSchedule" });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: "NoSchedule" });
  return out;
}

/** The node's taints that the NoSchedule pass manages (condition taints and the unschedulable taint). */
export function managedNoScheduleTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === "NoSchedule" && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
}

const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/** taintutils.TaintSetDiff (by key and effect). */
export function taintSetDiff(want: readonly Taint[], have: readonly Taint[]): { add: Taint[]; del: Taint[] } {
  return { add: want.filter((t) => !have.some((h) => same(h, t))), del: have.filter((h) => !want.some((t) => same(h, t))) };
}

/** SwapNodeControllerTaint on a taint list: add (timeAdded = now; AddOrUpdateTaint keeps the position of a match) then remove. */
export function swapTaints(taints: readonly Taint[] | undefined, add: readonly Taint[], del: readonly Taint[], timeAdded: string): Taint[] {
  const out = [...(taints ?? [])];
  for (const a of add) {
    const t = { ...a, timeAdded };
    const i = out.findIndex((x) => same(x, t));
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out.filter((x) => !del.some((d) => same(x, d)));
}

export function hasTaint(taints: readonly Taint[] | undefined, key: string, effect: string): boolean {
  return (taints ?? []).some((t) => t.key === key && t.effect === effect);
}

/** nodetopology.GetZoneKey */
export function zoneKey(labels: Record<string, string> | undefined): string {
  if (!labels) return "";
  const zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? "";
  const region = labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? "";
  if (!region && !zone) return "";
  return `${region}:\u0000:${zone}`;
}

export type ZoneState = "Initial" | "Normal" | "PartialDisruption" | "FullDisruption";

/** ComputeZoneState (N5): `ready`/`notReady` count nodes with a Ready condition in the zone. */
export function computeZoneState(ready: number, notReady: number): ZoneState {
  if (ready === 0 && notReady > 0) return "FullDisruption";
  if (notReady > 2 && notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD) return "PartialDisruption";
  return "Normal";
}

/** setLimiterInZone: the eviction rate for a zone state (zoneSize = nodes in the zone, as upstream passes it). */
export function zoneQps(state: ZoneState, zoneSize: number): number {
  if (state === "PartialDisruption") return zoneSize > LARGE_CLUSTER_THRESHOLD ? SECONDARY_EVICTION_QPS : 0;
  return EVICTION_QPS; // Normal, and FullDisruption of one zone (HealthyQPSFunc)
}

/**
 * flowcontrol.NewTokenBucketRateLimiter(qps, burst=1) on virtual time; qps ≤ 0 is the "never" limiter.
 * With burst 1 the bucket is described by when it was last emptied.
 */
export class Limiter {
  private emptiedAt = Number.NEGATIVE_INFINITY;
  constructor(readonly qps: number) {}
  get periodMs(): number {
    return Math.round(1000 / this.qps);
  }
  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    if (now - this.emptiedAt < this.periodMs) return false;
    this.emptiedAt = now;
    return true;
  }
  /** When the next token is available (undefined for the never limiter). */
  nextAt(): number | undefined {
    return this.qps <= 0 ? undefined : this.emptiedAt + this.periodMs;
  }
  /** RateLimitedTimedQueue.SwapLimiter: a new bucket, drained when the old one had no token. */
  swap(qps: number, now: number): Limiter {
    if (qps === this.qps) return this;
    const next = new Limiter(qps);
    if (qps > 0 && !this.tryAccept(now)) next.tryAccept(now);
    return next;
  }
}
