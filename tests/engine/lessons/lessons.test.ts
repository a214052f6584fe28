/**
 * Built-in lessons (public/lessons): every lesson is in the index, parses, runs, and prints exactly its
 * golden transcript public/lessons/<id>.out. `UPDATE=1 npx vitest run tests/engine/lessons` rewrites the
 * goldens — then read every changed golden against k8s-semantics.md before committing it.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runScript } from "../../../src/scenario/session.ts";
import { parseLesson, parseLessonIndex } from "../../../src/scenario/lessons.ts";
import { replayTo, transcriptOf } from "../../../src/scenario/replay.ts";

const DIR = join(import.meta.dirname, "../../../public/lessons");
const UPDATE = process.env.UPDATE === "1";
const index = parseLessonIndex(JSON.parse(readFileSync(join(DIR, "index.json"), "utf8")));
const read = (id: string) => readFileSync(join(DIR, `${id}.kp`), "utf8");

describe("lesson index", () => {
  it("lists every lesson file exactly once", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".kp")).map((f) => f.slice(0, -3)).sort();
    expect(index.map((e) => e.id).sort()).toEqual(files);
  });

  it.each(index)("$id: title and description match the file's header", ({ id, title, description }) => {
    const l = parseLesson(read(id));
    expect(l.title).toBe(title);
    expect(l.description).toBe(description);
  });
});

/** A transcript with generated names masked and rows sorted per command: what stays when only names move. */
function normalise(t: string): string {
  const blocks = t.replace(/-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, "-XXXXX").replace(/pvc-[0-9a-f-]{36}/g, "pvc-UUID").split(/^(?=\$ )/m);
  return blocks.map((b) => b.split("\n").sort().join("\n")).join("\n");
}

/**
 * What each lesson must show, fact by fact (k8s-semantics.md): these hold whatever the random pod names,
 * so a golden rewritten with UPDATE=1 cannot silently drift from the spec.
 * `line` is the exact command line, `nth` its occurrence (0-based) in the lesson.
 */
