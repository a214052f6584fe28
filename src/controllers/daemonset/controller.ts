/**
 * The DaemonSet controller (pkg/controller/daemon/daemon_controller.go `syncDaemonSet`, update.go).
 *
 * Two kinds of keys: `ns/name` is a full sync (every node: D4 manage, D9/D10 rolling update, D12 history,
 * D5 status); `ns/name\0node` syncs one node only — node add/label/taint/delete events and daemon pod
 * events use it, so nothing is O(nodes × pods) per event. Per-DS state (daemon pods by target node and
 * each node's status contribution) is derived from the store and rebuilt by every full sync.
 */
import type { ControllerRevision, DaemonSet, KubeObject, Node, ObjectKey, Pod, WatchEvent } from "../../api/types.ts";
import { keyOf, splitKey } from "../../api/types.ts";
import { fromLabelSelector } from "../../api/labels.ts";
import type { Ctx } from "../../simulation.ts";
import type { ControllerDef } from "../types.ts";
import { candidatePods, claimObjects, controllerOf, ensureRevision, newControllerRef, ownedRevisions, podFromTemplate, sharedPart } from "../util/index.ts";
import { deepFreeze } from "../../api/store.ts";
import {
  CONTROLLER_REVISION_HASH, POD_TEMPLATE_GENERATION, TEMPLATE_GENERATION_ANNOTATION, nodeShouldRunDaemonPod,
  replaceNodeAffinity, targetNodeName, withDaemonTolerations,
} from "./predicates.ts";
import {
  applyEntry, emptyCounts, inBackoff, isPodUpdated, nextBackoff, nodeStatusEntry, podsShouldBeOnNode, rollingUpdatePlan,
  type BackoffEntry, type DaemonSetCounts, type NodeStatusEntry, type RollingNode,
} from "./plan.ts";
import type { ShouldRun } from "./predicates.ts";
import { jsonEqual } from "../../util/jsonEqual.ts";
import type { Toleration } from "../../scheduler/tolerations.ts";

export const DS_CONTROLLER = "daemonset";
const COMPONENT = "daemonset-controller";
const SEP = "\u0000";
const BURST_REPLICAS = 250;

interface DsState {
  uid: string;
  key: ObjectKey;
  namespace: string;
  generation: number;
  hash: string;
  templateGeneration: string | undefined;
  /**
   * target node → daemon pod keys, in the order they were indexed: the key itself while it is the node's only
   * one (the usual case: no Set per node, a full sync rebuilds this for every node), else a Set.
   */
  podsByNode: Map<string, ObjectKey | Set<ObjectKey>>;
  entries: Map<string, NodeStatusEntry>;
  counts: DaemonSetCounts;
  /**
   * Daemon pods (indexed by target node) that are not deleted and not of the current revision: the only
   * pods a rolling update acts on, so with none of them it has nothing to do. Kept from the pod events.
   */
  oldPods: Set<ObjectKey>;
  /** The template's tolerations plus the daemon ones (D2): what nodeShouldRunDaemonPod checks taints against. */
  tolerations: readonly Toleration[];
}

function states(ctx: Ctx): Map<string, DsState> {
  let m = ctx.sim.ext.get("daemonset.state") as Map<string, DsState> | undefined;
  if (!m) ctx.sim.ext.set("daemonset.state", (m = new Map()));
  return m;
}
function backoffs(ctx: Ctx): Map<string, BackoffEntry> {
  let m = ctx.sim.ext.get("daemonset.backoff") as Map<string, BackoffEntry> | undefined;
  if (!m) ctx.sim.ext.set("daemonset.backoff", (m = new Map()));
  return m;
}

/** `node`: the pod's targetNodeName when the caller has it. */
function indexPod(st: DsState, pod: KubeObject, key: ObjectKey, add: boolean, node = targetNodeName(pod)): void {
  if (!node) return;
  const s = st.podsByNode.get(node);
  if (add) {
    if (s === undefined) st.podsByNode.set(node, key);
    else if (typeof s !== "string") s.add(key);
    else if (s !== key) st.podsByNode.set(node, new Set([s, key]));
  } else if (s !== undefined) {
    if (typeof s === "string") {
      if (s === key) st.podsByNode.delete(node);
    } else {
      s.delete(key);
      if (!s.size) st.podsByNode.delete(node);
    }
  }
}

