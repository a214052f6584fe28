import { Toolbar } from "./toolbar/Toolbar.tsx";
import { EditorPane } from "./editor/EditorPane.tsx";
import { GraphView } from "./graph/GraphView.tsx";
import { DescribePanel } from "./panels/DescribePanel.tsx";
import { EventLog } from "./panels/EventLog.tsx";
import { Console } from "./console/Console.tsx";
import { useSim } from "./store/simStore.ts";

export function App() {
  const open = useSim((s) => s.selected !== null);
  return (
    <div className="app">
      <Toolbar />
      <main className={`workspace ${open ? "with-describe" : ""}`}>
        <EditorPane />
        <GraphView />
        <DescribePanel />
        <div className="bottom">
          <Console />
          <EventLog />
        </div>
      </main>
    </div>
  );
}
