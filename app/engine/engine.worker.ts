/// <reference lib="webworker" />
/**
 * The engine's Web Worker (a module worker, bundled by Vite's `?worker` import as its own file
 * under the build's assets, so it loads from any sub-path and under `worker-src 'self'`).
 */
import { EngineCore } from "./engineCore.ts";
import type { Request, Response } from "./protocol.ts";

const scope = self as unknown as { postMessage(m: Response): void; onmessage: ((ev: MessageEvent<Request>) => void) | null };

// A MessageChannel turn is a real macrotask (queued page messages such as a cancel run first),
// without setTimeout's clamping.
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () => new Promise<void>((r) => { waiting.push(r); channel.port2.postMessage(0); });

const core = new EngineCore((m) => scope.postMessage(m), { yieldNow });
scope.onmessage = (ev) => core.receive(ev.data);
