/** Share dialog, export/import, the guest/error banners and the progress overlay. */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { getAppStore, useSim } from "../store/simStore.ts";
import { backToOwn, bootOwn, download, keepScenario, makeShareLink, stashOwn, type ShareResult } from "./boot.ts";
import { EXPORT_QUERY, classifyImport, exportManifests } from "./manifests.ts";
import { preflight } from "./preflight.ts";

function Dialog({ label, onClose, children, className = "" }: { label: string; onClose: () => void; children: ReactNode; className?: string }) {
  useEffect(() => {
    const k = (e: KeyboardEvent) => { if (e.key === "Escape") onClose(); };
    window.addEventListener("keydown", k);
    return () => window.removeEventListener("keydown", k);
  }, [onClose]);
  return <div className={`popover scenario-pop ${className}`} role="dialog" aria-label={label}>{children}</div>;
}

export function ShareDialog({ onClose }: { onClose: () => void }) {
  const [r, setR] = useState<ShareResult | null>(null);
  const [copied, setCopied] = useState<"yes" | "no" | "">("");
  useEffect(() => {
    const res = makeShareLink(getAppStore());
    setR(res);
    if (res.ok) {
      navigator.clipboard?.writeText(res.url).then(() => setCopied("yes"), () => setCopied("no"));
    }
  }, []);
  if (!r) return null;
  const store = getAppStore();
  return (
    <Dialog label="Share" onClose={onClose} className="share-pop">
      <h3>Share this scenario</h3>
      {r.ok ? (
        <>
          <p className="muted">The link holds the whole session (script, seed, start time, the moment on view and the selection) in the part after <code>#</code>, which is never sent to a server.</p>
          <input className="share-url" aria-label="Share link" readOnly value={r.url} onFocus={(e) => e.currentTarget.select()} />
          <div className="share-meta">
            <span aria-label="Link length">{r.length.toLocaleString("en-US")} characters</span>
            <span role="status">{copied === "yes" ? "Copied to the clipboard" : copied === "no" ? "Copy it from the box (clipboard not available)" : ""}</span>
          </div>
          {r.long && (
            <div className="notice" role="alert">
              This link is long ({r.length.toLocaleString("en-US")} characters): some chat apps, mail clients and browsers cut links over about 8,000 characters.
              <button type="button" className="primary" onClick={() => download("scenario.kp", store.getState().script())}>Download scenario</button>
            </div>
          )}
        </>
      ) : (
        <div className="notice" role="alert">
          {r.error}
          <button type="button" className="primary" onClick={() => download("scenario.kp", store.getState().script())}>Download scenario</button>
        </div>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(r.ok ? r.url : "").then(() => setCopied("yes"), () => setCopied("no"))} disabled={!r.ok}>Copy link</button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}

export async function exportYaml(): Promise<{ yaml: string; count: number }> {
  const r = await getAppStore().getState().query(EXPORT_QUERY);
  if (r.err && !r.out) throw new Error(r.err.trim());
  return exportManifests(r.out);
}

export function ExportDialog({ onClose }: { onClose: () => void }) {
  const [msg, setMsg] = useState("");
  const store = getAppStore();
  return (
    <Dialog label="Export" onClose={onClose}>
      <h3>Export</h3>
      <div className="export-actions">
        <button type="button" onClick={() => {
          void exportYaml().then(({ yaml, count }) => {
            download("manifests.yaml", yaml || "# no user objects\n", "application/yaml");
            setMsg(`manifests.yaml: ${count} object${count === 1 ? "" : "s"}, ready for kubectl apply -f`);
          }, (e: Error) => setMsg(e.message));
        }}>Download manifests (YAML)</button>
        <button type="button" onClick={() => { download("scenario.kp", store.getState().script()); setMsg("scenario.kp: the session script (kubeplay run scenario.kp)"); }}>Download script (.kp)</button>
      </div>
      {msg && <p className="muted" role="status">{msg}</p>}
      <div className="form-actions"><button type="button" onClick={onClose}>Close</button></div>
    </Dialog>
  );
}

/** Import a .kp scenario (opened as a guest) or Kubernetes YAML / a `kubectl get -o yaml` List (applied). */
export async function importText(text: string, fileName = ""): Promise<string> {
  const store = getAppStore();
  const c = classifyImport(text, fileName);
  if (c.kind === "error") { store.getState().setBanner({ kind: "error", text: `Import: ${c.error}` }); return c.error; }
  if (c.kind === "manifests") {
    const r = await store.getState().exec("kubectl apply -f - <<EOF", c.yaml.endsWith("\n") ? c.yaml : c.yaml + "\n", "import");
    const msg = r.err ? `Imported with errors: ${r.err.trim()}` : `Imported ${c.count} object${c.count === 1 ? "" : "s"}: ${r.out.trim().split("\n").join(" · ")}`;
    store.getState().setBanner({ kind: r.err ? "error" : "info", text: msg });
    return msg;
  }
  const pre = preflight(c.script);
  if (!pre.ok) { store.getState().setBanner({ kind: "error", text: `Import: ${pre.error}` }); return pre.error; }
  stashOwn(store);
  const seed = /^\s*sim\s+seed\s+(\d+)/m.exec(c.script);
  const ok = await store.getState().load(c.script, { seed: seed ? Number(seed[1]) : 1, mode: "guest", guestLabel: `imported ${fileName || "scenario"}`, label: "Opening the scenario…" });
  if (ok === "ok") return "opened";
  if (ok !== "invalid") await bootOwn(store);
  return "failed";
}

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState("");
  const [msg, setMsg] = useState("");
  const file = useRef<HTMLInputElement>(null);
  return (
    <Dialog label="Import" onClose={onClose} className="import-pop">
      <h3>Import</h3>
      <p className="muted">A scenario file (<code>.kp</code>) opens as a scenario; Kubernetes YAML or a <code>kubectl get … -o yaml</code> List is applied to this cluster. You can also drop a file anywhere on the page.</p>
      <textarea aria-label="Paste a scenario or YAML" value={text} onChange={(e) => setText(e.target.value)} rows={8} spellCheck={false} placeholder="Paste a .kp script or YAML here" />
      <div className="form-actions">
        <button type="button" className="primary" disabled={!text.trim()} onClick={() => void importText(text).then((m) => { setMsg(m); if (m === "opened" || m.startsWith("Imported")) onClose(); })}>Import</button>
        <button type="button" onClick={() => file.current?.click()}>Choose file…</button>
        <input ref={file} type="file" accept=".kp,.yaml,.yml,.json,.txt" hidden aria-label="Scenario or YAML file" onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void f.text().then((t) => importText(t, f.name)).then((m) => { setMsg(m); onClose(); });
        }} />
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
      {msg && <p className="muted" role="status">{msg}</p>}
    </Dialog>
  );
}

