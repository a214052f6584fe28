/** version, api-resources, cluster-info (logs: ./logs.ts). */
import { KINDS } from "../../api/kinds.ts";
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { formatTable } from "../printers/tabwriter.ts";
import { toJson, toYaml } from "../output.ts";
import type { CmdResult } from "../types.ts";

export const KUBE_VERSION = "v1.33.0";

export function runVersion(_sim: Simulation, args: ParsedArgs): CmdResult {
  const o = args.get("output");
  const client = { major: "1", minor: "33", gitVersion: KUBE_VERSION, gitCommit: "kubeplay", gitTreeState: "clean", buildDate: "2025-04-23T00:00:00Z", goVersion: "go1.24.2", compiler: "gc", platform: "js/wasm" };
  const server = { ...client, platform: "linux/amd64" };
  if (o === "json") return { out: toJson({ clientVersion: client, kustomizeVersion: "v5.6.0", serverVersion: server }), err: "", code: 0 };
  if (o === "yaml") return { out: toYaml({ clientVersion: client, kustomizeVersion: "v5.6.0", serverVersion: server }), err: "", code: 0 };
  if (args.bool("client")) return { out: `Client Version: ${KUBE_VERSION}\nKustomize Version: v5.6.0\n`, err: "", code: 0 };
  return { out: `Client Version: ${KUBE_VERSION}\nKustomize Version: v5.6.0\nServer Version: ${KUBE_VERSION}\n`, err: "", code: 0 };
}

export function runApiResources(_sim: Simulation, args: ParsedArgs): CmdResult {
  const groupOrder = ["", "apps", "batch"];
  const list = [...KINDS].sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) || (a.plural < b.plural ? -1 : 1));
  let rows = list;
  const nsFlag = args.get("namespaced");
  if (nsFlag !== undefined) rows = rows.filter((k) => String(k.namespaced) === nsFlag);
  if (args.get("api-group") !== undefined) rows = rows.filter((k) => k.group === args.get("api-group"));
  if (args.get("output") === "name") return { out: rows.map((k) => (k.group ? `${k.plural}.${k.group}` : k.plural) + "\n").join(""), err: "", code: 0 };
  const table = [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], ...rows.map((k) => [k.plural, k.shortNames.join(","), k.apiVersion, String(k.namespaced), k.kind])];
  if (args.bool("no-headers")) table.shift();
  return { out: formatTable(table), err: "", code: 0 };
}

export function runClusterInfo(): CmdResult {
  return {
    out: "Kubernetes control plane is running at https://127.0.0.1:6443\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    err: "", code: 0,
  };
}
