/**
 * In-memory file systems for container programs. A `Volume` is a flat tree (paths relative to its root);
 * a container's `FileSystem` is its own root volume plus mounts (emptyDir, configMap, secret…), so a volume
 * shared by two containers of a pod (an init container included) is literally the same object.
 */
export class Volume {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>([""]);
  constructor(readonly readOnly = false) {}

  /** Deep copy (a container's fresh root from an image template). */
  copy(): Volume {
    const v = new Volume(this.readOnly);
    for (const [k, c] of this.files) v.files.set(k, c);
    for (const d of this.dirs) v.dirs.add(d);
    return v;
  }

  addFile(rel: string, content: string): void {
    const r = trim(rel);
    this.files.set(r, content);
    let p = parentOf(r);
    while (p !== "" && !this.dirs.has(p)) { this.dirs.add(p); p = parentOf(p); }
  }
}

function trim(p: string): string {
  return p.replace(/^\/+|\/+$/g, "");
}
function parentOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i < 0 ? "" : rel.slice(0, i);
}

/** Normalise an absolute or relative path against cwd: resolves `.`, `..`, duplicate slashes. */
export function normalize(path: string, cwd = "/"): string {
  const abs = path.startsWith("/") ? path : `${cwd.replace(/\/$/, "")}/${path}`;
  const out: string[] = [];
  for (const seg of abs.split("/")) {
    if (!seg || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

export interface Mount { path: string; volume: Volume; readOnly: boolean }

export type FsError = "ENOENT" | "EISDIR" | "ENOTDIR" | "EROFS" | "EEXIST" | "ENOTEMPTY";

export class FileSystem {
  /** Longest mount path first. */
  private mounts: Mount[];
  constructor(readonly root: Volume, mounts: Mount[] = []) {
    this.mounts = [...mounts].map((m) => ({ ...m, path: normalize(m.path) })).sort((a, b) => b.path.length - a.path.length);
    for (const m of this.mounts) this.mkdirp(m.path, true);
  }

  private resolve(path: string): { vol: Volume; rel: string; ro: boolean; mountPoint: boolean } {
    const p = normalize(path);
    for (const m of this.mounts) {
      if (p === m.path) return { vol: m.volume, rel: "", ro: m.readOnly || m.volume.readOnly, mountPoint: true };
      if (p.startsWith(m.path + "/")) return { vol: m.volume, rel: p.slice(m.path.length + 1), ro: m.readOnly || m.volume.readOnly, mountPoint: false };
    }
    return { vol: this.root, rel: p.slice(1), ro: false, mountPoint: false };
  }

  isDir(path: string): boolean {
    const r = this.resolve(path);
    return r.vol.dirs.has(r.rel);
  }
  isFile(path: string): boolean {
    const r = this.resolve(path);
    return r.vol.files.has(r.rel);
  }
  exists(path: string): boolean {
    return this.isDir(path) || this.isFile(path);
  }
  read(path: string): string | FsError {
    const r = this.resolve(path);
    if (r.vol.dirs.has(r.rel)) return "EISDIR";
    const c = r.vol.files.get(r.rel);
    return c === undefined ? "ENOENT" : c;
  }
  write(path: string, content: string, append = false): FsError | undefined {
    const r = this.resolve(path);
    if (r.ro) return "EROFS";
    if (r.vol.dirs.has(r.rel)) return "EISDIR";
    const parent = normalize(path + "/..");
    if (!this.isDir(parent)) return "ENOENT";
    r.vol.files.set(r.rel, (append ? r.vol.files.get(r.rel) ?? "" : "") + content);
    return undefined;
  }
  remove(path: string, recursive = false): FsError | undefined {
    const r = this.resolve(path);
    if (r.ro) return "EROFS";
    if (r.vol.files.delete(r.rel)) return undefined;
    if (!r.vol.dirs.has(r.rel)) return "ENOENT";
    if (!recursive) return "EISDIR";
    const pre = r.rel === "" ? "" : r.rel + "/";
    for (const k of [...r.vol.files.keys()]) if (k.startsWith(pre)) r.vol.files.delete(k);
    for (const d of [...r.vol.dirs]) if (d.startsWith(pre) && d !== "") r.vol.dirs.delete(d);
    if (r.rel !== "" && !r.mountPoint) r.vol.dirs.delete(r.rel);
    return undefined;
  }
  mkdir(path: string, parents = false): FsError | undefined {
    if (this.exists(path)) return parents && this.isDir(path) ? undefined : "EEXIST";
    const parent = normalize(path + "/..");
    if (!this.isDir(parent)) {
      if (!parents) return "ENOENT";
      const e = this.mkdir(parent, true);
      if (e) return e;
    }
    const r = this.resolve(path);
    if (r.ro) return "EROFS";
    r.vol.dirs.add(r.rel);
    return undefined;
  }
  private mkdirp(path: string, force: boolean) {
    const segs = normalize(path).split("/").filter(Boolean);
    let cur = "";
    for (const s of segs) {
      cur += "/" + s;
      const r = this.resolve(cur);
      if (force || !r.ro) r.vol.dirs.add(r.rel);
    }
  }
  /** Entry names directly under a directory, sorted (as `ls` prints them). */
  list(path: string): string[] | FsError {
    const p = normalize(path);
    if (this.isFile(p)) return "ENOTDIR";
    if (!this.isDir(p)) return "ENOENT";
    const names = new Set<string>();
    const r = this.resolve(p);
    const pre = r.rel === "" ? "" : r.rel + "/";
    for (const k of r.vol.files.keys()) if (k.startsWith(pre) && !k.slice(pre.length).includes("/")) names.add(k.slice(pre.length));
    for (const d of r.vol.dirs) if (d !== r.rel && d.startsWith(pre) && d !== "" && !d.slice(pre.length).includes("/")) names.add(d.slice(pre.length));
    const base = p === "/" ? "/" : p + "/";
    for (const m of this.mounts) {
      if (m.path.startsWith(base) && !m.path.slice(base.length).includes("/")) names.add(m.path.slice(base.length));
    }
    return [...names].filter(Boolean).sort();
  }
}
