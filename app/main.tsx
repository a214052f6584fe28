import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { App } from "./App.tsx";
import { createSimStore, setAppStore, EDITOR_KEY } from "./store/simStore.ts";
import { createEngineHost } from "./engine/createHost.ts";
import { DEFAULT_NODE_LINES, DEFAULT_YAML } from "./store/defaultScenario.ts";
import { applyEditorText } from "./editor/applyEditor.ts";

function savedText(): string | null {
  try { return localStorage.getItem(EDITOR_KEY); } catch { return null; }
}

const text = savedText() ?? DEFAULT_YAML;
const host = createEngineHost();
const store = createSimStore(host, text);
setAppStore(store);
// The default scenario: a kind-like cluster, the editor's manifests applied, a little time to start.
for (const line of DEFAULT_NODE_LINES) store.getState().exec(line, undefined, "init");
applyEditorText(store, text, []);
store.getState().exec("sim advance 30s", undefined, "init");

// Test and benchmark hook (the store is the whole UI state; nothing else is reachable from here).
(window as unknown as { __kubeplay: unknown }).__kubeplay = { store, host };

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
