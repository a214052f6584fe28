#!/usr/bin/env node
// Generates src/schema/k8s.schema.json (toolchain.md §4) from kubernetes-types 1.30 with typescript-json-schema.
// Dev-time only: the output is committed. Run: node scripts/gen-k8s-schema.mjs
// One schema dispatching on `kind` (allOf/if/then), descriptions kept, unknown properties forbidden.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = join(root, "node_modules", ".cache", "kubeplay-schema");
mkdirSync(tmp, { recursive: true });

const KINDS = {
  "apps/v1": ["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ControllerRevision"],
  "batch/v1": ["Job", "CronJob"],
  "core/v1": ["Pod", "Service", "ConfigMap", "Secret", "Node", "Namespace", "PersistentVolumeClaim", "Endpoints"],
};
const all = Object.values(KINDS).flat();
writeFileSync(join(tmp, "k8s-kinds.ts"),
  Object.entries(KINDS).map(([m, ks]) => `import type { ${ks.join(", ")} } from "kubernetes-types/${m}";`).join("\n") +
  `\nexport interface K8sKinds {\n${all.map((k) => `  ${k}: ${k};`).join("\n")}\n}\n`);
writeFileSync(join(tmp, "tsconfig.json"), JSON.stringify({
  compilerOptions: { strict: true, skipLibCheck: true, module: "esnext", moduleResolution: "bundler", target: "es2022", noEmit: true },
  files: ["k8s-kinds.ts"],
}));
const rawFile = join(tmp, "raw.json");
execFileSync(join(root, "node_modules", ".bin", "typescript-json-schema"),
  [join(tmp, "tsconfig.json"), "K8sKinds", "--required", "--noExtraProps", "--strictNullChecks", "--out", rawFile],
  { stdio: "inherit" });

const s = JSON.parse(readFileSync(rawFile, "utf8"));
const kinds = Object.keys(s.properties);
const defs = s.definitions;
for (const k of kinds) defs[k].required = [...new Set([...(defs[k].required ?? []), "apiVersion", "kind"])];
const out = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["apiVersion", "kind"],
  properties: {
    apiVersion: { type: "string", enum: [...new Set(kinds.map((k) => defs[k].properties.apiVersion.const))] },
    kind: { type: "string", enum: kinds },
  },
  allOf: kinds.map((k) => ({ if: { properties: { kind: { const: k } }, required: ["kind"] }, then: { $ref: `#/definitions/${k}` } })),
  definitions: defs,
};
writeFileSync(join(root, "src", "schema", "k8s.schema.json"), JSON.stringify(out));
console.log(`wrote src/schema/k8s.schema.json: ${kinds.length} kinds, ${Object.keys(defs).length} definitions`);