/**
 * The pod is the only one indexed on its node before and after a change: re-indexing it (out, then in) would
 * leave the same set — with other pods there it would move the pod to the end of the set's order, so it runs.
 */
function staysAlone(st: DsState, old: KubeObject, cur: KubeObject, key: ObjectKey): boolean {
  const node = targetNodeName(cur);
  if (node === undefined || node !== targetNodeName(old)) return false;
  const s = st.podsByNode.get(node);
  return s === key || (s !== undefined && typeof s !== "string" && s.size === 1 && s.has(key));
}

/** A pod the rolling update would count as old on its node (see DsState.oldPods). */
function isOldDaemonPod(st: DsState, ns: string, p: KubeObject): boolean {
  return !p.metadata.deletionTimestamp && p.metadata.namespace === ns && controllerOf(p)?.uid === st.uid
    && targetNodeName(p) !== undefined && !isPodUpdated(p as Pod, st.hash, st.templateGeneration);
}

function trackOld(st: DsState, ns: string, p: KubeObject, key: ObjectKey, gone: boolean): void {
  if (!gone && isOldDaemonPod(st, ns, p)) st.oldPods.add(key);
  else if (st.oldPods.size) st.oldPods.delete(key);
}

/** Daemon pods targeting `node` (deleted terminal pods excluded, as getNodesToDaemonPods(false) does). */
function podsOn(ctx: Ctx, st: DsState, ns: string, node: string): Pod[] {
  const out: Pod[] = [];
  const keys = st.podsByNode.get(node);
  if (typeof keys === "string") {
    const p = ctx.store.getByKey<Pod>("Pod", keys);
    if (p && isNodeDaemonPod(st, ns, p)) out.push(p);
  } else if (keys) for (const k of keys) {
    const p = ctx.store.getByKey<Pod>("Pod", k);
    if (p && isNodeDaemonPod(st, ns, p)) out.push(p);
  }
  return out;
}

/**
 * podsOn for a full sync's claimed pods (`claimed`: by target node). The usual answer — every pod passes, or
 * the node has none — is the claim's own list or a shared empty one (its readers only read it).
 */
function claimedPodsOn(st: DsState, claimed: Map<string, Pod[]>, node: string): Pod[] {
  const l = claimed.get(node);
  if (!l) return NO_PODS;
  for (let i = 0; i < l.length; i++) if (!isNodeDaemonPod(st, st.namespace, l[i]!)) return l.filter((p) => isNodeDaemonPod(st, st.namespace, p));
  return l;
}

const NO_PODS: Pod[] = Object.freeze([]) as unknown as Pod[];

/** podsOn's test for one pod of the node's list. */
function isNodeDaemonPod(st: DsState, ns: string, p: Pod): boolean {
  if (controllerOf(p)?.uid !== st.uid || p.metadata.namespace !== ns) return false;
  const ph = p.status?.phase;
  return !(p.metadata.deletionTimestamp && (ph === "Succeeded" || ph === "Failed"));
}

function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
}

function allowsSurge(ds: DaemonSet): boolean {
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  if (ds.spec.updateStrategy?.type !== "RollingUpdate" || !ru) return false;
  const v = ru.maxSurge;
  return !(v === undefined || v === null || v === 0 || v === "0" || v === "0%");
}

/** A template spec (shared, frozen) → its tolerations plus the daemon ones: the same for every pod of it. */
const daemonTolerationsOf = new WeakMap<object, unknown[]>();

