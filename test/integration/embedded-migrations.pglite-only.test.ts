import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyEmbeddedMigrations, migrationChecksum } from "../../src/db/embedded-migrations.ts";
import { listMigrations, migrationsDir, readSchema } from "../../src/db/migrations.ts";
import { writeTemplate } from "../../src/db/pglite-template.ts";
import { withSchemaEngine } from "../../src/db/schema-engine.ts";

const noFilter = { externalTables: [], externalEnums: [] };
const committed = async () => (await listMigrations()).migrationDirectories.map((d) => d.path);
/** The migrations a database's history holds as finished, in order. */
const recorded = async (db: Database) =>
  (
    await db.prisma.$queryRawUnsafe<{ name: string }[]>(
      "select migration_name as name from _prisma_migrations where finished_at is not null and rolled_back_at is null order by migration_name",
    )
  ).map((row) => row.name);

/** Applies the first `count` committed migrations (all when absent) with Prisma's schema engine. */
async function applyWithEngine(pglite: PGlite, count?: number, dir = migrationsDir): Promise<string[]> {
  const list = await listMigrations(dir);
  const migrationsList = { ...list, migrationDirectories: list.migrationDirectories.slice(0, count) };
  const result = await withSchemaEngine(await readSchema(), new PrismaPGlite(pglite), (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilter }),
  );
  return result.appliedMigrationNames;
}

/** Tables, columns, indexes and enum values: what a migration leaves behind. */
async function catalogue(pglite: PGlite): Promise<unknown[]> {
  const { rows } = await pglite.query(`
    select 'column' as kind, table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as what
      from information_schema.columns where table_schema = 'public'
    union all select 'index', indexdef from pg_indexes where schemaname = 'public'
    union all select 'constraint', conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace
    union all select 'enum', t.typname || '.' || e.enumlabel from pg_enum e join pg_type t on t.oid = e.enumtypid
    order by 1, 2`);
  return rows;
}

async function history(pglite: PGlite) {
  const { rows } = await pglite.query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
    logs: string | null;
    applied_steps_count: number;
  }>(
    `select migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count from _prisma_migrations order by migration_name`,
  );
  return rows;
}

