/**
 * Patches as the API server applies them: JSON merge patch (RFC 7386), strategic merge patch (lists
 * of containers/ports/env/volumes… merge by their key, `$patch: delete|replace`), JSON patch (RFC 6902);
 * and kubectl apply's three-way merge (last-applied vs manifest vs live). Pure.
 */
type J = unknown;
type Obj = Record<string, J>;

const isObj = (v: J): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** patchMergeKey of list fields (from the Go types' `patchStrategy:"merge" patchMergeKey:"…"`). */
const MERGE_KEYS: Record<string, string> = {
  containers: "name", initContainers: "name", ephemeralContainers: "name", env: "name", volumes: "name",
  volumeMounts: "mountPath", volumeDevices: "devicePath", imagePullSecrets: "name", hostAliases: "ip",
  conditions: "type", ownerReferences: "uid", taints: "key", addresses: "type", topologySpreadConstraints: "topologyKey",
  resourceClaims: "name", podIPs: "ip", hostIPs: "ip", schedulingGates: "name", readinessGates: "conditionType",
};
/** containerPort lists merge on containerPort; Service ports on port. */
function mergeKeyFor(field: string, items: J[]): string | undefined {
  if (field === "ports") return items.some((i) => isObj(i) && "containerPort" in i) ? "containerPort" : "port";
  if (field === "finalizers") return undefined;
  return MERGE_KEYS[field];
}
/** Primitive lists merged as sets (patchStrategy merge on []string). */
const SET_LISTS = new Set(["finalizers"]);

export function mergePatch(target: J, patch: J): J {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function strategicMergePatch(target: J, patch: J, field = ""): J {
  if (Array.isArray(patch)) {
    const key = mergeKeyFor(field, patch);
    if (SET_LISTS.has(field) && Array.isArray(target)) {
      const out = [...target];
      for (const p of patch) if (!out.includes(p)) out.push(p);
      return out;
    }
    if (!key || !Array.isArray(target)) return clone(patch).filter((p: J) => !(isObj(p) && p.$patch));
    if (patch.some((p) => isObj(p) && p.$patch === "replace")) return clone(patch).filter((p: J) => !(isObj(p) && p.$patch));
    const out = clone(target) as J[];
    for (const p of patch) {
      if (!isObj(p)) continue;
      const idx = out.findIndex((t) => isObj(t) && t[key] === p[key]);
      if (p.$patch === "delete") { if (idx >= 0) out.splice(idx, 1); continue; }
      if (idx >= 0) out[idx] = strategicMergePatch(out[idx], p, "");
      else out.push(stripDirectives(p));
    }
    return out;
  }
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === "replace") return stripDirectives(patch);
  if (patch.$patch === "delete") return undefined;
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    if (v === null) delete out[k];
    else {
      const r = strategicMergePatch(out[k], v, k);
      if (r === undefined) delete out[k];
      else out[k] = r;
    }
  }
  return out;
}

function stripDirectives(v: J): J {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("$")) out[k] = stripDirectives(x);
  return out;
}

export class PatchError extends Error {}

function decodePointer(p: string): string[] {
  if (p === "") return [];
  if (!p.startsWith("/")) throw new PatchError(`add operation does not apply: doc is missing path: "${p}": missing value`);
  return p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** RFC 6902 (evanphx/json-patch wording for the common errors). */
export function jsonPatch(doc: J, ops: J): J {
  if (!Array.isArray(ops)) throw new PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let root = clone(doc);
  const parentOf = (path: string[], op: string, rawPath: string): { parent: Obj | J[]; key: string } => {
    let cur: J = root;
    for (const seg of path.slice(0, -1)) {
      if (Array.isArray(cur)) cur = cur[Number(seg)];
      else if (isObj(cur)) cur = cur[seg];
      else cur = undefined;
      if (cur === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: "${rawPath}": missing value`);
    }
    if (!isObj(cur) && !Array.isArray(cur)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${rawPath}": missing value`);
    return { parent: cur, key: path.at(-1)! };
  };
  const get = (rawPath: string, op: string): J => {
    let cur: J = root;
    for (const seg of decodePointer(rawPath)) {
      cur = Array.isArray(cur) ? cur[Number(seg)] : isObj(cur) ? cur[seg] : undefined;
      if (cur === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: "${rawPath}": missing value`);
    }
    return cur;
  };
  const remove = (rawPath: string, op: string): J => {
    const { parent, key } = parentOf(decodePointer(rawPath), op, rawPath);
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (!(i >= 0 && i < parent.length)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${rawPath}": missing value`);
      return parent.splice(i, 1)[0];
    }
    if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${rawPath}": missing value`);
    const v = parent[key];
    delete parent[key];
    return v;
  };
  const add = (rawPath: string, value: J, op: string) => {
    const path = decodePointer(rawPath);
    if (!path.length) { root = clone(value); return; }
    const { parent, key } = parentOf(path, op, rawPath);
    if (Array.isArray(parent)) {
      const i = key === "-" ? parent.length : Number(key);
      if (!(i >= 0 && i <= parent.length)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${rawPath}": missing value`);
      parent.splice(i, 0, clone(value));
    } else parent[key] = clone(value);
  };
  for (const o of ops as Obj[]) {
    const op = String(o.op), path = String(o.path ?? "");
    switch (op) {
      case "add": add(path, o.value, op); break;
      case "remove": remove(path, op); break;
      case "replace": {
        get(path, op);
        const p = decodePointer(path);
        if (!p.length) { root = clone(o.value); break; }
        const { parent, key } = parentOf(p, op, path);
        if (Array.isArray(parent)) parent[Number(key)] = clone(o.value);
        else parent[key] = clone(o.value);
        break;
      }
      case "move": { const v = remove(String(o.from), op); add(path, v, op); break; }
      case "copy": add(path, get(String(o.from), op), op); break;
      case "test":
        if (JSON.stringify(get(path, op)) !== JSON.stringify(o.value)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op}`);
    }
  }
  return root;
}

/**
 * kubectl apply's three-way merge: start from live; fields in `last` but not in `desired` are removed;
 * fields in `desired` are set (maps recursively, keyed lists item by item, other lists replaced).
 */
export function threeWayMerge(live: J, last: J, desired: J, field = ""): J {
  if (isObj(desired)) {
    const out: Obj = isObj(live) ? clone(live) : {};
    const l = isObj(last) ? last : {};
    for (const k of Object.keys(l)) if (!(k in desired)) delete out[k];
    for (const [k, v] of Object.entries(desired)) {
      if (v === null) { delete out[k]; continue; }
      out[k] = threeWayMerge(out[k], l[k], v, k);
    }
    return out;
  }
  if (Array.isArray(desired)) {
    const key = mergeKeyFor(field, desired);
    if (!key || !Array.isArray(live)) return clone(desired);
    const lastItems = Array.isArray(last) ? last : [];
    const out: J[] = [];
    for (const d of desired) {
      const lv = live.find((x) => isObj(x) && isObj(d) && x[key] === d[key]);
      const la = lastItems.find((x) => isObj(x) && isObj(d) && x[key] === d[key]);
      out.push(lv === undefined ? clone(d) : threeWayMerge(lv, la, d, ""));
    }
    // items someone else added (not in last-applied) stay
    for (const x of live) {
      if (!isObj(x)) continue;
      if (desired.some((d) => isObj(d) && d[key] === x[key])) continue;
      if (lastItems.some((d) => isObj(d) && d[key] === x[key])) continue;
      out.push(clone(x));
    }
    return out;
  }
  return clone(desired);
}
