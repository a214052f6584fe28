import type { KindPrinters } from "./types.ts";

/** kind → printers. TODO. */
export const printers: Record<string, KindPrinters> = {};