interface Check { id: string; fact: string; line: string; nth?: number; match: RegExp | RegExp[]; count?: [RegExp, number] }
const CHECKS: Check[] = [
  // ReplicaSet: validation, adoption of an orphan, release on relabel, surplus deletion.
  { id: "replicaset-myapp", fact: "R5", line: "kubectl apply -f - <<EOF", match: /^The ReplicaSet "myapp" is invalid: spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{"app":"flask"\}: `selector` does not match template `labels`\n$/ },
  { id: "replicaset-myapp", fact: "X7/R4", line: "kubectl get pods --show-labels", match: /^NAME.*\nmyapp-\S+\s+1\/1\s+Running\s.*app=myapp,tier=flask\nstray\s+1\/1\s+Running\s.*app=myapp\n$/ },
  { id: "replicaset-myapp", fact: "X7", line: "kubectl get pod stray -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{\"\\n\"}'", match: /^ReplicaSet\/myapp\n$/ },
  { id: "replicaset-myapp", fact: "X7/R4", line: "kubectl get pods --show-labels", nth: 1, match: /^stray\s+1\/1\s+Running\s.*app=debug$/m, count: [/app=myapp,tier=flask$/gm, 2] },
  { id: "replicaset-myapp", fact: "X7", line: "kubectl get pod stray -o jsonpath='{.metadata.ownerReferences}{\"\\n\"}'", match: /^\n$/ },
  { id: "replicaset-myapp", fact: "R1/R2", line: "kubectl get pods -l app=myapp", match: /^NAME.*\nmyapp-\S+ .*\nmyapp-\S+ .*\n$/ },
  // Deployment: scale, patch, set image, undo, canary pause.
  { id: "deployment-flask", fact: "P8", line: "kubectl get deployment flask-deploy", match: /^flask-deploy\s+2\/2\s+2\s+2\s+30s$/m },
  { id: "deployment-flask", fact: "X3/P4", line: "kubectl get rs", match: /^flask-deploy-[4-9bcdf]{1,10}\s+2\s+2\s+2\s+30s$/m },
  { id: "deployment-flask", fact: "P7", line: "kubectl get deployment flask-deploy", nth: 1, match: /^flask-deploy\s+4\/4\s/m },
  { id: "deployment-flask", fact: "P7", line: "kubectl get deployment flask-deploy", nth: 2, match: /^flask-deploy\s+3\/3\s/m },
  { id: "deployment-flask", fact: "P5", line: "kubectl get rs -o wide", match: [/^flask-deploy-\S+\s+0\s+0\s+0\s.*flaskapp:v1\s/m, /^flask-deploy-\S+\s+3\s+3\s+3\s.*flaskapp:v2\s/m] },
  { id: "deployment-flask", fact: "P10", line: "kubectl rollout history deployment flask-deploy", match: /^deployment\.apps\/flask-deploy \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n$/ },
  { id: "deployment-flask", fact: "P10", line: "kubectl rollout undo deployment flask-deploy --to-revision=1", match: /^deployment\.apps\/flask-deploy rolled back\n$/ },
  { id: "deployment-flask", fact: "P10/P4", line: "kubectl get rs -o wide", nth: 1, match: [/^flask-deploy-\S+\s+3\s+3\s+3\s.*flaskapp:v1\s/m, /^flask-deploy-\S+\s+0\s+0\s+0\s.*flaskapp:v2\s/m], count: [/^flask-deploy-/gm, 2] },
  { id: "deployment-flask", fact: "P10", line: "kubectl rollout history deployment flask-deploy", nth: 1, match: /^deployment\.apps\/flask-deploy \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n$/ },
  { id: "deployment-flask", fact: "P7 pause", line: "kubectl get rs -o wide", nth: 2, match: [/^flask-deploy-\S+\s+1\s+1\s+1\s.*flaskapp:v3\s/m, /^flask-deploy-\S+\s+3\s+3\s+3\s.*flaskapp:v1\s/m, /^flask-deploy-\S+\s+0\s+0\s+0\s.*flaskapp:v2\s/m] },
  { id: "deployment-flask", fact: "P7 pause", line: "kubectl get pods -l app=flask", nth: 1, match: /^NAME/, count: [/\s1\/1\s+Running\s/g, 4] },
  { id: "deployment-flask", fact: "P11", line: "kubectl rollout status deployment flask-deploy", match: /^deployment "flask-deploy" successfully rolled out\n$/ },
  { id: "deployment-flask", fact: "P5", line: "kubectl get rs -o wide", nth: 3, match: [/^flask-deploy-\S+\s+3\s+3\s+3\s.*flaskapp:v3\s/m, /^flask-deploy-\S+\s+0\s+0\s+0\s.*flaskapp:v1\s/m] },
  // DaemonSet: the old master toleration does not cover the control-plane taint; then it does; new node.
  { id: "daemonset-fluentd", fact: "D1/D6", line: "kubectl get daemonset fluentd-elasticsearch -n kube-system", match: /^fluentd-elasticsearch\s+2\s+2\s+2\s+2\s+2\s+<none>\s+30s$/m },
  { id: "daemonset-fluentd", fact: "D1", line: "kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o wide", match: /^(?![\s\S]*\scp\s)/, count: [/^fluentd-elasticsearch-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1\/1\s+Running\s/gm, 2] },
  { id: "daemonset-fluentd", fact: "D1/D9", line: "kubectl get daemonset fluentd-elasticsearch -n kube-system", nth: 1, match: /^fluentd-elasticsearch\s+3\s+3\s+3\s+3\s+3\s+<none>\s/m },
  { id: "daemonset-fluentd", fact: "D1", line: "kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o wide", nth: 1, match: /\scp\s/, count: [/\s1\/1\s+Running\s/g, 3] },
  { id: "daemonset-fluentd", fact: "D1", line: "kubectl get daemonset fluentd-elasticsearch -n kube-system", nth: 2, match: /^fluentd-elasticsearch\s+4\s+4\s+4\s+4\s+4\s/m },
  {
    id: "daemonset-fluentd", fact: "D2", line: "kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o jsonpath='{range .items[0].spec.tolerations[*]}{.key}:{.effect}{\"\\n\"}{end}'",
    match: /^node-role.kubernetes.io\/control-plane:NoSchedule\nnode-role.kubernetes.io\/master:NoSchedule\nnode.kubernetes.io\/not-ready:NoExecute\nnode.kubernetes.io\/unreachable:NoExecute\nnode.kubernetes.io\/disk-pressure:NoSchedule\nnode.kubernetes.io\/memory-pressure:NoSchedule\nnode.kubernetes.io\/pid-pressure:NoSchedule\nnode.kubernetes.io\/unschedulable:NoSchedule\n$/,
  },
  // DaemonSet rolling update: one node at a time, no surge.
  { id: "daemonset-rolling-update", fact: "D9/D5", line: "kubectl get ds fluentd-elasticsearch -n kube-system", nth: 1, match: /^fluentd-elasticsearch\s+3\s+3\s+2\s+1\s+2\s/m },
  { id: "daemonset-rolling-update", fact: "D9", line: "kubectl rollout status ds/fluentd-elasticsearch -n kube-system", match: /daemon set "fluentd-elasticsearch" successfully rolled out/ },
  { id: "daemonset-rolling-update", fact: "D9", line: "kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGE:.spec.containers[0].image", match: /^NAME\s+NODE\s+IMAGE$/m, count: [/fluentd:v2\.5\.2$/gm, 3] },
  { id: "daemonset-rolling-update", fact: "D12", line: "kubectl rollout history ds/fluentd-elasticsearch -n kube-system", match: /^daemonset\.apps\/fluentd-elasticsearch \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n/ },
  { id: "daemonset-rolling-update", fact: "D11", line: "kubectl get ds fluentd-elasticsearch -n kube-system", nth: 3, match: /^fluentd-elasticsearch\s+3\s+3\s+3\s+0\s+3\s/m },
  { id: "daemonset-rolling-update", fact: "D11", line: "kubectl get ds fluentd-elasticsearch -n kube-system", nth: 4, match: /^fluentd-elasticsearch\s+3\s+3\s+3\s+3\s+3\s/m },
  { id: "daemonset-rolling-update", fact: "D11", line: "kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGE:.spec.containers[0].image", nth: 1, match: /^NAME/, count: [/fluentd:v2\.5\.3$/gm, 3] },
  // Job 6/3.
  { id: "job-parallel", fact: "J4/J15", line: "kubectl get job", match: /^my-busybox-job\s+Running\s+0\/6\s+10s\s+10s$/m },
  { id: "job-parallel", fact: "J4", line: "kubectl get pods", match: /^NAME/, count: [/\s1\/1\s+Running\s/g, 3] },
  { id: "job-parallel", fact: "J4/J15", line: "kubectl get job", nth: 1, match: /^my-busybox-job\s+Running\s+3\/6\s/m },
  { id: "job-parallel", fact: "J5/J15", line: "kubectl get job", nth: 2, match: /^my-busybox-job\s+Complete\s+6\/6\s+2m\d+s\s+2m20s$/m },
  { id: "job-parallel", fact: "O3", line: "kubectl get pods", nth: 2, match: /^NAME/, count: [/\s0\/1\s+Completed\s/g, 6] },
  { id: "job-parallel", fact: "J14", line: "kubectl get jobs", match: /^short-lived\s+Complete\s+1\/1\s/m },
  { id: "job-parallel", fact: "J14", line: "kubectl get jobs", nth: 1, match: /^(?![\s\S]*short-lived)/ },
  // backoffLimit.
  { id: "job-backoff-limit", fact: "J7/J15", line: "kubectl get job pi", nth: 1, match: /^pi\s+Failed\s+0\/1\s/m },
  { id: "job-backoff-limit", fact: "J7/J8", line: "kubectl get pods", nth: 1, match: /^NAME/, count: [/\s0\/1\s+Error\s/g, 5] },
  { id: "job-backoff-limit", fact: "J7", line: "kubectl get job pi -o jsonpath='{.status.failed} {.status.conditions[?(@.type==\"Failed\")].reason}{\"\\n\"}'", match: /^5 BackoffLimitExceeded\n$/ },
  { id: "job-backoff-limit", fact: "J7", line: "kubectl get job pi-onfailure", match: /^pi-onfailure\s+Failed\s/m },
  { id: "job-backoff-limit", fact: "J7", line: "kubectl get pods -l job-name=pi-onfailure", nth: 1, match: /^No resources found in default namespace\.\n$/ },
  // CronJob.
  { id: "cronjob-hello", fact: "removed versions", line: "kubectl apply -f - <<EOF", match: /no matches for kind "CronJob" in version "batch\/v1beta1"/ },
  { id: "cronjob-hello", fact: "C9", line: "kubectl get cronjob", match: /^hello\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+0s$/m },
  { id: "cronjob-hello", fact: "C7", line: "kubectl get jobs", match: /^hello-28928161\s+Complete\s+1\/1\s/m },
  { id: "cronjob-hello", fact: "C8", line: "kubectl get jobs", nth: 1, match: /^NAME.*\nhello-28928162 .*\nhello-28928163 .*\nhello-28928164 .*\n$/ },
  { id: "cronjob-hello", fact: "C6 Allow", line: "kubectl get cronjob slow", match: /^slow\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+3\s+30s\s/m },
  { id: "cronjob-hello", fact: "C6 Forbid", line: "kubectl get jobs", nth: 3, match: /^slow-28928169\s+Running\s/m },
  { id: "cronjob-hello", fact: "C6 Forbid", line: "kubectl get jobs", nth: 3, match: /^(?![\s\S]*slow-28928168)/ },
  { id: "cronjob-hello", fact: "C6 Replace", line: "kubectl get jobs", nth: 4, match: /^slow-28928170\s+Running\s+0\/1\s+0s\s+0s$/m },
  { id: "cronjob-hello", fact: "C6 Replace", line: "kubectl get jobs", nth: 5, match: /^slow-28928171\s+Running\s/m },
  // StatefulSet.
  { id: "statefulset-web", fact: "S3", line: "kubectl get pods -l app=nginx", match: /^NAME.*\nweb-0\s.*\n$/ },
  { id: "statefulset-web", fact: "S8", line: "kubectl get statefulset web", match: /^web\s+2\/2\s/m },
  { id: "statefulset-web", fact: "S1", line: "kubectl get pvc", match: /^www-web-0\s+Bound\s[\s\S]*^www-web-1\s+Bound\s/m },
  { id: "statefulset-web", fact: "S1", line: "kubectl get pod web-0 -o jsonpath='{.spec.hostname}.{.spec.subdomain}{\"\\n\"}'", match: /^web-0\.nginx\n$/ },
  { id: "statefulset-web", fact: "S1/S4", line: "kubectl get pods -l app=nginx", nth: 2, match: /^NAME.*\nweb-0\s.*\n$/ },
  { id: "statefulset-web", fact: "S1", line: "kubectl get pvc", nth: 2, match: /^www-web-1\s+Bound\s/m },
  // Scheduling basics: nodeSelector, taints, requests, retries.
  { id: "scheduling-basics", fact: "K1", line: "kubectl get pod needs-ssd -o wide", match: /^needs-ssd\s+1\/1\s+Running\s.*\sw1\s/m },
  { id: "scheduling-basics", fact: "K2/K4", line: "kubectl get pod needs-nvme -o jsonpath='{.status.conditions[?(@.type==\"PodScheduled\")].message}{\"\\n\"}'", match: /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.\n$/ },
  { id: "scheduling-basics", fact: "K3/K4", line: "kubectl get pod big -o jsonpath='{.status.conditions[?(@.type==\"PodScheduled\")].message}{\"\\n\"}'", match: /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 Insufficient cpu\. preemption: 0\/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod\.\n$/ },
  { id: "scheduling-basics", fact: "K5", line: "kubectl get pod needs-nvme -o wide", match: /^needs-nvme\s+1\/1\s+Running\s.*\sw3\s/m },
  { id: "scheduling-basics", fact: "N1", line: "kubectl get pod on-control-plane -o wide", match: /^on-control-plane\s+1\/1\s+Running\s.*\scp\s/m },
  // Node maintenance: cordon, DaemonSet on a cordoned node, drain.
  { id: "node-maintenance", fact: "N4 printer", line: "kubectl get nodes", match: /^w2\s+Ready,SchedulingDisabled\s/m },
  { id: "node-maintenance", fact: "K2 NodeUnschedulable", line: "kubectl get pods -l app=web -o wide", match: /^NAME/, count: [/\sw2\s/g, 1] },
  { id: "node-maintenance", fact: "D2", line: "kubectl get pods -l app=agent -o wide", match: /^agent-\S+\s+1\/1\s+Running\s+0\s+20s\s.*\sw2\s/m },
  { id: "node-maintenance", fact: "drain", line: "kubectl drain w2", match: /^node\/w2 already cordoned\nerror: unable to drain node "w2" due to error: cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): default\/agent-\S+, continuing command\.\.\.\nThere are pending nodes to be drained:\n w2\ncannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): default\/agent-\S+\n$/ },
  { id: "node-maintenance", fact: "drain", line: "kubectl drain w2 --ignore-daemonsets", match: /^node\/w2 already cordoned\nWarning: ignoring DaemonSet-managed Pods: default\/agent-\S+\nevicting pod default\/web-\S+\npod\/web-\S+ evicted\nnode\/w2 drained\n$/ },
  { id: "node-maintenance", fact: "drain/X4", line: "kubectl get pods -o wide", nth: 1, match: /^agent-\S+\s.*\sw2\s/m, count: [/\sw2\s/g, 1] },
  { id: "node-maintenance", fact: "N4 printer", line: "kubectl get nodes", nth: 1, match: /^w2\s+Ready\s/m },
  // Node failure.
  { id: "node-failure", fact: "N4", line: "kubectl get nodes", match: /^w2\s+Ready\s/m },
  { id: "node-failure", fact: "N4", line: "kubectl get nodes", nth: 1, match: /^w2\s+NotReady\s/m },
  { id: "node-failure", fact: "N3", line: "kubectl get node w2 -o jsonpath='{range .spec.taints[*]}{.key}:{.effect}{\"\\n\"}{end}'", match: /^node\.kubernetes\.io\/unreachable:NoSchedule\nnode\.kubernetes\.io\/unreachable:NoExecute\n$/ },
  { id: "node-failure", fact: "N6", line: "kubectl get pods -l app=web -o jsonpath='{range .items[0].spec.tolerations[*]}{.key}:{.effect} for {.tolerationSeconds}s{\"\\n\"}{end}'", match: /^node\.kubernetes\.io\/not-ready:NoExecute for 300s\nnode\.kubernetes\.io\/unreachable:NoExecute for 300s\n$/ },
  { id: "node-failure", fact: "N9", line: "kubectl get pods -o wide", nth: 2, match: /^(?![\s\S]*Terminating)/ },
  { id: "node-failure", fact: "N7/N8/D2", line: "kubectl get pods -o wide", nth: 3, match: /^web-\S+\s+1\/1\s+Terminating\s.*\sw2\s/m, count: [/^agent-\S+\s+1\/1\s+Running\s/gm, 3] },
  { id: "node-failure", fact: "X4", line: "kubectl get deployment web", match: /^web\s+3\/3\s+3\s+3\s/m },
  { id: "node-failure", fact: "N8", line: "kubectl get pods -o wide", nth: 4, match: /^(?![\s\S]*Terminating)/, count: [/\s1\/1\s+Running\s/g, 6] },
  // Init containers and sidecar.
  { id: "init-container-war", fact: "O3", line: "kubectl get pod javaweb-2", match: /^javaweb-2\s+0\/1\s+Init:0\/1\s+0\s+0s$/m },
  { id: "init-container-war", fact: "O3", line: "kubectl get pod javaweb-2", nth: 1, match: /^javaweb-2\s+1\/1\s+Running\s+0\s/m },
  { id: "init-container-war", fact: "shared emptyDir", line: "kubectl logs javaweb-2 -c tomcat", match: /Deploying web application archive \/root\/apache-tomcat-7\.0\.42-v2\/webapps\/sample\.war/ },
  { id: "init-container-war", fact: "O3/O2", line: "kubectl get pod javaweb-broken", match: /^javaweb-broken\s+0\/1\s+Init:(CrashLoopBackOff|Error)\s/m },
  { id: "init-container-war", fact: "O4", line: "kubectl get pod app-with-sidecar", match: /^app-with-sidecar\s+2\/2\s+Running\s+0\s/m },
  { id: "init-container-war", fact: "shared emptyDir", line: "kubectl logs app-with-sidecar -c log-shipper", match: /request handled/ },
];

