/**
 * Fuzzing harness: generators for hostile inputs (YAML manifests, kubectl command lines, share links,
 * script text) and the oracles every input must satisfy:
 *  - nothing throws out of the public entry points (Session.exec, parseShareHash, parseScript → only ScriptError);
 *  - no engine-internal error (TypeError, RangeError…) even when Session.exec turned it into text;
 *  - no hang: each input finishes within WATCHDOG_MS of wall time (re-measured once to rule out a GC pause);
 *  - clear errors: a failure has a non-empty message that is not a stack trace, "[object Object]", or an
 *    "undefined"/"NaN" the input did not contain; stdout never shows "[object Object]";
 *  - nothing lost: a kubectl command that fails without printing anything leaves the store untouched.
 * Deterministic: inputs come from a seeded PRNG, so (target, seed, index) reproduces an input.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "fflate";
import { stringify } from "yaml";
import { Session } from "../../src/scenario/session.ts";
import { parseScript, ScriptError } from "../../src/scenario/script.ts";
import { encodeShare, parseShareHash, base64urlEncode } from "../../src/scenario/share.ts";
import type { CmdResult } from "../../src/kubectl/types.ts";

export const WATCHDOG_MS = 2000;
/** CPU allowed per pod an input creates, on top of WATCHDOG_MS. */
export const POD_BUDGET_MS = 1;

// ------------------------------------------------------------------ PRNG

export class Prng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0 || 1; }
  next(): number { // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(a: number, b: number): number { return a + this.int(b - a + 1); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
}

// ------------------------------------------------------------------ corpus

const ROOT = join(import.meta.dirname, "..", "..");

/** YAML documents from the seeds (heuristic block extraction), lessons and goldens (heredoc bodies). */
export function yamlCorpus(): string[] {
  const out: string[] = [];
  const seeds = "/work/shared/seeds";
  if (existsSync(seeds)) {
    for (const f of readdirSync(seeds).filter((f) => f.endsWith(".txt")).sort()) {
      const lines = readFileSync(join(seeds, f), "utf8").split("\n");
      for (let i = 0; i < lines.length; i++) {
        if (!/^\s*apiVersion:/.test(lines[i]!)) continue;
        const base = lines[i]!.match(/^\s*/)![0].length;
        const block: string[] = [];
        for (; i < lines.length; i++) {
          const l = lines[i]!;
          if (l.trim() === "") { block.push(""); continue; }
          const ind = l.match(/^\s*/)![0].length;
          if (ind < base || !/^\s*([-#]|[\w./"'-]+\s*:|---)/.test(l) && ind === base) break;
          block.push(l.slice(base));
        }
        if (block.length > 2) out.push(block.join("\n").trim() + "\n");
      }
    }
  }
  for (const dir of [join(ROOT, "public", "lessons"), join(ROOT, "tests", "engine", "golden")]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".kp")).sort()) {
      try {
        for (const c of parseScript(readFileSync(join(dir, f), "utf8"))) if (c.stdin && /apiVersion|kind:/.test(c.stdin)) out.push(c.stdin);
      } catch { /* a lesson that does not parse is someone else's test */ }
    }
  }
  return out;
}

/** Script lines (non-heredoc commands) from lessons and goldens: seeds for command-line mutation. */
export function commandCorpus(): string[] {
  const out: string[] = [];
  for (const dir of [join(ROOT, "public", "lessons"), join(ROOT, "tests", "engine", "golden")]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".kp")).sort()) {
      try { for (const c of parseScript(readFileSync(join(dir, f), "utf8"))) if (!c.stdin) out.push(c.line); } catch { /* ignore */ }
    }
  }
  return out;
}

export function scriptCorpus(): string[] {
  const out: string[] = [];
  for (const dir of [join(ROOT, "public", "lessons"), join(ROOT, "tests", "engine", "golden")]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".kp")).sort()) out.push(readFileSync(join(dir, f), "utf8"));
  }
  return out;
}

// ------------------------------------------------------------------ generators: YAML

