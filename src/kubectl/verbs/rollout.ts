/**
 * `kubectl rollout status|history|undo|pause|resume|restart` and `kubectl set image`
 * (k8s.io/kubectl/pkg/cmd/rollout, cmd/set/set_image.go, polymorphichelpers: rollout_status.go,
 * history.go, rollback.go, objectpauser.go, objectresumer.go, objectrestarter.go), with kubectl's texts.
 *
 * `rollout status` waits the way kubectl does on a real cluster: here the virtual clock runs forward
 * timer by timer until the rollout is done (or `--timeout`, default capped at 15 virtual minutes), and
 * each distinct status line is printed once, in order.
 */
import type { ControllerRevision, Deployment, KubeObject, ReplicaSet } from "../../api/types.ts";
import { resourceString, typedName, type KindInfo } from "../../api/kinds.ts";
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { fetch, KubectlError, namespaceOf, parseResourceArgs, selectorOf } from "../resources.ts";
import type { CmdResult, VerbDef } from "../types.ts";
import { errorString } from "./common.ts";
import { PrefixWriter, describePodTemplate } from "../describe.ts";
import { tabwrite } from "../printers/tabwriter.ts";
import { parseGoDuration, rfc3339 } from "../../util/time.ts";
import { controllerOf } from "../../controllers/util/refs.ts";
import {
  CHANGE_CAUSE, DESIRED_REPLICAS, LAST_APPLIED, MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY, equalIgnoreHash, getCondition, revisionOf, Reason,
} from "../../controllers/deployment/util.ts";

/** Without --timeout kubectl waits forever; a script stops after this much virtual time. */
export const ROLLOUT_STATUS_CAP_MS = 15 * 60_000;

interface Target { info: KindInfo; obj: KubeObject }

function targets(sim: Simulation, args: ParsedArgs, resArgs: string[]): { list: Target[]; errors: string[] } {
  if (!resArgs.length) throw new KubectlError("error: required resource not specified");
  const { requests, byName } = parseResourceArgs(resArgs);
  const selector = selectorOf(args);
  if (!byName && !selector && !(args.has("all") && args.bool("all"))) throw new KubectlError("error: resource(s) were provided, but no name was specified");
  const list: Target[] = [];
  const errors: string[] = [];
  for (const r of requests) {
    const f = fetch(sim, r, { namespace: namespaceOf(args), allNamespaces: false, ...(selector ? { selector } : {}) });
    errors.push(...f.errors);
    for (const o of f.objects) list.push({ info: r.info, obj: o });
  }
  return { list, errors };
}

const done = (out: string, errors: string[]): CmdResult => ({ out, err: errors.map((e) => (e.endsWith("\n") ? e : e + "\n")).join(""), code: errors.length ? 1 : 0 });
const ROLLOUT_KINDS = ["Deployment", "DaemonSet", "StatefulSet"];

// ---------------------------------------------------------------- status

