/**
 * Pick the engine host for the page: the Web Worker when the browser has module workers, the
 * in-thread host otherwise (or with `?engine=local` in the URL, for comparisons and debugging).
 */
import EngineWorker from "./engine.worker.ts?worker";
import { LocalEngineHost, type EngineHost } from "./host.ts";
import { WorkerEngineHost, type WorkerLike } from "./workerHost.ts";

let active: EngineHost | undefined;
/** The host the page runs on (progress and cancel for the graph's busy indicator). */
export function getActiveHost(): EngineHost | undefined {
  return active;
}

export function createEngineHost(): EngineHost {
  active = pickHost();
  return active;
}

function pickHost(): EngineHost {
  const forceLocal = typeof location !== "undefined" && /[?&]engine=local\b/.test(location.search);
  if (!forceLocal && typeof Worker !== "undefined") {
    try {
      return new WorkerEngineHost(new EngineWorker() as unknown as WorkerLike);
    } catch (e) {
      console.warn("engine worker unavailable, running the engine in the page", e);
    }
  }
  return new LocalEngineHost();
}
