/** label, annotate, taint, cordon, uncordon, drain, scale, patch. */
import { clone } from "../../api/store.ts";
import { typedName, type KindInfo } from "../../api/kinds.ts";
import type { KubeObject, Node, Pod } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";
import { parse as parseYaml } from "yaml";
import { rfc3339, parseGoDuration } from "../../util/time.ts";
import type { ParsedArgs } from "../args.ts";
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from "../patch.ts";
import { fetch, KubectlError, namespaceOf, parseResourceArgs, selectorOf, resolveType } from "../resources.ts";
import type { CmdResult } from "../types.ts";
import { errorString, waitFor } from "./common.ts";
import { sortKeys } from "../output.ts";
import { RECORD_DEPRECATED } from "./apply.ts";
import { changeCause } from "./rollout.ts";

const CHANGE_CAUSE_KEY = "kubernetes.io/change-cause";

interface Target { info: KindInfo; obj: KubeObject }

/** Resolve resource args (+ -l / --all) to objects; NotFound errors collected. */
function targets(sim: Simulation, args: ParsedArgs, resArgs: string[], opts: { allowAll?: boolean } = {}): { list: Target[]; errors: string[] } {
  const { requests, byName } = parseResourceArgs(resArgs);
  const selector = selectorOf(args);
  const all = opts.allowAll !== false && args.bool("all");
  if (!byName && !selector && !all) throw new KubectlError("error: resource(s) were provided, but no name was specified");
  const list: Target[] = [];
  const errors: string[] = [];
  for (const r of requests) {
    const f = fetch(sim, r, { namespace: namespaceOf(args), allNamespaces: args.bool("all-namespaces"), ...(selector ? { selector } : {}) });
    errors.push(...f.errors);
    for (const o of f.objects) list.push({ info: r.info, obj: o });
  }
  return { list, errors };
}

function result(out: string, errors: string[], extraErr = ""): CmdResult {
  return { out, err: extraErr + errors.map((e) => e + "\n").join(""), code: errors.length ? 1 : 0 };
}

// ------------------------------------------------------------------ label / annotate

export function runLabelOrAnnotate(sim: Simulation, args: ParsedArgs, which: "labels" | "annotations"): CmdResult {
  const changes: string[] = [];
  const res: string[] = [];
  for (const p of args.positional) {
    if (p.includes("=") || (p.endsWith("-") && res.length > 0)) changes.push(p);
    else res.push(p);
  }
  const what = which === "labels" ? "label" : "annotation";
  if (!res.length) throw new KubectlError("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
  if (!changes.length) throw new KubectlError(`error: at least one ${what} update is required`);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const c of changes) {
    if (c.endsWith("-") && !c.includes("=")) remove.push(c.slice(0, -1));
    else {
      const i = c.indexOf("=");
      if (i <= 0) throw new KubectlError(`error: invalid ${what} format: ${c}`);
      set[c.slice(0, i)] = c.slice(i + 1);
    }
  }
  for (const k of remove) if (k in set) throw new KubectlError(`error: can not both modify and remove ${what}s in the same command`);
  const { list, errors } = targets(sim, args, res);
  let out = "";
  let warn = "";
  const verbed = which === "labels" ? "labeled" : "annotated";
  for (const { info, obj } of list) {
    const cur = obj.metadata[which] ?? {};
    if (!args.bool("overwrite")) {
      const clash = Object.keys(set).find((k) => k in cur && cur[k] !== set[k]);
      if (clash !== undefined) { errors.push(`error: '${clash}' already has a value (${cur[clash]}), and --overwrite is false`); continue; }
    }
    const next: Record<string, string> = { ...cur };
    for (const k of remove) {
      if (!(k in next)) warn += `${what} "${k}" not found.\n`;
      delete next[k];
    }
    Object.assign(next, set);
    const changed = JSON.stringify(sortKeys(next)) !== JSON.stringify(sortKeys(cur));
    if (!changed) { out += `${typedName(info, obj.metadata.name)} not ${verbed}\n`; continue; }
    try {
      sim.store.mutate(info.kind, obj.metadata.namespace, obj.metadata.name, (o) => {
        if (Object.keys(next).length) o.metadata[which] = next;
        else delete o.metadata[which];
      });
      // kubectl label: a change that only shrank the labels (without --overwrite) reads "unlabeled"
      const shrank = which === "labels" && !args.bool("overwrite") && JSON.stringify(sortKeys(next)).length < JSON.stringify(sortKeys(cur)).length;
      out += `${typedName(info, obj.metadata.name)} ${shrank ? "unlabeled" : verbed}\n`;
    } catch (e) {
      errors.push(errorString(e));
    }
  }
  return result(out, errors, warn);
}

