import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const monacoEsm = fileURLToPath(new URL("./node_modules/monaco-editor/esm/vs/", import.meta.url));

export default defineConfig({
  // Relative base: the built folder works under any sub-path (GitHub Pages, /playground/, a file server).
  base: process.env.BASE_PATH ?? "./",
  plugins: [react()],
  resolve: {
    alias: [
      // monaco-editor >= 0.56 has an exports map that breaks monaco-worker-manager's deep import (toolchain.md §3).
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${monacoEsm}$1` },
    ],
  },
  optimizeDeps: { include: ["monaco-yaml/yaml.worker.js"] },
  worker: { format: "es" },
  build: { chunkSizeWarningLimit: 6000 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