describe.each(index)("lesson $id", ({ id }) => {
  const text = read(id);
  const lesson = parseLesson(text);

  it("has narrated steps, and every question has an expected answer", () => {
    expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
    for (const s of lesson.steps) {
      expect(s.narration.length + (s.question?.length ?? 0), `step ${s.firstCommand} has no narration`).toBeGreaterThan(0);
      if (s.question !== undefined) expect(s.answer, `question "${s.question}" has no [answer]`).toBeTruthy();
    }
    expect(lesson.steps.some((s) => s.question)).toBe(true);
  });

  const golden = join(DIR, `${id}.out`);
  let run: ReturnType<typeof runScript> | undefined;
  const once = () => (run ??= runScript(text));

  it("runs and prints its golden transcript", () => {
    const { transcript } = once();
    if (UPDATE) writeFileSync(golden, transcript);
    if (!existsSync(golden)) throw new Error(`missing golden ${golden}: run with UPDATE=1, then read it against the spec`);
    const want = readFileSync(golden, "utf8");
    if (transcript !== want) {
      const hint = normalise(transcript) === normalise(want)
        ? `${id}: only generated names (and the row order they sort into) changed — UPDATE=1 is safe`
        : `${id}: behaviour changed — read the diff against k8s-semantics.md before UPDATE=1`;
      expect(transcript, hint).toBe(want);
    }
  });

  const checks = CHECKS.filter((c) => c.id === id);
  it.each(checks)("shows $fact: $line #$nth", (c) => {
    const { session } = once();
    const hits = session.history.filter((h) => h.line === c.line);
    const h = hits[c.nth ?? 0];
    expect(h, `command not found in the lesson: ${c.line}`).toBeDefined();
    const out = h!.result.out + h!.result.err;
    for (const m of Array.isArray(c.match) ? c.match : [c.match]) expect(out).toMatch(m);
    if (c.count) expect(out.match(c.count[0])?.length ?? 0).toBe(c.count[1]);
  });

  it("is deterministic: a second run and a replay to the end print the same", () => {
    const a = once().transcript;
    expect(runScript(text).transcript).toBe(a);
    expect(transcriptOf(replayTo(text, {}, { step: Number.MAX_SAFE_INTEGER }))).toBe(a);
  });
});
