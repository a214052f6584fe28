import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const monacoEsm = fileURLToPath(new URL("./node_modules/monaco-editor/esm/vs/", import.meta.url));

export default defineConfig({
  // Relative base: the built folder works under any sub-path (GitHub Pages, /playground/, a file server).
  base: process.env.BASE_PATH ?? "./",
  plugins: [
    react(),
    // index.html's Content-Security-Policy forbids inline scripts; the dev server's React refresh
    // preamble is one, so the policy applies to the built page only.
    { name: "csp-build-only", apply: "serve", transformIndexHtml: (html: string) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, "") },
  ],
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
