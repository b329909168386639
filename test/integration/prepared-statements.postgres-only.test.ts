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

async function preparedOnServer(): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ name: string }[]>`select "name" from pg_prepared_statements order by "name"`;
  return rows.map((row) => row.name);
}

describe("prepared statements", () => {
  it("name each distinct statement once, none that expands a star, and no more than the limit", () => {
    const names = preparedNames(3);
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
    expect((await preparedOnServer()).length).toBeGreaterThan(3);

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
