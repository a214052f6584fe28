/** Left pane: the YAML editor (Monaco, lazy), the Apply button and the apply status line. */
import { useEffect, useRef, useState } from "react";
import { getAppStore, useSim, EDITOR_KEY } from "../store/simStore.ts";
import { applyEditorText } from "./applyEditor.ts";

type MonacoModule = typeof import("./monacoSetup.ts");

/** What the Apply button calls; replaced by the Monaco-aware version once the editor loads. */
let applyNow: () => Promise<void> = async () => {
  const store = getAppStore();
  await applyEditorText(store, store.getState().editorText, []);
};
export function applyFromEditor(): Promise<void> {
  return applyNow();
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Autosave of the editor: only the page's own work (a shared link or a lesson never overwrites it). */
function saveSoon(text: string) {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    const s = getAppStore().getState();
    if (s.mode !== "own" || s.view) return;
    try { localStorage.setItem(EDITOR_KEY, text); } catch { /* private mode: no autosave */ }
  }, 150);
}

export function EditorPane() {
  const el = useRef<HTMLDivElement>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const status = useSim((s) => s.applyStatus);

  useEffect(() => {
    let disposed = false;
    const cleanups: Array<() => void> = [];
    import("./monacoSetup.ts").then((m: MonacoModule) => {
      if (disposed || !el.current) return;
      const { monaco, schemaValidated } = m;
      const store = getAppStore();
      const uri = monaco.Uri.parse("file:///workload.yaml");
      const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(store.getState().editorText, "yaml", uri);
      const editor = monaco.editor.create(el.current, {
        model, theme: "kubeplay", automaticLayout: true, minimap: { enabled: false }, fontSize: 13,
        lineNumbersMinChars: 3, scrollBeyondLastLine: false, tabSize: 2, renderLineHighlight: "line",
        fixedOverflowWidgets: true, ariaLabel: "Kubernetes YAML editor",
      });
      const sub = model.onDidChangeContent(() => {
        const text = model.getValue();
        store.getState().setEditorText(text);
        saveSoon(text);
      });
      const flush = () => {
        const s = store.getState();
        if (s.mode !== "own" || s.view) return;
        try { localStorage.setItem(EDITOR_KEY, model.getValue()); } catch { /* ignore */ }
      };
      window.addEventListener("pagehide", flush);

      applyNow = async () => {
        await schemaValidated(model);
        const problems = monaco.editor.getModelMarkers({ resource: uri, owner: "yaml" })
          .filter((mk) => mk.severity >= monaco.MarkerSeverity.Warning)
          .map((mk) => ({ line: mk.startLineNumber, message: mk.message }));
        await applyEditorText(store, model.getValue(), problems);
      };
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => { void applyNow(); });

      // Apply errors from the cluster become markers on the document (and field) they name.
      const showErrors = () => {
        const { applyErrors } = store.getState();
        monaco.editor.setModelMarkers(model, "kubeplay", applyErrors.map((e) => {
          const line = Math.min(Math.max(1, e.line), model.getLineCount());
          return {
            severity: monaco.MarkerSeverity.Error, message: e.message, source: "kubectl apply",
            startLineNumber: line, startColumn: model.getLineFirstNonWhitespaceColumn(line) || 1,
            endLineNumber: line, endColumn: model.getLineMaxColumn(line),
          };
        }));
      };
      showErrors();
      const unsub = store.subscribe((s, p) => {
        if (s.applySeq !== p.applySeq) showErrors();
        // Text set from outside (a lesson step, the timeline, a loaded scenario): show it.
        if (s.editorRev !== p.editorRev && s.editorText !== model.getValue()) model.setValue(s.editorText);
      });
      (window as unknown as { __kubeplayEditor?: unknown }).__kubeplayEditor = { editor, model, monaco };
      setLoaded(true);
      cleanups.push(() => { unsub(); sub.dispose(); window.removeEventListener("pagehide", flush); editor.dispose(); });
    }).catch((e) => console.warn("editor failed to load", e));
    return () => { disposed = true; for (const c of cleanups) c(); };
  }, []);

  const onApply = async () => {
    setBusy(true);
    try { await applyFromEditor(); } finally { setBusy(false); }
  };

  return (
    <section className="pane editor-pane" aria-label="Editor">
      <header className="pane-head">
        <h2>Manifests</h2>
        <span className="hint">multi-document YAML · schema-checked</span>
        <button type="button" className="primary" onClick={onApply} disabled={busy} title="Apply the editor to the cluster (Ctrl+Enter / ⌘+Enter)" aria-keyshortcuts="Control+Enter">
          Apply
        </button>
      </header>
      <div className="editor-wrap nokey">
        <div className="editor-host" ref={el} data-loaded={loaded ? "true" : "false"} />
        {!loaded && <div className="editor-loading">Loading editor…</div>}
      </div>
      <div role="status" aria-label="Apply status" className={`apply-status ${status.state}`} title={status.text}>
        {status.state === "idle" ? "Edit the YAML, then Apply (Ctrl+Enter)." : status.text}
      </div>
    </section>
  );
}
