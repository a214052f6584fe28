/**
 * The timeline: a scrubber over the session's virtual time with a mark per action. Dragging back
 * shows that moment (cluster, graph, events, editor); Previous/Next step between actions; acting from
 * a past moment forks the session (later actions dropped, "Undo fork" brings them back).
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { formatGoDuration } from "../../src/index.ts";
import { getAppStore, useSim } from "../store/simStore.ts";
import { actionMarks } from "../scenario/timeline.ts";

const fmt = (ms: number) => "T+" + formatGoDuration(Math.max(0, Math.round(ms / 1000) * 1000)).replace(/(\d+m)0s$/, "$1").replace(/(\d+h)0m$/, "$1");

export function Timeline({ compact = false }: { compact?: boolean }) {
  const hist = useSim((s) => s.hist);
  const start = useSim((s) => s.startTime);
  const now = useSim((s) => s.snapshot.now);
  const view = useSim((s) => s.view);
  const forked = useSim((s) => s.forked);
  const busy = useSim((s) => s.busy !== null);
  const marks = useMemo(() => actionMarks(hist), [hist]);
  const liveNow = hist.length ? hist[hist.length - 1]!.end : now;
  const span = Math.max(1000, liveNow - start);
  const pos = view ? view.at : liveNow;
  const [drag, setDrag] = useState<number | null>(null);
  const pending = useRef<number | null>(null);
  const running = useRef(false);

  // Latest-wins seeking while dragging: one load at a time, then the newest position.
  const seekAt = (at: number) => {
    pending.current = at;
    if (running.current) return;
    running.current = true;
    void (async () => {
      while (pending.current !== null) {
        const t = pending.current;
        pending.current = null;
        await getAppStore().getState().seek(t >= liveNow ? null : { at: t });
      }
      running.current = false;
      setDrag(null);
    })();
  };

  // The step on view: where a seek still loading will land, else the moment shown. Live, commands
  // still on their way count as steps (Previous right after "Advance" goes back to before it).
  const seekTo = useSim((s) => s.seekTo);
  const inFlight = useSim((s) => s.pending);
  const liveStep = hist.length - 1 + inFlight;
  const cur = seekTo ? (seekTo.step ?? liveStep) : view ? view.step : liveStep;
  const prev = [...marks].reverse().find((m) => m.step < cur);
  const next = marks.find((m) => m.step > cur);
  const st = () => getAppStore().getState();

  useEffect(() => { if (!view) setDrag(null); }, [view]);

  const shown = drag ?? pos;
  const stepsBefore = marks.filter((m) => m.at <= shown && (!view || m.step <= view.step)).length;
  return (
    <div className={`timeline ${view ? "past" : ""} ${compact ? "compact" : ""}`} role="group" aria-label="Timeline" aria-busy={seekTo !== null}>
      <button type="button" onClick={() => prev && void st().seek({ step: prev.step })} disabled={!prev || busy} title={prev ? `Back to after: ${prev.line}` : "No earlier action"} aria-label="Previous action">◀</button>
      <button type="button" onClick={() => next && void st().seek({ step: next.step })} disabled={!next || busy} title={next ? `Forward to after: ${next.line}` : "No later action"} aria-label="Next action">▶</button>
      <div className="track">
        <div className="marks" aria-hidden="true">
          {marks.map((m) => (
            <span key={m.step} className={`mark ${m.kind} ${m.failed ? "failed" : ""} ${view && m.step > view.step ? "after" : ""}`}
              style={{ left: `${((m.at - start) / span) * 100}%` }} title={`${fmt(m.at - start)}  ${m.line}`} />
          ))}
        </div>
        <input type="range" className="scrub" aria-label="Timeline position" min={0} max={span} step={100} value={Math.min(span, Math.max(0, shown - start))}
          aria-valuetext={`${fmt(shown - start)} of ${fmt(span)}`} disabled={busy && drag === null}
          onChange={(e) => { const at = start + Number(e.target.value); setDrag(at); seekAt(at); }} />
      </div>
      <span className="tl-pos" aria-live="polite">
        {view ? <>Viewing <b>{fmt(shown - start)}</b> · action {stepsBefore} of {marks.length}</> : <>Live <b>{fmt(liveNow - start)}</b> · {marks.length} actions</>}
      </span>
      {view && <button type="button" className="primary" onClick={() => void st().seek(null)}>Back to live</button>}
      {view && !compact && <span className="tl-hint">Acting now starts a new branch from here (later actions are dropped; you can undo).</span>}
      {forked && !view && (
        <span className="fork-note" role="status">
          Forked: {forked.dropped} later command{forked.dropped === 1 ? "" : "s"} dropped
          <button type="button" onClick={() => void st().undoFork()}>Undo fork</button>
        </span>
      )}
    </div>
  );
}
