/**
 * A container's environment as the kubelet builds it: the image's PATH and HOSTNAME, `envFrom`, `env` (values with
 * `$(VAR)` references expanded, downward API fieldRef/resourceFieldRef, configMapKeyRef/secretKeyRef), then the
 * Docker-links variables of the namespace's services (enableServiceLinks), then HOME.
 */
import type { ObjectStore } from "../api/store.ts";
import type { KubeObject, Pod } from "../api/types.ts";
import { parseQuantity } from "../scheduler/resources.ts";

/** Kubernetes `$(VAR)` expansion (third_party/forked/golang/expansion): `$$` escapes, unknown refs stay. */
export function expandK8sRefs(s: string, env: Map<string, string>): string {
  if (s.indexOf("$") < 0) return s; // nothing to expand (the usual command line)
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "$" && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (n === "$") { out += "$"; i++; continue; }
      if (n === "(") {
        const j = s.indexOf(")", i + 2);
        if (j > 0) {
          const name = s.slice(i + 2, j);
          const v = env.get(name);
          out += v !== undefined ? v : s.slice(i, j + 1);
          i = j;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

function decodeB64(s: string): string {
  try {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    return s;
  }
}

export function fieldRefValue(pod: Pod, path: string, podIP: string, hostIP: string): string {
  const m = path.match(/^metadata\.(labels|annotations)\['(.+)'\]$/);
  if (m) return ((m[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations) ?? {})[m[2]!] ?? "";
  switch (path) {
    case "metadata.name": return pod.metadata.name;
    case "metadata.namespace": return pod.metadata.namespace ?? "default";
    case "metadata.uid": return pod.metadata.uid;
    case "spec.nodeName": return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? "default";
    case "status.podIP": case "status.podIPs": return podIP;
    case "status.hostIP": case "status.hostIPs": return hostIP;
  }
  return "";
}

function resourceValue(spec: any, ref: any): string {
  const [kind, res] = String(ref.resource ?? "").split(".");
  const q = spec.resources?.[kind === "requests" ? "requests" : "limits"]?.[res!];
  const divisor = ref.divisor ? parseQuantity(ref.divisor) : 1;
  if (q === undefined) {
    // limits default to node allocatable; requests default to 0
    if (kind === "limits") return res === "cpu" ? "2" : res === "memory" ? String(4 * 2 ** 30) : "0";
    return "0";
  }
  return String(Math.ceil(parseQuantity(q) / (divisor || 1)));
}

/** A Service's Docker-links variables (name, value, name, value…), worked out once per stored Service version. */
const linkVars = new WeakMap<object, string[]>();

function serviceLinkVars(s: KubeObject): string[] {
  let out = linkVars.get(s);
  if (out) return out;
  out = [];
  const set = (k: string, v: string) => { out!.push(k, v); };
  const ip = s.spec?.clusterIP;
  const ports = (s.spec?.ports ?? []) as any[];
  if (ip && ip !== "None" && ports.length) {
    const name = s.metadata.name.toUpperCase().replace(/-/g, "_");
    const p0 = ports[0];
    set(`${name}_SERVICE_HOST`, ip);
    set(`${name}_SERVICE_PORT`, String(p0.port));
    for (const p of ports) if (p.name) set(`${name}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, "_")}`, String(p.port));
    set(`${name}_PORT`, `${String(p0.protocol ?? "TCP").toLowerCase()}://${ip}:${p0.port}`);
    for (const p of ports) {
      const proto = String(p.protocol ?? "TCP");
      const pre = `${name}_PORT_${p.port}_${proto}`;
      set(pre, `${proto.toLowerCase()}://${ip}:${p.port}`);
      set(`${pre}_PROTO`, proto.toLowerCase());
      set(`${pre}_PORT`, String(p.port));
      set(`${pre}_ADDR`, ip);
    }
  }
  linkVars.set(s, out);
  return out;
}

export function containerEnv(store: ObjectStore, pod: Pod, spec: any, podIP: string, hostIP: string): Array<[string, string]> {
  const ns = pod.metadata.namespace ?? "default";
  const env = new Map<string, string>();
  env.set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  env.set("HOSTNAME", (pod.spec.hostname as string | undefined) ?? pod.metadata.name);
  for (const ef of (spec.envFrom ?? []) as any[]) {
    const prefix = ef.prefix ?? "";
    if (ef.configMapRef) {
      const cm = store.get("ConfigMap", ns, ef.configMapRef.name);
      for (const [k, v] of Object.entries((cm?.data ?? {}) as Record<string, string>)) env.set(prefix + k, v);
    }
    if (ef.secretRef) {
      const s = store.get("Secret", ns, ef.secretRef.name);
      for (const [k, v] of Object.entries((s?.data ?? {}) as Record<string, string>)) env.set(prefix + k, decodeB64(v));
    }
  }
  for (const e of (spec.env ?? []) as any[]) {
    let v = "";
    if (e.value !== undefined) v = expandK8sRefs(String(e.value), env);
    else if (e.valueFrom?.fieldRef) v = fieldRefValue(pod, e.valueFrom.fieldRef.fieldPath, podIP, hostIP);
    else if (e.valueFrom?.resourceFieldRef) v = resourceValue(spec, e.valueFrom.resourceFieldRef);
    else if (e.valueFrom?.configMapKeyRef) {
      const r = e.valueFrom.configMapKeyRef;
      v = String((store.get("ConfigMap", ns, r.name)?.data ?? {})[r.key] ?? "");
    } else if (e.valueFrom?.secretKeyRef) {
      const r = e.valueFrom.secretKeyRef;
      const raw = (store.get("Secret", ns, r.name)?.data ?? {})[r.key];
      v = raw === undefined ? "" : decodeB64(String(raw));
    }
    env.set(e.name, v);
  }
  if (pod.spec.enableServiceLinks !== false) {
    const services = [...store.list("Service", { namespace: ns }), ...(ns !== "default" ? store.list("Service", { namespace: "default" }).filter((s) => s.metadata.name === "kubernetes") : [])];
    for (const s of services) {
      const vars = serviceLinkVars(s);
      for (let i = 0; i < vars.length; i += 2) env.set(vars[i]!, vars[i + 1]!);
    }
  }
  if (!env.has("HOME")) env.set("HOME", "/root");
  return [...env];
}
