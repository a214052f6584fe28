/**
 * What an image "is" in the simulator: whether its default program exits at once (shells, language
 * runtimes) or runs until stopped (servers, anything unknown), its size and digest for events and status,
 * the files it ships, and the start-up logs of well-known servers. Pure: no store access.
 */
import { Volume } from "./shell/fs.ts";
import type { IO, Prog, Shell } from "./shell/interp.ts";
import { formatDate } from "./shell/interp.ts";
import { PARKED } from "./process.ts";

export interface ImageRef {
  /** As written in the pod spec. */
  raw: string;
  /** docker.io/library/busybox:latest */
  full: string;
  /** Repository path without registry/tag: library/busybox, bitnami/redis */
  repo: string;
  /** Last path segment without tag: busybox */
  base: string;
  tag: string;
}

export function parseImage(raw: string): ImageRef {
  let rest = raw.trim();
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) { digest = rest.slice(at); rest = rest.slice(0, at); }
  let registry = "docker.io";
  const slash = rest.indexOf("/");
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost") { registry = first; rest = rest.slice(slash + 1); }
  }
  let tag = "latest";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const repo = registry === "docker.io" && !rest.includes("/") ? `library/${rest}` : rest;
  const base = rest.slice(rest.lastIndexOf("/") + 1);
  return { raw, full: digest ? `${registry}/${repo}${digest}` : `${registry}/${repo}:${tag}`, repo: `${registry}/${repo}`, base, tag };
}

