/**
 * Busy indicator for long engine operations (a long fast-forward, replaying a link): what runs,
 * how far it got, and Cancel (the worker stops after its current chunk of virtual time).
 */
import { useEffect, useState } from "react";
import { getActiveHost } from "../engine/createHost.ts";
import type { Progress } from "../engine/host.ts";
import { formatGoDuration } from "../../src/index.ts";

export function EngineProgress() {
  const [p, setP] = useState<Progress | null>(null);
  useEffect(() => getActiveHost()?.onProgress(setP), []);
  if (!p) return null;
  const pct = p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
  const detail = p.unit === "ms" ? `${formatGoDuration(Math.round(p.done / 1000) * 1000)} of ${formatGoDuration(p.total)}` : `${p.done} of ${p.total} commands`;
  return (
    <div className="engine-progress" role="progressbar" aria-label={`Running ${p.label}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
      <span className="ep-label" title={p.label}>{p.label}</span>
      <span className="ep-track"><span className="ep-fill" style={{ width: `${pct}%` }} /></span>
      <span className="ep-detail">{detail}</span>
      <button type="button" onClick={() => getActiveHost()?.cancel()}>Cancel</button>
    </div>
  );
}
