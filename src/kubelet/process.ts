/**
 * Drives a container program (a generator from the mini-shell) on the virtual clock: a `sleep` arms one clock
 * timer, `forever` blocks until a signal. Signals: TERM goes through the shell's traps (`trap '' TERM` ignores it);
 * KILL always ends the process (137).
 */
import type { VirtualClock, TimerId } from "../clock/clock.ts";
import { ExitSignal, type Prog, type Shell } from "./shell/interp.ts";

export type SignalPolicy = (sig: string) => number | undefined;

/**
 * What a program yields when it is suspended for the rest of its life and ending it runs nothing (no `finally`,
 * no trap): a server once its start-up is written. Process then lets go of the generator (its frame, ~320 B per
 * running server) and ends without resuming it.
 */
export const PARKED = Object.freeze({ forever: true as const });

/** Who a Process reports to: its exit, and the label of its sleep timers (for tracing tools that wrap clock.at). */
export interface ProcessOwner {
  processExited(p: Process, code: number): void;
  processLabel(): string;
}

export class Process {
  exited = false;
  private timer: TimerId | undefined = undefined;

  /**
   * @param onSignal how the program reacts to a signal: an exit status, or undefined when it keeps running
   * @param owner told once of the exit status (an object rather than a closure: one less allocation and
   *   context per container start, and no label string kept per process)
   */
  constructor(
    private clock: VirtualClock,
    private gen: Prog | undefined,
    private onSignal: SignalPolicy,
    private owner: ProcessOwner,
  ) {}

  start(): void {
    this.step();
  }

  /** Suspended for good (it yielded PARKED) under serverPolicy: its owner may hold PARKED_SERVER instead. */
  get parkedServer(): boolean {
    return !this.exited && this.gen === undefined && this.timer === undefined && this.onSignal === serverPolicy;
  }

  private step() {
    this.timer = undefined;
    if (this.exited || this.gen === undefined) return;
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
      this.timer = this.clock.at(this.clock.now + Math.max(0, y.sleep), () => this.step(), this.owner.processLabel());
    } else if (y === PARKED) this.gen = undefined;
    // forever: wait for a signal
  }

  private finish(code: number) {
    if (this.exited) return;
    this.exited = true;
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.owner.processExited(this, code);
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
    const gen = this.gen;
    this.gen = undefined;
    if (gen !== undefined) try { gen.return(code); } catch { /* finally blocks of the program */ }
    this.finish(code);
  }
}

/** Signal policy for a shell program: its traps decide. */
export function shellPolicy(sh: Shell): SignalPolicy {
  return (sig) => sh.deliver(sig);
}

/** Servers stop gracefully on TERM (exit 0), like nginx on its STOPSIGNAL. */
export const serverPolicy: SignalPolicy = (sig) => (sig === "KILL" ? 137 : 0);

/**
 * Stands for any Process that parkedServer describes: such a process holds nothing of its own but its owner, and any
 * signal ends it (serverPolicy), so its owner can keep this one shared object instead (~72 B per running server)
 * and act for it: on a signal or stop, report the exit to itself as the process would. Frozen: never driven itself.
 */
export const PARKED_SERVER = Object.freeze(new Process(undefined as never, undefined, serverPolicy, undefined as never)) as Process;
