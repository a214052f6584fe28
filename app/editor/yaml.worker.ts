// Own entry so Vite bundles monaco-yaml's worker (monaco-yaml FAQ "Why doesn't it work with Vite?").
import "monaco-yaml/yaml.worker.js";
