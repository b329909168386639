// Prisma CLI configuration. Migrations are applied by src/db/migrate.ts (WebAssembly schema
// engine), so the CLI here only generates the client.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
