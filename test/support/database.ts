// A database of the test's own: in-memory PGlite, or a fresh PostgreSQL database dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/client.ts";

export const testDatabaseKind = process.env.TEST_DATABASE === "postgres" ? "postgres" : "pglite";
export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  db: Database;
  /** The URL to give a server process (undefined for PGlite, which lives in this process). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database and returns its URL; `dropPostgresDatabase` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; name: string }> {
  const name = `crm_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect().catch((error: Error) => {
    throw new Error(
      `Tests need PostgreSQL at ${postgresAdminUrl} (${error.message}). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    );
  });
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** Opens a migrated database for one test file. */
export async function openTestDatabase(kind = testDatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const db = await openDatabase({ dataDir: "memory://" });
    await db.migrate();
    return { db, url: undefined, drop: () => db.close() };
  }
  const { url, name } = await createPostgresDatabase();
  const db = await openDatabase({ url, dataDir: "", poolSize: 5 });
  await db.migrate();
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await dropPostgresDatabase(name);
    },
  };
}