/** Drop a file anywhere on the page. */
export function useFileDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const onOver = (e: DragEvent) => { if (e.dataTransfer?.types.includes("Files")) { e.preventDefault(); setOver(true); } };
    const onLeave = (e: DragEvent) => { if (!e.relatedTarget) setOver(false); };
    const onDrop = (e: DragEvent) => {
      const f = e.dataTransfer?.files?.[0];
      setOver(false);
      if (!f) return;
      e.preventDefault();
      if (f.size > 2 * 1024 * 1024) { getAppStore().getState().setBanner({ kind: "error", text: "Import: the file is larger than 2 MiB." }); return; }
      void f.text().then((t) => importText(t, f.name));
    };
    window.addEventListener("dragover", onOver);
    window.addEventListener("dragleave", onLeave);
    window.addEventListener("drop", onDrop);
    return () => { window.removeEventListener("dragover", onOver); window.removeEventListener("dragleave", onLeave); window.removeEventListener("drop", onDrop); };
  }, []);
  return over;
}

export function Banners({ embed = false }: { embed?: boolean }) {
  return <div className="banners"><BannerList embed={embed} /></div>;
}

function BannerList({ embed }: { embed: boolean }) {
  const banner = useSim((s) => s.banner);
  const mode = useSim((s) => s.mode);
  const guest = useSim((s) => s.guestLabel);
  const lesson = useSim((s) => s.lesson !== null);
  const store = getAppStore();
  return (
    <>
      {banner && (
        <div className={`banner ${banner.kind}`} role={banner.kind === "error" ? "alert" : "status"} aria-label={banner.kind === "error" ? "Error" : "Notice"}>
          <span className="banner-text">{banner.text}</span>
          {banner.kind === "error" && <span className="banner-sub">Your own work is unchanged.</span>}
          <button type="button" className="close" aria-label="Dismiss" onClick={() => store.getState().setBanner(null)}>×</button>
        </div>
      )}
      {mode === "guest" && !lesson && !embed && (
        <div className="banner guest" role="status" aria-label="Guest scenario">
          <span className="banner-text">You are looking at a {guest || "scenario"}. Your own work is saved and not changed by it.</span>
          <button type="button" className="primary" onClick={() => keepScenario(store)}>Keep this scenario</button>
          <button type="button" onClick={() => void backToOwn(store)}>Back to my work</button>
        </div>
      )}
    </>
  );
}