const INTERESTING_SCALARS = [
  "-1", "0", "1", "3", "2147483648", "9007199254740993", "1e309", "-0", "0.5", "1_000", "0x1F", "0o17", ".inf", "-.inf", ".nan",
  "''", '""', "null", "~", "true", "false", "yes", "no", "on", "[]", "{}", "[1, 2]", "{a: b}", "'100%'", "'-5%'", "'abc%'", "50%",
  "*undefined_alias", "&a x", "!!binary aGVsbG8=", "!!str 5", "!!int '5'", "!custom x", "'\\u0000'", "\"\\ud800\"", "ü", "名前",
  "'a b c'", "\"multi\\nline\"", "|\n  block\n  text", ">-\n  folded", "2025-01-01T00:00:00Z", "1Gi", "100m", "-100m", "1e3", "1.5Ki",
  "Always", "Never", "OnFailure", "RollingUpdate", "Recreate", "OnDelete", "Forbid", "Replace", "Parallel", "Indexed", "NoExecute",
  "'*/1 * * * *'", "'@every 1s'", "'@reboot'", "'61 * * * *'", "'TZ=UTC * * * * *'", "constructor", "__proto__", "toString", "hasOwnProperty",
];
const KEYS = [
  "apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "generateName", "ownerReferences", "finalizers",
  "spec", "replicas", "selector", "matchLabels", "matchExpressions", "template", "containers", "image", "command", "args", "env",
  "resources", "requests", "limits", "cpu", "memory", "strategy", "rollingUpdate", "maxSurge", "maxUnavailable", "updateStrategy",
  "completions", "parallelism", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "suspend", "completionMode",
  "schedule", "concurrencyPolicy", "jobTemplate", "startingDeadlineSeconds", "timeZone", "successfulJobsHistoryLimit",
  "serviceName", "podManagementPolicy", "volumeClaimTemplates", "ordinals", "minReadySeconds", "revisionHistoryLimit", "paused",
  "nodeSelector", "nodeName", "tolerations", "affinity", "restartPolicy", "initContainers", "livenessProbe", "readinessProbe",
  "exec", "periodSeconds", "terminationGracePeriodSeconds", "hostNetwork", "ports", "containerPort", "hostPort", "volumes",
  "emptyDir", "volumeMounts", "mountPath", "podFailurePolicy", "rules", "action", "onExitCodes", "values", "operator", "key",
  "status", "phase", "data", "type", "__proto__", "constructor", "x-unknown", "",
];
const KINDS: Array<[string, string]> = [
  ["v1", "Pod"], ["apps/v1", "Deployment"], ["apps/v1", "ReplicaSet"], ["apps/v1", "DaemonSet"], ["apps/v1", "StatefulSet"],
  ["batch/v1", "Job"], ["batch/v1", "CronJob"], ["v1", "Service"], ["v1", "ConfigMap"], ["v1", "Namespace"], ["v1", "Node"],
  ["v1", "Secret"], ["v1", "PersistentVolumeClaim"], ["extensions/v1beta1", "DaemonSet"], ["batch/v1beta1", "CronJob"],
  ["apps/v1beta2", "Deployment"], ["v1", "Bogus"], ["example.com/v1", "Widget"], ["", ""], ["v2", "Pod"],
];

function randomValue(r: Prng, depth: number): unknown {
  const k = r.int(depth > 3 ? 4 : 8);
  switch (k) {
    case 0: return r.pick([0, 1, 2, 3, -1, 5, 10, 30, 100, 1e6, 2 ** 31, 1.5, -0.5, Number.MAX_SAFE_INTEGER]);
    case 1: return r.pick(["", "a", "web", "nginx", "busybox", "x".repeat(r.range(60, 300)), "-", "A_B", "1.2.3", "web-0", "ü", "a b", "sh -c 'exit 1'"]);
    case 2: return r.pick([true, false, null]);
    case 3: return r.pick(INTERESTING_SCALARS);
    case 4: case 5: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i >= 0; i--) o[r.pick(KEYS)] = randomValue(r, depth + 1);
      return o;
    }
    default: return Array.from({ length: r.int(3) }, () => randomValue(r, depth + 1));
  }
}

