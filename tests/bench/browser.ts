/**
 * Entry bundled by scripts/bench-browser.mjs: the engine-only bench scenarios, run in a Chromium page
 * (the same V8 and JIT the playground's Web Worker gets). One scenario per fresh page, so every run is
 * a cold start, as for a user who opens the playground and fast-forwards.
 */
import { TITLES, classroom, cronday, rs30k, type Run } from "./scenarios.ts";

const scenarios: Record<keyof typeof TITLES, () => Run> = { rs30k, classroom, cronday };

(globalThis as { __benchRun?: unknown }).__benchRun = (name: keyof typeof TITLES) => {
  const t0 = performance.now();
  const r = scenarios[name]();
  const wallMs = performance.now() - t0;
  const mem = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  return { scenario: TITLES[name], wallMs, virtualMs: r.virtualMs, pods: r.pods, heapMB: mem ? mem.usedJSHeapSize / 2 ** 20 : null, note: r.note ?? "" };
};
