// The command thread prepares its statements on each connection. A prepared statement that expands
// a star stops running once a migration adds a column to its table (PostgreSQL: "cached plan must
// not change result type"), which in a rolling deploy would fail the old replicas' commands: so such
// statements run unprepared, and the command path names its columns.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase, preparedNames } from "../../src/db/client.ts";
import { findActor } from "../../src/domain/members.ts";
import { TestClock } from "../support/clock.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../support/database.ts";
import { textOf, World } from "../support/world.ts";

let url: string;
let name: string;
let db: Database;
let world: World;
beforeAll(async () => {
  ({ url, name } = await createPostgresDatabase());
  const migrator = await openDatabase({ url, dataDir: "" });
  await migrator.migrate();
  await migrator.close();
  // One connection, so that every statement runs where it was prepared.
  db = await openDatabase({ url, dataDir: "", poolSize: 1, preparedStatements: true });
  world = new World(db, new TestClock(new Date()));
});
afterAll(async () => {
  await db.close();
  await dropPostgresDatabase(name);
});

/** The text of each statement prepared on the pool's one connection. */
async function preparedOnServer(): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ statement: string }[]>`select "statement" from pg_prepared_statements`;
  return rows.map((row) => row.statement);
}

describe("prepared statements", () => {
  it("name each distinct statement once, none that expands a star, and no more than the limit", () => {
    const names = preparedNames(4);
    const a = names({ sql: 'select "id" from "Customer" where "id" = $1' });
    expect(a).toMatch(/^crm_\d+$/);
    expect(names({ sql: 'select "id" from "Customer" where "id" = $1' })).toBe(a);
    for (const star of [
      'select * from "Customer"',
      'select w.*, to_jsonb(m) as "member" from "Workspace" w',
      'with u as (update "Customer" set "name" = $1 returning *) select 1',
      'select "Customer".* from "Customer"',
    ]) {
      expect(names({ sql: star })).toBeUndefined();
    }
    expect(names({ sql: 'select "id" from "Customer" where "normalizedName" LIKE $1' })).toBeUndefined();
    const many = Array.from({ length: 17 }, (_, i) => `$${i + 1}`).join(",");
    expect(names({ sql: `select "id" from "Customer" where "ownerId" in (${many})` })).toBeUndefined();
    // Many parameters are fine where they are not one list (the log's write has over twenty).
    expect(names({ sql: `insert into "T" values (${many})` })).toMatch(/^crm_\d+$/);
    expect(names({ sql: 'select count(*) from "Customer"' })).toMatch(/^crm_\d+$/);
    expect(names({ sql: 'select "a" * 2 as "b" from "T"' })).toMatch(/^crm_\d+$/);
    // Past the limit, a new statement runs unprepared; the named ones keep their names.
    expect(names({ sql: "select 1" })).toBeUndefined();
    expect(names({ sql: 'select "id" from "Customer" where "id" = $1' })).toBe(a);
  });

  it("keep a command working after a migration adds columns to its tables", async () => {
    const ws = await world.workspace({ platform: "slack" });
    const alice = await world.member(ws, "alice");
    await world.run(ws, alice, "add Acme tier=key");
    // Six runs: PostgreSQL keeps a generic plan after five.
    for (let i = 0; i < 6; i++) {
      expect(textOf(await world.run(ws, alice, `log Acme called ${i}`))).toContain("Logged a call");
      expect((await findActor(world.deps, "slack", ws.externalId, "alice"))?.member?.id).toBe(alice.id);
    }
    // The command path's own statements are among those prepared (who acts, and the log's write).
    const prepared = await preparedOnServer();
    expect(prepared.some((sql) => sql.includes('left join "Member" m on'))).toBe(true);
    expect(prepared.some((sql) => sql.includes("with updated as ("))).toBe(true);

    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`alter table "Customer" add column "laterColumn" text`);
      await admin.query(`alter table "Workspace" add column "laterColumn" text`);
      await admin.query(`alter table "Member" add column "laterColumn" text`);
    } finally {
      await admin.end();
    }
    expect(textOf(await world.run(ws, alice, "log Acme called after the migration"))).toContain("Logged a call");
    expect((await findActor(world.deps, "slack", ws.externalId, "alice"))?.member?.id).toBe(alice.id);
    expect(await db.prisma.interaction.count({ where: { workspaceId: ws.id } })).toBe(7);
  });
});