/** FNV-1a 32-bit, for stable per-image numbers (size, digest, pull time). */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** fnv with a final avalanche (murmur3 fmix32), for hex ids that look random. */
export function mixHash(s: string): number {
  let h = fnv(s);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export function imageDigest(ref: ImageRef): string {
  let hex = "";
  for (let i = 0; hex.length < 64; i++) hex += mixHash(`${ref.full}#${i}`).toString(16).padStart(8, "0");
  return `${ref.repo}@sha256:${hex.slice(0, 64)}`;
}

const SIZES: Record<string, number> = {
  busybox: 2_156_536, alpine: 3_653_068, ubuntu: 29_754_422, debian: 48_494_272, nginx: 72_188_133, httpd: 58_155_240,
  redis: 45_061_232, tomcat: 170_331_526, fluentd: 43_810_108, python: 48_930_318, node: 52_120_612, mysql: 172_104_224,
  postgres: 158_474_117, "ubuntu-bc": 77_395_186, "sample-war": 2_361_101, pause: 320_368, memcached: 30_011_492,
};

export function imageSize(ref: ImageRef): number {
  return SIZES[ref.base] ?? 5_000_000 + (fnv(ref.full) % 150_000_000);
}

/** Images whose default program is a shell or an interpreter REPL: without a TTY it exits 0 at once. */
const EXITS_AT_ONCE = new Set([
  "busybox", "alpine", "ubuntu", "debian", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "archlinux",
  "bash", "python", "node", "ruby", "perl", "golang", "openjdk", "eclipse-temurin", "ubuntu-bc", "sample-war", "curl",
]);

export type ImageKind = "shell" | "server";

export function imageKind(ref: ImageRef): ImageKind {
  if (EXITS_AT_ONCE.has(ref.base) || /war/.test(ref.base)) return "shell";
  return "server";
}

const DIRS = ["bin", "dev", "etc", "home", "lib", "proc", "root", "run", "sbin", "sys", "tmp", "usr", "usr/bin", "usr/local", "usr/local/bin", "usr/share", "var", "var/log", "var/run", "var/tmp"];

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
</body>
</html>
`;

const imageRoots = new Map<string, Volume>();

/** The read-write root file system a new container of this image starts from (a fresh copy each time). */
export function imageRoot(ref: ImageRef): Volume {
  let v = imageRoots.get(ref.full);
  if (!v) {
    v = new Volume();
    for (const d of DIRS) v.dirs.add(d);
    v.addFile("etc/os-release", ref.base === "alpine" ? `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.0\n` : `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n`);
    v.addFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    if (ref.base === "nginx") {
      v.addFile("usr/share/nginx/html/index.html", NGINX_INDEX);
      v.addFile("usr/share/nginx/html/50x.html", "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n</html>\n");
      v.addFile("etc/nginx/nginx.conf", "user  nginx;\nworker_processes  auto;\n");
      v.dirs.add("etc/nginx/conf.d");
      v.dirs.add("docker-entrypoint.d");
    }
    if (ref.base === "httpd") v.addFile("usr/local/apache2/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n");
    if (ref.base === "tomcat") v.dirs.add("usr/local/tomcat/webapps");
    if (/war/.test(ref.base)) v.addFile("sample.war", "PK\u0003\u0004 sample web application archive\n");
    imageRoots.set(ref.full, v);
  }
  return v.copy();
}

type Defaults = Readonly<{ entrypoint: readonly string[]; cmd: readonly string[] }>;

/** Frozen defaults (no lists built per container start). */
const defaults = (entrypoint: string[], cmd: string[]): Defaults => Object.freeze({ entrypoint: Object.freeze(entrypoint), cmd: Object.freeze(cmd) });
const DEFAULTS: Record<string, Defaults> = {
  nginx: defaults(["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"]),
  httpd: defaults([], ["httpd-foreground"]),
  redis: defaults(["docker-entrypoint.sh"], ["redis-server"]),
  tomcat: defaults([], ["catalina.sh", "run"]),
  fluentd: defaults([], ["fluentd"]),
  python: defaults([], ["python3"]),
  node: defaults(["docker-entrypoint.sh"], ["node"]),
};
const SHELL_BASH = defaults([], ["bash"]), SHELL_SH = defaults([], ["sh"]), NO_DEFAULTS = defaults([], []);

/** What `command`/`args` default to for an image (its ENTRYPOINT and CMD). */
export function imageDefaults(ref: ImageRef): Defaults {
  if (Object.prototype.hasOwnProperty.call(DEFAULTS, ref.base)) return DEFAULTS[ref.base]!;
  if (imageKind(ref) === "shell") return ref.base === "ubuntu" || ref.base === "debian" ? SHELL_BASH : SHELL_SH;
  return NO_DEFAULTS;
}

const SERVER_BINARIES = /^(nginx|httpd|httpd-foreground|apache2|redis-server|docker-entrypoint\.sh|catalina\.sh|startup\.sh|start\.sh|run\.sh|entrypoint\.sh|fluentd|mysqld|postgres|mongod|memcached|java|serve_hostname|nginx-ingress-controller|pause|agnhost)$/;

export interface ServerCtx {
  now(): number;
  podIP: string;
  hostname: string;
  /** Files visible to the server (for tomcat's webapps). */
  listDir(path: string): string[];
}

/**
 * An executable that starts the image's server (runs until stopped), or undefined. Shell images know no
 * server binaries; server images also accept their start scripts (`/…/bin/start.sh`, `catalina.sh`).
 */
export function serverProgram(ref: ImageRef, argv: string[], io: IO, ctx: ServerCtx, _sh?: Shell): Prog | undefined {
  const name = argv[0] ?? "";
  const base = name.slice(name.lastIndexOf("/") + 1);
  if (imageKind(ref) === "shell") return undefined;
  if (!SERVER_BINARIES.test(base) && !(name.includes("/") && /\.sh$/.test(base)) && !/^(\/usr\/sbin\/|\/usr\/local\/bin\/)/.test(name)) {
    return undefined;
  }
  return runServer(ref, argv, io, ctx);
}

/** Start-up bursts are identical for every replica started in the same second: share the string. */
const burstMemo = new Map<string, string>();

/** nginx's start-up text depends only on its argv[0] and the instant: replicas started together share it. */
const nginxMemo = new Map<string, string>();

/** The start-up burst as one string ("" when the image prints nothing), shared between identical bursts. */
function startText(ref: ImageRef, argv: string[], ctx: ServerCtx): string {
  const name = argv[0] ?? "";
  const nginx = ref.base === "nginx" && (name === "/docker-entrypoint.sh" || name === "nginx");
  const key = nginx ? `${name}\u0000${ctx.now()}` : "";
  if (nginx) {
    const hit = nginxMemo.get(key);
    if (hit !== undefined) return hit;
  }
  const lines = serverStartLog(ref, argv, ctx);
  let shared = "";
  if (lines.length) {
    const text = lines.join("\n") + "\n";
    shared = burstMemo.get(text.length + "|" + text.slice(0, 120) + text.slice(-80)) ?? "";
    if (shared !== text) {
      if (burstMemo.size > 256) burstMemo.clear();
      burstMemo.set(text.length + "|" + text.slice(0, 120) + text.slice(-80), text);
      shared = text;
    }
  }
  if (nginx) {
    if (nginxMemo.size >= 64) nginxMemo.clear();
    nginxMemo.set(key, shared);
  }
  return shared;
}

function* runServer(ref: ImageRef | undefined, argv: string[] | undefined, io: IO | undefined, ctx: ServerCtx | undefined): Prog {
  const text = startText(ref!, argv!, ctx!);
  if (text) io!.out(text);
  // A server stays suspended here for its whole life: drop what only the start-up needed, so the generator
  // does not keep the writers, the host callbacks and the argv alive (≈1.5 KB per running pod).
  ref = argv = io = ctx = undefined;
  yield PARKED;
  return 0;
}

function ngxTime(ms: number): string {
  return formatDate(ms, "%Y/%m/%d %H:%M:%S");
}

export function serverStartLog(ref: ImageRef, argv: string[], ctx: ServerCtx): string[] {
  const t = ctx.now();
  const name = argv[0] ?? "";
  if (ref.base === "nginx" && (name === "/docker-entrypoint.sh" || name === "nginx")) {
    const out: string[] = [];
    if (name === "/docker-entrypoint.sh") {
      out.push(
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
        "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
      );
    }
    const ts = ngxTime(t);
    out.push(
      `${ts} [notice] 1#1: using the "epoll" event method`,
      `${ts} [notice] 1#1: nginx/1.27.3`,
      `${ts} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
      `${ts} [notice] 1#1: OS: Linux 6.8.0-1021-gcp`,
      `${ts} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${ts} [notice] 1#1: start worker processes`,
      `${ts} [notice] 1#1: start worker process 29`,
      `${ts} [notice] 1#1: start worker process 30`,
    );
    return out;
  }
  if (ref.base === "httpd") {
    const d = formatDate(t, "%a %b %d %H:%M:%S.000000 %Y");
    return [
      `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.podIP}. Set the 'ServerName' directive globally to suppress this message`,
      `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.podIP}. Set the 'ServerName' directive globally to suppress this message`,
      `[${d}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations`,
      `[${d}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`,
    ];
  }
  if (ref.base === "redis") {
    const d = formatDate(t, "%d %b %Y %H:%M:%S.000");
    return [
      `1:C ${d} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
      `1:C ${d} * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started`,
      `1:C ${d} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
      `1:M ${d} * monotonic clock: POSIX clock_gettime`,
      `1:M ${d} * Running mode=standalone, port=6379.`,
      `1:M ${d} * Server initialized`,
      `1:M ${d} * Ready to accept connections tcp`,
    ];
  }
  if (ref.base === "tomcat") {
    const d = formatDate(t, "%d-%b-%Y %H:%M:%S.000");
    // webapps next to the start script (…/bin/start.sh → …/webapps), else the image's default
    const m = name.match(/^(.*)\/bin\/[^/]+$/);
    const webapps = m ? `${m[1]}/webapps` : "/usr/local/tomcat/webapps";
    const out = [
      `${d} INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat`,
      `${d} INFO [main] org.apache.catalina.startup.VersionLoggerListener.log CATALINA_BASE:         ${m ? m[1] : "/usr/local/tomcat"}`,
      `${d} INFO [main] org.apache.coyote.AbstractProtocol.init Initializing ProtocolHandler ["http-bio-8080"]`,
      `${d} INFO [main] org.apache.catalina.startup.Catalina.load Initialization processed in 512 ms`,
      `${d} INFO [main] org.apache.catalina.core.StandardService.startInternal Starting service Catalina`,
    ];
    for (const f of ctx.listDir(webapps).filter((x) => x.endsWith(".war"))) {
      out.push(`${d} INFO [localhost-startStop-1] org.apache.catalina.startup.HostConfig.deployWAR Deploying web application archive ${webapps}/${f}`);
    }
    out.push(
      `${d} INFO [main] org.apache.coyote.AbstractProtocol.start Starting ProtocolHandler ["http-bio-8080"]`,
      `${d} INFO [main] org.apache.catalina.startup.Catalina.start Server startup in 1024 ms`,
    );
    return out;
  }
  return [];
}
