// Writes the next migration from the change between prisma/migrations and schema.prisma:
//   npm run db:migration -- add_feedback
// The committed migrations are replayed in an in-memory PGlite, so no server is needed.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { migrationsDir, pendingSchemaChange } from "../src/db/migrations.ts";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (lower case letters, digits and _)");
  process.exit(2);
}

const pglite = await PGlite.create();
try {
  const sql = await pendingSchemaChange(new PrismaPGlite(pglite));
  if (!sql) {
    console.log("schema.prisma and prisma/migrations agree: no migration needed.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), `${sql}\n`);
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql:\n\n${sql}`);
  }
} finally {
  await pglite.close();
}