/** A grammar-shaped manifest: valid skeleton for a kind, with random fields and values sprinkled in. */
export function grammarManifest(r: Prng): string {
  const [apiVersion, kind] = r.pick(KINDS);
  const name = r.pick(["web", "fz", "fz-" + r.int(5), "Bad_Name", "", "a".repeat(70), "x.y", "web-0"]);
  // Label values stay ≤ 63 chars here: a longer one in a Deployment template hangs the engine today (known
  // bug, tests/engine/regression/fuzz-template-label-too-long.test.ts) and would stop every campaign.
  const labels = r.chance(0.8) ? { app: (name || "x").slice(0, 63) } : randomValue(r, 2);
  const container: Record<string, unknown> = { name: r.pick(["c", "app", "", "C"]), image: r.pick(["nginx:1.27", "busybox:1.36", "", "httpd", "redis:7"]) };
  if (r.chance(0.4)) container.command = r.pick([["sh", "-c", "sleep 5; exit 1"], ["sh", "-c", "while true; do echo hi; sleep 1; done"], ["false"], ["nope"], "string-not-list", [1, 2]]);
  if (r.chance(0.3)) container.resources = { requests: { cpu: r.pick(["100m", "2", "-1", "abc", 1, "1e3", "0.0001"]), memory: r.pick(["64Mi", "1Gi", "1e12", "-5Mi", "Mi"]) } };
  const podSpec: Record<string, unknown> = { containers: r.chance(0.9) ? [container] : randomValue(r, 2) };
  if (r.chance(0.3)) podSpec.restartPolicy = r.pick(["Always", "Never", "OnFailure", "Sometimes", ""]);
  if (r.chance(0.2)) podSpec.tolerations = [{ operator: r.pick(["Exists", "Equal", "Bogus"]), ...(r.chance(0.5) ? { key: "k" } : {}), ...(r.chance(0.5) ? { effect: r.pick(["NoExecute", "NoSchedule", "X"]) } : {}), ...(r.chance(0.3) ? { tolerationSeconds: r.pick([-1, 0, 5, 1e9]) } : {}) }];
  if (r.chance(0.15)) podSpec.nodeSelector = { disk: "ssd" };
  if (r.chance(0.1)) podSpec.nodeName = r.pick(["w1", "nope", ""]);
  const template = { metadata: { labels }, spec: podSpec };
  const selector = r.chance(0.85) ? { matchLabels: labels } : randomValue(r, 2);
  const num = () => r.pick([0, 1, 2, 3, 5, -1, "3", "25%", null, 1000, r.chance(0.05) ? 100_000 : 4]);
  let spec: Record<string, unknown>;
  switch (kind) {
    case "Deployment": spec = { replicas: num(), selector, template, ...(r.chance(0.3) ? { strategy: r.pick([{ type: "Recreate" }, { type: "RollingUpdate", rollingUpdate: { maxSurge: num(), maxUnavailable: num() } }, { type: "Bogus" }]) } : {}) }; break;
    case "ReplicaSet": spec = { replicas: num(), selector, template }; break;
    case "DaemonSet": spec = { selector, template, ...(r.chance(0.3) ? { updateStrategy: { type: r.pick(["RollingUpdate", "OnDelete", "x"]), rollingUpdate: { maxSurge: num(), maxUnavailable: num() } } } : {}) }; break;
    case "StatefulSet": spec = { serviceName: name, replicas: num(), selector, template, ...(r.chance(0.3) ? { podManagementPolicy: r.pick(["Parallel", "OrderedReady", "x"]) } : {}), ...(r.chance(0.2) ? { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: r.pick(["1Gi", "x", -1]) } } } }] } : {}) }; break;
    case "Job": spec = { completions: num(), parallelism: num(), backoffLimit: num(), template, ...(r.chance(0.2) ? { completionMode: r.pick(["Indexed", "NonIndexed", "x"]) } : {}), ...(r.chance(0.2) ? { activeDeadlineSeconds: num() } : {}), ...(r.chance(0.2) ? { ttlSecondsAfterFinished: num() } : {}), ...(r.chance(0.1) ? { suspend: r.pick([true, false, "yes"]) } : {}) }; break;
    case "CronJob": spec = { schedule: r.pick(["*/1 * * * *", "@hourly", "@every 1s", "@every 0s", "* * * * * *", "61 * * * *", "TZ=UTC * * * * *", "0 0 31 2 *", "", "@reboot", "*/0 * * * *"]), ...(r.chance(0.3) ? { concurrencyPolicy: r.pick(["Allow", "Forbid", "Replace", "x"]) } : {}), ...(r.chance(0.2) ? { timeZone: r.pick(["Europe/Paris", "Local", "", "Mars/Base"]) } : {}), jobTemplate: { spec: { template } } }; break;
    case "Pod": spec = podSpec; break;
    case "Service": spec = { selector: labels, ports: [{ port: num(), targetPort: num() }] }; break;
    case "Node": spec = r.chance(0.5) ? { taints: [{ key: "k", effect: r.pick(["NoExecute", "NoSchedule", "Bad"]) }] } : {}; break;
    default: { const v = randomValue(r, 1); spec = v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : { value: v }; }
  }
  if (r.chance(0.2)) spec[r.pick(KEYS)] = randomValue(r, 2);
  const doc: Record<string, unknown> = { apiVersion, kind, metadata: { name, ...(r.chance(0.2) ? { namespace: r.pick(["default", "kube-system", "nope", "Bad"]) } : {}), ...(r.chance(0.1) ? { generateName: "g-" } : {}) }, spec };
  if (kind === "ConfigMap") { delete doc.spec; doc.data = randomValue(r, 1); }
  if (r.chance(0.1)) delete doc[r.pick(["apiVersion", "kind", "metadata", "spec"])];
  let text = stringify(doc);
  if (r.chance(0.15)) text += "---\n" + stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-" + r.int(3) }, data: { a: "b" } });
  return text;
}

/** Line/character-level mutations of a YAML document. */
export function mutateYaml(r: Prng, text: string, donors: readonly string[]): string {
  let lines = text.split("\n");
  for (let n = r.range(1, 4); n > 0; n--) {
    const i = r.int(Math.max(lines.length, 1));
    switch (r.int(12)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, lines[i] ?? ""); break;
      case 2: { const j = r.int(lines.length); [lines[i], lines[j]] = [lines[j]!, lines[i]!]; break; }
      case 3: lines[i] = (r.chance(0.5) ? " ".repeat(r.range(1, 3)) : "") + (lines[i] ?? "").replace(/^ {1,2}/, r.chance(0.5) ? "" : "\t"); break;
      case 4: lines[i] = (lines[i] ?? "").replace(/:\s+.*$/, `: ${r.pick(INTERESTING_SCALARS)}`); break;
      case 5: lines[i] = (lines[i] ?? "").replace(/^(\s*-?\s*)[\w.-]+:/, `$1${r.pick(KEYS) || "x"}:`); break;
      case 6: { const d = r.pick(donors).split("\n"); lines.splice(i, 0, ...d.slice(r.int(d.length), r.int(d.length) + r.range(1, 4))); break; }
      case 7: lines = lines.slice(0, i); break;
      case 8: { const l = lines[i] ?? ""; const p = r.int(l.length + 1); lines[i] = l.slice(0, p) + r.pick(["'", '"', "{", "[", "]", "}", ":", "#", "&", "*", "!", "|", ">", "%", "@", "`", "\u0000", "\t", "\\"]) + l.slice(p); break; }
      case 9: lines.splice(i, 0, "---"); break;
      case 10: lines[i] = (lines[i] ?? "").replace(/(kind|apiVersion):.*/, (_m, k: string) => k === "kind" ? `kind: ${r.pick(KINDS)[1]}` : `apiVersion: ${r.pick(KINDS)[0]}`); break;
      default: lines[i] = (lines[i] ?? "").replace(/\d+/, () => r.pick(["0", "-1", "99999", "2147483648", "1e400", "3.7"])); break;
    }
  }
  return lines.join("\n");
}

