#!/usr/bin/env node
// Runs the TypeScript engine directly (tsx), so `npx kubeplay run FILE` works right after `npm install`.
import { register } from "tsx/esm/api";
register();
await import("../src/cli.ts");
