// Reads prisma/migrations the way the Prisma CLI does and applies it with the WebAssembly
// schema engine; the history lands in `_prisma_migrations`, as `prisma migrate deploy` keeps it.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { withSchemaEngine } from "./schema-engine.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const schemaPath = path.join(root, "prisma/schema.prisma");
export const migrationsDir = path.join(root, "prisma/migrations");
const noFilter = { externalTables: [], externalEnums: [] };

export async function readSchema(): Promise<string> {
  return readFile(schemaPath, "utf8");
}

export async function listMigrations(dir = migrationsDir): Promise<MigrationList> {
  const lockPath = path.join(dir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => {
        const content = await readFile(path.join(dir, entry.name, "migration.sql"), "utf8")
          .then((value) => ({ tag: "ok" as const, value }))
          .catch((error: Error) => ({ tag: "error" as const, value: error.message }));
        return { path: entry.name, migrationFile: { path: "migration.sql", content } };
      }),
  );
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies every migration not yet applied; returns the names it applied. */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log?: (message: string) => void,
): Promise<string[]> {
  const migrationsList = await listMigrations();
  const result = await withSchemaEngine(
    await readSchema(),
    adapterFactory,
    (engine) => engine.applyMigrations({ migrationsList, filters: noFilter }),
    log,
  );
  return result.appliedMigrationNames;
}

/**
 * The SQL that would take a database from the committed migrations to schema.prisma, or ""
 * when they agree. The factory's shadow database replays the migrations.
 */
export async function pendingSchemaChange(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const schema = await readSchema();
  const migrationsList = await listMigrations();
  const result = await withSchemaEngine(schema, adapterFactory, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    }),
  );
  const script = result.stdout ?? "";
  return script.includes("-- This is an empty migration.") ? "" : script.trim();
}

/**
 * Names of committed migrations the database has not recorded as applied, read with one query.
 * Start-up uses it to skip loading the schema engine (about a second of WebAssembly) when there
 * is nothing to apply. Null when the history table does not exist yet.
 */
export async function unappliedMigrations(
  query: (sql: string) => Promise<{ migration_name: string }[]>,
): Promise<string[] | null> {
  const applied = await query(
    `select migration_name from "_prisma_migrations" where finished_at is not null and rolled_back_at is null`,
  ).catch(() => null);
  if (!applied) return null;
  const done = new Set(applied.map((row) => row.migration_name));
  return (await listMigrations()).migrationDirectories.map((d) => d.path).filter((name) => !done.has(name));
}
