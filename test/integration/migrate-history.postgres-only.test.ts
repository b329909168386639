import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { listMigrations } from "../../src/db/migrations.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../support/database.ts";

// The history must stay readable by the stock Prisma CLI, so it lives in _prisma_migrations.
describe("applying migrations on PostgreSQL", () => {
  let url: string;
  let name: string;
  beforeAll(async () => ({ url, name } = await createPostgresDatabase()));
  afterAll(() => dropPostgresDatabase(name));

  it("three replicas starting at once apply each migration exactly once", async () => {
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ url, dataDir: "", poolSize: 2 })));
    try {
      const applied = await Promise.all(dbs.map((db) => db.migrate()));
      const expected = (await listMigrations()).migrationDirectories.map((d) => d.path);
      expect(applied.flat().sort()).toEqual(expected);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("select migration_name, finished_at from _prisma_migrations order by migration_name");
      await client.end();
      expect(rows.map((r) => r.migration_name)).toEqual(expected);
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
