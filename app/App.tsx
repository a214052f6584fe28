import { Toolbar } from "./toolbar/Toolbar.tsx";
import { EditorPane } from "./editor/EditorPane.tsx";
import { GraphView } from "./graph/GraphView.tsx";
import { DescribePanel } from "./panels/DescribePanel.tsx";
import { EventLog } from "./panels/EventLog.tsx";
import { Console } from "./console/Console.tsx";
import { Timeline } from "./timeline/Timeline.tsx";
import { LessonsPanel } from "./lessons/LessonsPanel.tsx";
import { Banners, BusyOverlay, ScenarioButtons, useFileDrop } from "./scenario/ScenarioUi.tsx";
import { PanelBoundary } from "./PanelBoundary.tsx";
import { getAppStore, useSim } from "./store/simStore.ts";

export function App() {
  const open = useSim((s) => s.selected !== null);
  const lessons = useSim((s) => s.panel === "lessons");
  const dropping = useFileDrop();
  return (
    <div className={`app ${dropping ? "dropping" : ""}`}>
      <PanelBoundary name="Toolbar"><Toolbar /></PanelBoundary>
      <div className="scenario-row">
        <PanelBoundary name="Timeline"><Timeline /></PanelBoundary>
        <ScenarioButtons />
      </div>
      <Banners />
      <main className={`workspace ${open || lessons ? "with-describe" : ""} ${lessons ? "with-lessons" : ""} ${open ? "has-selection" : ""}`}>
        <PanelBoundary name="Editor" className="editor-pane"><EditorPane /></PanelBoundary>
        <PanelBoundary name="Graph" className="graph-pane"><GraphView /></PanelBoundary>
        <div className="side">
          {lessons && <PanelBoundary name="Lessons"><LessonsPanel /></PanelBoundary>}
          <PanelBoundary name="Describe"><DescribePanel /></PanelBoundary>
        </div>
        <div className="bottom">
          <PanelBoundary name="Console"><Console /></PanelBoundary>
          <PanelBoundary name="Events"><EventLog /></PanelBoundary>
        </div>
      </main>
      <BusyOverlay />
      {dropping && <div className="drop-hint" aria-hidden="true">Drop a .kp scenario or YAML to import it</div>}
    </div>
  );
}

/** `?embed`: the graph and the clock, replaying the fragment's scenario; no editor or console. */
export function EmbedApp() {
  const st = getAppStore().getState;
  const playing = useSim((s) => s.playing);
  const full = location.href.replace(/([?&])embed(=[^&#]*)?&?/, "$1").replace(/\?(#|$)/, "$1");
  return (
    <div className="app embed">
      <header className="toolbar embed-bar" role="toolbar" aria-label="Clock controls">
        <span className="brand">kubeplay</span>
        <div className="group" role="group" aria-label="Clock">
          <button type="button" onClick={() => st().advance(10_000)}>Advance 10s</button>
          <button type="button" onClick={() => st().advance(60_000)}>Advance 1m</button>
          <button type="button" onClick={() => st().togglePlay()} className={playing ? "playing" : "primary-ghost"}>{playing ? "Pause" : "Play"}</button>
        </div>
        <a className="open-full" href={full} target="_blank" rel="noopener noreferrer">Open in kubeplay ↗</a>
      </header>
      <PanelBoundary name="Timeline"><Timeline compact /></PanelBoundary>
      <Banners embed />
      <main className="embed-main">
        <PanelBoundary name="Graph" className="graph-pane"><GraphView /></PanelBoundary>
      </main>
      <BusyOverlay />
    </div>
  );
}
