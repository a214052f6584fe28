/** `kubectl create -f` and the generators: namespace, configmap, secret generic, deployment, job (--from=cronjob/X). */
import type { KubeObject } from "../../api/types.ts";
import { typedName, KINDS } from "../../api/kinds.ts";
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { KubectlError, namespaceOf } from "../resources.ts";
import type { CmdResult } from "../types.ts";
import { runApply } from "./apply.ts";
import { withSource } from "./common.ts";
import { parseOutput } from "./get.ts";
import { objectName, toJson, toYaml } from "../output.ts";

/** `nginx:1.25` → `nginx`; `registry.k8s.io/pause:3.9` → `pause` (kubectl create deployment's container name). */
export function containerNameFromImage(image: string): string {
  let n = image.split("@")[0]!;
  n = n.slice(n.lastIndexOf("/") + 1);
  const c = n.indexOf(":");
  if (c >= 0) n = n.slice(0, c);
  return n.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** `k=v` → [k, v] (the key non-empty), else undefined. */
function keyValue(s: string): [string, string] | undefined {
  const i = s.indexOf("=");
  return i > 0 ? [s.slice(0, i), s.slice(i + 1)] : undefined;
}

function literals(args: ParsedArgs, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of args.all("from-literal")) {
    const kv = keyValue(l);
    if (!kv) throw new KubectlError(`error: invalid literal source ${l}, expected key=value`);
    const [k, v] = kv;
    if (k in out) throw new KubectlError(`error: cannot add key ${k}, another key by that name already exists in ${what}`);
    out[k] = v;
  }
  if (args.has("from-file") || args.has("from-env-file")) throw new KubectlError("error: --from-file is not available in kubeplay (no files); use --from-literal");
  return out;
}

function dryRun(args: ParsedArgs): "none" | "client" | "server" {
  const d = args.get("dry-run");
  if (d === undefined || d === "none") return "none";
  if (d === "client" || d === "server") return d;
  throw new KubectlError(`error: Invalid dry-run value (${d}). Must be "none", "server", or "client".`);
}

/** Client-side object as kubectl prints it for `--dry-run=client -o yaml` (creationTimestamp: null, status: {}). */
function withClientShape(o: KubeObject): KubeObject {
  const c = JSON.parse(JSON.stringify(o)) as KubeObject;
  c.metadata = Object.assign({ creationTimestamp: null }, c.metadata) as unknown as KubeObject["metadata"];
  if (c.spec?.template?.metadata) c.spec.template.metadata = { creationTimestamp: null, ...c.spec.template.metadata };
  if (c.spec?.jobTemplate?.spec?.template?.metadata) c.spec.jobTemplate.spec.template.metadata = { creationTimestamp: null, ...c.spec.jobTemplate.spec.template.metadata };
  if (c.kind !== "Namespace" && c.kind !== "ConfigMap" && c.kind !== "Secret") c.status = {};
  if (c.kind === "Namespace") { c.spec = {}; c.status = {}; }
  return c;
}

function emit(sim: Simulation, args: ParsedArgs, obj: KubeObject, failPrefix = ""): CmdResult {
  const info = KINDS.find((k) => k.kind === obj.kind)!;
  const mode = dryRun(args);
  // kubectl builds its printer before it sends anything: a bad -o fails with nothing created.
  if (args.get("output")) parseOutput(args.get("output")!);
  const print = (o: KubeObject, suffix: string): string => {
    const out = args.get("output");
    if (out) {
      const spec = parseOutput(out);
      if (spec.kind === "yaml") return toYaml(o);
      if (spec.kind === "json") return toJson(o);
      if (spec.kind === "name") return objectName(o) + "\n";
    }
    return `${typedName(info, o.metadata.name)} created${suffix}\n`;
  };
  if (mode === "client") return { out: print(withClientShape(obj), " (dry run)"), err: "", code: 0 };
  try {
    if (mode === "server") return { out: print(obj, " (server dry run)"), err: "", code: 0 };
    const created = sim.store.create(obj);
    return { out: print(created, ""), err: "", code: 0 };
  } catch (e) {
    const msg = withSource(e, "creating", "STDIN").replace(/error when creating "STDIN": /, "");
    return { out: "", err: (failPrefix ? `error: ${failPrefix}: ${msg.replace(/^Error from server \(\w+\): /, "")}` : msg) + "\n", code: 1 };
  }
}

