/**
 * Container logs as `kubectl logs` reads them. Throws with the API server's text when the pod/container is
 * unknown, not started, or has no previous instance, e.g.
 * `previous terminated container "c" in pod "p" not found`,
 * `a container name must be specified for pod p, choose one of: [a b]`.
 */
import type { Simulation } from "../simulation.ts";
import type { Pod } from "../api/types.ts";
import { ApiError, notFound } from "../api/errors.ts";
import { kubeletState } from "./kubelet.ts";

export interface LogOptions {
  container?: string;
  previous?: boolean;
  timestamps?: boolean;
  tail?: number;
}

/** RFC3339Nano as Go prints it (trailing zeros of the fraction trimmed). */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_m, f: string) => {
    const t = f.replace(/0+$/, "");
    return t ? `.${t}Z` : "Z";
  });
}

export function getLogs(sim: Simulation, namespace: string, podName: string, opts: LogOptions = {}): string {
  const pod = sim.store.get<Pod>("Pod", namespace, podName);
  if (!pod) throw notFound("pods", podName);
  const app = pod.spec.containers.map((c) => c.name);
  const init = (pod.spec.initContainers ?? []).map((c) => c.name);
  let name = opts.container;
  if (!name) {
    if (app.length === 1) name = app[0]!;
    else {
      throw new ApiError("BadRequest", `a container name must be specified for pod ${podName}, choose one of: [${app.join(" ")}]${init.length ? ` or one of the init containers: [${init.join(" ")}]` : ""}`);
    }
  }
  if (!app.includes(name) && !init.includes(name)) {
    throw new ApiError("BadRequest", `container ${name} is not valid for pod ${podName}`);
  }
  const rt = kubeletState(sim).pods.get(`${namespace}/${podName}`);
  const c = rt && rt.uid === pod.metadata.uid ? [...rt.app, ...rt.init].find((x) => x.name === name) : undefined;
  if (opts.previous) {
    if (!c || !c.prevLogs) throw new ApiError("BadRequest", `previous terminated container "${name}" in pod "${podName}" not found`);
    return format(c.prevLogs, opts);
  }
  if (!c || !c.everStarted) {
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const reason = statuses.find((s) => s.name === name)?.state?.waiting?.reason ?? (init.includes(name) ? "PodInitializing" : "ContainerCreating");
    throw new ApiError("BadRequest", `container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
  }
  return format(c.logs, opts);
}

/** Split output chunks into lines; a line carries the time of the chunk where it started. */
export function logLines(chunks: Array<{ t: number; text: string }>): Array<{ t: number; text: string }> {
  const out: Array<{ t: number; text: string }> = [];
  let cur = "", curT = -1;
  for (const ch of chunks) {
    const parts = ch.text.split("\n");
    for (let i = 0; i < parts.length; i++) {
      if (curT < 0) curT = ch.t;
      cur += parts[i];
      if (i < parts.length - 1) { out.push({ t: curT, text: cur }); cur = ""; curT = -1; }
    }
  }
  if (cur) out.push({ t: curT, text: cur });
  return out;
}

function format(chunks: Array<{ t: number; text: string }>, opts: LogOptions): string {
  let l = logLines(chunks);
  if (opts.tail !== undefined && opts.tail >= 0) l = l.slice(Math.max(0, l.length - opts.tail));
  return l.map((x) => (opts.timestamps ? `${rfc3339Nano(x.t)} ${x.text}` : x.text) + "\n").join("");
}