function createDaemonPod(ctx: Ctx, ds: DaemonSet, st: DsState, node: string): boolean {
  const tpl = ds.spec.template;
  const labels: Record<string, string> = { ...(tpl.metadata?.labels ?? {}) };
  if (st.templateGeneration !== undefined) labels[POD_TEMPLATE_GENERATION] = st.templateGeneration;
  labels[CONTROLLER_REVISION_HASH] = st.hash;
  // The template's parts are shared (frozen) by the DaemonSet's pods; tolerations and affinity are per pod.
  const base = sharedPart(tpl.spec ?? { containers: [] }) as any;
  const spec: any = { ...base };
  let tols = daemonTolerationsOf.get(base);
  if (!tols) daemonTolerationsOf.set(base, (tols = deepFreeze(withDaemonTolerations(spec.tolerations, !!spec.hostNetwork))));
  spec.tolerations = tols;
  spec.affinity = replaceNodeAffinity(spec.affinity, node);
  const pod = podFromTemplate({ metadata: { ...(tpl.metadata ?? {}), labels }, spec: deepFreeze(spec) }, ds.metadata.namespace!, `${ds.metadata.name}-`, newControllerRef(ds));
  try {
    const p = ctx.store.create<Pod>(pod);
    ctx.events.createdPod(ds, p.metadata.name, COMPONENT); // "Created pod: <name>"
    return true;
  } catch (e) {
    ctx.events.event(ds, "Warning", "FailedCreate", `Error creating: ${(e as Error).message}`, COMPONENT);
    return false;
  }
}

