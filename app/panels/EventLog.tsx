/** Events like `kubectl get events -w`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; filterable. */
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { humanDuration } from "../../src/index.ts";
import { useSim } from "../store/simStore.ts";
import type { EventView } from "../engine/snapshot.ts";

const MAX_ROWS = 200;

const Row = memo(function Row({ e, age }: { e: EventView; age: string }) {
  return (
    <tr className={e.type === "Warning" ? "warning" : ""}>
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
  const [q, setQ] = useState("");
  const [warnOnly, setWarnOnly] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = events.filter((e) => (!warnOnly || e.type === "Warning")
      && (!needle || `${e.type} ${e.reason} ${e.object} ${e.message} ${e.namespace}`.toLowerCase().includes(needle)));
    return all.length > MAX_ROWS ? all.slice(all.length - MAX_ROWS) : all;
  }, [events, q, warnOnly]);
  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [rows]);
  const now = useSim((s) => s.snapshot.now);
  return (
    <section className="pane events-pane" aria-label="Events">
      <header className="pane-head">
        <h2>Events</h2>
        <input className="filter" type="search" placeholder="Filter (reason, object, message)…" aria-label="Filter events" value={q} onChange={(e) => setQ(e.target.value)} />
        <label className="check"><input type="checkbox" checked={warnOnly} onChange={(e) => setWarnOnly(e.target.checked)} />Warnings</label>
      </header>
      <div className="table-scroll" ref={box} onScroll={(e) => { const el = e.currentTarget; stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8; }}>
        <table className="events">
          <thead><tr><th>LAST SEEN</th><th>TYPE</th><th>REASON</th><th>OBJECT</th><th>MESSAGE</th></tr></thead>
          <tbody>
            {rows.map((e) => <Row key={e.uid} e={e} age={humanDuration(Math.max(0, now - e.last))} />)}
          </tbody>
        </table>
        {rows.length === 0 && <div className="empty">{events.length ? "No events match the filter." : "No events yet."}</div>}
      </div>
    </section>
  );
}
