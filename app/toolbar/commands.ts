/** The script line each control stands for (ARCHITECTURE.md "the session is a script"). Pure. */
import type { Selection } from "../store/simStore.ts";

const nsFlag = (ns: string) => (ns && ns !== "default" ? ` -n ${ns}` : "");

export interface AddNodeForm { name: string; cpu: string; memory: string; pods: string; labels: string; taints: string }

const splitList = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

export function addNodeLine(f: AddNodeForm): string {
  let line = `sim node add ${f.name.trim()}`;
  if (f.cpu.trim()) line += ` --cpu ${f.cpu.trim()}`;
  if (f.memory.trim()) line += ` --memory ${f.memory.trim()}`;
  if (f.pods.trim() && f.pods.trim() !== "110") line += ` --pods ${f.pods.trim()}`;
  for (const l of splitList(f.labels)) line += ` --label ${l}`;
  for (const t of splitList(f.taints)) line += ` --taint ${t}`;
  return line;
}

/** Next free worker name: w1, w2, … */
export function nextNodeName(existing: string[]): string {
  const have = new Set(existing);
  for (let i = 1; ; i++) if (!have.has(`w${i}`)) return `w${i}`;
}

export const taintLine = (node: string, spec: string) => `kubectl taint nodes ${node} ${spec.trim()}`;
/** `key[=value]:Effect` → `key:Effect-` (kubectl removes by key and effect). */
export function untaintLine(node: string, spec: string): string {
  const m = /^([^=:]+)(?:=[^:]*)?(?::(\w+))?-?$/.exec(spec.trim());
  const key = m?.[1] ?? spec.trim();
  return `kubectl taint nodes ${node} ${key}${m?.[2] ? `:${m[2]}` : ""}-`;
}
export const cordonLine = (node: string) => `kubectl cordon ${node}`;
export const uncordonLine = (node: string) => `kubectl uncordon ${node}`;
export const drainLine = (node: string) => `kubectl drain ${node} --ignore-daemonsets --force`;
export const stopLine = (node: string) => `sim node stop ${node}`;
export const startLine = (node: string) => `sim node start ${node}`;
export const deleteNodeLine = (node: string) => `kubectl delete node ${node}`;
export const failPodLine = (sel: Selection, exitCode: number) => `sim pod fail ${sel.name}${nsFlag(sel.namespace)} --exit-code ${exitCode}`;
export const deletePodLine = (sel: Selection) => `kubectl delete pod ${sel.name}${nsFlag(sel.namespace)}`;

/** `kubectl describe TYPE NAME [-n NS]` for the describe panel. */
export function describeLine(sel: Selection): string {
  const type = sel.kind.toLowerCase();
  return `kubectl describe ${type} ${sel.name}${sel.kind === "Node" ? "" : nsFlag(sel.namespace)}`;
}