/** The status viewers (rollout_status.go): message, done, or an error. */
export function rolloutStatusOf(o: KubeObject): { msg: string; done: boolean; err?: string } {
  const gen = o.metadata.generation ?? 1;
  const st = o.status ?? {};
  const name = o.metadata.name;
  if (o.kind === "Deployment") {
    if (gen <= (st.observedGeneration ?? 0)) {
      const c = getCondition(st, "Progressing");
      if (c?.reason === Reason.TimedOut) return { msg: "", done: false, err: `deployment "${name}" exceeded its progress deadline` };
      const replicas = o.spec?.replicas ?? 1;
      const updated = st.updatedReplicas ?? 0, total = st.replicas ?? 0, available = st.availableReplicas ?? 0;
      if (updated < replicas) return { msg: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, done: false };
      if (total > updated) return { msg: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...\n`, done: false };
      if (available < updated) return { msg: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...\n`, done: false };
      return { msg: `deployment "${name}" successfully rolled out\n`, done: true };
    }
    return { msg: "Waiting for deployment spec update to be observed...\n", done: false };
  }
  if (o.kind === "DaemonSet") {
    if ((o.spec?.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return { msg: "", done: true, err: "rollout status is only available for RollingUpdate strategy type" };
    if (gen <= (st.observedGeneration ?? 0)) {
      const desired = st.desiredNumberScheduled ?? 0, updated = st.updatedNumberScheduled ?? 0, available = st.numberAvailable ?? 0;
      if (updated < desired) return { msg: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n`, done: false };
      if (available < desired) return { msg: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...\n`, done: false };
      return { msg: `daemon set "${name}" successfully rolled out\n`, done: true };
    }
    return { msg: "Waiting for daemon set spec update to be observed...\n", done: false };
  }
  // StatefulSet
  if ((o.spec?.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return { msg: "", done: true, err: "rollout status is only available for RollingUpdate strategy type" };
  if (!st.observedGeneration || gen > st.observedGeneration) return { msg: "Waiting for statefulset spec update to be observed...\n", done: false };
  const replicas = o.spec?.replicas ?? 1;
  if ((st.readyReplicas ?? 0) < replicas) return { msg: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  const ru = o.spec?.updateStrategy?.rollingUpdate;
  if (ru) {
    if (ru.partition !== undefined && ru.partition !== null && (st.updatedReplicas ?? 0) < replicas - ru.partition) {
      return { msg: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${replicas - ru.partition} new pods have been updated...\n`, done: false };
    }
    return { msg: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) {
    return { msg: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...\n`, done: false };
  }
  return { msg: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...\n`, done: true };
}

function runStatus(sim: Simulation, args: ParsedArgs, t: Target): CmdResult {
  const watch = args.has("watch") ? args.bool("watch") : true;
  const to = args.get("timeout");
  let timeoutMs = ROLLOUT_STATUS_CAP_MS;
  if (to !== undefined) {
    const ms = parseGoDuration(to);
    if (ms > 0) timeoutMs = ms;
  }
  const deadline = sim.now + timeoutMs;
  let out = "", last = "";
  for (;;) {
    sim.settle();
    const cur = sim.store.get(t.info.kind, t.obj.metadata.namespace, t.obj.metadata.name);
    if (!cur) return done(out, [`error: ${resourceString(t.info)} "${t.obj.metadata.name}" not found`]);
    const s = rolloutStatusOf(cur);
    if (s.err) return done(out, [`error: ${s.err}`]);
    if (s.msg !== last) { out += s.msg; last = s.msg; }
    if (s.done || !watch) return done(out, []);
    const next = sim.clock.peek();
    if (next === undefined || next > deadline) {
      sim.advanceTo(deadline);
      return done(out, ["error: timed out waiting for the condition"]);
    }
    sim.advanceTo(next);
  }
}

// ---------------------------------------------------------------- history

/** A PrefixWriter without the tabwriter: printTemplate writes describe text straight into a buffer. */
class RawWriter extends PrefixWriter {
  private raw = "";
  override write(level: number, text: string): void { this.raw += "  ".repeat(level) + text; }
  override flush(): void {}
  override toString(): string { return this.raw; }
}

function printTemplate(t: unknown): string {
  const w = new RawWriter();
  describePodTemplate(w, t as never);
  return w.toString();
}

function ownedReplicaSets(sim: Simulation, d: Deployment): ReplicaSet[] {
  return sim.store.ownedBy<ReplicaSet>(d.metadata.uid, "ReplicaSet").filter((r) => controllerOf(r)?.uid === d.metadata.uid)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

function ownedHistory(sim: Simulation, o: KubeObject): ControllerRevision[] {
  return sim.store.ownedBy<ControllerRevision>(o.metadata.uid, "ControllerRevision").filter((r) => controllerOf(r)?.uid === o.metadata.uid)
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
}

function templateOfRevision(r: ControllerRevision): unknown {
  const t = (r.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {};
  const { $patch: _p, ...rest } = t;
  return rest;
}

function historyTable(rows: Array<[number, string]>): string {
  return tabwrite(["REVISION\tCHANGE-CAUSE", ...rows.map(([r, c]) => `${r}\t${c || "<none>"}`)].join("\n") + "\n", { minwidth: 0, padding: 2 });
}

/** ViewHistory: the REVISION/CHANGE-CAUSE table, or one revision's pod template. */
function viewHistory(sim: Simulation, t: Target, revision: number): string {
  const o = t.obj;
  const entries = new Map<number, { template: any; cause: string }>();
  if (o.kind === "Deployment") {
    for (const rs of ownedReplicaSets(sim, o as Deployment)) {
      const v = rs.metadata.annotations?.[REVISION];
      if (v === undefined || !/^\d+$/.test(v)) continue;
      const template = structuredClone(rs.spec.template) as any;
      const cause = rs.metadata.annotations?.[CHANGE_CAUSE] ?? "";
      if (cause) template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), [CHANGE_CAUSE]: cause } };
      entries.set(Number(v), { template, cause });
    }
  } else {
    for (const r of ownedHistory(sim, o)) entries.set(r.revision ?? 0, { template: templateOfRevision(r), cause: r.metadata.annotations?.[CHANGE_CAUSE] ?? "" });
  }
  if (!entries.size) return "No rollout history found.";
  if (revision > 0) {
    const e = entries.get(revision);
    if (!e) throw new KubectlError("error: unable to find the specified revision");
    return printTemplate(e.template);
  }
  return historyTable([...entries.keys()].sort((a, b) => a - b).map((r) => [r, entries.get(r)!.cause]));
}

// ---------------------------------------------------------------- undo (P10)

const SKIP_ON_ROLLBACK = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to"]);

function rollback(sim: Simulation, t: Target, toRevision: number): string {
  const o = t.obj;
  if (toRevision < 0) throw new KubectlError(`error: unable to find specified revision ${toRevision} in history`);
  if (o.kind === "Deployment") {
    const d = o as Deployment;
    const rss = ownedReplicaSets(sim, d);
    let target: ReplicaSet | undefined;
    if (toRevision > 0) {
      target = rss.find((r) => r.metadata.annotations?.[REVISION] !== undefined && revisionOf(r) === toRevision);
      if (!target) throw new KubectlError(`error: unable to find specified revision ${toRevision} in history`);
    } else {
      let latest = -1, prev = -1;
      let latestRS: ReplicaSet | undefined;
      for (const r of rss) {
        if (r.metadata.annotations?.[REVISION] === undefined) continue;
        const v = revisionOf(r);
        if (latest < v) { prev = latest; target = latestRS; latest = v; latestRS = r; }
        else if (prev < v) { prev = v; target = r; }
      }
      if (!target) throw new KubectlError(`error: no rollout history found for deployment "${d.metadata.name}"`);
    }
    if (d.spec.paused) throw new KubectlError("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    if (equalIgnoreHash(target.spec.template, d.spec.template)) return `skipped rollback (current template already matches revision ${toRevision})`;
    const template = structuredClone(target.spec.template) as any;
    if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH];
    const annotations: Record<string, string> = {};
    for (const k of SKIP_ON_ROLLBACK) { const v = d.metadata.annotations?.[k]; if (v !== undefined) annotations[k] = v; }
    for (const [k, v] of Object.entries(target.metadata.annotations ?? {})) if (!SKIP_ON_ROLLBACK.has(k)) annotations[k] = v;
    try {
      sim.store.mutate<Deployment>("Deployment", d.metadata.namespace, d.metadata.name, (x) => {
        x.spec.template = template;
        x.metadata.annotations = annotations;
      });
    } catch (e) {
      throw new KubectlError(`error: failed restoring revision ${toRevision}: ${errorString(e).replace(/^error: /, "")}`);
    }
    return "rolled back";
  }
  // DaemonSet / StatefulSet: ControllerRevisions
  const history = ownedHistory(sim, o);
  if (toRevision === 0 && history.length <= 1) throw new KubectlError("error: no last revision to roll back to");
  const to = toRevision === 0 ? history[history.length - 2] : history.find((h) => h.revision === toRevision);
  if (!to) throw new KubectlError(`error: unable to find specified revision ${toRevision} in history`);
  const tpl = templateOfRevision(to);
  if (JSON.stringify(sortDeep(tpl)) === JSON.stringify(sortDeep(o.spec?.template))) return `skipped rollback (current template already matches revision ${toRevision})`;
  sim.store.mutate(o.kind, o.metadata.namespace, o.metadata.name, (x) => { x.spec.template = structuredClone(tpl); });
  return "rolled back";
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sortDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------- the verbs

function runRollout(sim: Simulation, args: ParsedArgs): CmdResult {
  const [sub, ...rest] = args.positional;
  const subs = ["history", "pause", "restart", "resume", "status", "undo"];
  if (!sub || !subs.includes(sub)) {
    if (sub) throw new KubectlError(`error: unknown command "${sub}" for "kubectl rollout"`);
    throw new KubectlError("error: You must specify a subcommand: history, pause, restart, resume, status, undo");
  }
  const { list, errors } = targets(sim, args, rest);
  let out = "";
  for (const t of list) {
    const name = typedName(t.info, t.obj.metadata.name);
    const res = `${resourceString(t.info)} "${t.obj.metadata.name}"`;
    if (!ROLLOUT_KINDS.includes(t.info.kind) || ((sub === "pause" || sub === "resume") && t.info.kind !== "Deployment")) {
      if (sub === "pause") errors.push(`error: ${res} pausing is not supported`);
      else if (sub === "resume") errors.push(`error: ${res} resuming is not supported`);
      else if (sub === "restart") errors.push(`error: ${res} restarting is not supported`);
      else if (sub === "status") errors.push(`error: no status viewer has been implemented for ${t.info.kind}`);
      else if (sub === "history") errors.push(`error: no history viewer has been implemented for ${JSON.stringify(t.info.kind)}`);
      else errors.push(`error: no rollbacker has been implemented for ${JSON.stringify(t.info.kind)}`);
      continue;
    }
    try {
      switch (sub) {
        case "status": {
          const r = runStatus(sim, args, t);
          out += r.out;
          if (r.err) errors.push(r.err.trimEnd());
          break;
        }
        case "history": {
          const rev = Number(args.get("revision") ?? "0");
          const h = viewHistory(sim, t, rev);
          out += `${name} ${rev > 0 ? `with revision #${rev}` : ""}\n${h}\n`;
          break;
        }
        case "undo":
          out += `${name} ${rollback(sim, t, Number(args.get("to-revision") ?? "0"))}\n`;
          break;
        case "pause":
        case "resume": {
          const want = sub === "pause";
          const cur = !!t.obj.spec?.paused;
          if (cur === want) { errors.push(`error: ${res} ${want ? "is already paused" : "is not paused"}`); break; }
          sim.store.mutate(t.info.kind, t.obj.metadata.namespace, t.obj.metadata.name, (x) => {
            if (want) x.spec.paused = true;
            else delete x.spec.paused;
          });
          out += `${name} ${want ? "paused" : "resumed"}\n`;
          break;
        }
        case "restart": {
          const o = t.obj;
          if (o.kind === "Deployment" && o.spec?.paused) { errors.push(`error: ${res} can't restart paused deployment (run rollout resume first)`); break; }
          if (o.spec?.template?.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"] === rfc3339(sim.now)) {
            // the patch would change nothing (same second)
            errors.push(`error: failed to create patch for ${o.metadata.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
            break;
          }
          sim.store.mutate(o.kind, o.metadata.namespace, o.metadata.name, (x) => {
            x.spec.template ??= {};
            x.spec.template.metadata = { ...(x.spec.template.metadata ?? {}), annotations: { ...(x.spec.template.metadata?.annotations ?? {}), "kubectl.kubernetes.io/restartedAt": rfc3339(sim.now) } };
          });
          out += `${name} restarted\n`;
          break;
        }
      }
    } catch (e) {
      errors.push(errorString(e));
    }
  }
  return done(out, errors);
}

/** kubectl's Recorder: the command line as `kubectl ARGS --flag=value…`. */
export function changeCause(verbPath: string, args: ParsedArgs): string {
  let s = `kubectl ${verbPath}`;
  const pos = args.positional.slice(verbPath.split(" ").length - 1);
  if (pos.length) s += " " + pos.join(" ");
  for (const [k, vs] of args.flags) for (const v of vs) s += ` --${k}=${v}`;
  return s;
}

function runSet(sim: Simulation, args: ParsedArgs): CmdResult {
  const [sub, ...rest] = args.positional;
  if (sub !== "image") {
    if (!sub) throw new KubectlError("error: You must specify the type of resource to set. Use \"kubectl set image\"");
    throw new KubectlError(`error: unknown command "${sub}" for "kubectl set"`);
  }
  const resArgs = rest.filter((a) => !a.includes("="));
  const specs = rest.filter((a) => a.includes("="));
  if (!specs.length) throw new KubectlError("error: at least one image update is required");
  const images = new Map<string, string>();
  for (const s of specs) {
    const i = s.indexOf("=");
    images.set(s.slice(0, i), s.slice(i + 1));
  }
  const { list, errors } = targets(sim, args, resArgs);
  const record = args.bool("record");
  const warn = args.has("record") ? "Flag --record has been deprecated, --record will be removed in the future\n" : "";
  let out = "";
  for (const t of list) {
    const o = t.obj;
    const podSpecOf = (x: KubeObject): any => (x.kind === "Pod" ? x.spec : x.kind === "CronJob" ? x.spec?.jobTemplate?.spec?.template?.spec : x.spec?.template?.spec);
    if (!podSpecOf(o)) { errors.push(`error: ${typedName(t.info, o.metadata.name)} is not a resource with a pod template`); continue; }
    const next = structuredClone(o);
    const spec = podSpecOf(next);
    for (const [cname, image] of images) {
      let found = false;
      for (const list of [spec.initContainers ?? [], spec.containers ?? []]) {
        for (const c of list) if (cname === "*" || c.name === cname) { c.image = image; found = true; }
      }
      if (!found) errors.push(`error: unable to find container named "${cname}"`);
    }
    if (record) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause("set image", args) };
    if (JSON.stringify(next.spec) === JSON.stringify(o.spec) && JSON.stringify(next.metadata.annotations) === JSON.stringify(o.metadata.annotations)) continue;
    try {
      sim.store.mutate(o.kind, o.metadata.namespace, o.metadata.name, (x) => {
        x.spec = next.spec;
        x.metadata.annotations = next.metadata.annotations;
        if (!x.metadata.annotations) delete x.metadata.annotations;
      });
      out += `${typedName(t.info, o.metadata.name)} image updated\n`;
    } catch (e) {
      errors.push(`error: failed to patch image update to pod template: ${errorString(e).replace(/^error: /, "")}`);
    }
  }
  const r = done(out, errors);
  return { ...r, err: warn + r.err };
}

export const verbs: VerbDef[] = [
  {
    name: "rollout",
    flags: [
      { name: "selector", short: "l", type: "string" },
      { name: "filename", short: "f", type: "stringArray" },
      { name: "revision", type: "int" },
      { name: "to-revision", type: "int" },
      { name: "timeout", type: "string" },
      { name: "watch", short: "w", type: "bool" },
      { name: "output", short: "o", type: "string" },
      { name: "dry-run", type: "string" },
      { name: "field-manager", type: "string" },
    ],
    run: (sim, args) => runRollout(sim, args),
  },
  {
    name: "set",
    flags: [
      { name: "selector", short: "l", type: "string" },
      { name: "filename", short: "f", type: "stringArray" },
      { name: "all", type: "bool" },
      { name: "record", type: "bool" },
      { name: "output", short: "o", type: "string" },
      { name: "dry-run", type: "string" },
      { name: "local", type: "bool" },
      { name: "field-manager", type: "string" },
    ],
    run: (sim, args) => runSet(sim, args),
  },
];