// ------------------------------------------------------------------ taint

interface TaintSpec { key: string; value?: string; effect?: string }
const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

function parseTaint(spec: string): TaintSpec {
  let key = spec, effect: string | undefined, value: string | undefined;
  const ci = spec.lastIndexOf(":");
  if (ci >= 0) { key = spec.slice(0, ci); effect = spec.slice(ci + 1); }
  const ei = key.indexOf("=");
  if (ei >= 0) { value = key.slice(ei + 1); key = key.slice(0, ei); }
  if (effect !== undefined && !EFFECTS.includes(effect)) {
    throw new KubectlError(`error: invalid taint effect: ${effect}, unsupported taint effect`);
  }
  if (!key || !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
    throw new KubectlError(`error: invalid taint spec: ${spec}, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`);
  }
  return { key, ...(value !== undefined ? { value } : {}), ...(effect !== undefined ? { effect } : {}) };
}

export function runTaint(sim: Simulation, args: ParsedArgs): CmdResult {
  const pos = args.positional;
  if (!pos.length) throw new KubectlError("error: at least one taint update is required");
  const info = resolveType(pos[0]!.split("/")[0]!);
  if (info.kind !== "Node") throw new KubectlError(`error: invalid resource type ${pos[0]}, only node types are supported`);
  const resArgs: string[] = [];
  const specs: string[] = [];
  for (const p of pos) {
    if (resArgs.length === 0 || (!p.includes(":") && !p.includes("=") && !p.endsWith("-") && !specs.length)) resArgs.push(p);
    else specs.push(p);
  }
  if (resArgs.length === 1 && !resArgs[0]!.includes("/") && !args.bool("all") && !args.has("selector")) {
    throw new KubectlError("error: at least one resource name must be specified since 'all' parameter is not set");
  }
  if (!specs.length) throw new KubectlError("error: at least one taint update is required");
  const add: TaintSpec[] = [];
  const remove: TaintSpec[] = [];
  for (const s of specs) {
    if (s.endsWith("-")) remove.push(parseTaint(s.slice(0, -1)));
    else {
      const t = parseTaint(s);
      if (!t.effect) throw new KubectlError(`error: invalid taint spec: ${s}`);
      add.push(t);
    }
  }
  const { list, errors } = targets(sim, args, resArgs);
  let out = "";
  for (const { obj } of list) {
    const node = obj as Node;
    let taints = [...(node.spec?.taints ?? [])];
    if (!args.bool("overwrite")) {
      const dup = add.filter((a) => taints.some((t) => t.key === a.key && t.effect === a.effect));
      if (dup.length) { errors.push(`error: node ${node.metadata.name} already has ${dup.map((d) => d.key).join(",")} taint(s) with same effect(s) and --overwrite is false`); continue; }
    }
    let failed = false;
    for (const r of remove) {
      const before = taints.length;
      taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
      if (taints.length === before) {
        errors.push(`error: taint ${JSON.stringify(r.effect ? `${r.key}:${r.effect}` : r.key)} not found`);
        failed = true;
      }
    }
    if (failed) continue;
    for (const a of add) {
      const t: { key: string; value?: string; effect: string; timeAdded?: string } = { key: a.key, effect: a.effect! };
      if (a.value) t.value = a.value;
      if (a.effect === "NoExecute") t.timeAdded = rfc3339(sim.now);
      const i = taints.findIndex((x) => x.key === a.key && x.effect === a.effect);
      if (i >= 0) taints[i] = t;
      else taints.push(t);
    }
    try {
      sim.store.mutate<Node>("Node", undefined, node.metadata.name, (n) => {
        if (taints.length) n.spec = { ...n.spec, taints };
        else if (n.spec) delete n.spec.taints;
      });
      const word = add.length && remove.length ? "modified" : add.length ? "tainted" : "untainted";
      out += `node/${node.metadata.name} ${word}\n`;
    } catch (e) {
      errors.push(errorString(e));
    }
  }
  return result(out, errors);
}

