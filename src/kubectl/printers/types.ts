/**
 * Table printers (`kubectl get`) and describers (`kubectl describe`), one per kind, following
 * pkg/printers/internalversion/printers.go column by column. Registered in ./index.ts.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Simulation } from "../../simulation.ts";

export interface PrintCtx {
  now: number;
  sim: Simulation;
}

export interface TablePrinter {
  /** Column headers for the default output. */
  columns: string[];
  /** Extra headers appended for `-o wide`. */
  wideColumns?: string[];
  row(obj: KubeObject, ctx: PrintCtx): string[];
  /** Values for wideColumns. */
  wideRow?(obj: KubeObject, ctx: PrintCtx): string[];
  /** `-o wide` columns when they are not simply appended (e.g. Event inserts columns in the middle). */
  wide?: { columns: string[]; row(obj: KubeObject, ctx: PrintCtx): string[] };
}

export type Describer = (obj: KubeObject, ctx: PrintCtx) => string;

export interface KindPrinters {
  table?: TablePrinter;
  describe?: Describer;
}