/** YAML bombs and pathological documents. */
export function yamlBomb(r: Prng): string {
  switch (r.int(6)) {
    case 0: { // billion laughs
      let s = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
      const names = "abcdefghi";
      for (let i = 1; i < names.length; i++) s += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(",")}]\n`;
      return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n" + s.replace(/^/gm, "x").replace(/^x/, "") ;
    }
    case 1: return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  x: " + "[".repeat(r.range(100, 5000)) + "]".repeat(r.range(0, 5000)) + "\n";
    case 2: return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n" + Array.from({ length: r.range(100, 3000) }, (_, i) => `  k${i}: ${"v".repeat(r.range(1, 200))}`).join("\n") + "\n";
    case 3: return Array.from({ length: r.range(50, 400) }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`).join("---\n");
    case 4: return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + "n".repeat(r.range(64, 100_000)) + "\n";
    default: return "a: &x\n  b: *x\n";
  }
}

// ------------------------------------------------------------------ generators: kubectl lines

const VERBS = ["get", "describe", "apply", "create", "delete", "logs", "scale", "set", "rollout", "patch", "label", "annotate", "taint", "cordon", "uncordon", "drain", "explain", "version", "api-resources", "edit", "exec", "run", "expose", "top", "wait", "bogus", ""];
const RESOURCES = ["pods", "po", "pod", "deploy", "deployment", "deployments.apps", "rs", "ds", "sts", "jobs", "job", "cj", "cronjobs", "nodes", "no", "node", "svc", "ns", "events", "ev", "all", "cm", "secrets", "pvc", "endpoints", "controllerrevisions", "pods,deploy", "deploy/web", "nodes/w1", "pod/web-0", "job/j", "cronjob/cj", "deployment/", "/", "widgets", "po,", ",", "pods.v1.", "Deployment"];
const NAMES = ["web", "w1", "w2", "j", "cj", "ds", "web-0", "p", "", "-", "--", "..", "a/b", "nope", "WEB", "ü", "x".repeat(300), "$HOME", "`id`", "*", "web-1", "kube-system"];
const FLAGS = ["-o", "--output", "-l", "--selector", "-n", "--namespace", "-A", "--all-namespaces", "--show-labels", "--cascade", "--grace-period", "--force", "--replicas", "--type", "-p", "--patch", "--to-revision", "--field-selector", "--sort-by", "-c", "--container", "--previous", "--tail", "-f", "--filename", "-w", "--watch", "--dry-run", "--overwrite", "--timeout", "--ignore-daemonsets", "--delete-emptydir-data", "--all", "--from", "--image", "--record", "-h", "--help", "--v", "-v", "--", "-", "--=", "---x", "-xyz", "--output=", "--replicas=-1", "--grace-period=abc"];
const OUTPUTS = ["wide", "yaml", "json", "name", "jsonpath={.items[*].metadata.name}", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}", "custom-columns=NAME:.metadata.name,X:.spec.bogus", "custom-columns=", "go-template={{.}}", "jsonpath=", "jsonpath={", "jsonpath={..}", "jsonpath={.items[?(@.x==1)]}", "jsonpath={.items[-1:]}", "jsonpath={.items[0:100:0]}", "jsonpath={range}", "jsonpath={end}", "jsonpath={.a}{.b", "jsonpath={$}", "jsonpath={@}", "jsonpath={.items[*]['metadata.name']}", "xml", ""];
const SELECTORS = ["app=web", "app!=web", "app in (web,x)", "app notin (a)", "!app", "app", "app=", "=web", "(", "a in (", "a,b,,c", "a==b", "a=b=c", "x".repeat(70) + "=y", "a in ()", "ü=ü"];
const PATCHES = ["{}", "{\"spec\":{\"replicas\":2}}", "{\"spec\":{\"replicas\":\"x\"}}", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":0}]", "[{\"op\":\"remove\",\"path\":\"/metadata\"}]", "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{}}]", "[{\"op\":\"move\",\"from\":\"/spec\",\"path\":\"/spec/x\"}]", "[{\"op\":\"test\",\"path\":\"/x\",\"value\":1}]", "[{\"op\":\"bogus\"}]", "[1,2]", "null", "\"str\"", "{\"metadata\":{\"name\":\"other\"}}", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"$patch\":\"delete\"}]}}}}", "{\"spec\":{\"$retainKeys\":[\"x\"]}}", "{\"metadata\":{\"__proto__\":{\"polluted\":1}}}", "{", "[", "{\"spec\":{\"replicas\":1e400}}", "{\"kind\":\"Pod\"}"];

function quote(r: Prng, tok: string): string {
  switch (r.int(8)) {
    case 0: return `'${tok}'`;
    case 1: return `"${tok.replace(/"/g, '\\"')}"`;
    case 2: return r.chance(0.5) ? `'${tok}` : `"${tok}`;
    case 3: return tok.replace(/ /g, "\\ ");
    default: return tok.includes(" ") || tok === "" ? `'${tok}'` : tok;
  }
}

export function kubectlLine(r: Prng, corpus: readonly string[]): string {
  if (corpus.length && r.chance(0.3)) {
    // mutate a real command line from a lesson or golden
    const words = r.pick(corpus).split(/\s+/);
    for (let n = r.range(1, 3); n > 0; n--) {
      const i = r.int(words.length);
      switch (r.int(5)) {
        case 0: words.splice(i, 1); break;
        case 1: words.splice(i, 0, r.pick(FLAGS)); break;
        case 2: words[i] = r.pick(NAMES); break;
        case 3: words[i] = quote(r, words[i] ?? ""); break;
        default: words.splice(i, 0, r.pick([...RESOURCES, ...OUTPUTS.map((o) => `-o=${o}`)])); break;
      }
    }
    return words.join(" ");
  }
  const parts: string[] = [r.chance(0.95) ? (r.chance(0.9) ? "kubectl" : "k") : r.pick(["sim", "kubeplay", "", "KUBECTL"])];
  const v = r.pick(VERBS);
  parts.push(v);
  if (v === "rollout") parts.push(r.pick(["status", "history", "undo", "pause", "resume", "restart", "x", ""]));
  if (v === "set") parts.push(r.pick(["image", "env", "resources", ""]));
  if (v === "create") parts.push(r.pick(["job", "deployment", "namespace", "-f", "cronjob", ""]));
  if (r.chance(0.85)) parts.push(r.pick(RESOURCES));
  if (r.chance(0.6)) parts.push(r.pick(NAMES));
  for (let n = r.int(4); n > 0; n--) {
    const f = r.pick(FLAGS);
    const eq = r.chance(0.5);
    let val: string | undefined;
    if (f === "-o" || f === "--output") val = r.pick(OUTPUTS);
    else if (f === "-l" || f === "--selector" || f === "--field-selector") val = r.pick(SELECTORS);
    else if (f === "-p" || f === "--patch") val = r.pick(PATCHES);
    else if (f === "--type") val = r.pick(["json", "merge", "strategic", "x", ""]);
    else if (f === "--cascade") val = r.pick(["background", "foreground", "orphan", "true", "false", "x"]);
    else if (f.startsWith("--") && r.chance(0.5)) val = r.pick(["1", "-1", "0", "abc", "", "99999999999", "2m", "web=nginx:2"]);
    parts.push(val === undefined ? f : eq ? `${f}=${quote(r, val)}` : `${f} ${quote(r, val)}`);
  }
  if (v === "set" || v === "label" || v === "annotate" || v === "taint") for (let n = r.int(3); n > 0; n--) parts.push(quote(r, r.pick(["web=nginx:2", "a=b", "a-", "k=v:NoSchedule", "k:NoExecute-", "=", "a=b=c", "app=nginx:1.27", "-", "k=v:Bogus", "x".repeat(70) + "=v"])));
  if (v === "taint" || v === "cordon" || v === "drain") parts.splice(2, 0, r.pick(["nodes", "node", "w1", "w2", ""]));
  if (r.chance(0.05)) parts.push("<<EOF");
  if (r.chance(0.05)) parts.push(r.pick(["|", "&&", ";", ">", "2>&1", "#comment", "\\", "'", "\""]));
  return parts.join(" ");
}

// ------------------------------------------------------------------ generators: share links, scripts

let cachedBomb: string | undefined;
function bombLink(): string {
  if (!cachedBomb) {
    const big = new Uint8Array(8 * 1024 * 1024).fill(97); // 8 MiB of "a" → ~8 KiB of deflate, 4× the 2 MiB cap
    cachedBomb = "#s=1." + base64urlEncode(deflateSync(big, { level: 9 }));
  }
  return cachedBomb;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function randomPayload(r: Prng): unknown {
  const base: Record<string, unknown> = { v: 1, script: "sim node add w1\nsim advance 5s\n", seed: 1, startTime: Date.UTC(2025, 0, 1), at: Date.UTC(2025, 0, 1) };
  for (let n = r.int(3); n > 0; n--) {
    const k = r.pick(["v", "script", "seed", "startTime", "at", "view", "extra", "__proto__"]);
    base[k] = r.chance(0.5) ? randomValue(r, 1) : r.pick([-1, 0, 2 ** 32, 1e20, "1", null, {}, [], NaN, Infinity, { selected: "x".repeat(600), zoom: 1e9, panel: 5 }, "x\n".repeat(r.range(1, 50))]);
  }
  return base;
}

export function shareInput(r: Prng, valid: readonly string[]): string {
  switch (r.int(9)) {
    case 0: { // random base64url body
      const n = r.chance(0.1) ? r.range(60_000, 70_000) : r.range(0, 400);
      let s = ""; for (let i = 0; i < n; i++) s += B64[r.int(64)];
      return r.pick(["#s=1.", "s=1.", "#s=", "#s=2.", "#s=01.", "#s=1", "https://x.test/p/#a=b&s=1.", "#s=99999.", "#s=1..", ""]) + s;
    }
    case 1: { const v = r.pick(valid); return v.slice(0, r.int(v.length + 1)); } // truncation
    case 2: { // byte flips in the body
      const v = r.pick(valid).split("");
      for (let n = r.range(1, 4); n > 0; n--) v[r.range(5, v.length - 1)] = B64[r.int(64)]!;
      return v.join("");
    }
    case 3: return r.chance(0.1) ? bombLink() : r.pick(valid); // the bomb costs ~0.5 s of capped inflate: keep it rare
    case 4: { // valid deflate of a hostile/odd payload
      const json = r.chance(0.1) ? "[".repeat(r.range(1000, 200_000)) : r.chance(0.1) ? "{\"__proto__\":{\"x\":1},\"v\":1}" : JSON.stringify(randomPayload(r));
      return "#s=1." + base64urlEncode(deflateSync(new TextEncoder().encode(json)));
    }
    case 5: return "#s=1." + base64urlEncode(deflateSync(Uint8Array.from({ length: r.range(0, 300) }, () => r.int(256)))); // not UTF-8 / not JSON
    case 6: { let s = ""; for (let i = r.range(0, 200); i > 0; i--) s += String.fromCharCode(r.int(0x3000)); return s; } // random text
    case 7: return "#s=1." + "%".repeat(r.range(1, 10)) + "=".repeat(r.range(0, 3)) + "+/";
    default: return r.pick(valid);
  }
}

export function validShareLinks(): string[] {
  const scripts = scriptCorpus().slice(0, 8);
  return scripts.map((script, i) => encodeShare({ v: 1, script, seed: i + 1, startTime: Date.UTC(2025, 0, 1), at: Date.UTC(2025, 0, 1) + 60_000, ...(i % 2 ? { view: { selected: "Pod/default/web-0", zoom: 1.5 } } : {}) }));
}

export function scriptText(r: Prng, corpus: readonly string[]): string {
  if (corpus.length && r.chance(0.5)) {
    const lines = r.pick(corpus).split("\n");
    for (let n = r.range(1, 5); n > 0; n--) {
      const i = r.int(lines.length);
      switch (r.int(7)) {
        case 0: lines.splice(i, 1); break; // may drop a heredoc terminator
        case 1: lines[i] = (lines[i] ?? "") + " \\"; break;
        case 2: lines[i] = (lines[i] ?? "") + r.pick([" <<EOF", " <<'X'", " <<-EOF", " << EOF", "<<", " <<\"E\""]); break;
        case 3: lines.splice(i, 0, r.pick(["EOF", "#", "# comment", "", "\r", "\t", "\u0000", "sim advance 1h", "kubectl get pods"])); break;
        case 4: lines[i] = (lines[i] ?? "").split("").reverse().join(""); break;
        case 5: lines[i] = (lines[i] ?? "").replace(/\s+/g, r.pick(["\t", "  ", "\u00a0"])); break;
        default: lines.splice(i, 0, ...lines.slice(r.int(lines.length), r.int(lines.length))); break;
      }
    }
    return lines.join(r.pick(["\n", "\r\n", "\r"]));
  }
  const out: string[] = [];
  for (let n = r.range(0, 12); n > 0; n--) out.push(r.pick(["kubectl get pods", "sim node add w1", "sim advance 1s", "# c", "", "kubectl apply -f - <<EOF", "EOF", "  EOF", "\\", "sim seed 3", "sim clock 2025-01-01T00:00:00Z", "<<EOF", "x".repeat(r.range(0, 1000)), "kubectl \\", "sim advance 366d", "sim advance -1s", "sim advance 1e9h"]));
  return out.join("\n");
}

// ------------------------------------------------------------------ oracles

export interface FuzzFailure {
  target: string;
  index: number;
  seed: number;
  problem: string;
  input: string;
  stdin?: string;
}

const STACK = /\n\s+at .+[:(]\d+:\d+|^\s*at .+\.(ts|js):\d+/m;
const INTERNAL = /Cannot read prop|is not a function|is not iterable|Cannot convert|Maximum call stack|did not settle|Invalid array length|Unexpected token/;

/** Problems with one result's texts; `input` is the raw input (an "undefined" it contains may be echoed). */
export function unclear(r: { err?: string; out?: string; code?: number }, input: string): string | undefined {
  const err = r.err ?? "";
  if (r.code !== undefined && r.code !== 0 && err.trim() === "") return "failure with an empty error message";
  for (const [text, where] of [[err, "stderr"], [r.out ?? "", "stdout"]] as const) {
    if (STACK.test(text)) return `${where} looks like a JS stack trace`;
    if (text.includes("[object Object]")) return `${where} contains [object Object]`;
    if (INTERNAL.test(text)) return `${where} shows an internal error: ${text.match(INTERNAL)![0]}`;
    for (const w of ["undefined", "NaN"]) if (new RegExp(`\\b${w}\\b`).test(text) && !input.includes(w) && !(w === "NaN" && /\.nan\b/i.test(input))) return `${where} contains "${w}"`;
  }
  return undefined;
}

// ------------------------------------------------------------------ targets

export type Target = "yaml" | "kubectl" | "share" | "script";
export const TARGETS: Target[] = ["yaml", "kubectl", "share", "script"];

/** A session with a few objects, so get/describe/patch/delete have something to act on. */
export function fuzzSession(seed: number): { s: Session; internal: unknown[] } {
  const s = new Session({ seed });
  const internal: unknown[] = [];
  const sim = s.sim;
  const record = (e: unknown) => {
    if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || (e instanceof Error && /did not settle/.test(e.message))) internal.push(e);
  };
  const settle = sim.settle.bind(sim);
  sim.settle = () => { try { settle(); } catch (e) { record(e); throw e; } };
  const act = sim.act.bind(sim);
  sim.act = <T>(fn: () => T): T => act(() => { try { return fn(); } catch (e) { record(e); throw e; } });
  s.exec("sim node add w1 --cpu 2 --memory 4Gi");
  s.exec("sim node add w2 --cpu 2 --memory 4Gi --label disk=ssd");
  const dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";
  const sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 1\n  selector:\n    matchLabels: {app: st}\n  template:\n    metadata:\n      labels: {app: st}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n";
  const cj = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: '*/1 * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [sh, -c, 'echo hi; sleep 5']\n";
  const ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec:\n  selector:\n    matchLabels: {app: ds}\n  template:\n    metadata:\n      labels: {app: ds}\n    spec:\n      containers:\n      - name: c\n        image: fluentd\n";
  for (const m of [dep, sts, cj, ds]) s.exec("kubectl apply -f - <<EOF", m);
  s.exec("sim advance 70s");
  return { s, internal };
}

export interface FuzzStats {
  counts: Record<Target, number>;
  failures: FuzzFailure[];
  slowestMs: number;
  slowest?: string;
}

/**
 * Run `n` inputs of each requested target from `seed`. The per-input PRNG is seeded from (seed, index),
 * so a failure's (target, seed, index) regenerates it exactly.
 */
export function runFuzz(opts: { seed: number; runs: Partial<Record<Target, number>>; onFailure?: (f: FuzzFailure) => void; maxFailures?: number; onInput?: (target: Target, index: number, input: string) => void }): FuzzStats {
  const stats: FuzzStats = { counts: { yaml: 0, kubectl: 0, share: 0, script: 0 }, failures: [], slowestMs: 0 };
  const yc = yamlCorpus(), cc = commandCorpus(), sc = scriptCorpus(), links = validShareLinks();
  const report = (f: FuzzFailure) => { stats.failures.push(f); opts.onFailure?.(f); };
  const max = opts.maxFailures ?? 50;

  // CPU time of this process (user + system), not wall time: a loaded machine must not make an input "hang".
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const timed = <T>(fn: () => T): [T, number] => { const t = cpuMs(); const v = fn(); return [v, cpuMs() - t]; };

  // --- kubectl lines and YAML share one long-lived session (reset every 100 inputs to stay small)
  for (const target of ["kubectl", "yaml"] as const) {
    const n = opts.runs[target] ?? 0;
    let sess: ReturnType<typeof fuzzSession> | undefined;
    for (let i = 0; i < n && stats.failures.length < max; i++) {
      if (!sess || i % 100 === 0) sess = fuzzSession(opts.seed + i);
      const r = new Prng(opts.seed * 1_000_003 + i * 7 + (target === "yaml" ? 1 : 2));
      let line: string, stdin: string | undefined;
      if (target === "kubectl") { line = kubectlLine(r, cc); }
      else {
        line = r.pick(["kubectl apply -f - <<EOF", "kubectl apply -f - <<EOF", "kubectl create -f - <<EOF", "kubectl delete -f - <<EOF", "kubectl apply --dry-run=client -f - <<EOF"]);
        const k = r.int(10);
        stdin = k < 4 ? grammarManifest(r) : k < 9 && yc.length ? mutateYaml(r, r.pick(yc), yc) : yamlBomb(r);
      }
      const { s, internal } = sess;
      const rv0 = s.sim.store.resourceVersion;
      const pods0 = s.sim.store.count("Pod");
      const snapshot = s.sim.store.list("Deployment").length + s.sim.store.list("Pod").length;
      let res: CmdResult | undefined, ms = 0, thrown: unknown;
      try { [res, ms] = timed(() => s.exec(line, stdin)); } catch (e) { thrown = e; }
      const input = stdin !== undefined ? `${line}\n${stdin}` : line;
      opts.onInput?.(target, i, input);
      const fail = (problem: string) => report({ target, index: i, seed: opts.seed, problem, input: line, ...(stdin !== undefined ? { stdin } : {}) });
      stats.counts[target]++;
      if (ms > stats.slowestMs) { stats.slowestMs = ms; stats.slowest = input.slice(0, 200); }
      if (thrown) { fail(`Session.exec threw: ${(thrown as Error)?.stack ?? String(thrown)}`); sess = undefined; continue; }
      if (internal.length) { fail(`internal engine error: ${(internal.splice(0)[0] as Error)?.stack}`); sess = undefined; continue; }
      const u = unclear(res!, input);
      if (u) fail(`${u}: ${JSON.stringify((res!.err || res!.out).slice(0, 500))}`);
      // A hang is time out of proportion to the work: 2 s plus 1 ms per pod the input created (a
      // `replicas: 99999` is a real 100k-pod workload, not a hang).
      const budget = (created: number) => WATCHDOG_MS + POD_BUDGET_MS * Math.max(0, created);
      if (ms > budget(s.sim.store.count("Pod") - pods0)) {
        // re-measure on a fresh session before blaming the input (GC pauses, a loaded machine)
        const again = fuzzSession(opts.seed + i);
        const p0 = again.s.sim.store.count("Pod");
        const [, ms2] = timed(() => again.s.exec(line, stdin));
        const b2 = budget(again.s.sim.store.count("Pod") - p0);
        if (ms2 > b2) fail(`took ${Math.round(ms)}ms / ${Math.round(ms2)}ms (> ${Math.round(b2)}ms watchdog)`);
      }
      // Nothing lost: a kubectl failure that printed nothing must not have changed the store.
      if (res!.code !== 0 && res!.out === "" && /^\s*(kubectl|k)\b/.test(line) && s.sim.store.resourceVersion !== rv0) {
        fail(`failed (${JSON.stringify(res!.err.slice(0, 200))}) yet changed the store (rv ${rv0} → ${s.sim.store.resourceVersion}, objects ${snapshot} → ${s.sim.store.list("Deployment").length + s.sim.store.list("Pod").length})`);
      }
      // the session still works
      if (i % 25 === 24) {
        const t0 = s.sim.now;
        const adv = s.exec("sim advance 3s");
        if (adv.code !== 0 || s.sim.now !== t0 + 3000) fail(`after this input the clock no longer advances (${JSON.stringify(adv.err)})`);
        const get = s.exec("kubectl get all -A");
        if (get.code !== 0 || unclear(get, "")) fail(`after this input \`kubectl get all -A\` fails: ${JSON.stringify(get.err || get.out.slice(0, 300))}`);
        if (internal.length) { fail(`internal engine error after this input: ${(internal.splice(0)[0] as Error)?.stack}`); sess = undefined; }
      }
    }
  }

  // --- share links
  for (let i = 0; i < (opts.runs.share ?? 0) && stats.failures.length < max; i++) {
    const r = new Prng(opts.seed * 1_000_003 + i * 7 + 3);
    const input = shareInput(r, links);
    opts.onInput?.("share", i, input);
    const fail = (problem: string) => report({ target: "share", index: i, seed: opts.seed, problem, input: input.length > 2000 ? input.slice(0, 2000) + `… (${input.length} chars)` : input });
    stats.counts.share++;
    let res: ReturnType<typeof parseShareHash>, ms: number;
    try { [res, ms] = timed(() => parseShareHash(input)); } catch (e) { fail(`parseShareHash threw: ${(e as Error)?.stack}`); continue; }
    if (ms > stats.slowestMs) { stats.slowestMs = ms; stats.slowest = `share ${input.slice(0, 80)}… (${input.length} chars)`; }
    if (ms > WATCHDOG_MS) { const [, ms2] = timed(() => parseShareHash(input)); if (ms2 > WATCHDOG_MS) fail(`took ${Math.round(ms)}ms`); }
    if (res.ok) {
      const p = res.payload;
      if (p.v !== 1 || typeof p.script !== "string" || !Number.isInteger(p.seed) || p.seed < 0 || p.seed > 0xffffffff || !Number.isFinite(p.startTime) || !(p.at >= p.startTime) || ({} as Record<string, unknown>).polluted !== undefined) {
        fail(`accepted an invalid payload: ${JSON.stringify(p).slice(0, 300)}`);
      }
    } else {
      if (typeof res.error !== "string" || res.error.trim() === "") fail("error result with an empty message");
      else { const u = unclear({ err: res.error, code: 1 }, ""); if (u) fail(`${u}: ${JSON.stringify(res.error)}`); }
      if (!["none", "unsupported", "too-large", "corrupt", "invalid"].includes(res.kind)) fail(`unknown error kind ${res.kind}`);
    }
  }

  // --- script text: parseScript (always) and a run of the result (every 20th, short scripts only)
  for (let i = 0; i < (opts.runs.script ?? 0) && stats.failures.length < max; i++) {
    const r = new Prng(opts.seed * 1_000_003 + i * 7 + 4);
    const text = scriptText(r, sc);
    opts.onInput?.("script", i, text);
    const fail = (problem: string) => report({ target: "script", index: i, seed: opts.seed, problem, input: text.length > 4000 ? text.slice(0, 4000) + "…" : text });
    stats.counts.script++;
    let cmds: ReturnType<typeof parseScript> | undefined;
    try { cmds = parseScript(text); } catch (e) {
      if (!(e instanceof ScriptError)) { fail(`parseScript threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.stack}`); continue; }
      const u = unclear({ err: e.message, code: 1 }, text);
      if (!e.message.trim() || u) fail(`unclear ScriptError: ${JSON.stringify(e.message)}`);
      continue;
    }
    if (i % 20 === 0 && cmds.length <= 40) {
      const s = new Session({ seed: 1 });
      const t0 = cpuMs();
      for (const c of cmds) {
        let res: CmdResult;
        try { res = s.exec(c.line, c.stdin); } catch (e) { fail(`Session.exec threw on \`${c.line}\`: ${(e as Error)?.stack}`); break; }
        const u = unclear(res, text);
        if (u) { fail(`${u} on \`${c.line}\`: ${JSON.stringify(res.err.slice(0, 300))}`); break; }
      }
      const ms = cpuMs() - t0;
      if (ms > stats.slowestMs) { stats.slowestMs = ms; stats.slowest = `script (${cmds.length} commands)`; }
      if (ms > WATCHDOG_MS * Math.max(1, cmds.length / 10)) fail(`running the parsed script took ${Math.round(ms)}ms`);
    }
  }
  return stats;
}