// ------------------------------------------------------------------ cordon / uncordon / drain

function nodeTargets(sim: Simulation, args: ParsedArgs): { nodes: Node[]; errors: string[] } {
  const pos = args.positional;
  if (!pos.length && !args.has("selector")) throw new KubectlError("error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples");
  const names = pos.map((p) => (p.includes("/") ? p.split("/")[1]! : p));
  const res = args.has("selector") && !names.length ? ["nodes"] : ["nodes", ...names];
  const { list, errors } = targets(sim, args, res);
  return { nodes: list.map((t) => t.obj as Node), errors };
}

function setUnschedulable(sim: Simulation, node: Node, on: boolean): string {
  const already = !!node.spec?.unschedulable === on;
  if (already) return `node/${node.metadata.name} already ${on ? "cordoned" : "uncordoned"}`;
  sim.store.mutate<Node>("Node", undefined, node.metadata.name, (n) => {
    if (on) n.spec = { ...n.spec, unschedulable: true };
    else if (n.spec) delete n.spec.unschedulable;
  });
  return `node/${node.metadata.name} ${on ? "cordoned" : "uncordoned"}`;
}

export function runCordon(sim: Simulation, args: ParsedArgs, on: boolean): CmdResult {
  const { nodes, errors } = nodeTargets(sim, args);
  let out = "";
  for (const n of nodes) out += setUnschedulable(sim, n, on) + "\n";
  return result(out, errors);
}

export const DRAIN_WAIT_LIMIT_MS = 5 * 60_000;

function controllerRef(p: Pod) {
  return (p.metadata.ownerReferences ?? []).find((r) => r.controller);
}

