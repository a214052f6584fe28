import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { App, EmbedApp } from "./App.tsx";
import { createSimStore, setAppStore, EDITOR_KEY, type StoreHost } from "./store/simStore.ts";
import { createEngineHost } from "./engine/createHost.ts";
import { DEFAULT_YAML } from "./store/defaultScenario.ts";
import { readStorage } from "./scenario/autosave.ts";
import { boot, buildDefault, openHash, startAutosave } from "./scenario/boot.ts";
import { prefetchLessons } from "./scenario/lessonsData.ts";

const embed = new URLSearchParams(location.search).has("embed");
const host = createEngineHost();
const text = embed ? DEFAULT_YAML : (readStorage(EDITOR_KEY) ?? DEFAULT_YAML);

async function start() {
  // The worker host holds no snapshot until the worker has answered once.
  const ready = (host as { ready?: () => Promise<unknown> }).ready;
  if (ready) await ready.call(host);
  const store = createSimStore(host as unknown as StoreHost, text);
  setAppStore(store);
  // Test and benchmark hook (the store is the whole UI state; nothing else is reachable from here).
  (window as unknown as { __kubeplay: unknown }).__kubeplay = { store, host, ready: false };
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      {embed ? <EmbedApp /> : <App />}
    </StrictMode>,
  );
  if (embed) {
    // An embed shows the fragment's scenario (or the default one) and never touches the autosave.
    const r = location.hash ? await openHash(store, location.hash) : "none";
    if (r !== "opened") {
      // (a cancelled link also lands here: the embed then shows the default scenario)
      await store.getState().load("", { seed: 1, mode: "guest", guestLabel: "embedded scenario", editorText: DEFAULT_YAML });
      await buildDefault(store, DEFAULT_YAML);
    }
    store.setState({ banner: store.getState().banner });
  } else {
    await boot(store);
    startAutosave(store);
    // A link pasted into the address bar of this tab.
    window.addEventListener("hashchange", () => { if (location.hash.startsWith("#s=")) void openHash(store, location.hash); });
    const idle = (window as { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((f: () => void) => setTimeout(f, 2000));
    idle(() => void prefetchLessons());
  }
  (window as unknown as { __kubeplay: { ready: boolean } }).__kubeplay.ready = true;
  document.documentElement.dataset.ready = "true";
}
void start();
