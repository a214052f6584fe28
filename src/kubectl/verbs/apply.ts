/** `kubectl apply -f` / `kubectl create -f`: per-document create or three-way-merge update. */
import { ApiError } from "../../api/errors.ts";
import { clone } from "../../api/store.ts";
import { resourceString, typedName, type KindInfo } from "../../api/kinds.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { checkTypeMeta, mapKind, parseManifests, strictDecode } from "../manifest.ts";
import { sortKeys, toJson, toYaml, objectName } from "../output.ts";
import { threeWayMerge } from "../patch.ts";
import { KubectlError } from "../resources.ts";
import type { CmdResult } from "../types.ts";
import { withSource } from "./common.ts";
import { parseOutput } from "./get.ts";
import { changeCause } from "./rollout.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const CHANGE_CAUSE = "kubernetes.io/change-cause";
/** pflag's notice for the deprecated `--record` flag (printed to stderr when the flag is given). */
export const RECORD_DEPRECATED = "Flag --record has been deprecated, --record will be removed in the future\n";

function withChangeCause(obj: KubeObject, cause: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [CHANGE_CAUSE]: cause } } };
}

export interface ManifestObject {
  info: KindInfo;
  obj: KubeObject;
}

/** Read `-f` input into objects, collecting per-document errors (a YAML error ends the stream). */
export function readObjects(text: string, namespaceFlag: string | undefined, source: string): { objects: ManifestObject[]; errors: string[] } {
  const parsed = parseManifests(text, source);
  const objects: ManifestObject[] = [];
  const errors: string[] = [];
  for (const d of parsed.docs) {
    const tm = checkTypeMeta(d.obj, source);
    if (tm) { errors.push(tm); continue; }
    const m = mapKind(d.obj, source);
    if (!m.info) { errors.push(m.error!); continue; }
    const obj = clone(d.obj) as unknown as KubeObject;
    obj.metadata = { ...((obj.metadata ?? {}) as object) } as KubeObject["metadata"];
    // unstructured accessors (GetName/GetNamespace) read a non-string value as "" (was "[object Object]")
    for (const f of ["name", "namespace"] as const) if (obj.metadata[f] !== undefined && typeof obj.metadata[f] !== "string") obj.metadata[f] = "";
    if (m.info.namespaced) {
      const ns = obj.metadata.namespace;
      if (ns && namespaceFlag && ns !== namespaceFlag) {
        errors.push(`error: the namespace from the provided object "${ns}" does not match the namespace "${namespaceFlag}". You must pass '--namespace=${ns}' to perform this operation.`);
        continue;
      }
      obj.metadata.namespace = ns || namespaceFlag || "default";
    } else delete obj.metadata.namespace;
    objects.push({ info: m.info, obj });
  }
  if (parsed.error) errors.push(parsed.error);
  if (!parsed.docs.length && !parsed.error && !errors.length) errors.push("error: no objects passed to apply");
  return { objects, errors };
}

function stdinText(args: ParsedArgs, stdin: string | undefined, readFile?: (path: string) => string): { text: string; source: string } {
  const files = args.all("filename");
  if (!files.length) throw new KubectlError("error: must specify one of -f and -k");
  let text = "";
  let source = "STDIN";
  for (const f of files) {
    if (f === "-") {
      if (stdin === undefined) throw new KubectlError("error: no objects passed to apply (give the manifest as a heredoc: -f - <<EOF … EOF)");
      text += (text ? "\n---\n" : "") + stdin;
    } else {
      if (!readFile) throw new KubectlError(`error: the path "${f}" does not exist (in kubeplay, pass manifests with -f - <<EOF … EOF)`);
      try { text += (text ? "\n---\n" : "") + readFile(f); } catch { throw new KubectlError(`error: the path "${f}" does not exist`); }
      source = f;
    }
  }
  return { text, source };
}

/** Host hook: the CLI may let `-f FILE` read real files (the browser has none). */
export const fileReader: { read?: (path: string) => string } = {};

function lastAppliedOf(obj: KubeObject): string {
  const copy = clone(obj);
  const annots = { ...(copy.metadata.annotations ?? {}) };
  delete annots[LAST_APPLIED];
  copy.metadata.annotations = annots;
  return JSON.stringify(sortKeys(copy)) + "\n";
}

function strictError(info: KindInfo, obj: KubeObject, verb: string, source: string): string | undefined {
  const e = strictDecode(obj as unknown as Record<string, unknown>, info.kind);
  if (!e) return undefined;
  const version = info.apiVersion.includes("/") ? info.apiVersion.split("/")[1] : info.apiVersion;
  return `Error from server (BadRequest): error when ${verb} "${source}": ${info.kind} in version "${version}" cannot be handled as a ${info.kind}: ${e}`;
}

function dryRunMode(args: ParsedArgs): "none" | "client" | "server" {
  const d = args.get("dry-run");
  if (d === undefined || d === "none" || d === "false") return "none";
  if (d === "client" || d === "true" || d === "") return "client";
  if (d === "server") return "server";
  throw new KubectlError(`error: Invalid dry-run value (${d}). Must be "none", "server", or "client".`);
}