export function runDrain(sim: Simulation, args: ParsedArgs): CmdResult {
  const { nodes, errors } = nodeTargets(sim, args);
  if (errors.length) return result("", errors);
  let out = "";
  let err = "";
  const timeoutMs = args.get("timeout") ? parseGoDuration(args.get("timeout")!) || DRAIN_WAIT_LIMIT_MS : DRAIN_WAIT_LIMIT_MS;
  const grace = args.get("grace-period") !== undefined ? Number(args.get("grace-period")) : -1;
  for (let ni = 0; ni < nodes.length; ni++) {
    const node = nodes[ni]!;
    out += setUnschedulable(sim, sim.store.get<Node>("Node", undefined, node.metadata.name)!, true) + "\n";
    const pods = [...sim.store.podsOnNode(node.metadata.name)].sort((a, b) =>
      (a.metadata.namespace! + "/" + a.metadata.name) < (b.metadata.namespace! + "/" + b.metadata.name) ? -1 : 1);
    const fatal = new Map<string, string[]>();
    const warnings = new Map<string, string[]>();
    const toEvict: Pod[] = [];
    const add = (m: Map<string, string[]>, k: string, p: Pod) => m.set(k, [...(m.get(k) ?? []), `${p.metadata.namespace}/${p.metadata.name}`]);
    for (const p of pods) {
      const finished = p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
      const ref = controllerRef(p);
      if (ref?.kind === "DaemonSet" && !finished) {
        if (args.bool("ignore-daemonsets")) add(warnings, "ignoring DaemonSet-managed Pods", p);
        else add(fatal, "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", p);
        continue;
      }
      if (p.metadata.annotations?.["kubernetes.io/config.mirror"]) continue;
      if (!finished && (p.spec?.volumes ?? []).some((v) => v.emptyDir)) {
        if (args.bool("delete-emptydir-data")) add(warnings, "deleting Pods with local storage", p);
        else { add(fatal, "Pods with local storage (use --delete-emptydir-data to override)", p); continue; }
      }
      if (!ref && !finished) {
        if (args.bool("force")) add(warnings, "deleting Pods that declare no controller", p);
        else { add(fatal, "Pods declare no controller (use --force to override)", p); continue; }
      }
      toEvict.push(p);
    }
    if (fatal.size) {
      const msgs = [...fatal].map(([m, ps]) => `cannot delete ${m}: ${ps.join(", ")}`);
      err += `error: unable to drain node "${node.metadata.name}" due to error: ${msgs.length === 1 ? msgs[0] : `[${msgs.join(", ")}]`}, continuing command...\n`;
      err += `There are pending nodes to be drained:\n${nodes.slice(ni).map((n) => ` ${n.metadata.name}\n`).join("")}`;
      err += msgs.join("\n") + "\n";
      return { out, err, code: 1 };
    }
    for (const [m, ps] of warnings) err += `Warning: ${m}: ${ps.join(", ")}\n`;
    // kubectl prints warnings to stderr before evicting; in a transcript they read best in order
    out += err;
    err = "";
    const uids = new Map<string, string>();
    for (const p of toEvict) {
      out += `evicting pod ${p.metadata.namespace}/${p.metadata.name}\n`;
      uids.set(`${p.metadata.namespace}/${p.metadata.name}`, p.metadata.uid);
      try {
        sim.store.delete("Pod", p.metadata.namespace, p.metadata.name, grace >= 0 ? { gracePeriodSeconds: grace } : {});
      } catch { /* already gone */ }
    }
    const gone = (p: Pod) => sim.store.get("Pod", p.metadata.namespace, p.metadata.name)?.metadata.uid !== uids.get(`${p.metadata.namespace}/${p.metadata.name}`);
    const reported = new Set<Pod>();
    const report = () => {
      for (const p of toEvict) if (!reported.has(p) && gone(p)) { reported.add(p); out += `pod/${p.metadata.name} evicted\n`; }
      return reported.size === toEvict.length;
    };
    const ok = waitFor(sim, report, timeoutMs);
    if (!ok) {
      const left = toEvict.filter((p) => !reported.has(p));
      err += `error: unable to drain node "${node.metadata.name}" due to error: ${left.map((p) => `error when waiting for pod "${p.metadata.name}" in namespace "${p.metadata.namespace}" to terminate: global timeout reached: ${args.get("timeout") ?? "5m0s"}`).join(", ")}, continuing command...\n`;
      err += `There are pending nodes to be drained:\n${nodes.slice(ni).map((n) => ` ${n.metadata.name}\n`).join("")}`;
      return { out, err, code: 1 };
    }
    out += `node/${node.metadata.name} drained\n`;
  }
  return { out, err, code: 0 };
}

// ------------------------------------------------------------------ scale

export function runScale(sim: Simulation, args: ParsedArgs): CmdResult {
  const r = args.get("replicas");
  if (r === undefined) throw new KubectlError(`error: required flag(s) "replicas" not set`);
  const replicas = Number(r);
  if (!Number.isInteger(replicas) || replicas < 0) throw new KubectlError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  const { list, errors } = targets(sim, args, args.positional);
  let out = "";
  const cur = args.get("current-replicas");
  const cause = args.bool("record") ? changeCause("scale", args) : undefined;
  for (const { info, obj } of list) {
    if (!["Deployment", "ReplicaSet", "StatefulSet"].includes(info.kind)) {
      errors.push(`Error from server (NotFound): the server could not find the requested resource`);
      continue;
    }
    if (cur !== undefined && Number(cur) !== -1 && (obj.spec?.replicas ?? 1) !== Number(cur)) {
      errors.push(`error: Expected replicas to be ${cur}, was ${obj.spec?.replicas ?? 1}`);
      continue;
    }
    try {
      sim.store.mutate(info.kind, obj.metadata.namespace, obj.metadata.name, (o) => { o.spec = { ...o.spec, replicas }; });
      // --record: a second (merge) patch with kubernetes.io/change-cause (scale.go MakeRecordMergePatch)
      if (cause !== undefined) {
        sim.store.mutate(info.kind, obj.metadata.namespace, obj.metadata.name, (o) => { o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [CHANGE_CAUSE_KEY]: cause }; });
      }
      out += `${typedName(info, obj.metadata.name)} scaled\n`;
    } catch (e) {
      errors.push(errorString(e));
    }
  }
  return withRecordWarning(args, result(out, errors));
}

