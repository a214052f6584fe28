/**
 * Resource quantities (apimachinery resource.Quantity, the subset the simulator needs) and pod requests.
 * Pure: must not read the store.
 */
import type { Pod } from "../api/types.ts";

const BIN: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DEC: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parsed quantity texts (a cluster uses a handful: "10m", "16Mi", "128Gi", "110"…). */
const QUANTITIES = new Map<string, number>();

/** Parse a quantity ("100m", "1.5", "128Mi", "1e3") to a plain number (cores, bytes). NaN when invalid. */
export function parseQuantity(q: string | number | undefined | null): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === "number") return q;
  if (typeof q === "string") {
    let v = QUANTITIES.get(q);
    if (v === undefined) {
      v = parseQuantityText(q);
      if (QUANTITIES.size >= 4096) QUANTITIES.clear();
      QUANTITIES.set(q, v);
    }
    return v;
  }
  return parseQuantityText(String(q));
}

function parseQuantityText(q: string): number {
  const m = q.trim().match(/^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/);
  if (!m) return NaN;
  const n = parseFloat(m[1]!);
  if (m[2]) return n * BIN[m[2]]!;
  if (m[3]) return n * Math.pow(10, parseInt(m[3].slice(1), 10));
  return n * DEC[m[4] ?? ""]!;
}

/** CPU in millicores (rounded up, as Quantity.MilliValue does). */
export function milliCpu(q: string | number | undefined | null): number {
  const v = parseQuantity(q);
  return Number.isNaN(v) ? 0 : Math.ceil(Math.round(v * 1e6) / 1e3);
}

/** Bytes (rounded up). */
export function bytes(q: string | number | undefined | null): number {
  const v = parseQuantity(q);
  return Number.isNaN(v) ? 0 : Math.ceil(v);
}

/** Scoring's non-zero defaults for pods without requests (schedutil.DefaultMilliCPURequest / DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

/** Requests as the scheduler sums them: per resource, max(sum of app containers, max of init containers) + overhead. */
export interface Requests {
  cpu: number; // millicores
  memory: number; // bytes
  ephemeral: number; // bytes
  /** Extended resources by name (e.g. nvidia.com/gpu), integer units. */
  other: Record<string, number>;
}

function addTo(r: Requests, list: Record<string, unknown> | undefined) {
  if (!list) return;
  for (const k in list) {
    if (!Object.prototype.hasOwnProperty.call(list, k)) continue;
    const v = list[k];
    if (k === "cpu") r.cpu += milliCpu(v as string);
    else if (k === "memory") r.memory += bytes(v as string);
    else if (k === "ephemeral-storage") r.ephemeral += bytes(v as string);
    else r.other[k] = (r.other[k] ?? 0) + parseQuantity(v as string);
  }
}

function containerReq(c: { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }): Requests {
  const r: Requests = { cpu: 0, memory: 0, ephemeral: 0, other: {} };
  // The API server defaults requests to limits; objects built directly in tests may not have that.
  const lim = c.resources?.limits, req = c.resources?.requests;
  if (!lim) addTo(r, req);
  else if (!req) addTo(r, lim);
  else addTo(r, { ...lim, ...req });
  return r;
}

const ZERO_REQ: Requests = Object.freeze({ cpu: 0, memory: 0, ephemeral: 0, other: Object.freeze({}) });
function zeroReq(): Requests {
  return { cpu: 0, memory: 0, ephemeral: 0, other: {} };
}
function addReq(a: Requests, r: Requests) {
  a.cpu += r.cpu; a.memory += r.memory; a.ephemeral += r.ephemeral;
  for (const k in r.other) a.other[k] = (a.other[k] ?? 0) + r.other[k]!;
}
function maxReq(a: Requests, r: Requests) {
  a.cpu = Math.max(a.cpu, r.cpu); a.memory = Math.max(a.memory, r.memory); a.ephemeral = Math.max(a.ephemeral, r.ephemeral);
  for (const k in r.other) a.other[k] = Math.max(a.other[k] ?? 0, r.other[k]!);
}

/**
 * resourcehelper.PodRequests (noderesources.computePodResourceRequest): Σ containers + Σ sidecars
 * (init containers with restartPolicy Always, KEP-753), at least the peak of the init phase — each regular
 * init container plus the sidecars started before it — per resource; plus the pod overhead.
 */
export function podRequests(pod: Pod): Requests {
  const sum = zeroReq();
  for (const c of pod.spec?.containers ?? []) addReq(sum, containerReq(c as never));
  const inits = pod.spec?.initContainers;
  if (inits?.length) {
    const sidecars = zeroReq(), initPeak = zeroReq();
    for (const c of inits) {
      const r = containerReq(c as never);
      if ((c as { restartPolicy?: string }).restartPolicy === "Always") {
        addReq(sum, r);
        addReq(sidecars, r);
        maxReq(initPeak, sidecars);
      } else {
        const running = zeroReq();
        addReq(running, r);
        addReq(running, sidecars);
        maxReq(initPeak, running);
      }
    }
    maxReq(sum, initPeak);
  } else maxReq(sum, ZERO_REQ);
  addTo(sum, pod.spec?.overhead as Record<string, unknown> | undefined);
  return sum;
}

/** Pod QoS class (pkg/apis/core/helper/qos GetPodQOS). */
export function qosClass(pod: { spec?: { containers?: unknown[]; initContainers?: unknown[] } }): "Guaranteed" | "Burstable" | "BestEffort" {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as Array<{ resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }>;
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const k of ["cpu", "memory"]) {
      if (req[k] !== undefined && parseQuantity(req[k]) !== 0) any = true;
      if (lim[k] !== undefined && parseQuantity(lim[k]) !== 0) any = true;
    }
    for (const k of ["cpu", "memory"]) {
      if (lim[k] === undefined) { guaranteed = false; continue; }
      const r = req[k] ?? lim[k];
      if (parseQuantity(r) !== parseQuantity(lim[k])) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
