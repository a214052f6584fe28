/** `sim …` lines: node add/stop/start/delete, pod fail, advance, seed, clock. */
import type { Session } from "./session.ts";
import { fail, ok, type CmdResult } from "../kubectl/types.ts";
import { parseArgs, FlagError } from "../kubectl/args.ts";
import { addNode, failPod, startKubelet, stopKubelet } from "../kubelet/node.ts";
import { formatGoDuration, parseGoDuration, rfc3339 } from "../util/time.ts";

const USAGE = `usage:
  sim node add NAME [--cpu N] [--memory Q] [--pods N] [--label k=v]... [--taint k=v:Effect]...
  sim node stop NAME | sim node start NAME
  sim pod fail POD [-n NS] [--container C] [--exit-code N]
  sim advance DURATION        (Go duration: 500ms, 30s, 5m, 1h30m)
  sim seed N | sim clock RFC3339   (only before anything else)
  sim time`;

export function runSimCommand(session: Session, words: string[]): CmdResult {
  const [what, ...rest] = words;
  try {
    switch (what) {
      case "node": return nodeCmd(session, rest);
      case "pod": return podCmd(session, rest);
      case "advance": {
        if (rest.length !== 1) return fail(`error: sim advance takes one duration, e.g. "sim advance 30s"`);
        let ms: number;
        try { ms = parseGoDuration(rest[0]!); } catch (e) { return fail(`error: ${(e as Error).message}`); }
        if (ms < 0) return fail(`error: the clock only moves forward (got ${rest[0]})`);
        if (ms > 366 * 24 * 3600_000) return fail(`error: sim advance is limited to one year at a time`);
        session.sim.advance(ms);
        return ok();
      }
      case "time":
        return ok(rfc3339(session.sim.now));
      case "seed": {
        if (!session.pristine) return fail("error: sim seed must come before any other command");
        const n = Number(rest[0]);
        if (rest.length !== 1 || !Number.isInteger(n) || n < 0) return fail(`error: sim seed takes a non-negative integer`);
        session.reset(n, session.sim.startTime);
        return ok();
      }
      case "clock": {
        if (!session.pristine) return fail("error: sim clock must come before any other command");
        const t = rest.length === 1 ? Date.parse(rest[0]!) : NaN;
        if (Number.isNaN(t) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(rest[0] ?? "")) return fail(`error: sim clock takes an RFC3339 time, e.g. 2025-01-01T00:00:00Z`);
        session.reset(session.sim.seed, t);
        return ok();
      }
      default:
        return fail(what ? `error: unknown sim command "${what}"\n${USAGE}` : USAGE);
    }
  } catch (e) {
    if (e instanceof FlagError) return fail(`error: ${e.message}`);
    return fail(`error: ${(e as Error).message}`);
  }
}

function nodeCmd(session: Session, words: string[]): CmdResult {
  const [op, ...rest] = words;
  const sim = session.sim;
  switch (op) {
    case "add": {
      const a = parseArgs(rest, [
        { name: "cpu", type: "string" }, { name: "memory", type: "string" }, { name: "pods", type: "int" },
        { name: "label", short: "l", type: "stringArray" }, { name: "taint", type: "stringArray" },
      ]);
      if (a.positional.length !== 1) return fail(`error: sim node add takes exactly one NAME`);
      const labels: Record<string, string> = {};
      for (const l of a.all("label")) {
        const i = l.indexOf("=");
        if (i <= 0) return fail(`error: invalid label "${l}": expected key=value`);
        labels[l.slice(0, i)] = l.slice(i + 1);
      }
      const taints: Array<{ key: string; value?: string; effect: string }> = [];
      for (const t of a.all("taint")) {
        const m = t.match(/^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/);
        if (!m) return fail(`error: invalid taint spec: ${t}, expected key[=value]:Effect with Effect one of NoSchedule, PreferNoSchedule, NoExecute`);
        taints.push({ key: m[1]!, ...(m[2] !== undefined && m[2] !== "" ? { value: m[2] } : {}), effect: m[3]! });
      }
      addNode(sim, {
        name: a.positional[0]!,
        ...(a.get("cpu") ? { cpu: a.get("cpu")! } : {}),
        ...(a.get("memory") ? { memory: a.get("memory")! } : {}),
        ...(a.get("pods") ? { pods: Number(a.get("pods")) } : {}),
        labels, taints,
      });
      sim.settle();
      return ok();
    }
    case "stop":
    case "start": {
      if (rest.length !== 1) return fail(`error: sim node ${op} takes exactly one NAME`);
      (op === "stop" ? stopKubelet : startKubelet)(sim, rest[0]!);
      sim.settle();
      return ok();
    }
    default:
      return fail(`error: unknown sim node command "${op ?? ""}" (add, stop, start)`);
  }
}

function podCmd(session: Session, words: string[]): CmdResult {
  const [op, ...rest] = words;
  if (op !== "fail") return fail(`error: unknown sim pod command "${op ?? ""}" (fail)`);
  const a = parseArgs(rest, [{ name: "container", short: "c", type: "string" }, { name: "exit-code", type: "int" }]);
  if (a.positional.length !== 1) return fail(`error: sim pod fail takes exactly one POD`);
  failPod(session.sim, a.get("namespace") ?? "default", a.positional[0]!, {
    ...(a.get("container") ? { container: a.get("container")! } : {}),
    ...(a.get("exit-code") !== undefined ? { exitCode: Number(a.get("exit-code")) } : {}),
  });
  session.sim.settle();
  return ok();
}

export { formatGoDuration };
