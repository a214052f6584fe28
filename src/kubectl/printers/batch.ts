/**
 * `kubectl get` and `kubectl describe` for DaemonSet (D6), Job (J15) and CronJob (C9), column by column
 * from pkg/printers/internalversion/printers.go (`printDaemonSet`, `printJob`, `printCronJob`) and
 * k8s.io/kubectl/pkg/describe/describe.go (`describeDaemonSet`, `describeJob`, `describeCronJob`).
 */
import type { CronJob, DaemonSet, Job, KubeObject, Pod } from "../../api/types.ts";
import { formatLabels, formatLabelSelector } from "../../api/labels.ts";
import { age, humanDuration, parseTime } from "../../util/time.ts";
import type { Simulation } from "../../simulation.ts";
import { describeEvents, describePodTemplate, eventsFor, PrefixWriter, rfc1123z } from "../describe.ts";
import type { KindPrinters, PrintCtx } from "./types.ts";

const ageOf = (o: KubeObject, c: PrintCtx) => age(o.metadata.creationTimestamp, c.now);

function containerCells(spec: { containers?: Array<{ name: string; image?: string }> } | undefined): [string, string] {
  const cs = spec?.containers ?? [];
  return [cs.map((c) => c.name).join(","), cs.map((c) => c.image ?? "").join(",")];
}

function hasCondition(o: KubeObject, type: string): boolean {
  return (o.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === "True");
}

/** printJob STATUS (J15). */
export function jobStatusText(job: KubeObject): string {
  if (hasCondition(job, "Complete")) return "Complete";
  if (hasCondition(job, "Failed")) return "Failed";
  if (job.metadata.deletionTimestamp) return "Terminating";
  if (hasCondition(job, "Suspended")) return "Suspended";
  if (hasCondition(job, "FailureTarget")) return "FailureTarget";
  return "Running";
}

/** printJob COMPLETIONS (J15). */
export function jobCompletionsText(job: KubeObject): string {
  const s = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec?.completions !== null) return `${s}/${job.spec.completions}`;
  const par = job.spec?.parallelism;
  if (par === undefined || par === null) return `${s}/1`;
  if (par > 1) return `${s}/1 of ${par}`;
  return `${s}/1`;
}

/** printJob DURATION (J15): empty without startTime; completion − start; else now − start. */
export function jobDurationText(job: KubeObject, now: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return "";
  const end = parseTime(job.status?.completionTime);
  return humanDuration((end ?? now) - start);
}

function printBoolPtr(v: unknown): string {
  if (v === undefined || v === null) return "<unset>";
  return v ? "True" : "False";
}

// ------------------------------------------------------------------ describe helpers

function multiline(w: PrefixWriter, title: string, m: Record<string, string> | undefined, sep: "=" | ": ", skip: string[] = []) {
  const keys = Object.keys(m ?? {}).filter((k) => !skip.includes(k)).sort();
  w.write(0, `${title}:\t`);
  if (!keys.length) { w.write(0, "<none>\n"); return; }
  keys.forEach((k, i) => {
    let v = m![k]!;
    if (sep === ": " && v.length > 200) v = v.slice(0, 197) + "...";
    if (i > 0) w.write(0, "\t");
    w.write(0, `${k}${sep}${v}\n`);
  });
}
const labelsML = (w: PrefixWriter, m: Record<string, string> | undefined) => multiline(w, "Labels", m, "=");
const annotationsML = (w: PrefixWriter, m: Record<string, string> | undefined) =>
  multiline(w, "Annotations", m, ": ", ["kubectl.kubernetes.io/last-applied-configuration"]);

function podPhaseCounts(pods: Pod[]): string {
  const count = (ph: string) => pods.filter((p) => (p.status?.phase ?? "Pending") === ph).length;
  return `${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed`;
}

function controlledBy(w: PrefixWriter, o: KubeObject) {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (ref) w.write(0, `Controlled By:\t${ref.kind}/${ref.name}\n`);
}

