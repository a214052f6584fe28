/** version, api-resources, cluster-info, logs. */
import { KINDS } from "../../api/kinds.ts";
import type { Pod } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";
import { getLogs } from "../../kubelet/logs.ts";
import type { ParsedArgs } from "../args.ts";
import { formatTable } from "../printers/tabwriter.ts";
import { toJson, toYaml } from "../output.ts";
import { KubectlError, namespaceOf, resolveType } from "../resources.ts";
import type { CmdResult } from "../types.ts";
import { fromLabelSelector } from "../../api/labels.ts";

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

export function runLogs(sim: Simulation, args: ParsedArgs): CmdResult {
  const pos = args.positional;
  if (!pos.length) throw new KubectlError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
  const ns = namespaceOf(args);
  let podName = pos[0]!;
  let container = args.get("container") ?? pos[1];
  let err = "";
  if (podName.includes("/")) {
    const [t, n] = [podName.slice(0, podName.indexOf("/")), podName.slice(podName.indexOf("/") + 1)];
    const info = resolveType(t);
    if (info.kind !== "Pod") {
      const owner = sim.store.get(info.kind, ns, n);
      if (!owner) throw new KubectlError(`Error from server (NotFound): ${info.group ? `${info.plural}.${info.group}` : info.plural} "${n}" not found`);
      const sel = fromLabelSelector(owner.spec?.selector ?? (info.kind === "Job" ? { matchLabels: { "batch.kubernetes.io/controller-uid": owner.metadata.uid } } : undefined));
      const pods = sim.store.list<Pod>("Pod", { namespace: ns, selector: sel }).sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp > b.metadata.creationTimestamp ? 1 : a.metadata.name < b.metadata.name ? -1 : 1));
      if (!pods.length) throw new KubectlError(`error: timed out waiting for the condition`);
      if (pods.length > 1) err += `Found ${pods.length} pods, using pod/${pods[0]!.metadata.name}\n`;
      podName = pods[0]!.metadata.name;
    } else podName = n!;
  }
  const pod = sim.store.get<Pod>("Pod", ns, podName);
  if (!pod) throw new KubectlError(`Error from server (NotFound): pods "${podName}" not found`);
  if (!container && (pod.spec.containers ?? []).length > 1) {
    const def = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    container = def ?? pod.spec.containers[0]!.name;
    if (!def) {
      const names = [...pod.spec.containers.map((c) => c.name), ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`)];
      err += `Defaulted container "${container}" out of: ${names.join(", ")}\n`;
    }
  }
  const tail = args.get("tail");
  try {
    const text = getLogs(sim, ns, podName, {
      ...(container ? { container } : {}),
      ...(args.bool("previous") ? { previous: true } : {}),
      ...(args.bool("timestamps") ? { timestamps: true } : {}),
      ...(tail !== undefined && Number(tail) >= 0 ? { tail: Number(tail) } : {}),
    });
    // kubectl prints its notices (Defaulted container…, Found N pods…) before the logs; keep that order
    return { out: err + text, err: "", code: 0 };
  } catch (e) {
    const m = (e as Error).message;
    if (/^(error: |Error from server)/.test(m)) return { out: "", err: err + m + "\n", code: 1 };
    if (/^(previous terminated container|container ".*" in pod ".*" is (waiting|terminated))/.test(m)) return { out: "", err: `${err}Error from server (BadRequest): ${m}\n`, code: 1 };
    return { out: "", err: `${err}error: ${m}\n`, code: 1 };
  }
}
