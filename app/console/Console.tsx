/**
 * The console: type any script line (`kubectl …`, `sim …`; heredocs continue until their
 * terminator). Output is exactly what `kubeplay run` prints: `$ line` then the command's output.
 */
import { memo, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { getAppStore, useSim, type ConsoleEntry } from "../store/simStore.ts";

const Entry = memo(function Entry({ e }: { e: ConsoleEntry }) {
  return (
    <div className={`entry src-${e.source}`}>
      <div className="cmdline">$ {e.line}</div>
      {e.out && <pre className="out">{e.out}</pre>}
      {e.err && <pre className="err">{e.err}</pre>}
    </div>
  );
});

const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1\s*$/;

export function Console() {
  const entries = useSim((s) => s.entries);
  const [input, setInput] = useState("");
  const [hist, setHist] = useState<string[]>([]);
  const [hIdx, setHIdx] = useState(-1);
  const [heredoc, setHeredoc] = useState<{ line: string; term: string; body: string[] } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => { const el = box.current; if (el) el.scrollTop = el.scrollHeight; }, [entries]);

  const submit = () => {
    const line = input;
    setInput("");
    setHIdx(-1);
    const store = getAppStore().getState();
    if (heredoc) {
      if (line.trim() === heredoc.term) {
        store.exec(heredoc.line.replace(HEREDOC, `<<${heredoc.term}`), heredoc.body.join("\n") + "\n", "console");
        setHeredoc(null);
      } else setHeredoc({ ...heredoc, body: [...heredoc.body, line] });
      return;
    }
    const t = line.trim();
    if (!t || t.startsWith("#")) return;
    setHist((h) => (h[h.length - 1] === t ? h : [...h, t]));
    const m = HEREDOC.exec(t);
    if (m) { setHeredoc({ line: t, term: m[2]!, body: [] }); return; }
    if (t === "clear") { getAppStore().setState({ entries: [] }); return; }
    store.exec(t, undefined, "console");
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") { e.preventDefault(); submit(); }
    else if (e.key === "ArrowUp" && !heredoc) {
      e.preventDefault();
      if (!hist.length) return;
      const i = hIdx < 0 ? hist.length - 1 : Math.max(0, hIdx - 1);
      setHIdx(i); setInput(hist[i]!);
    } else if (e.key === "ArrowDown" && !heredoc) {
      e.preventDefault();
      if (hIdx < 0) return;
      const i = hIdx + 1;
      if (i >= hist.length) { setHIdx(-1); setInput(""); } else { setHIdx(i); setInput(hist[i]!); }
    }
  };

  return (
    <section className="pane console-pane console" aria-label="Console">
      <header className="pane-head"><h2>Console</h2><span className="hint">kubectl … · sim … · ↑↓ history · every action is a line</span></header>
      <div className="console-out" ref={box} aria-label="Console output" role="log" onClick={() => box.current?.parentElement?.querySelector("input")?.focus()}>
        {entries.map((e) => <Entry key={e.id} e={e} />)}
        {heredoc && <pre className="heredoc">{`$ ${heredoc.line}\n${heredoc.body.map((b) => `> ${b}`).join("\n")}`}</pre>}
      </div>
      <div className="console-in">
        <span className="prompt">{heredoc ? ">" : "$"}</span>
        <input aria-label="Command" value={input} onChange={(e) => setInput(e.target.value)} onKeyDown={onKey}
          placeholder={heredoc ? `heredoc — end with ${heredoc.term}` : "kubectl get pods -o wide"} spellCheck={false} autoComplete="off" />
      </div>
    </section>
  );
}
