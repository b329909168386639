// A PostgreSQL server whose time zone is not UTC (initdb takes the host's, so a server in China is
// likely on Asia/Shanghai): times the database fills in itself must still be stored as UTC, like
// every time Prisma writes. A reminder's createdAt is where a retry starts looking for a copy it may
// already have sent, so hours off there would mean a reminder sent twice.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { recordNudges } from "../../src/domain/nudges/store.ts";
import { createPostgresDatabase, dropPostgresDatabase, type TestDatabase } from "../support/database.ts";
import { World } from "../support/world.ts";

let test: TestDatabase;
let world: World;
beforeAll(async () => {
  const { url, name } = await createPostgresDatabase();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`alter database "${name}" set timezone = 'Asia/Shanghai'`);
  await admin.end();
  const db = await openDatabase({ url, dataDir: "", poolSize: 2 });
  await db.migrate();
  const drop = async () => {
    await db.close();
    await dropPostgresDatabase(name);
  };
  test = { db, url, drop };
  world = new World(db);
});
afterAll(() => test.drop());

/** Within a minute of the real time now (the database's clock, not the test's). */
function nearNow(value: Date | null | undefined) {
  expect(value).toBeInstanceOf(Date);
  expect(Math.abs((value as Date).getTime() - Date.now())).toBeLessThan(60_000);
}

describe("a PostgreSQL server in Asia/Shanghai", () => {
  it("really is in that time zone for our connections", async () => {
    const [row] = await test.db.prisma.$queryRaw<{ tz: string }[]>`select current_setting('TimeZone') as tz`;
    expect(row?.tz).toBe("Asia/Shanghai");
  });

  it("stores a reminder's record, claim and sending times as UTC", async () => {
    const ws = await world.workspace();
    const alice = await world.member(ws, "alice");
    await recordNudges(world.deps, [
      { workspaceId: ws.id, kind: "revisit", recipientId: alice.id, subjectKey: "", day: "2026-11-25", payload: {} },
    ]);
    const nudge = await test.db.prisma.nudge.findFirstOrThrow({ where: { workspaceId: ws.id } });
    nearNow(nudge.createdAt);
    nearNow(nudge.updatedAt);
  });

  it("stores a customer's updatedAt as UTC when an interaction is logged", async () => {
    const ws = await world.workspace();
    const alice = await world.member(ws, "alice");
    await world.run(ws, alice, "add Acme tier=key");
    await world.run(ws, alice, "log Acme visited, wants a quote");
    const acme = await test.db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Acme" } });
    expect(acme.lastSummary).toBe("visited, wants a quote");
    nearNow(acme.updatedAt);
  });
});
