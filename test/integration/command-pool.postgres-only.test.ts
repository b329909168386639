// The command thread's pool (COMMAND_STATEMENT_TIMEOUT_MS): a statement that runs too long is
// cancelled, and a session whose transaction sits idle as long is ended, so that the locks of a
// command whose thread waits for a core, or stopped between two statements, do not stay held.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../support/database.ts";

let url: string;
let name: string;
beforeAll(async () => {
  ({ url, name } = await createPostgresDatabase());
});
afterAll(() => dropPostgresDatabase(name));

async function settings(db: Database) {
  const [row] = await db.prisma.$queryRaw<{ statement: string; idle: string }[]>`
    select current_setting('statement_timeout') as "statement",
           current_setting('idle_in_transaction_session_timeout') as "idle"`;
  return row;
}

describe("the command pool's timeouts", () => {
  it("end an idle transaction as they cancel a long statement, and the pool serves again after", async () => {
    const db = await openDatabase({ url, dataDir: "", poolSize: 1, statementTimeoutMs: 300 });
    try {
      expect(await settings(db)).toEqual({ statement: "300ms", idle: "300ms" });
      await expect(db.prisma.$queryRaw`select pg_sleep(1)`).rejects.toThrow(/statement timeout/);
      // A transaction left idle past the timeout: PostgreSQL ends its session, and the commit fails.
      await expect(
        db.prisma.$transaction(async (tx) => {
          await tx.$queryRaw`select 1`;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await tx.$queryRaw`select 1`;
        }),
      ).rejects.toThrow();
      expect(await settings(db)).toEqual({ statement: "300ms", idle: "300ms" });
    } finally {
      await db.close();
    }
  });

  it("are PostgreSQL's defaults (none) for a pool without them", async () => {
    const db = await openDatabase({ url, dataDir: "", poolSize: 1 });
    try {
      expect(await settings(db)).toEqual({ statement: "0", idle: "0" });
    } finally {
      await db.close();
    }
  });
});