function deleteDaemonPod(ctx: Ctx, ds: DaemonSet, name: string): void {
  const ns = ds.metadata.namespace!;
  if (!ctx.store.get("Pod", ns, name)) return;
  try {
    ctx.store.delete("Pod", ns, name);
    ctx.events.event(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${name}`, COMPONENT);
  } catch (e) {
    ctx.events.event(ds, "Warning", "FailedDelete", `Error deleting: ${(e as Error).message}`, COMPONENT);
  }
}

function shouldRunOn(ds: DaemonSet, st: DsState, node: Node): ShouldRun {
  return nodeShouldRunDaemonPod(ds.spec.template.spec, node, st.tolerations);
}

/** D4 for one node (`pods`: podsOn it); returns true when it created or deleted something. */
function manageNode(ctx: Ctx, ds: DaemonSet, st: DsState, node: Node, should: ShouldRun, pods: Pod[], budget: { creates: number }): boolean {
  const ns = ds.metadata.namespace!;
  const now = ctx.now();
  const bm = backoffs(ctx);
  // (the back-off key is made only when there are back-offs: a full sync visits every node)
  const b = bm.size ? bm.get(`${st.uid}/${node.metadata.name}`) : undefined;
  const plan = podsShouldBeOnNode({
    should, pods, surge: allowsSurge(ds), hash: st.hash, generation: st.templateGeneration,
    minReadySeconds: ds.spec.minReadySeconds ?? 0, now, inBackoff: inBackoff(b, now),
  });
  if (plan.backoffHeld && b) ctx.enqueueAfter(DS_CONTROLLER, `${st.key}${SEP}${node.metadata.name}`, Math.max(1, b.backoffMs - (now - b.lastUpdate)));
  // (index loops: the lists are mostly empty, and a full sync plans every node)
  for (let i = 0; i < plan.failed.length; i++) {
    const name = plan.failed[i]!;
    const bkey = `${st.uid}/${node.metadata.name}`;
    bm.set(bkey, nextBackoff(bm.get(bkey), now));
    ctx.events.event(ds, "Warning", "FailedDaemonPod", `Found failed daemon pod ${ns}/${name} on node ${node.metadata.name}, will try to kill it`, COMPONENT);
  }
  for (let i = 0; i < plan.succeeded.length; i++) {
    const name = plan.succeeded[i]!;
    ctx.events.event(ds, "Normal", "SucceededDaemonPod", `Found succeeded daemon pod ${ns}/${name} on node ${node.metadata.name}, will try to delete it`, COMPONENT);
  }
  let changed = false;
  if (plan.create) {
    if (budget.creates > 0) {
      budget.creates--;
      createDaemonPod(ctx, ds, st, node.metadata.name);
    } else ctx.enqueue(DS_CONTROLLER, st.key);
    changed = true;
  }
  for (let i = 0; i < plan.remove.length; i++) { deleteDaemonPod(ctx, ds, plan.remove[i]!); changed = true; }
  return changed;
}

/** Recount one node's status contribution; `should` and `pods` may be passed when the caller has them. */
function refreshEntry(ctx: Ctx, ds: DaemonSet, st: DsState, node: Node | undefined, nodeName: string, should?: ShouldRun, pods?: Pod[]): void {
  const old = st.entries.get(nodeName);
  if (old) applyEntry(st.counts, old, -1);
  if (!node) { st.entries.delete(nodeName); return; }
  should ??= shouldRunOn(ds, st, node);
  pods ??= podsOn(ctx, st, st.namespace, nodeName);
  const e = nodeStatusEntry(should, pods, st.hash, st.templateGeneration, ds.spec.minReadySeconds ?? 0, ctx.now());
  st.entries.set(nodeName, e);
  applyEntry(st.counts, e, 1);
}

function needsRolling(ds: DaemonSet, st: DsState): boolean {
  if (ds.spec.updateStrategy?.type !== "RollingUpdate") return false;
  // With no old pod on any node, rollingUpdatePlan deletes and creates nothing: skip its pass over the nodes.
  if (!st.oldPods.size) return false;
  const c = st.counts;
  return c.updatedNumberScheduled < c.desiredNumberScheduled || c.numberMisscheduled > 0 || c.currentNumberScheduled < c.desiredNumberScheduled;
}

/** D9/D10 over every node; returns true when it did something. */
function rollingUpdate(ctx: Ctx, ds: DaemonSet, st: DsState): boolean {
  const ns = ds.metadata.namespace!;
  const names = new Set<string>([...st.podsByNode.keys()]);
  for (const [n, e] of st.entries) if (e.shouldRun) names.add(n);
  const nodes: RollingNode[] = [...names].sort().map((n) => ({ node: n, shouldRun: !!st.entries.get(n)?.shouldRun, pods: podsOn(ctx, st, ns, n) }));
  const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
  const plan = rollingUpdatePlan(nodes, st.hash, st.templateGeneration, ru.maxSurge ?? 0, ru.maxUnavailable ?? 1, ds.spec.minReadySeconds ?? 0, ctx.now());
  for (const n of plan.createOnNodes) createDaemonPod(ctx, ds, st, n);
  for (const p of plan.deletePods) deleteDaemonPod(ctx, ds, p);
  return plan.createOnNodes.length + plan.deletePods.length > 0;
}

/** D12 cleanupHistory: delete the oldest non-current revisions whose hash no pod uses, beyond the limit. */
function cleanupHistory(ctx: Ctx, ds: DaemonSet, st: DsState, currentName: string): void {
  const old = ownedRevisions(ctx, ds).filter((r) => r.metadata.name !== currentName);
  let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const live = new Set<string>();
  for (const p of ctx.store.ownedBy<Pod>(ds.metadata.uid, "Pod")) {
    const h = p.metadata.labels?.[CONTROLLER_REVISION_HASH];
    if (h) live.add(h);
  }
  for (const r of old as ControllerRevision[]) {
    if (toKill <= 0) break;
    if (live.has(r.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? "")) continue;
    ctx.store.delete("ControllerRevision", r.metadata.namespace, r.metadata.name);
    toKill--;
  }
}

function writeStatus(ctx: Ctx, ds: DaemonSet, st: DsState): void {
  const c = st.counts;
  const status: Record<string, number> = {
    currentNumberScheduled: c.currentNumberScheduled,
    desiredNumberScheduled: c.desiredNumberScheduled,
  };
  if (c.numberAvailable) status.numberAvailable = c.numberAvailable;
  status.numberMisscheduled = c.numberMisscheduled;
  status.numberReady = c.numberReady;
  const unavailable = c.desiredNumberScheduled - c.numberAvailable;
  if (unavailable) status.numberUnavailable = unavailable;
  status.observedGeneration = ds.metadata.generation ?? 1;
  if (c.updatedNumberScheduled) status.updatedNumberScheduled = c.updatedNumberScheduled;
  const cur = ctx.store.get<DaemonSet>("DaemonSet", ds.metadata.namespace, ds.metadata.name);
  if (!cur) return;
  if (!jsonEqual(cur.status ?? {}, status)) ctx.store.updateStatus(cur, status);
  const mrs = ds.spec.minReadySeconds ?? 0;
  if (mrs > 0 && c.numberReady !== c.numberAvailable) ctx.enqueueAfter(DS_CONTROLLER, st.key, mrs * 1000);
}

/** sim.ext key: tests turn the full sync's claimed-pods shortcut off (every node's pods read through podsOn). */
const NO_CLAIMED_PODS = "daemonset.noClaimedPods";

/** Tests: full syncs take each node's pods from the claim (on, the default) or look them up (off). */
export function setDaemonSetClaimedPods(ctx: Ctx, on: boolean): void {
  ctx.sim.ext.set(NO_CLAIMED_PODS, !on);
}

function fullSync(ctx: Ctx, key: ObjectKey, ds: DaemonSet): void {
  const all = states(ctx);
  if (ds.metadata.deletionTimestamp) return;
  const data = { spec: { template: { ...structuredClone(ds.spec.template), $patch: "replace" } } };
  const { revision, hash } = ensureRevision(ctx, ds, data, undefined, ds.metadata.annotations);
  const tpl = ds.spec.template.spec;
  const st: DsState = {
    uid: ds.metadata.uid, key, namespace: ds.metadata.namespace!, generation: ds.metadata.generation ?? 1, hash, templateGeneration: templateGeneration(ds),
    podsByNode: new Map(), entries: new Map(), counts: emptyCounts(), oldPods: new Set(),
    tolerations: withDaemonTolerations(tpl?.tolerations as Toleration[] | undefined, !!tpl?.hostNetwork),
  };
  all.set(ds.metadata.uid, st);
  const sel = fromLabelSelector(ds.spec.selector);
  const pods = claimObjects(ctx, ds, sel, candidatePods(ctx, ds, sel), { unique: true }) as Pod[];
  // The claimed pods by target node, in claim order: until the loop below visits a node, podsOn would read
  // exactly these objects back through their keys, in this order (only a node's own manageNode writes its
  // daemon pods, and each node is visited once), so the loop takes them from here (no store lookup per pod
  // per full sync) — unless the claim wrote (adopted or released a pod): its events indexed pods already,
  // in another order, so podsOn it is then.
  const claimedOn = st.podsByNode.size === 0 && !ctx.sim.ext.get(NO_CLAIMED_PODS) ? new Map<string, Pod[]>() : undefined;
  for (const p of pods) {
    const k = keyOf(p), target = targetNodeName(p);
    indexPod(st, p, k, true, target);
    trackOld(st, ds.metadata.namespace!, p, k, false);
    if (!claimedOn || target === undefined) continue;
    const l = claimedOn.get(target);
    if (l) l.push(p);
    else claimedOn.set(target, [p]);
  }

  const nodes = ctx.store.list<Node>("Node");
  const budget = { creates: BURST_REPLICAS };
  let changed = false;
  // Per node, what manageNode saw when it created and deleted nothing there: a node's daemon pods change only
  // by its own manageNode, so its entry below can be counted from the same list (undefined: look again).
  const should: ShouldRun[] = new Array(nodes.length), seen: Array<Pod[] | undefined> = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!, pods = claimedOn ? claimedPodsOn(st, claimedOn, n.metadata.name) : podsOn(ctx, st, st.namespace, n.metadata.name);
    should[i] = shouldRunOn(ds, st, n);
    if (manageNode(ctx, ds, st, n, should[i]!, pods, budget)) changed = true;
    else seen[i] = pods;
  }
  for (let i = 0; i < nodes.length; i++) refreshEntry(ctx, ds, st, nodes[i], nodes[i]!.metadata.name, should[i], seen[i]);
  if (!changed && needsRolling(ds, st) && rollingUpdate(ctx, ds, st)) {
    for (const n of nodes) refreshEntry(ctx, ds, st, n, n.metadata.name);
  }
  cleanupHistory(ctx, ds, st, revision.metadata.name);
  writeStatus(ctx, ds, st);
}

function nodeSync(ctx: Ctx, key: ObjectKey, ds: DaemonSet, nodeName: string): void {
  const st = states(ctx).get(ds.metadata.uid);
  if (!st || st.generation !== (ds.metadata.generation ?? 1) || st.templateGeneration !== templateGeneration(ds)) {
    return fullSync(ctx, key, ds);
  }
  if (ds.metadata.deletionTimestamp) return;
  const node = ctx.store.get<Node>("Node", undefined, nodeName);
  let changed = false;
  if (node) {
    const should = shouldRunOn(ds, st, node), pods = podsOn(ctx, st, st.namespace, nodeName);
    changed = manageNode(ctx, ds, st, node, should, pods, { creates: 1 });
    // Nothing created or deleted: the node's daemon pods are still `pods`.
    if (changed) refreshEntry(ctx, ds, st, node, nodeName, should);
    else refreshEntry(ctx, ds, st, node, nodeName, should, pods);
  } else refreshEntry(ctx, ds, st, node, nodeName);
  if (!changed && needsRolling(ds, st) && rollingUpdate(ctx, ds, st)) {
    for (const n of [...st.entries.keys()]) refreshEntry(ctx, ds, st, ctx.store.get<Node>("Node", undefined, n), n);
  }
  writeStatus(ctx, ds, st);
}

export function reconcileDaemonSet(ctx: Ctx, key: ObjectKey): void {
  const i = key.indexOf(SEP);
  const dsKey = i < 0 ? key : key.slice(0, i);
  const { namespace, name } = splitKey(dsKey);
  const ds = ctx.store.get<DaemonSet>("DaemonSet", namespace, name);
  if (!ds) {
    for (const [uid, st] of states(ctx)) if (st.key === dsKey) states(ctx).delete(uid);
    return;
  }
  if (i < 0) fullSync(ctx, dsKey, ds);
  else nodeSync(ctx, dsKey, ds, key.slice(i + 1));
}

function nodeRelevantChange(ev: WatchEvent): boolean {
  if (ev.type !== "MODIFIED" || !ev.old) return true;
  const a = ev.old, b = ev.object;
  // status-only writes (heartbeats) keep the same label and taint objects
  if (a.metadata.labels === b.metadata.labels && a.spec?.taints === b.spec?.taints) return false;
  return !jsonEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {})
    || !jsonEqual(a.spec?.taints ?? [], b.spec?.taints ?? []);
}

export const daemonSetController: ControllerDef = {
  name: DS_CONTROLLER,
  watches: [
    {
      kind: "DaemonSet",
      map(ev) {
        if (ev.type === "MODIFIED" && ev.old && ev.old.metadata.generation === ev.object.metadata.generation
          && ev.old.metadata.deletionTimestamp === ev.object.metadata.deletionTimestamp
          && jsonEqual(ev.old.metadata.annotations, ev.object.metadata.annotations)) return [];
        return [ev.key];
      },
    },
    {
      kind: "Node",
      map(ev, ctx) {
        if (!nodeRelevantChange(ev)) return [];
        return ctx.store.list("DaemonSet").map((d) => `${keyOf(d)}${SEP}${ev.object.metadata.name}`);
      },
    },
    {
      kind: "Pod",
      map(ev, ctx) {
        const ref = controllerOf(ev.object) ?? (ev.old ? controllerOf(ev.old) : undefined);
        if (!ref || ref.kind !== "DaemonSet") {
          if (ev.type === "ADDED" && !ref) {
            // an orphan may be adopted: let DaemonSets in its namespace whose selector matches look
            const out: ObjectKey[] = [];
            for (const d of ctx.store.list<DaemonSet>("DaemonSet", { namespace: ev.object.metadata.namespace! })) {
              if (fromLabelSelector(d.spec.selector) && claimable(d, ev.object)) out.push(keyOf(d));
            }
            return out;
          }
          return undefined; // (most pod events: no array made for them)
        }
        const st = states(ctx).get(ref.uid);
        if (!st) return [`${ev.object.metadata.namespace}/${ref.name}`];
        if (!(ev.type === "MODIFIED" && ev.old && staysAlone(st, ev.old, ev.object, ev.key))) {
          if (ev.old) indexPod(st, ev.old, ev.key, false);
          if (ev.type !== "DELETED") indexPod(st, ev.object, ev.key, true);
        }
        trackOld(st, st.namespace, ev.object, ev.key, ev.type === "DELETED");
        const node = targetNodeName(ev.object) ?? (ev.old ? targetNodeName(ev.old) : undefined);
        return node ? `${st.key}${SEP}${node}` : st.key;
      },
    },
  ],
  reconcile(ctx, key) {
    reconcileDaemonSet(ctx, key);
  },
};

function claimable(ds: DaemonSet, pod: KubeObject): boolean {
  const sel = fromLabelSelector(ds.spec.selector);
  if (sel.nothing) return false;
  return sel.requirements.length > 0 && sel.requirements.every((r) => {
    const l = pod.metadata.labels ?? {};
    return r.op === "=" ? l[r.key] === r.value : true;
  });
}
