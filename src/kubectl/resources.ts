/**
 * Resource arguments as kubectl's resource.Builder reads them: `TYPE`, `TYPE NAME…`, `TYPE/NAME…`,
 * `TYPE1,TYPE2`, `all`; and fetching what they name (sorted like the API server's etcd order).
 */
import { KINDS, resolveResource, type KindInfo } from "../api/kinds.ts";
import { ApiError, notFound } from "../api/errors.ts";
import { resourceString } from "../api/kinds.ts";
import { parseSelector, type Selector } from "../api/labels.ts";
import type { KubeObject } from "../api/types.ts";
import type { Simulation } from "../simulation.ts";
import type { ParsedArgs } from "./args.ts";

export class KubectlError extends Error {}

/** The `all` category, in discovery order (core, apps, batch). */
export const ALL_CATEGORY = ["Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "CronJob", "Job"];

export interface ResourceRequest {
  info: KindInfo;
  /** Empty: every object of the type (list). */
  names: string[];
}

export function resolveType(t: string): KindInfo {
  const info = resolveResource(t);
  if (!info) throw new KubectlError(`error: the server doesn't have a resource type "${t}"`);
  return info;
}

/** Parse positional resource args. `requireName`: kubectl delete/label… need names or a selector. */
export function parseResourceArgs(pos: string[]): { requests: ResourceRequest[]; multiType: boolean; byName: boolean } {
  if (!pos.length) throw new KubectlError("error: you must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.");
  const slashed = pos.filter((p) => p.includes("/"));
  if (slashed.length) {
    if (slashed.length !== pos.length) {
      throw new KubectlError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
    }
    const reqs: ResourceRequest[] = [];
    for (const p of pos) {
      const i = p.indexOf("/");
      const info = resolveType(p.slice(0, i));
      const name = p.slice(i + 1);
      if (!name) throw new KubectlError(`error: arguments in resource/name form must have a single resource and name`);
      const last = reqs.at(-1);
      if (last && last.info === info) last.names.push(name);
      else reqs.push({ info, names: [name] });
    }
    return { requests: reqs, multiType: new Set(reqs.map((r) => r.info.kind)).size > 1, byName: true };
  }
  const [types, ...names] = pos;
  const infos: KindInfo[] = [];
  let sawAll = false;
  for (const t of types!.split(",")) {
    if (!t) continue;
    if (t === "all") {
      sawAll = true;
      for (const k of ALL_CATEGORY) { const i = KINDS.find((x) => x.kind === k)!; if (!infos.includes(i)) infos.push(i); }
      continue;
    }
    const i = resolveType(t);
    if (!infos.includes(i)) infos.push(i);
  }
  if (names.length && infos.length > 1 && !sawAll) {
    return { requests: infos.map((info) => ({ info, names: [...names] })), multiType: true, byName: true };
  }
  return { requests: infos.map((info) => ({ info, names: [...names] })), multiType: infos.length > 1 || sawAll, byName: names.length > 0 };
}

export function namespaceOf(args: ParsedArgs): string {
  return args.get("namespace") || "default";
}

export function selectorOf(args: ParsedArgs): Selector | undefined {
  const l = args.get("selector");
  if (l === undefined) return undefined;
  try {
    return parseSelector(l);
  } catch (e) {
    throw new KubectlError(`error: ${(e as Error).message}`);
  }
}

/** etcd order: by namespace, then name. */
export function byKey(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? "", nb = b.metadata.namespace ?? "";
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Simple field selectors: `metadata.name=x,spec.nodeName!=w1,status.phase=Running`. */
export function fieldSelectorMatcher(fs: string | undefined): ((o: KubeObject) => boolean) | undefined {
  if (!fs) return undefined;
  const reqs = fs.split(",").filter(Boolean).map((p) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(p.trim());
    if (!m) throw new KubectlError(`error: invalid selector: '${fs}'; can't understand '${p}'`);
    return { path: m[1]!.split("."), neg: m[2] === "!=", value: m[3]! };
  });
  return (o) => reqs.every((r) => {
    let v: unknown = o;
    for (const k of r.path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
    const s = v === undefined || v === null ? "" : String(v);
    return r.neg ? s !== r.value : s === r.value;
  });
}

export interface Fetched {
  info: KindInfo;
  objects: KubeObject[];
  errors: string[];
}

/** Get named objects (collecting NotFound errors) or list them (namespace / all namespaces / selector). */
export function fetch(sim: Simulation, req: ResourceRequest, opts: { namespace: string; allNamespaces: boolean; selector?: Selector; field?: (o: KubeObject) => boolean }): Fetched {
  const { info } = req;
  const out: Fetched = { info, objects: [], errors: [] };
  if (req.names.length) {
    for (const n of req.names) {
      const o = sim.store.get(info.kind, info.namespaced ? opts.namespace : undefined, n);
      if (!o) out.errors.push(`Error from server (NotFound): ${resourceString(info)} "${n}" not found`);
      else out.objects.push(o);
    }
    return out;
  }
  const ns = info.namespaced && !opts.allNamespaces ? opts.namespace : undefined;
  let objs = sim.store.list(info.kind, { ...(ns ? { namespace: ns } : {}), ...(opts.selector ? { selector: opts.selector } : {}) });
  if (opts.field) objs = objs.filter(opts.field);
  out.objects = [...objs].sort(byKey);
  return out;
}

export function notFoundError(info: KindInfo, name: string): ApiError {
  return notFound(resourceString(info), name);
}
