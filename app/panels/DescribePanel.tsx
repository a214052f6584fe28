/** Right pane: `kubectl describe` of the selected object, refreshed as the cluster changes. */
import { useEffect, useState } from "react";
import { getAppStore, useSim } from "../store/simStore.ts";
import { describeLine } from "../toolbar/commands.ts";

export function DescribePanel() {
  const sel = useSim((s) => s.selected);
  const version = useSim((s) => s.snapshot.version);
  const [text, setText] = useState("");
  const line = sel ? describeLine(sel) : "";
  useEffect(() => {
    if (!line) { setText(""); return; }
    // Describe is a read: it does not go into the session script.
    let live = true;
    void Promise.resolve(getAppStore().getState().query(line)).then((r) => { if (live) setText(r.out + r.err); });
    return () => { live = false; };
  }, [line, version]);
  return (
    <section className="pane describe-pane" aria-label="Describe">
      <header className="pane-head">
        <h2>Describe</h2>
        {sel && <code className="cmd" title={line}>{line}</code>}
        {sel && <button type="button" className="close" aria-label="Close describe" onClick={() => getAppStore().getState().select(null)}>×</button>}
      </header>
      {sel ? <pre className="describe" aria-label={`describe ${sel.kind} ${sel.name}`}>{text}</pre>
        : <div className="empty">Click a node, pod or controller on the graph to see <code>kubectl describe</code>.</div>}
    </section>
  );
}