describe("migrations on the embedded database, without the schema engine", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "crm-embedded-migrations-"));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("leave the same schema and the same history rows, checksums included, as Prisma's schema engine", async () => {
    const [direct, engine] = await Promise.all([PGlite.create(), PGlite.create()]);
    try {
      expect(await applyEmbeddedMigrations(direct)).toEqual(await committed());
      expect(await applyWithEngine(engine)).toEqual(await committed());

      expect(await catalogue(direct)).toEqual(await catalogue(engine));
      const shape = `select column_name, data_type, character_maximum_length, is_nullable, column_default
        from information_schema.columns where table_name = '_prisma_migrations' order by ordinal_position`;
      expect((await direct.query(shape)).rows).toEqual((await engine.query(shape)).rows);
      const comparable = async (db: PGlite) =>
        (await history(db)).map(({ finished_at, ...row }) => ({ ...row, finished: finished_at !== null }));
      expect(await comparable(direct)).toEqual(await comparable(engine));
      for (const dir of (await listMigrations()).migrationDirectories) {
        const row = (await history(direct)).find((r) => r.migration_name === dir.path);
        expect(row?.checksum).toBe(migrationChecksum(dir.migrationFile.content.value));
      }

      // Prisma's own reading of the history agrees: nothing left to apply.
      expect(await applyWithEngine(direct)).toEqual([]);
    } finally {
      await Promise.all([direct.close(), engine.close()]);
    }
  });

  it("bring an older database, migrated in part by the schema engine, up to date on the next start and leave it alone after", async () => {
    const dataDir = path.join(folder, "older");
    const older = await PGlite.create(dataDir);
    const all = await committed();
    expect(await applyWithEngine(older, 2)).toEqual(all.slice(0, 2));
    await older.close();

    const upgraded = await openDatabase({ dataDir });
    try {
      expect(await upgraded.migrate()).toEqual(all.slice(2));
      expect(await upgraded.migrate()).toEqual([]);
      await upgraded.prisma.workspace.count();
    } finally {
      await upgraded.close();
    }

    const again = await openDatabase({ dataDir });
    try {
      expect(await again.migrate()).toEqual([]);
      const rows = await again.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
        `select migration_name from _prisma_migrations where finished_at is not null order by migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(all);
    } finally {
      await again.close();
    }
  });

  it("roll back a migration that fails, record it as failed as Prisma does, and refuse to go past it later", async () => {
    const dir = path.join(folder, "migrations-with-a-bad-one");
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, "29991231000000_bad"));
    await writeFile(
      path.join(dir, "29991231000000_bad/migration.sql"),
      `CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n`,
    );

    const pglite = await PGlite.create();
    try {
      await expect(applyEmbeddedMigrations(pglite, dir)).rejects.toThrow(/29991231000000_bad failed.*no_such_function/);
      expect((await pglite.query(`select to_regclass('"Half"') as half`)).rows).toEqual([{ half: null }]);
      const bad = (await history(pglite)).find((r) => r.migration_name === "29991231000000_bad");
      expect(bad).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
      expect(bad?.logs).toContain("no_such_function");

      expect(await applyEmbeddedMigrations(pglite, dir)).toBeNull();
      await expect(applyWithEngine(pglite, undefined, dir)).rejects.toThrow(/failed migrations/);
    } finally {
      await pglite.close();
    }
  });

  it("apply a migration that builds an index CONCURRENTLY, which cannot run inside a transaction", async () => {
    const dir = path.join(folder, "migrations-with-a-concurrent-index");
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, "29991231000000_region_index"));
    await writeFile(
      path.join(dir, "29991231000000_region_index/migration.sql"),
      `CREATE INDEX CONCURRENTLY "Customer_region_idx" ON "Customer"("region");\n`,
    );
    const pglite = await PGlite.create();
    try {
      expect((await applyEmbeddedMigrations(pglite, dir))?.at(-1)).toBe("29991231000000_region_index");
      const { rows } = await pglite.query(`select indexname from pg_indexes where indexname = 'Customer_region_idx'`);
      expect(rows).toHaveLength(1);
      expect((await history(pglite)).at(-1)).toMatchObject({
        migration_name: "29991231000000_region_index",
        applied_steps_count: 1,
      });
    } finally {
      await pglite.close();
    }
  });

  it("say so, rather than claim a rollback, when a migration with its own COMMIT fails after it", async () => {
    const dir = path.join(folder, "migrations-with-their-own-transaction");
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, "29991231000000_own_commit"));
    await writeFile(
      path.join(dir, "29991231000000_own_commit/migration.sql"),
      `BEGIN;\nCREATE TABLE "Kept" (id int);\nCOMMIT;\nSELECT no_such_function();\n`,
    );
    const pglite = await PGlite.create();
    try {
      await expect(applyEmbeddedMigrations(pglite, dir)).rejects.toThrow(/own_commit failed \(it manages its own transactions/);
      expect((await pglite.query(`select to_regclass('"Kept"') is not null as kept`)).rows).toEqual([{ kept: true }]);
      expect((await history(pglite)).at(-1)).toMatchObject({ migration_name: "29991231000000_own_commit", finished_at: null });
    } finally {
      await pglite.close();
    }
  });

  it("apply a migration that uses an enum value added by an earlier pending one (PostgreSQL allows that only after a commit)", async () => {
    const dir = path.join(folder, "migrations-with-a-new-tier");
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, "29991231000000_vip_tier"));
    await writeFile(path.join(dir, "29991231000000_vip_tier/migration.sql"), `ALTER TYPE "Tier" ADD VALUE 'vip';\n`);
    await mkdir(path.join(dir, "29991231000001_vip_default"));
    await writeFile(
      path.join(dir, "29991231000001_vip_default/migration.sql"),
      `ALTER TABLE "Customer" ALTER COLUMN "tier" SET DEFAULT 'vip'::"Tier";\n`,
    );

    const pglite = await PGlite.create();
    try {
      const applied = await applyEmbeddedMigrations(pglite, dir);
      expect(applied?.slice(-2)).toEqual(["29991231000000_vip_tier", "29991231000001_vip_default"]);
      const { rows } = await pglite.query(
        `select column_default from information_schema.columns where table_name = 'Customer' and column_name = 'tier'`,
      );
      expect(rows).toEqual([{ column_default: `'vip'::"Tier"` }]);
      expect((await history(pglite)).every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    } finally {
      await pglite.close();
    }
  });

  it("leave a schema that has tables but no history to the schema engine, changing nothing", async () => {
    const pglite = await PGlite.create();
    try {
      await pglite.exec(`create table "Customer" (id int)`);
      expect(await applyEmbeddedMigrations(pglite)).toBeNull();
      expect((await pglite.query(`select to_regclass('_prisma_migrations') as history`)).rows).toEqual([{ history: null }]);
    } finally {
      await pglite.close();
    }
  });
});

describe("the embedded database's first start", () => {
  // pg_control begins with the cluster's system identifier, which initdb draws afresh each time.
  const identifierIn = async (cluster: string) =>
    (await readFile(path.join(cluster, "global/pg_control"))).readBigUInt64LE(0).toString();

  it("copies the cluster made at build time into an empty folder instead of running initdb, and restarts from the folder", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "crm-template-"));
    try {
      const template = await writeTemplate();
      const dataDir = path.join(folder, "data");
      const first = await openDatabase({ dataDir });
      expect(await first.prisma.$queryRawUnsafe(`select system_identifier::text as id from pg_control_system()`)).toEqual([
        { id: await identifierIn(template) },
      ]);
      // The template holds every committed migration already: nothing is left to apply.
      expect(await first.migrate()).toEqual([]);
      expect(await recorded(first)).toEqual(await committed());
      await first.prisma.workspace.create({ data: { platform: "cli", externalId: "first-start", name: "First start" } });
      await first.close();

      const again = await openDatabase({ dataDir });
      try {
        expect(await again.migrate()).toEqual([]);
        expect(await again.prisma.workspace.count({ where: { externalId: "first-start" } })).toBe(1);
        // Not initdb's 128 MB, zeroed at every start (see client.ts).
        expect(await again.prisma.$queryRawUnsafe("select current_setting('shared_buffers') as size")).toEqual([
          { size: "32MB" },
        ]);
      } finally {
        await again.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("brings a template made before a migration up to date at the next build, makes it again after an edited one, and leaves a current one alone", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "crm-template-"));
    try {
      const all = await committed();
      // The migrations of an older build: all but the last.
      const older = path.join(folder, "older-migrations");
      await cp(migrationsDir, older, { recursive: true });
      await rm(path.join(older, all.at(-1) as string), { recursive: true });
      const template = path.join(folder, "template");
      expect(await writeTemplate(template, older)).toBe(template);
      const inTemplate = async () => {
        const pglite = await PGlite.create(template);
        try {
          return (await history(pglite)).filter((r) => r.finished_at !== null).map((r) => r.migration_name);
        } finally {
          await pglite.close();
        }
      };
      expect(await inTemplate()).toEqual(all.slice(0, -1));

      await writeTemplate(template, migrationsDir);
      expect(await inTemplate()).toEqual(all);
      // Current (opening it above changed no migration): the next build does not touch it.
      const version = await stat(path.join(template, "PG_VERSION"));
      await writeTemplate(template, migrationsDir);
      expect((await stat(path.join(template, "PG_VERSION"))).mtimeMs).toBe(version.mtimeMs);

      // A migration edited since would stay in the template as it was: it is made again from initdb.
      const edited = path.join(folder, "edited-migrations");
      await cp(migrationsDir, edited, { recursive: true });
      const last = path.join(edited, all.at(-1) as string, "migration.sql");
      const sql = `${await readFile(last, "utf8")}\n-- edited\n`;
      await writeFile(last, sql);
      await writeTemplate(template, edited);
      const pglite = await PGlite.create(template);
      try {
        const rows = await history(pglite);
        expect(rows.map((r) => r.migration_name)).toEqual(all);
        expect(rows.at(-1)?.checksum).toBe(migrationChecksum(sql));
      } finally {
        await pglite.close();
      }

      // A migration that fails leaves the template as it was, and nothing half-made beside it.
      const broken = path.join(folder, "broken-migrations");
      await cp(migrationsDir, broken, { recursive: true });
      await mkdir(path.join(broken, "29991231000000_bad"));
      await writeFile(path.join(broken, "29991231000000_bad/migration.sql"), "SELECT no_such_function();\n");
      await expect(writeTemplate(template, broken)).rejects.toThrow(/no_such_function/);
      expect((await readdir(folder)).sort()).toEqual([
        "broken-migrations",
        "edited-migrations",
        "older-migrations",
        "template",
        "template.migrations",
      ]);
      expect(await inTemplate()).toEqual(all);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("finishes a copy cut short on the next start", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "crm-template-"));
    try {
      const template = await writeTemplate();
      const dataDir = path.join(folder, "data");
      // Stopped part-way: some of the cluster's files, but not PG_VERSION, which goes last.
      await mkdir(dataDir);
      await cp(path.join(template, "global"), path.join(dataDir, "global"), { recursive: true });
      const db = await openDatabase({ dataDir });
      try {
        expect(await db.migrate()).toEqual([]);
        expect(await recorded(db)).toEqual(await committed());
        expect(await db.prisma.workspace.count()).toBe(0);
      } finally {
        await db.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
