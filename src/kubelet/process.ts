/**
 * Drives a container program (a generator from the mini-shell) on the virtual clock: a `sleep` arms one clock
 * timer, `forever` blocks until a signal. Signals: TERM goes through the shell's traps (`trap '' TERM` ignores it);
 * KILL always ends the process (137).
 */
import type { VirtualClock, TimerId } from "../clock/clock.ts";
import { ExitSignal, type Prog, type Shell } from "./shell/interp.ts";

export type SignalPolicy = (sig: string) => number | undefined;

export class Process {
  exited = false;
  exitCode: number | undefined;
  private timer: TimerId | undefined;

  /**
   * @param onSignal how the program reacts to a signal: an exit status, or undefined when it keeps running
   * @param onExit called once with the exit status
   */
  constructor(
    private clock: VirtualClock,
    private gen: Prog,
    private onSignal: SignalPolicy,
    private onExit: (code: number) => void,
    private label = "",
  ) {}

  start(): void {
    this.step();
  }

  private step() {
    this.timer = undefined;
    if (this.exited) return;
    let r: IteratorResult<{ sleep: number } | { forever: true }, number>;
    try {
      r = this.gen.next();
    } catch (e) {
      if (e instanceof ExitSignal) return this.finish(e.code);
      return this.finish(2);
    }
    if (r.done) return this.finish(r.value);
    const y = r.value;
    if ("sleep" in y) {
      this.timer = this.clock.at(this.clock.now + Math.max(0, y.sleep), () => this.step(), this.label);
    }
    // forever: wait for a signal
  }

  private finish(code: number) {
    if (this.exited) return;
    this.exited = true;
    this.exitCode = code;
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.onExit(code);
  }

  /** Deliver a signal; returns true when the process ended. */
  signal(sig: string): boolean {
    if (this.exited) return true;
    const code = sig === "KILL" ? 137 : this.onSignal(sig);
    if (code === undefined) return false;
    this.stop(code);
    return true;
  }

  /** End the process now with `code` (sim pod fail, SIGKILL). */
  stop(code: number): void {
    if (this.exited) return;
    try { this.gen.return(code); } catch { /* finally blocks of the program */ }
    this.finish(code);
  }
}

/** Signal policy for a shell program: its traps decide. */
export function shellPolicy(sh: Shell): SignalPolicy {
  return (sig) => sh.deliver(sig);
}

/** Servers stop gracefully on TERM (exit 0), like nginx on its STOPSIGNAL. */
export const serverPolicy: SignalPolicy = (sig) => (sig === "KILL" ? 137 : 0);
