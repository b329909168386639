// Applies the committed migrations to the embedded database without the schema engine, writing
// `_prisma_migrations` row for row as the engine writes it (same table, same checksums).
import { createHash, randomUUID } from "node:crypto";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { listMigrations, migrationsDir } from "./migrations.ts";

// The schema engine's own statement (Prisma 7, PostgreSQL), so that the table is the same
// whichever of the two created it.
const CREATE_HISTORY = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

interface HistoryRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

interface Migration {
  name: string;
  sql: string;
}

/** What the schema engine stores as a migration's checksum: SHA-256 of migration.sql, in hex. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/**
 * Applies every committed migration the database has not recorded and returns their names; one
 * that fails is rolled back, recorded as failed and thrown, and those after it are left pending.
 * Returns null, having changed nothing, when the history needs the engine's judgement: a failed
 * migration awaiting `prisma migrate resolve`, a schema that is not empty but has no history, or
 * a migration file that cannot be read. No lock is taken: an embedded database belongs to one
 * process.
 */
export async function applyEmbeddedMigrations(pglite: PGlite, dir = migrationsDir): Promise<string[] | null> {
  const history = await readHistory(pglite);
  if (history === "not-empty" || history.rows.some((row) => row.finished_at === null && row.rolled_back_at === null)) {
    return null;
  }
  const done = new Set(history.rows.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
  const pending: Migration[] = [];
  for (const { path, migrationFile } of (await listMigrations(dir)).migrationDirectories) {
    if (done.has(path)) continue;
    if (migrationFile.content.tag !== "ok") return null;
    pending.push({ name: path, sql: migrationFile.content.value });
  }
  if (!history.present) await pglite.exec(CREATE_HISTORY);
  // One commit per migration, as the engine does: a migration may use an enum value that an earlier
  // one added, which PostgreSQL allows only after a commit. (One commit for the lot measured no faster.)
  for (const migration of pending) await applyOne(pglite, migration);
  return pending.map((m) => m.name);
}

/** The recorded history; "not-empty" for a schema with tables but no history. */
async function readHistory(pglite: PGlite): Promise<{ present: boolean; rows: HistoryRow[] } | "not-empty"> {
  const { rows } = await pglite.query<{ present: boolean; tables: number }>(
    `select to_regclass('_prisma_migrations') is not null as present,
            (select count(*)::int from pg_tables where schemaname = current_schema()) as tables`,
  );
  const state = rows[0];
  if (state?.present) {
    const history = await pglite.query<HistoryRow>(`select migration_name, finished_at, rolled_back_at from _prisma_migrations`);
    return { present: true, rows: history.rows };
  }
  // The engine refuses (P3005) to migrate a schema it did not create; let it say so.
  if (state && state.tables > 0) return "not-empty";
  return { present: false, rows: [] };
}

async function runAndRecord(tx: Pick<Transaction, "exec" | "query">, { name, sql }: Migration): Promise<void> {
  const startedAt = new Date();
  await tx.exec(sql);
  await tx.query(
    `insert into _prisma_migrations (id, checksum, started_at, finished_at, migration_name, applied_steps_count)
     values ($1, $2, $3, $4, $5, 1)`,
    [randomUUID(), migrationChecksum(sql), startedAt, new Date(), name],
  );
}

/**
 * A migration that ends or starts transactions itself, or builds an index CONCURRENTLY, cannot run
 * inside ours (its COMMIT would end our transaction; CONCURRENTLY refuses to run in one). It runs
 * as the schema engine runs every migration: as one script, PostgreSQL's own rules deciding what
 * is atomic, and it is recorded afterwards.
 */
const managesTransactions = /\b(?:begin|commit|rollback|start\s+transaction)\s*;|\bconcurrently\b/i;

async function applyOne(pglite: PGlite, migration: Migration): Promise<void> {
  const startedAt = new Date();
  const alone = managesTransactions.test(migration.sql);
  try {
    if (alone) await runAndRecord(pglite, migration);
    else await pglite.transaction((tx) => runAndRecord(tx, migration));
  } catch (error) {
    // As the engine leaves it: a row without finished_at, with the error in logs, so that the next
    // start stops until someone resolves it rather than skipping the migration.
    const message = error instanceof Error ? error.message : String(error);
    await pglite.query(
      `insert into _prisma_migrations (id, checksum, started_at, migration_name, logs, applied_steps_count)
       values ($1, $2, $3, $4, $5, 0)`,
      [randomUUID(), migrationChecksum(migration.sql), startedAt, migration.name, message],
    );
    const outcome = alone ? "failed (it manages its own transactions, so what it committed stays)" : "failed and was rolled back";
    throw new Error(`Migration ${migration.name} ${outcome}: ${message}`, { cause: error });
  }
}
