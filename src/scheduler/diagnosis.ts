/**
 * Why a pending pod is not scheduled, for the UI and `kubectl describe`: the FailedScheduling message (K4) and,
 * per node, the first failing filter plugin's reasons (K1).
 */
import type { Simulation } from "../simulation.ts";
import { REASON_PREFILTER_AFFINITY } from "./filters.ts";
import { rejectedNow, schedulerState } from "./scheduler.ts";
import type { Pod } from "../api/types.ts";
import { splitKey } from "../api/types.ts";

export interface Diagnosis {
  /** The FailedScheduling message (K4), e.g. "0/3 nodes are available: …". */
  message: string;
  /** node name → reasons of the first failing filter plugin (K1). */
  perNode: Record<string, { plugin: string; reasons: string[] }>;
}

export function getSchedulingDiagnosis(sim: Simulation, podKey: string): Diagnosis | undefined {
  const st = schedulerState(sim);
  const d = st?.diagnosis.get(podKey);
  if (!st || !d) return undefined;
  const perNode: Diagnosis["perNode"] = {};
  let rejected = d.rejected;
  if (!rejected) {
    const { namespace, name } = splitKey(podKey);
    const pod = sim.store.get<Pod>("Pod", namespace, name);
    rejected = pod ? rejectedNow(st, pod) : new Map();
  }
  for (const n of st.cache.nodeOrder) {
    if (d.preFilter && !d.preFilter.has(n)) { perNode[n] = { plugin: "NodeAffinity", reasons: [REASON_PREFILTER_AFFINITY] }; continue; }
    const r = rejected.get(n);
    if (r) perNode[n] = { plugin: r.plugin, reasons: [...r.reasons] };
  }
  return { message: d.message, perNode };
}