/** pflag's notice when the deprecated --record flag is given. */
function withRecordWarning(args: ParsedArgs, r: CmdResult): CmdResult {
  return args.has("record") ? { ...r, err: RECORD_DEPRECATED + r.err } : r;
}

// ------------------------------------------------------------------ patch

export function runPatch(sim: Simulation, args: ParsedArgs): CmdResult {
  const p = args.get("patch");
  if (p === undefined) throw new KubectlError("error: must specify -p to patch");
  const type = args.get("type") ?? "strategic";
  if (!["strategic", "merge", "json"].includes(type)) throw new KubectlError(`error: --type must be one of [json merge strategic], not "${type}"`);
  let patch: unknown;
  try {
    patch = JSON.parse(p);
  } catch {
    try { patch = parseYaml(p); } catch (e) { throw new KubectlError(`error: unable to parse "${p}": yaml: ${(e as Error).message.split("\n")[0]}`); }
  }
  // The API server decodes a strategic/merge patch into map[string]interface{}: JSON null is an empty
  // patch, anything but an object is a BadRequest.
  let badPatch: string | undefined;
  if (type !== "json") {
    if (patch === null || patch === undefined) patch = {};
    else if (typeof patch !== "object" || Array.isArray(patch)) {
      const t = Array.isArray(patch) ? "array" : typeof patch === "boolean" ? "bool" : typeof patch;
      badPatch = `Error from server (BadRequest): json: cannot unmarshal ${t} into Go value of type map[string]interface {}`;
    }
  }
  const { list, errors } = targets(sim, args, args.positional, { allowAll: false });
  let out = "";
  const cause = args.bool("record") ? changeCause("patch", args) : undefined;
  if (badPatch) return result("", [...errors, ...list.map(() => badPatch!)]);
  for (const { info, obj } of list) {
    let next: KubeObject;
    try {
      if (type === "json") next = jsonPatch(clone(obj), patch) as KubeObject;
      else if (type === "merge") next = mergePatch(clone(obj), patch) as KubeObject;
      else {
        if (info.kind === "Event") throw new PatchError("strategic merge patch is not supported");
        next = strategicMergePatch(clone(obj), patch) as KubeObject;
      }
    } catch (e) {
      errors.push(e instanceof PatchError ? `Error from server (UnprocessableEntity): ${e.message}` : errorString(e));
      continue;
    }
    const tn = typedName(info, obj.metadata.name);
    const before = JSON.stringify(sortKeys({ ...obj, metadata: { ...obj.metadata, resourceVersion: "" } }));
    const after = JSON.stringify(sortKeys({ ...next, metadata: { ...next.metadata, resourceVersion: "" } }));
    const didPatch = before !== after;
    // --record: patch.go sends a second merge patch with the change-cause when it changes anything
    if (cause !== undefined && next.metadata.annotations?.[CHANGE_CAUSE_KEY] !== cause) {
      next = { ...next, metadata: { ...next.metadata, annotations: { ...(next.metadata.annotations ?? {}), [CHANGE_CAUSE_KEY]: cause } } };
    } else if (!didPatch) { out += `${tn} patched (no change)\n`; continue; }
    try {
      const specChanged = JSON.stringify(sortKeys({ ...next, status: undefined })) !== JSON.stringify(sortKeys({ ...obj, status: undefined }));
      let res = obj;
      if (specChanged) res = sim.store.update(clone(next));
      if (JSON.stringify(next.status) !== JSON.stringify(obj.status) && args.get("subresource") === "status") sim.store.updateStatus(res, next.status);
      out += didPatch ? `${tn} patched\n` : `${tn} patched (no change)\n`;
    } catch (e) {
      errors.push(errorString(e));
    }
  }
  return withRecordWarning(args, result(out, errors));
}
