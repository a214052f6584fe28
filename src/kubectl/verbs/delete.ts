/** `kubectl delete`: names, TYPE/NAME, -l, --all, -f -, --cascade, --grace-period, --force, --now, --wait. */
import { resourceString, type KindInfo } from "../../api/kinds.ts";
import type { PropagationPolicy } from "../../api/store.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";
import type { ParsedArgs } from "../args.ts";
import { fetch, KubectlError, namespaceOf, parseResourceArgs, selectorOf, fieldSelectorMatcher } from "../resources.ts";
import type { CmdResult } from "../types.ts";
import { readObjects, fileReader } from "./apply.ts";
import { errorString, waitFor } from "./common.ts";
import { parseGoDuration } from "../../util/time.ts";

/** How long `--wait` may run the virtual clock before giving up (kubectl itself would wait on). */
export const DELETE_WAIT_LIMIT_MS = 5 * 60_000;

function cascadeOf(args: ParsedArgs): { policy: PropagationPolicy; warning?: string } {
  const c = args.get("cascade");
  if (c === undefined || c === "background" || c === "true") {
    return { policy: "Background", ...(c === "true" ? { warning: "warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background." } : {}) };
  }
  if (c === "foreground") return { policy: "Foreground" };
  if (c === "orphan") return { policy: "Orphan" };
  if (c === "false") return { policy: "Orphan", warning: "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan." };
  throw new KubectlError(`error: invalid cascade value (${c}). Must be "background", "foreground", or "orphan".`);
}

export function runDelete(sim: Simulation, args: ParsedArgs, stdin: string | undefined): CmdResult {
  const { policy, warning } = cascadeOf(args);
  // Flags are checked before anything is sent (a bad --timeout deletes nothing).
  const timeoutMs = args.get("timeout") ? parseGoDuration(args.get("timeout")!) || DELETE_WAIT_LIMIT_MS : DELETE_WAIT_LIMIT_MS;
  let grace = args.get("grace-period") !== undefined ? Number(args.get("grace-period")) : -1;
  const force = args.bool("force");
  if (args.bool("now")) {
    if (grace !== -1) throw new KubectlError("error: --now and --grace-period cannot be specified together");
    grace = 1;
  }
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  const namespace = namespaceOf(args);
  const selector = selectorOf(args);
  const field = fieldSelectorMatcher(args.get("field-selector"));
  const all = args.bool("all");
  const targets: Array<{ info: KindInfo; obj?: KubeObject; name: string; ns?: string }> = [];
  const errors: string[] = [];
  if (args.has("filename")) {
    if (args.positional.length) throw new KubectlError("error: resource(s) were provided, but no name was specified");
    const files = args.all("filename");
    let text = "";
    for (const f of files) {
      if (f === "-") text += (text ? "\n---\n" : "") + (stdin ?? "");
      else if (fileReader.read) text += (text ? "\n---\n" : "") + fileReader.read(f);
      else throw new KubectlError(`error: the path "${f}" does not exist`);
    }
    const r = readObjects(text, args.get("namespace"), "STDIN");
    errors.push(...r.errors);
    for (const { info, obj } of r.objects) {
      // client-go refuses a DELETE with an empty name; kubectl adds the source (cmdutil.AddSourceToErr)
      if (!obj.metadata.name) { errors.push(`error: error when deleting "STDIN": resource name may not be empty`); continue; }
      targets.push({ info, name: obj.metadata.name, ...(info.namespaced ? { ns: obj.metadata.namespace! } : {}) });
    }
  } else {
    if (!args.positional.length) {
      throw new KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    const { requests, byName } = parseResourceArgs(args.positional);
    if (byName && (all || selector)) {
      throw new KubectlError(all ? "error: name cannot be provided when --all is specified" : "error: name cannot be provided when a selector is specified");
    }
    if (!byName && !all && !selector && !field) throw new KubectlError("error: resource(s) were provided, but no name was specified");
    for (const r of requests) {
      const f = fetch(sim, r, { namespace, allNamespaces: args.bool("all-namespaces"), ...(selector ? { selector } : {}), ...(field ? { field } : {}) });
      if (!args.bool("ignore-not-found")) errors.push(...f.errors);
      for (const o of f.objects) targets.push({ info: r.info, obj: o, name: o.metadata.name, ...(o.metadata.namespace ? { ns: o.metadata.namespace } : {}) });
    }
    if (!targets.length && !errors.length && !byName) {
      return { out: "", err: (warning ? warning + "\n" : "") + (args.bool("all-namespaces") || requests.every((r) => !r.info.namespaced) ? "No resources found\n" : `No resources found in ${namespace} namespace.\n`), code: 0 };
    }
  }
  let out = "";
  let err = warning ? warning + "\n" : "";
  if (force && grace === 0) err += "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";
  const deleted: Array<{ info: KindInfo; ns?: string; name: string; uid: string }> = [];
  for (const t of targets) {
    const cur = sim.store.get(t.info.kind, t.ns, t.name);
    if (!cur) {
      if (!args.bool("ignore-not-found")) errors.push(`Error from server (NotFound): ${resourceString(t.info)} "${t.name}" not found`);
      continue;
    }
    try {
      sim.store.delete(t.info.kind, t.ns, t.name, { propagationPolicy: policy, ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}) });
      out += `${t.info.group ? `${t.info.singular}.${t.info.group}` : t.info.singular} "${t.name}" ${force && grace === 0 ? "force deleted" : "deleted"}\n`;
      deleted.push({ info: t.info, name: t.name, uid: cur.metadata.uid, ...(t.ns ? { ns: t.ns } : {}) });
    } catch (e) {
      errors.push(errorString(e));
    }
  }
  const wait = args.get("wait") === undefined ? true : args.bool("wait");
  if (wait && deleted.length) {
    const timeout = timeoutMs;
    waitFor(sim, () => deleted.every((d) => sim.store.get(d.info.kind, d.ns, d.name)?.metadata.uid !== d.uid), timeout);
  }
  err += errors.map((e) => e + "\n").join("");
  return { out, err, code: errors.length ? 1 : 0 };
}
