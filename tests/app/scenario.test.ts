/**
 * Page-side scenario logic: timeline cuts agree with the engine's replay (replay.ts), manifests
 * export/import, preflight of foreign scripts, autosave parsing.
 */
import { describe, expect, it } from "vitest";
import { Session, replayTo, runScript } from "../../src/index.ts";
import { cutAtStep, cutAtTime, histItem, manifestAt, scriptOf, actionMarks, type HistItem } from "../../app/scenario/timeline.ts";
import { classifyImport, cleanObject, exportManifests, EXPORT_QUERY, isSystemObject } from "../../app/scenario/manifests.ts";
import { preflight } from "../../app/scenario/preflight.ts";
import { parseSavedSession } from "../../app/scenario/autosave.ts";

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.27
`;

const SCRIPT = `sim node add w1
sim node add w2
kubectl apply -f - <<EOF
${DEPLOY}EOF
sim advance 20s
kubectl set image deployment/web app=nginx:1.28
kubectl rollout status deployment/web
kubectl delete pod -l app=web
sim advance 45s
kubectl scale deployment web --replicas=1
sim advance 1m
`;

/** A session's history as the page's store records it (start = previous end). */
function histOf(s: Session): HistItem[] {
  return s.history.map((h, i) => histItem(h.line, h.stdin, h.at, s.history[i + 1]?.at ?? s.sim.now, h.result.code));
}

const state = (s: Session) => {
  const r = s.exec("kubectl get deploy,rs,pods -o wide");
  return `${s.sim.now}\n${r.out}${r.err}`;
};

describe("timeline cuts rebuild the same moment as replay.ts", () => {
  const { session } = runScript(SCRIPT, { seed: 3 });
  const hist = histOf(session);
  const start = session.sim.startTime;
  const end = session.sim.now;
  const times = [0, 1000, 5000, 20_000, 21_000, 30_000, 40_000, 60_000, 90_000, end - start - 1000, end - start].map((d) => start + d);
  it.each(times.map((t) => [t - start, t]))("at T+%ims", (_d, t) => {
    const cut = cutAtTime(hist, t);
    const viaCut = runScript(scriptOf(cut.hist), { seed: 3 }).session;
    const viaReplay = replayTo(SCRIPT, { seed: 3 }, { at: t });
    expect(viaCut.sim.now).toBe(viaReplay.sim.now);
    expect(cut.at).toBe(viaCut.sim.now);
    expect(state(viaCut)).toBe(state(viaReplay));
  });
  it("by step: commands 0..step whole", () => {
    for (const step of [0, 2, 3, 5, hist.length - 1]) {
      const cut = cutAtStep(hist, step);
      expect(cut.hist.length).toBe(step + 1);
      const viaCut = runScript(scriptOf(cut.hist), { seed: 3 }).session;
      expect(viaCut.sim.now).toBe(hist[step]!.end);
    }
  });
  it("the script of the history is the session's script", () => {
    expect(scriptOf(hist)).toBe(session.script());
  });
  it("action marks leave out the clock moving", () => {
    expect(actionMarks(hist).map((m) => m.line.split(" ")[0] + " " + m.line.split(" ")[1])).toEqual([
      "sim node", "sim node", "kubectl apply", "kubectl set", "kubectl rollout", "kubectl delete", "kubectl scale",
    ]);
  });
  it("manifestAt: the editor text in effect after a step", () => {
    expect(manifestAt(hist, 1)).toBeUndefined();
    expect(manifestAt(hist, 2)).toBe(DEPLOY);
    expect(manifestAt(hist, hist.length - 1)).toBe(DEPLOY);
  });
});

describe("export: kubectl get -o yaml → manifests ready for kubectl apply -f", () => {
  const s = new Session({ seed: 1 });
  s.exec("sim node add w1");
  s.exec("kubectl apply -f - <<EOF", DEPLOY);
  s.exec("kubectl create configmap cfg --from-literal=a=b");
  s.exec("kubectl apply -f - <<EOF", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"*/1 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: hello\n            image: busybox\n            command: [\"sh\", \"-c\", \"date\"]\n");
  s.exec("sim advance 2m");
  const got = s.exec(EXPORT_QUERY);
  const { yaml, count } = exportManifests(got.out);
  it("keeps the user's objects only (no pods/ReplicaSets/Jobs a controller made, no system objects)", () => {
    expect(got.err).toBe("");
    const kinds = [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]).sort();
    expect(kinds).toEqual(["ConfigMap", "CronJob", "Deployment"]);
    expect(count).toBe(3);
  });
  it.each(["status:", "uid:", "resourceVersion:", "creationTimestamp:", "generation:", "deployment.kubernetes.io/revision", "ownerReferences"])("drops %s", (field) => {
    expect(yaml).not.toContain(field);
  });
  it("applies cleanly to a fresh cluster and makes the same objects", () => {
    const t = new Session({ seed: 1 });
    t.exec("sim node add w1");
    const r = t.exec("kubectl apply -f - <<EOF", yaml);
    expect(r.err).toBe("");
    expect(r.out).toBe("configmap/cfg created\ndeployment.apps/web created\ncronjob.batch/hello created\n");
  });
  it("cleanObject does not change its input", () => {
    const o = { kind: "Service", metadata: { name: "x", uid: "1" }, spec: { clusterIP: "10.0.0.1", ports: [] }, status: {} };
    const c = cleanObject(o);
    expect(o.metadata.uid).toBe("1");
    expect(c).toEqual({ kind: "Service", metadata: { name: "x" }, spec: { ports: [] } });
  });
  it.each([
    [{ kind: "Namespace", metadata: { name: "kube-system" } }, true],
    [{ kind: "Namespace", metadata: { name: "team-a" } }, false],
    [{ kind: "Service", metadata: { name: "kubernetes", namespace: "default" } }, true],
    [{ kind: "Pod", metadata: { name: "p", ownerReferences: [{ kind: "ReplicaSet" }] } }, true],
    [{ kind: "Pod", metadata: { name: "p" } }, false],
  ])("isSystemObject(%j) = %s", (o, want) => {
    expect(isSystemObject(o)).toBe(want);
  });
});

describe("import: what a dropped or pasted text is", () => {
  it.each([
    ["a .kp file by name", "sim node add w1\n", "x.kp", "script"],
    ["a script by its first command", "# hello\nkubectl get pods\n", "", "script"],
    ["one manifest", DEPLOY, "", "manifests"],
    ["a kubectl get -o yaml List", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    uid: x\n", "", "manifests"],
    ["empty", "  \n", "", "error"],
    ["not YAML", "a: [b\n", "", "error"],
    ["YAML that is not objects", "- 1\n- 2\n", "", "error"],
    ["only controller-made objects", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ownerReferences:\n  - kind: ReplicaSet\n    name: r\n", "", "error"],
  ])("%s", (_n, text, file, kind) => {
    expect(classifyImport(text, file).kind).toBe(kind);
  });
  it("a List's items lose server fields", () => {
    const r = classifyImport("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    uid: x\n    resourceVersion: \"5\"\n  data:\n    k: v\n");
    expect(r).toEqual({ kind: "manifests", count: 1, yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n" });
  });
});

describe("preflight: counts a browser tab cannot hold are refused up front", () => {
  it.each([
    ["replicas: 1000000", false],
    ["  replicas: 3", true],
    ["kubectl scale deploy web --replicas=99999999", false],
    ["kubectl scale deploy web --replicas 5001", false],
    ["  parallelism: 200000", false],
    ["  completions: 5000", true],
    [`{"spec":{"replicas":123456}}`, false],
  ])("%s → ok=%s", (line, ok) => {
    expect(preflight(line + "\n").ok).toBe(ok);
  });
  it("more than 31 virtual days", () => {
    expect(preflight("sim advance 8760h\n").ok).toBe(false);
    expect(preflight("sim advance 400h\nsim advance 400h\n").ok).toBe(false);
    expect(preflight("sim advance 700h\n").ok).toBe(true);
  });
  it("too many commands", () => {
    expect(preflight("sim advance 1ms\n".repeat(20_001)).ok).toBe(false);
    expect(preflight("sim advance 1ms\n".repeat(100)).ok).toBe(true);
  });
});

describe("autosave parsing is defensive", () => {
  it.each([
    [null, false], ["", false], ["{", false], ["[]", false], ["null", false],
    [JSON.stringify({ v: 2, script: "", seed: 1, startTime: 0 }), false],
    [JSON.stringify({ v: 1, script: 5, seed: 1, startTime: 0 }), false],
    [JSON.stringify({ v: 1, script: "", seed: -1, startTime: 0 }), false],
    [JSON.stringify({ v: 1, script: "sim node add w1\n", seed: 1, startTime: 1735689600000 }), true],
  ])("%s → %s", (text, ok) => {
    expect(parseSavedSession(text) !== null).toBe(ok);
  });
});
