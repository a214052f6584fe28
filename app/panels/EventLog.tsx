/**
 * Events like `kubectl get events -w`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; filterable.
 * One line per event (the full message is in the tooltip) and only the rows in view are rendered:
 * ages change on every tick, and re-laying out hundreds of rows was most of a tick's cost.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { humanDuration } from "../../src/index.ts";
import { useSim } from "../store/simStore.ts";
import type { EventView } from "../engine/snapshot.ts";

const ROW_H = 20;
const OVERSCAN = 6;

const Row = memo(function Row({ e, age }: { e: EventView; age: string }) {
  return (
    <tr className={e.type === "Warning" ? "warning" : ""} title={`${e.namespace} · ${e.object}\n${e.message}${e.count > 1 ? ` (x${e.count})` : ""}`}>
      <td>{age}</td>
      <td>{e.type}</td>
      <td>{e.reason}</td>
      <td>{e.object}</td>
      <td className="msg">{e.message}{e.count > 1 ? <span className="count"> (x{e.count})</span> : null}</td>
    </tr>
  );
});

export function EventLog() {
  const events = useSim((s) => s.snapshot.events);
  const now = useSim((s) => s.snapshot.now);
  const [q, setQ] = useState("");
  const [warnOnly, setWarnOnly] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [view, setView] = useState({ top: 0, height: 400 });
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return events.filter((e) => (!warnOnly || e.type === "Warning")
      && (!needle || `${e.type} ${e.reason} ${e.object} ${e.message} ${e.namespace}`.toLowerCase().includes(needle)));
  }, [events, q, warnOnly]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView((v) => ({ ...v, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [rows]);

  const first = Math.max(0, Math.floor(view.top / ROW_H) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_H) + OVERSCAN);
  return (
    <section className="pane events-pane" aria-label="Events">
      <header className="pane-head">
        <h2>Events</h2>
        <input className="filter" type="search" placeholder="Filter (reason, object, message)…" aria-label="Filter events" value={q} onChange={(e) => setQ(e.target.value)} />
        <label className="check"><input type="checkbox" checked={warnOnly} onChange={(e) => setWarnOnly(e.target.checked)} />Warnings</label>
      </header>
      <div className="table-scroll" ref={box} onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        setView({ top: el.scrollTop, height: el.clientHeight });
      }}>
        <table className="events">
          <thead><tr><th>LAST SEEN</th><th>TYPE</th><th>REASON</th><th>OBJECT</th><th>MESSAGE</th></tr></thead>
          <tbody>
            {first > 0 && <tr className="spacer" style={{ height: first * ROW_H }} aria-hidden="true"><td colSpan={5} /></tr>}
            {rows.slice(first, last).map((e) => <Row key={e.uid} e={e} age={humanDuration(Math.max(0, now - e.last))} />)}
            {last < rows.length && <tr className="spacer" style={{ height: (rows.length - last) * ROW_H }} aria-hidden="true"><td colSpan={5} /></tr>}
          </tbody>
        </table>
        {rows.length === 0 && <div className="empty">{events.length ? "No events match the filter." : "No events yet."}</div>}
      </div>
    </section>
  );
}
