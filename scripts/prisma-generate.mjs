// Generates the Prisma client without Prisma's download host.
// `prisma generate` needs no schema engine for the `prisma-client` generator, but the CLI
// refuses to start unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; any will do.
import { spawnSync } from "node:child_process";

const result = spawnSync("prisma", ["generate"], {
  stdio: "inherit",
  shell: process.platform === "win32",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
