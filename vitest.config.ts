// Two runs of the suite: on the embedded database (PGlite) and on the local PostgreSQL server.
// Tests that touch no database run once, in the first.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only fight over them.
    maxWorkers: 2,
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "pglite",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.postgres-only.test.ts"],
          env: { TEST_DATABASE: "pglite" },
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          exclude: ["test/**/*.pglite-only.test.ts"],
          env: { TEST_DATABASE: "postgres" },
        },
      },
    ],
  },
});
