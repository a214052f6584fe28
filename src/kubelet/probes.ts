/**
 * Probes (liveness, readiness, startup). exec runs through the mini-shell with the container's files and
 * environment; httpGet/tcpSocket/grpc succeed while the container runs (the kubelet only probes running ones).
 */
import { FileSystem } from "./shell/fs.ts";
import { Shell, ExitSignal, type IO } from "./shell/interp.ts";

export type ProbeKind = "liveness" | "readiness" | "startup";

export interface ProbeCtx {
  fs: FileSystem;
  env: Array<[string, string]>;
  podIP: string;
  hostname: string;
  fqdn: string;
  now(): number;
}

export function runProbe(spec: any, ctx: ProbeCtx): { ok: boolean; message: string } {
  if (spec.exec) {
    const argv: string[] = (spec.exec.command ?? []).map(String);
    if (!argv.length) return { ok: false, message: "" };
    let out = "";
    const io: IO = { stdin: "", out: (s) => { out += s; }, err: (s) => { out += s; } };
    const sh = new Shell({ now: ctx.now, fs: ctx.fs, hostname: ctx.hostname, fqdn: ctx.fqdn, podIP: ctx.podIP }, { env: ctx.env, pid: 100 });
    let code = 0;
    const gen = sh.runArgv(argv, io);
    let slept = 0;
    try {
      for (let r = gen.next(); ; r = gen.next()) {
        if (r.done) { code = r.value; break; }
        if ("forever" in r.value) { slept = Infinity; break; }
        slept += r.value.sleep;
      }
    } catch (e) {
      if (e instanceof ExitSignal) code = e.code;
      else throw e;
    }
    const timeout = (spec.timeoutSeconds ?? 1) * 1000;
    if (slept > timeout) return { ok: false, message: `command timed out: "${argv.join(" ")}" timed out after ${spec.timeoutSeconds ?? 1}s` };
    if (argv[0] && /not found\n?$/.test(out) && code === 127 && !argv[0].includes("sh")) {
      return { ok: false, message: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown` };
    }
    return { ok: code === 0, message: out.replace(/\n$/, "") };
  }
  return { ok: true, message: "" };
}
