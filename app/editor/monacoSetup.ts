/**
 * Monaco + monaco-yaml with the Kubernetes schema (lazy-loaded with the editor). Two workarounds
 * for monaco-editor 0.57 + monaco-yaml 5.5.1 (toolchain.md §3): the createWebWorker shim below and
 * the resolve.alias in vite.config.ts.
 */
import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/yaml/register";
import { configureMonacoYaml } from "monaco-yaml";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import YamlWorker from "./yaml.worker?worker";
import k8sSchema from "../../src/schema/k8s.schema.json";

self.MonacoEnvironment = {
  getWorker(_moduleId: string, label: string) {
    return label === "yaml" ? new YamlWorker() : new EditorWorker();
  },
};

// monaco-editor >= 0.55's editor.createWebWorker wants opts.worker; monaco-worker-manager (used by
// monaco-yaml 5.5) still passes {label, moduleId, createData}. Shim the old form.
type LegacyOpts = { worker?: unknown; label?: string; moduleId?: string; createData?: unknown };
const createWebWorker = monaco.editor.createWebWorker;
(monaco.editor as { createWebWorker: unknown }).createWebWorker = (opts: LegacyOpts) => {
  if (opts.worker) return createWebWorker(opts as Parameters<typeof createWebWorker>[0]);
  const worker = Promise.resolve(self.MonacoEnvironment!.getWorker!("workerMain.js", opts.label ?? "")).then((w) => {
    w.postMessage("ignore");
    w.postMessage(opts.createData);
    return w;
  });
  return createWebWorker({ ...opts, worker } as Parameters<typeof createWebWorker>[0]);
};

// Know when the schema validation has caught up with an edit: monaco-yaml's marker provider sets
// markers (possibly none — which fires no marker event) once per validated model version.
const validated = new Map<string, number>();
const waiters = new Set<() => void>();
const setModelMarkers = monaco.editor.setModelMarkers;
(monaco.editor as { setModelMarkers: unknown }).setModelMarkers = (model: monaco.editor.ITextModel, owner: string, markers: monaco.editor.IMarkerData[]) => {
  setModelMarkers(model, owner, markers);
  if (owner === "yaml" && !model.isDisposed()) {
    validated.set(model.uri.toString(), model.getVersionId());
    for (const w of [...waiters]) w();
  }
};

/** Resolves when the schema markers belong to the model's current text (or after timeoutMs). */
export function schemaValidated(model: monaco.editor.ITextModel, timeoutMs = 4000): Promise<boolean> {
  const fresh = () => !model.isDisposed() && validated.get(model.uri.toString()) === model.getVersionId();
  if (fresh()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (v: boolean) => { waiters.delete(check); clearTimeout(t); resolve(v); };
    const check = () => { if (fresh()) done(true); };
    const t = setTimeout(() => done(false), timeoutMs);
    waiters.add(check);
  });
}

export const monacoYaml = configureMonacoYaml(monaco, {
  enableSchemaRequest: false, // never fetch
  isKubernetes: true,
  completion: true,
  hover: true,
  validate: true,
  format: { enable: true },
  schemas: [{
    uri: "https://kubeplay.invalid/schemas/k8s.schema.json", // only a name; nothing is fetched
    fileMatch: ["**/*.yaml"],
    schema: k8sSchema as object,
  }],
});

monaco.editor.defineTheme("kubeplay", {
  base: "vs",
  inherit: true,
  rules: [],
  colors: { "editor.background": "#fbfcfe", "editorGutter.background": "#f3f5f9" },
});

export { monaco };
