/** The kubectl verbs (everything but rollout/set, which live in ./rollout.ts). */
import type { FlagSpec } from "../args.ts";
import type { VerbDef } from "../types.ts";
import { getVerb, OUTPUT_FLAGS } from "./get.ts";
import { runApply } from "./apply.ts";
import { runCreate, runRun } from "./create.ts";
import { runDelete } from "./delete.ts";
import { runCordon, runDrain, runLabelOrAnnotate, runPatch, runScale, runTaint } from "./mutate.ts";
import { runApiResources, runClusterInfo, runVersion } from "./misc.ts";
import { runLogs } from "./logs.ts";
import { runDescribe } from "./describe.ts";
import { runExplain } from "./explain.ts";

const FILE: FlagSpec = { name: "filename", short: "f", type: "stringArray" };
const SELECTOR: FlagSpec = { name: "selector", short: "l", type: "string" };
const ALL_NS: FlagSpec = { name: "all-namespaces", short: "A", type: "bool" };
const DRY_RUN: FlagSpec = { name: "dry-run", type: "string" };
const OUTPUT: FlagSpec = { name: "output", short: "o", type: "string" };
/** Deprecated since 1.23 but still accepted (apply, create…): sets kubernetes.io/change-cause. */
const RECORD: FlagSpec = { name: "record", type: "bool" };
const commonMutating: FlagSpec[] = [DRY_RUN, { name: "field-manager", type: "string" }, { name: "validate", type: "string" }];

export const verbs: VerbDef[] = [
  getVerb,
  {
    name: "apply",
    flags: [FILE, OUTPUT, ...commonMutating, { name: "server-side", type: "bool" }, { name: "force-conflicts", type: "bool" }, { name: "prune", type: "bool" }, { name: "recursive", short: "R", type: "bool" }, { name: "wait", type: "bool" }, RECORD],
    run: (sim, args, stdin) => runApply(sim, args, stdin, "apply"),
  },
  {
    name: "create",
    flags: [FILE, OUTPUT, ...commonMutating, { name: "save-config", type: "bool" }, { name: "image", type: "stringArray" }, { name: "replicas", short: "r", type: "int" },
      { name: "port", type: "int" }, { name: "from", type: "string" }, { name: "from-literal", type: "stringArray" }, { name: "from-file", type: "stringArray" },
      { name: "from-env-file", type: "stringArray" }, { name: "type", type: "string" }, RECORD],
    run: (sim, args, stdin) => runCreate(sim, args, stdin),
  },
  {
    name: "run",
    flags: [OUTPUT, DRY_RUN, { name: "image", type: "string" }, { name: "port", type: "int" }, { name: "labels", short: "l", type: "string" },
      { name: "env", type: "stringArray" }, { name: "restart", type: "string" }, { name: "command", type: "bool" }, { name: "stdin", short: "i", type: "bool" },
      { name: "tty", short: "t", type: "bool" }, { name: "attach", type: "bool" }, { name: "rm", type: "bool" }, { name: "image-pull-policy", type: "string" }],
    run: (sim, args) => runRun(sim, args),
  },
  {
    name: "delete",
    flags: [FILE, SELECTOR, ALL_NS, DRY_RUN, { name: "all", type: "bool" }, { name: "cascade", type: "string" }, { name: "grace-period", type: "int" }, { name: "force", type: "bool" },
      { name: "now", type: "bool" }, { name: "wait", type: "bool" }, { name: "timeout", type: "string" }, { name: "ignore-not-found", type: "bool" }, { name: "field-selector", type: "string" },
      { name: "output", short: "o", type: "string" }],
    run: (sim, args, stdin) => runDelete(sim, args, stdin),
  },
  {
    name: "describe",
    flags: [SELECTOR, ALL_NS, FILE, { name: "show-events", type: "bool" }, { name: "chunk-size", type: "int" }],
    run: (sim, args) => runDescribe(sim, args),
  },
  {
    name: "logs",
    flags: [{ name: "container", short: "c", type: "string" }, { name: "previous", short: "p", type: "bool" }, { name: "tail", type: "int" }, { name: "timestamps", type: "bool" },
      { name: "follow", short: "f", type: "bool" }, { name: "all-containers", type: "bool" }, { name: "since", type: "string" }, SELECTOR,
      { name: "prefix", type: "bool" }, { name: "max-log-requests", type: "int" }, { name: "ignore-errors", type: "bool" }, { name: "limit-bytes", type: "int" },
      { name: "pod-running-timeout", type: "string" }, { name: "since-time", type: "string" }],
    run: (sim, args) => runLogs(sim, args),
  },
  ...(["label", "annotate"] as const).map((name): VerbDef => ({
    name,
    flags: [SELECTOR, ALL_NS, DRY_RUN, { name: "overwrite", type: "bool" }, { name: "all", type: "bool" }, { name: "output", short: "o", type: "string" }, { name: "list", type: "bool" }],
    run: (sim, args) => runLabelOrAnnotate(sim, args, name === "label" ? "labels" : "annotations"),
  })),
  { name: "taint", flags: [SELECTOR, DRY_RUN, { name: "overwrite", type: "bool" }, { name: "all", type: "bool" }], run: (sim, args) => runTaint(sim, args) },
  { name: "cordon", flags: [SELECTOR, DRY_RUN], run: (sim, args) => runCordon(sim, args, true) },
  { name: "uncordon", flags: [SELECTOR, DRY_RUN], run: (sim, args) => runCordon(sim, args, false) },
  {
    name: "drain",
    flags: [SELECTOR, DRY_RUN, { name: "ignore-daemonsets", type: "bool" }, { name: "force", type: "bool" }, { name: "delete-emptydir-data", type: "bool" },
      { name: "delete-local-data", type: "bool" }, { name: "grace-period", type: "int" }, { name: "timeout", type: "string" }, { name: "disable-eviction", type: "bool" },
      { name: "skip-wait-for-delete-timeout", type: "int" }, { name: "pod-selector", type: "string" }],
    run: (sim, args) => runDrain(sim, args),
  },
  {
    name: "scale",
    flags: [SELECTOR, FILE, DRY_RUN, { name: "replicas", type: "int" }, { name: "current-replicas", type: "int" }, { name: "all", type: "bool" }, { name: "timeout", type: "string" }, RECORD],
    run: (sim, args) => runScale(sim, args),
  },
  {
    name: "patch",
    flags: [FILE, DRY_RUN, { name: "patch", short: "p", type: "string" }, { name: "type", type: "string" }, { name: "subresource", type: "string" }, { name: "output", short: "o", type: "string" }, RECORD],
    run: (sim, args) => runPatch(sim, args),
  },
  { name: "explain", flags: [{ name: "recursive", type: "bool" }, { name: "api-version", type: "string" }, { name: "output", short: "o", type: "string" }], run: (sim, args) => runExplain(sim, args) },
  { name: "version", flags: [{ name: "client", type: "bool" }, { name: "output", short: "o", type: "string" }], run: (sim, args) => runVersion(sim, args) },
  {
    name: "api-resources",
    flags: [{ name: "namespaced", type: "string" }, { name: "api-group", type: "string" }, { name: "output", short: "o", type: "string" }, { name: "no-headers", type: "bool" }, { name: "verbs", type: "stringArray" }, { name: "sort-by", type: "string" }],
    run: (sim, args) => runApiResources(sim, args),
  },
  { name: "cluster-info", flags: [], run: () => runClusterInfo() },
];

export { OUTPUT_FLAGS };