export function runCreate(sim: Simulation, args: ParsedArgs, stdin: string | undefined): CmdResult {
  if (args.has("filename")) return runApply(sim, args, stdin, "create");
  const [sub, ...rest] = args.positional;
  // kubectl sets metadata.namespace on generated objects only when -n is given (EnforceNamespace)
  const ns = args.get("namespace") ? namespaceOf(args) : undefined;
  const name = rest[0];
  const needName = () => { if (!name) throw new KubectlError(`error: exactly one NAME is required, got 0\nSee 'kubectl create ${sub} -h' for help and examples`); return name; };
  switch (sub) {
    case undefined:
      throw new KubectlError("error: must specify one of -f and -k");
    case "namespace": case "ns":
      return emit(sim, args, { apiVersion: "v1", kind: "Namespace", metadata: { name: needName() } as KubeObject["metadata"] });
    case "configmap": case "cm": {
      const data = literals(args, "config map");
      return emit(sim, args, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: needName(), ...(ns ? { namespace: ns } : {}) } as KubeObject["metadata"], ...(Object.keys(data).length ? { data } : {}) }, "failed to create configmap");
    }
    case "secret": {
      if (rest[0] !== "generic") throw new KubectlError(`error: kubeplay supports "kubectl create secret generic NAME --from-literal=k=v"`);
      const n = rest[1];
      if (!n) throw new KubectlError("error: exactly one NAME is required, got 0");
      const lit = literals(args, "secret");
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(lit)) data[k] = base64(v);
      return emit(sim, args, { apiVersion: "v1", kind: "Secret", metadata: { name: n, ...(ns ? { namespace: ns } : {}) } as KubeObject["metadata"], ...(Object.keys(data).length ? { data } : {}), type: args.get("type") ?? "Opaque" }, "failed to create secret");
    }
    case "deployment": case "deploy": {
      const n = needName();
      const images = args.all("image");
      if (!images.length) throw new KubectlError(`error: required flag(s) "image" not set`);
      const command = rest.slice(1);
      if (command.length && images.length > 1) throw new KubectlError("error: cannot specify multiple --image options and command");
      const labels = { app: n };
      const port = args.get("port");
      const containers = images.map((image) => ({
        ...(command.length ? { command } : {}),
        image, name: containerNameFromImage(image),
        ...(port !== undefined && Number(port) >= 0 ? { ports: [{ containerPort: Number(port) }] } : {}),
        resources: {},
      }));
      const replicas = args.get("replicas") !== undefined ? Number(args.get("replicas")) : 1;
      return emit(sim, args, {
        apiVersion: "apps/v1", kind: "Deployment", metadata: { labels, name: n, ...(ns ? { namespace: ns } : {}) } as unknown as KubeObject["metadata"],
        spec: { replicas, selector: { matchLabels: labels }, strategy: {}, template: { metadata: { labels }, spec: { containers } } },
      });
    }
    case "job": {
      const n = needName();
      const from = args.get("from");
      if (from) {
        const m = /^(cronjob|cronjobs|cj|cronjob\.batch|cronjobs\.batch)\/(.+)$/.exec(from);
        if (!m) throw new KubectlError(`error: from must be an existing cronjob`);
        const cj = sim.store.get("CronJob", namespaceOf(args), m[2]!);
        if (!cj) throw new KubectlError(`Error from server (NotFound): cronjobs.batch "${m[2]}" not found`);
        const jt = cj.spec?.jobTemplate ?? {};
        const annotations: Record<string, string> = { "cronjob.kubernetes.io/instantiate": "manual", ...(jt.metadata?.annotations ?? {}) };
        return emit(sim, args, {
          apiVersion: "batch/v1", kind: "Job",
          metadata: {
            annotations, ...(jt.metadata?.labels ? { labels: jt.metadata.labels } : {}), name: n, ...(ns ? { namespace: ns } : {}),
            ownerReferences: [{ apiVersion: "batch/v1", controller: true, kind: "CronJob", name: cj.metadata.name, uid: cj.metadata.uid }],
          } as unknown as KubeObject["metadata"],
          spec: JSON.parse(JSON.stringify(jt.spec ?? {})),
        });
      }
      const image = args.get("image");
      if (!image) throw new KubectlError("error: either --image or --from must be specified");
      const command = rest.slice(1);
      return emit(sim, args, {
        apiVersion: "batch/v1", kind: "Job", metadata: { name: n, ...(ns ? { namespace: ns } : {}) } as KubeObject["metadata"],
        spec: { template: { metadata: {}, spec: { containers: [{ ...(command.length ? { command } : {}), image, name: n, resources: {} }], restartPolicy: "Never" } } },
      });
    }
    default:
      throw new KubectlError(`error: unknown command "${sub}" for "kubectl create"`);
  }
}

/**
 * `kubectl run NAME --image=IMAGE [--port=N] [--labels=k=v,…] [--env=K=V]… [--restart=Always|OnFailure|Never]
 * [--command] [-- ARG…]`: one Pod, labelled run=NAME, container named NAME (kubectl's generator since 1.18).
 */
export function runRun(sim: Simulation, args: ParsedArgs): CmdResult {
  const [name, ...rest] = args.positional;
  if (!name) throw new KubectlError("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  const image = args.get("image");
  if (!image) throw new KubectlError(`error: required flag(s) "image" not set`);
  if (args.bool("stdin") || args.bool("tty") || args.bool("attach")) {
    throw new KubectlError("error: kubeplay has no terminal to attach to; run the pod without -i/-t/--attach and read its output with kubectl logs");
  }
  if (args.bool("rm")) throw new KubectlError("error: --rm should only be used for attached containers");
  const restart = args.get("restart") ?? "Always";
  if (!["Always", "OnFailure", "Never"].includes(restart)) throw new KubectlError(`error: invalid restart policy: ${restart}`);
  let labels: Record<string, string> = { run: name };
  const l = args.get("labels");
  if (l !== undefined) {
    labels = {};
    for (const spec of l.split(",")) {
      const kv = keyValue(spec);
      if (!kv) throw new KubectlError(`error: invalid label spec: ${spec}`);
      labels[kv[0]] = kv[1];
    }
  }
  const env = args.all("env").map((spec) => {
    const kv = keyValue(spec);
    if (!kv) throw new KubectlError(`error: invalid env: ${spec}`);
    return { name: kv[0], value: kv[1] };
  });
  const port = args.get("port");
  const container: Record<string, unknown> = {
    ...(rest.length ? { [args.bool("command") ? "command" : "args"]: rest } : {}),
    ...(env.length ? { env } : {}),
    image, name,
    ...(port !== undefined && Number(port) > 0 ? { ports: [{ containerPort: Number(port) }] } : {}),
    resources: {},
  };
  const ns = args.get("namespace") ? namespaceOf(args) : undefined;
  return emit(sim, args, {
    apiVersion: "v1", kind: "Pod", metadata: { labels, name, ...(ns ? { namespace: ns } : {}) } as unknown as KubeObject["metadata"],
    spec: { containers: [container], dnsPolicy: "ClusterFirst", restartPolicy: restart },
  });
}