/** 9000000 → "2h30m", 90500 → "1m30s": a virtual time span as the progress bar shows it. */
export function virtualSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d) return `${d}d${h ? `${h}h` : ""}`;
  if (h) return `${h}h${m ? `${m}m` : ""}`;
  if (m) return `${m}m${sec ? `${sec}s` : ""}`;
  return `${sec}s`;
}

export function BusyOverlay() {
  const busy = useSim((s) => s.busy);
  if (!busy) return null;
  const pct = busy.total > 0 ? Math.round((busy.done / busy.total) * 100) : 0;
  return (
    <div className="busy" role="progressbar" aria-label={busy.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <div className="busy-box">
        <div className="busy-label">{busy.label.replace(/^engine: /, "")}</div>
        <div className="bar"><div className="fill" style={{ width: `${pct}%` }} /></div>
        <div className="busy-count">{busy.total ? (busy.unit === "ms" ? `${virtualSpan(busy.done)} of ${virtualSpan(busy.total)} of virtual time` : `${busy.done} / ${busy.total}`) : ""}</div>
        {busy.cancelling
          ? <button type="button" disabled>Cancelling…</button>
          : <button type="button" onClick={() => getAppStore().getState().cancelBusy()}>Cancel</button>}
      </div>
    </div>
  );
}

type Pop = "share" | "export" | "import" | null;

/** Lessons, Share, Export, Import: the scenario buttons (next to the timeline). */
export function ScenarioButtons() {
  const [pop, setPop] = useState<Pop>(null);
  const lessonsOpen = useSim((s) => s.panel === "lessons");
  const st = getAppStore().getState;
  const toggle = (p: Pop) => setPop(pop === p ? null : p);
  return (
    <div className="group scenario-group" aria-label="Scenario" role="group">
      <button type="button" title="Guided lessons" aria-pressed={lessonsOpen} onClick={() => st().openPanel(lessonsOpen ? null : "lessons")}>Lessons</button>
      <button type="button" className="primary-ghost" title="A link that reopens this session at this moment" aria-pressed={pop === "share"} onClick={() => toggle("share")}>Share</button>
      <button type="button" title="Download the manifests (YAML) or the script (.kp)" aria-pressed={pop === "export"} onClick={() => toggle("export")}>Export</button>
      <button type="button" title="Open a .kp scenario or apply YAML (paste or drop a file)" aria-pressed={pop === "import"} onClick={() => toggle("import")}>Import</button>
      {pop === "share" && <ShareDialog onClose={() => setPop(null)} />}
      {pop === "export" && <ExportDialog onClose={() => setPop(null)} />}
      {pop === "import" && <ImportDialog onClose={() => setPop(null)} />}
    </div>
  );
}
