/**
 * `kubectl logs` (kubectl/pkg/cmd/logs, polymorphichelpers/logsforobject.go): one pod, TYPE/NAME (first
 * pod, "Found N pods, using pod/X"), or `-l selector` (every matching pod; tail defaults to 10),
 * `-c`/inline container, `--all-containers` (init containers, then app containers), `--prefix`
 * (`[pod/NAME/CONTAINER] ` on each line), `--max-log-requests` (default 5, only with -f), `--ignore-errors`.
 *
 * Upstream keeps the requests in a Go map, so with several pods/containers the real order is unspecified;
 * here it is the API's name order, then init before app containers.
 */
import type { Pod } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";
import { getLogs } from "../../kubelet/logs.ts";
import type { ParsedArgs } from "../args.ts";
import { byKey, KubectlError, namespaceOf, resolveType, selectorOf } from "../resources.ts";
import type { CmdResult } from "../types.ts";
import { fromLabelSelector } from "../../api/labels.ts";

const USAGE = "See 'kubectl logs -h' for help and examples";
const SELECTOR_TAIL = 10;

/** podcmd.AllContainerNames: `a, b, init (init)`. */
function allContainerNames(p: Pod): string {
  return [...p.spec.containers.map((c) => c.name), ...(p.spec.initContainers ?? []).map((c) => `${c.name} (init)`)].join(", ");
}

interface LogRequest { pod: Pod; container: string }

/** logsForObjectWithClient for one pod: its requests, and the notices printed to stderr while building them. */
function requestsForPod(p: Pod, container: string | undefined, allContainers: boolean): { reqs: LogRequest[]; notice: string } {
  if (allContainers) {
    return { reqs: [...(p.spec.initContainers ?? []), ...p.spec.containers].map((c) => ({ pod: p, container: c.name })), notice: "" };
  }
  let notice = "";
  let name = container;
  if (!name) {
    const def = p.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    if (def) {
      if ([...p.spec.containers, ...(p.spec.initContainers ?? [])].some((c) => c.name === def)) name = def;
      else notice += `Default container name "${def}" not found in pod ${p.metadata.name}\n`;
    }
  }
  if (!name) {
    name = p.spec.containers[0]!.name;
    if (p.spec.containers.length > 1 || (p.spec.initContainers ?? []).length > 0) notice += `Defaulted container "${name}" out of: ${allContainerNames(p)}\n`;
  }
  if (![...p.spec.containers, ...(p.spec.initContainers ?? [])].some((c) => c.name === name)) {
    throw new KubectlError(`error: container ${name} is not valid for pod ${p.metadata.name}`);
  }
  return { reqs: [{ pod: p, container: name }], notice };
}

function logError(e: unknown): string {
  const m = (e as Error).message;
  if (/^(error: |Error from server)/.test(m)) return m;
  if (/^(previous terminated container|container ".*" in pod ".*" is (waiting|terminated))/.test(m)) return `Error from server (BadRequest): ${m}`;
  return `error: ${m}`;
}

export function runLogs(sim: Simulation, args: ParsedArgs): CmdResult {
  const pos = args.positional;
  const selector = args.get("selector");
  if (!pos.length && !selector) throw new KubectlError(`error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\n${USAGE}`);
  if (pos.length === 1 && selector) throw new KubectlError(`error: only a selector (-l) or a POD name is allowed\n${USAGE}`);
  if (pos.length > 2) throw new KubectlError(`error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\n${USAGE}`);
  const ns = namespaceOf(args);
  const allContainers = args.bool("all-containers");
  const container = args.get("container") ?? pos[1];
  if (allContainers && container) throw new KubectlError(`error: --all-containers=true should not be specified with container name ${container}`);
  if (args.has("container") && pos.length === 2) throw new KubectlError("error: only one of -c or an inline [CONTAINER] arg is allowed");
  const tailFlag = args.get("tail");
  const tail = tailFlag !== undefined ? Number(tailFlag) : selector ? SELECTOR_TAIL : -1;
  if (tail < -1) throw new KubectlError("error: --tail must be greater than or equal to -1");

  let notices = "";
  let pods: Pod[];
  if (selector) {
    const sel = selectorOf(args)!;
    pods = sim.store.list<Pod>("Pod", { namespace: ns, selector: sel }).sort(byKey);
    if (!pods.length) return { out: "", err: `No resources found in ${ns} namespace.\n`, code: 0 };
  } else {
    let podName = pos[0]!;
    if (podName.includes("/")) {
      const [t, n] = [podName.slice(0, podName.indexOf("/")), podName.slice(podName.indexOf("/") + 1)];
      const info = resolveType(t);
      if (info.kind !== "Pod") {
        const owner = sim.store.get(info.kind, ns, n);
        if (!owner) throw new KubectlError(`Error from server (NotFound): ${info.group ? `${info.plural}.${info.group}` : info.plural} "${n}" not found`);
        const sel = fromLabelSelector(owner.spec?.selector ?? (info.kind === "Job" ? { matchLabels: { "batch.kubernetes.io/controller-uid": owner.metadata.uid } } : undefined));
        const found = sim.store.list<Pod>("Pod", { namespace: ns, selector: sel }).sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp > b.metadata.creationTimestamp ? 1 : a.metadata.name < b.metadata.name ? -1 : 1));
        if (!found.length) throw new KubectlError(`error: timed out waiting for the condition`);
        if (found.length > 1) notices += `Found ${found.length} pods, using pod/${found[0]!.metadata.name}\n`;
        podName = found[0]!.metadata.name;
      } else podName = n!;
    }
    const pod = sim.store.get<Pod>("Pod", ns, podName);
    if (!pod) throw new KubectlError(`Error from server (NotFound): pods "${podName}" not found`);
    pods = [pod];
  }

  // LogsForObject: build every request first (notices go out as they are built)
  const reqs: LogRequest[] = [];
  for (const p of pods) {
    try {
      const r = requestsForPod(p, container, allContainers);
      notices += r.notice;
      reqs.push(...r.reqs);
    } catch (e) {
      return { out: notices, err: logError(e) + "\n", code: 1 };
    }
  }
  const max = args.get("max-log-requests") !== undefined ? Number(args.get("max-log-requests")) : 5;
  if (args.bool("follow") && reqs.length > 1 && reqs.length > max) {
    return { out: notices, err: `error: you are attempting to follow ${reqs.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit\n`, code: 1 };
  }
  // sequentialConsumeRequest (a script cannot wait, so -f prints what there is, as the first read would)
  let out = notices;
  const prefix = args.bool("prefix");
  for (const r of reqs) {
    try {
      const text = getLogs(sim, ns, r.pod.metadata.name, {
        container: r.container,
        ...(args.bool("previous") ? { previous: true } : {}),
        ...(args.bool("timestamps") ? { timestamps: true } : {}),
        ...(tail >= 0 ? { tail } : {}),
      });
      out += prefix ? text.replace(/^(?=.)/gms, `[pod/${r.pod.metadata.name}/${r.container}] `) : text;
    } catch (e) {
      if (!args.bool("ignore-errors")) return { out, err: logError(e) + "\n", code: 1 };
      out += logError(e).replace(/^(?!error: )/, "error: ") + "\n";
    }
  }
  return { out, err: "", code: 0 };
}
