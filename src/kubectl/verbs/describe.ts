/** `kubectl describe TYPE [NAME_PREFIX|-l …]`. */
import type { KubeObject, Node, Pod, ReplicaSet } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { describeConfigMap, describeGeneric, describeNamespace, describeNode, describePod, describeReplicaSet } from "../describe.ts";
import { printersFor } from "../printers/index.ts";
import { fetch, KubectlError, namespaceOf, parseResourceArgs, selectorOf, byKey } from "../resources.ts";
import type { CmdResult } from "../types.ts";
import { resourceString } from "../../api/kinds.ts";
import { apiWarnings } from "./get.ts";

export function describeObject(sim: Simulation, o: KubeObject): string {
  const custom = printersFor(o.kind).describe;
  if (custom) return custom(o, { now: sim.now, sim });
  switch (o.kind) {
    case "Pod": return describePod(sim, o as Pod);
    case "Node": return describeNode(sim, o as Node);
    case "ReplicaSet": return describeReplicaSet(sim, o as ReplicaSet);
    case "Namespace": return describeNamespace(sim, o);
    case "ConfigMap": return describeConfigMap(sim, o);
    default: return describeGeneric(sim, o);
  }
}

export function runDescribe(sim: Simulation, args: ParsedArgs): CmdResult {
  if (!args.positional.length) throw new KubectlError("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.");
  const { requests } = parseResourceArgs(args.positional);
  const namespace = namespaceOf(args);
  const selector = selectorOf(args);
  const objs: KubeObject[] = [];
  const errors: string[] = [];
  for (const r of requests) {
    if (r.names.length) {
      for (const n of r.names) {
        const exact = sim.store.get(r.info.kind, r.info.namespaced ? namespace : undefined, n);
        if (exact) { objs.push(exact); continue; }
        // kubectl describe falls back to a name-prefix match
        const pref = sim.store.list(r.info.kind, r.info.namespaced ? { namespace } : {}).filter((o) => o.metadata.name.startsWith(n)).sort(byKey);
        if (pref.length) objs.push(...pref);
        else errors.push(`Error from server (NotFound): ${resourceString(r.info)} "${n}" not found`);
      }
    } else {
      const f = fetch(sim, r, { namespace, allNamespaces: args.bool("all-namespaces"), ...(selector ? { selector } : {}) });
      objs.push(...f.objects);
    }
  }
  const out = objs.map((o) => describeObject(sim, o)).join("\n\n");
  let err = apiWarnings(requests.map((r) => r.info.kind)) + errors.map((e) => e + "\n").join("");
  if (!objs.length && !errors.length) err += args.bool("all-namespaces") || requests.every((r) => !r.info.namespaced) ? "No resources found\n" : `No resources found in ${namespace} namespace.\n`;
  return { out, err, code: errors.length ? 1 : 0 };
}