/** describeDaemonSet. */
export function describeDaemonSet(sim: Simulation, ds: DaemonSet): string {
  const w = new PrefixWriter();
  const st: any = ds.status ?? {};
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(ds.spec.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec.template?.spec?.nodeSelector)}\n`);
  labelsML(w, ds.metadata.labels);
  annotationsML(w, ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  const pods = sim.store.ownedBy<Pod>(ds.metadata.uid, "Pod");
  w.write(0, `Pods Status:\t${podPhaseCounts(pods)}\n`);
  describePodTemplate(w, ds.spec.template as never);
  describeEvents(w, eventsFor(sim, ds), sim.now);
  return w.toString();
}

/** describeJob. */
export function describeJob(sim: Simulation, job: Job): string {
  const w = new PrefixWriter();
  const spec: any = job.spec ?? {};
  const st: any = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  labelsML(w, job.metadata.labels);
  annotationsML(w, job.metadata.annotations);
  controlledBy(w, job);
  if (spec.parallelism != null) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec.completions != null ? spec.completions : "<unset>"}\n`);
  if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend != null) w.write(0, `Suspend:\t${spec.suspend ? "true" : "false"}\n`);
  if (spec.backoffLimit != null) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished != null) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(parseTime(st.completionTime)! - parseTime(st.startTime)!)}\n`);
  if (spec.activeDeadlineSeconds != null) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  if (st.ready === undefined || st.ready === null) w.write(0, `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  else w.write(0, `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === "Indexed") w.write(0, `Completed Indexes:\t${capIndexes(st.completedIndexes, 50)}\n`);
  describePodTemplate(w, spec.template);
  describeEvents(w, eventsFor(sim, job), sim.now);
  return w.toString();
}

/** capIndexesListOrNone. */
function capIndexes(s: string | undefined, max: number): string {
  if (!s) return "<none>";
  const parts = s.split(",");
  if (parts.length <= max) return s;
  return `${parts.slice(0, max).join(",")}, ...`;
}

/** describeCronJob. */
export function describeCronJob(sim: Simulation, cj: CronJob): string {
  const w = new PrefixWriter();
  const spec: any = cj.spec ?? {};
  const st: any = cj.status ?? {};
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  labelsML(w, cj.metadata.labels);
  annotationsML(w, cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ""}\n`);
  w.write(0, `Suspend:\t${printBoolPtr(spec.suspend)}\n`);
  w.write(0, `Successful Job History Limit:\t${spec.successfulJobsHistoryLimit ?? "<unset>"}\n`);
  w.write(0, `Failed Job History Limit:\t${spec.failedJobsHistoryLimit ?? "<unset>"}\n`);
  w.write(0, `Starting Deadline Seconds:\t${spec.startingDeadlineSeconds != null ? `${spec.startingDeadlineSeconds}s` : "<unset>"}\n`);
  const jt: any = spec.jobTemplate?.spec ?? {};
  w.write(0, `Selector:\t${jt.selector ? formatLabelSelector(jt.selector) : "<unset>"}\n`);
  w.write(0, `Parallelism:\t${jt.parallelism ?? "<unset>"}\n`);
  w.write(0, `Completions:\t${jt.completions ?? "<unset>"}\n`);
  if (jt.activeDeadlineSeconds != null) w.write(0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
  describePodTemplate(w, jt.template);
  w.write(0, `Last Schedule Time:\t${st.lastScheduleTime ? rfc1123z(st.lastScheduleTime) : "<unset>"}\n`);
  const active: Array<{ name: string }> = st.active ?? [];
  w.write(0, `Active Jobs:\t${active.length ? active.map((a) => a.name).join(", ") : "<none>"}\n`);
  describeEvents(w, eventsFor(sim, cj), sim.now);
  return w.toString();
}

export const printers: Record<string, KindPrinters> = {
  DaemonSet: {
    table: {
      columns: ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
      wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
      row(o, c) {
        const st = o.status ?? {};
        return [o.metadata.name, String(st.desiredNumberScheduled ?? 0), String(st.currentNumberScheduled ?? 0), String(st.numberReady ?? 0),
          String(st.updatedNumberScheduled ?? 0), String(st.numberAvailable ?? 0), formatLabels(o.spec?.template?.spec?.nodeSelector), ageOf(o, c)];
      },
      wideRow(o) {
        const [names, images] = containerCells(o.spec?.template?.spec);
        return [names, images, formatLabelSelector(o.spec?.selector)];
      },
    },
    describe: (o, c) => describeDaemonSet(c.sim, o as DaemonSet),
  },
  Job: {
    table: {
      columns: ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
      wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
      row(o, c) {
        return [o.metadata.name, jobStatusText(o), jobCompletionsText(o), jobDurationText(o, c.now), ageOf(o, c)];
      },
      wideRow(o) {
        const [names, images] = containerCells(o.spec?.template?.spec);
        return [names, images, formatLabelSelector(o.spec?.selector)];
      },
    },
    describe: (o, c) => describeJob(c.sim, o as Job),
  },
  CronJob: {
    table: {
      columns: ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
      wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
      row(o, c) {
        const st = o.status ?? {};
        return [o.metadata.name, o.spec?.schedule ?? "", o.spec?.timeZone ?? "<none>", printBoolPtr(o.spec?.suspend), String((st.active ?? []).length),
          st.lastScheduleTime ? age(st.lastScheduleTime, c.now) : "<none>", ageOf(o, c)];
      },
      wideRow(o) {
        const jt = o.spec?.jobTemplate?.spec;
        const [names, images] = containerCells(jt?.template?.spec);
        return [names, images, formatLabelSelector(jt?.selector)];
      },
    },
    describe: (o, c) => describeCronJob(c.sim, o as CronJob),
  },
};
