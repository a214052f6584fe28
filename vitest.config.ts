import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    include: ["tests/engine/**/*.test.ts", "tests/property/**/*.test.ts", "tests/fuzz/**/*.test.ts", "tests/app/**/*.test.ts", "tests/app/**/*.test.tsx"],
    environment: "node",
    testTimeout: 60_000,
  },
});