function suffix(mode: "none" | "client" | "server"): string {
  return mode === "client" ? " (dry run)" : mode === "server" ? " (server dry run)" : "";
}

function printed(args: ParsedArgs, obj: KubeObject, fallback: string): string {
  const o = args.get("output");
  if (!o) return fallback + "\n";
  const spec = parseOutput(o);
  if (spec.kind === "yaml") return toYaml(obj);
  if (spec.kind === "json") return toJson(obj);
  if (spec.kind === "name") return objectName(obj) + "\n";
  return fallback + "\n";
}

export function runApply(sim: Simulation, args: ParsedArgs, stdin: string | undefined, mode: "apply" | "create"): CmdResult {
  const { text, source } = stdinText(args, stdin, fileReader.read);
  const { objects, errors } = readObjects(text, args.get("namespace"), source);
  const dry = dryRunMode(args);
  let out = "";
  let warn = args.has("record") ? RECORD_DEPRECATED : "";
  const cause = args.bool("record") ? changeCause(mode, args) : undefined;
  const failures: string[] = [];
  for (const item of objects) {
    const info = item.info;
    // apply records first (Recorder.Record on the manifest, so last-applied carries the cause);
    // create records after the save-config annotation.
    const obj = cause !== undefined && mode === "apply" ? withChangeCause(item.obj, cause) : item.obj;
    const name = obj.metadata.name;
    const tn = typedName(info, name ?? "");
    const live = name ? sim.store.get(info.kind, obj.metadata.namespace, name) : undefined;
    if (mode === "apply" && !name) {
      failures.push(`error: error when retrieving current configuration of:\nResource: "${info.group ? info.group + "/" : ""}${info.apiVersion.split("/").at(-1)}, Resource=${info.plural}", GroupVersionKind: "${info.apiVersion.includes("/") ? info.apiVersion : "/" + info.apiVersion}, Kind=${info.kind}"\nName: "", Namespace: "${obj.metadata.namespace ?? ""}"\nfrom server for: "${source}": resource name may not be empty`);
      continue;
    }
    if (!live || mode === "create") {
      if (mode === "create" && live) {
        failures.push(`Error from server (AlreadyExists): error when creating "${source}": ${resourceString(info)} "${name}" already exists`);
        continue;
      }
      const desired = clone(obj);
      if (mode === "apply" || args.bool("save-config")) {
        desired.metadata.annotations = { ...(desired.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedOf(obj) };
      }
      if (cause !== undefined && mode === "create") desired.metadata.annotations = { ...(desired.metadata.annotations ?? {}), [CHANGE_CAUSE]: cause };
      const se = strictError(info, desired, "creating", source);
      if (se) { failures.push(se); continue; }
      if (dry === "client") { out += printed(args, desired, `${tn} created${suffix(dry)}`); continue; }
      try {
        const created = dry === "server" ? desired : sim.store.create(desired);
        out += printed(args, created, `${typedName(info, created.metadata.name)} created${suffix(dry)}`);
      } catch (e) {
        failures.push(withSource(e, "creating", source));
      }
      continue;
    }
    // update: three-way merge of live, last-applied and the manifest
    const lastText = live.metadata.annotations?.[LAST_APPLIED];
    if (lastText === undefined) {
      warn += `Warning: resource ${info.plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`;
    }
    let last: unknown = {};
    try { last = lastText ? JSON.parse(lastText) : {}; } catch { last = {}; }
    const desired = clone(obj);
    desired.metadata.annotations = { ...(desired.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedOf(obj) };
    const se = strictError(info, desired, "patching", source);
    if (se) { failures.push(se); continue; }
    const base = clone(live) as KubeObject;
    const lastObj = (last ?? {}) as Record<string, unknown>;
    const lastNoStatus = { ...lastObj };
    const desiredNoStatus: Record<string, unknown> = { ...desired };
    delete desiredNoStatus.status;
    delete lastNoStatus.status;
    const merged = threeWayMerge(base, lastNoStatus, desiredNoStatus) as KubeObject;
    merged.status = live.status;
    if (live.status === undefined) delete merged.status;
    if (JSON.stringify(sortKeys(merged)) === JSON.stringify(sortKeys(live))) {
      out += printed(args, live, `${tn} unchanged${suffix(dry)}`);
      continue;
    }
    if (dry === "client") { out += printed(args, merged, `${tn} configured${suffix(dry)}`); continue; }
    try {
      const res = dry === "server" ? merged : sim.store.update(merged);
      out += printed(args, res, `${tn} configured${suffix(dry)}`);
    } catch (e) {
      if (e instanceof ApiError && e.reason === "Invalid") failures.push(withSource(e, "patching", source));
      else failures.push(withSource(e, "patching", source));
    }
  }
  const allErrs = [...errors, ...failures];
  return { out, err: warn + allErrs.map((e) => e + "\n").join(""), code: allErrs.length ? 1 : 0 };
}
