/**
 * Snapshot deltas for the worker bridge. The engine side keeps view objects by identity (the
 * SnapshotBuilder keeps one view per stored object), so "changed" is a reference test and a tick
 * that touches 10 of 50,000 pods sends 10 pod views, not the cluster. The worker's diffs come from
 * SnapshotBuilder.message (collected from what changed); diffSnapshot compares two whole snapshots
 * (the reference those diffs are tested against). Pure functions, both sides.
 */
import type { ControllerView, EventView, NodeView, PodView, Snapshot } from "./snapshot.ts";

export interface SnapshotDiff {
  /** The version this diff applies to (the receiver must hold exactly that one). */
  base: number;
  now: number;
  start: number;
  version: number;
  /** Changed or added pods. */
  pods: PodView[];
  /** Keys of removed pods. */
  removed: string[];
  /** Full pod key order, only when it is not "old order minus removed, plus added at the end". */
  podKeys?: string[];
  /** Either the full list (its keys changed) or changed entries by index. */
  nodes?: ListDelta<NodeView>;
  controllers?: ListDelta<ControllerView>;
  events?: EventView[];
}

/** The whole list (its keys changed), or changed entries by index, then entries appended (`add`). */
export type ListDelta<T> = { all: T[] } | { at: Array<[number, T]>; add?: T[] };

export type SnapshotMsg = { full: Snapshot } | { diff: SnapshotDiff };

/**
 * Always a diff once the receiver holds a snapshot, even for small clusters: a structured clone
 * makes every view a new object, and the receiver keeps identity only for what a diff leaves out.
 */
export function diffSnapshot(prev: Snapshot | undefined, next: Snapshot): SnapshotMsg {
  if (!prev) return { full: next };
  const pods: PodView[] = [];
  const removed: string[] = [];
  const added: string[] = [];
  for (const k of next.podKeys) {
    const v = next.pods[k]!;
    const old = prev.pods[k];
    if (old !== v) { pods.push(v); if (!old) added.push(k); }
  }
  for (const k of prev.podKeys) if (!(k in next.pods)) removed.push(k);
  const d: SnapshotDiff = { base: prev.version, now: next.now, start: next.start, version: next.version, pods, removed };
  if (!sameOrder(prev.podKeys, next.podKeys, removed, added)) d.podKeys = next.podKeys;
  const nodes = listDelta(prev.nodes, next.nodes, (n) => n.name);
  if (nodes) d.nodes = nodes;
  const controllers = listDelta(prev.controllers, next.controllers, (c) => c.uid);
  if (controllers) d.controllers = controllers;
  if (prev.events !== next.events) d.events = next.events;
  return { diff: d };
}

export function listDelta<T>(prev: T[], next: T[], key: (t: T) => string): ListDelta<T> | undefined {
  if (prev === next) return undefined;
  if (prev.length !== next.length || prev.some((x, i) => key(x) !== key(next[i]!))) return { all: next };
  const at: Array<[number, T]> = [];
  next.forEach((x, i) => { if (x !== prev[i]) at.push([i, x]); });
  return at.length ? { at } : undefined;
}

function applyList<T>(prev: T[], d: ListDelta<T> | undefined): T[] {
  if (!d) return prev;
  if ("all" in d) return d.all;
  const out = prev.slice();
  for (const [i, x] of d.at) out[i] = x;
  if (d.add) for (const x of d.add) out.push(x);
  return out;
}

function sameOrder(prev: string[], next: string[], removed: string[], added: string[]): boolean {
  if (prev.length - removed.length + added.length !== next.length) return false;
  const gone = new Set(removed);
  let j = 0;
  for (const k of prev) {
    if (gone.has(k)) continue;
    if (next[j++] !== k) return false;
  }
  for (const k of added) if (next[j++] !== k) return false;
  return true;
}

/**
 * Apply a message to the snapshot the receiver holds. Unchanged pod/node/controller views keep
 * their identity, so per-pod store selectors stay quiet. Returns undefined when a diff does not fit
 * (wrong base): the caller asks for a full snapshot.
 */
export function applySnapshotMsg(prev: Snapshot | undefined, msg: SnapshotMsg): Snapshot | undefined {
  if ("full" in msg) return msg.full;
  const d = msg.diff;
  if (!prev || prev.version !== d.base) return undefined;
  // A new pods record only when a pod changed (copying it is O(pods)).
  const pods: Record<string, PodView> = d.pods.length || d.removed.length ? Object.assign({}, prev.pods) : prev.pods;
  for (const k of d.removed) delete pods[k];
  const added: string[] = [];
  for (const v of d.pods) { if (!(v.key in pods)) added.push(v.key); pods[v.key] = v; }
  let podKeys = d.podKeys;
  if (!podKeys) {
    if (!d.removed.length && !added.length) podKeys = prev.podKeys;
    else {
      const gone = new Set(d.removed);
      podKeys = (gone.size ? prev.podKeys.filter((k) => !gone.has(k)) : prev.podKeys.slice()).concat(added);
    }
  }
  return {
    now: d.now, start: d.start, version: d.version, nodes: applyList(prev.nodes, d.nodes), pods, podKeys,
    controllers: applyList(prev.controllers, d.controllers), events: d.events ?? prev.events,
  };
}
