import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { FakeSlack } from "../fakes/slack-api.ts";
import { ChildServer } from "../support/child-server.ts";
import { createPostgresDatabase, dropPostgresDatabase, testDatabaseKind } from "../support/database.ts";
import { seedOverdueReps } from "../support/overdue.ts";
import { until } from "../support/poll.ts";

const REPS = 30;

let slack: FakeSlack;
let env: Record<string, string>;
let cleanUp: () => Promise<void>;
let open: () => Promise<Database>;

beforeAll(async () => {
  slack = await FakeSlack.start();
  env = {
    SLACK_BOT_TOKEN: "xoxb-crash-test",
    SLACK_SIGNING_SECRET: "crash-test-signing-secret",
    SLACK_API_URL: slack.apiUrl,
    SCHEDULER: "on",
  };
  if (testDatabaseKind === "postgres") {
    const { url, name } = await createPostgresDatabase();
    env.DATABASE_URL = url;
    open = () => openDatabase({ url, dataDir: "", poolSize: 2 });
    cleanUp = () => dropPostgresDatabase(name);
  } else {
    const dir = await mkdtemp(path.join(tmpdir(), "crm-crash-"));
    env.DATA_DIR = path.join(dir, "data");
    // The embedded database belongs to one process at a time: the test opens it only while no bot runs.
    open = () => openDatabase({ dataDir: env.DATA_DIR as string });
    cleanUp = () => rm(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  await slack.close();
  await cleanUp();
});

/** Runs `fn` on the database while no bot has it open. */
async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await open();
  try {
    await db.migrate();
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe("a bot killed with SIGKILL in the middle of a sweep", () => {
  it("sends every nudge exactly once after it is started again", async () => {
    const { workspaceId, users } = await withDatabase((db) => seedOverdueReps(db, REPS));
    // Slow DMs, so that the kill lands while some are sent, one is on its way and the rest wait.
    slack.slowDown("chat.postMessage", 150);
    const first = await ChildServer.start(env);
    await until(() => slack.posted.length >= REPS / 3, "a third of the DMs");
    first.signal("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    const beforeRestart = slack.posted.length;
    expect(beforeRestart).toBeLessThan(REPS);

    // What the dead process had claimed stays claimed for CLAIM_MS (two minutes), then any sweep
    // takes it; the test moves those two minutes along instead of waiting them out.
    await withDatabase((db) =>
      db.prisma.nudge.updateMany({
        where: { workspaceId, status: "pending", nextAttemptAt: { gt: new Date() } },
        data: { nextAttemptAt: new Date(Date.now() - 1000) },
      }),
    );
    slack.slowDown("chat.postMessage", 0);
    const second = await ChildServer.start(env);
    await until(
      () => second.logged("sweep: workspace swept").some((l) => l.workspace === workspaceId && Number(l.sent) > 0),
      "the restarted bot's sweep",
      60_000,
    );
    second.signal("SIGTERM");
    expect((await second.exited).code).toBe(0);

    const { nudges, members } = await withDatabase(async (db) => ({
      nudges: await db.prisma.nudge.findMany({ where: { workspaceId } }),
      members: new Map((await db.prisma.member.findMany({ where: { workspaceId } })).map((m) => [m.id, m.externalId])),
    }));
    expect(nudges.filter((n) => n.kind === "revisit")).toHaveLength(REPS);
    expect(nudges.every((n) => n.status === "sent")).toBe(true);
    // As many DMs per rep at Slack as nudges recorded for them: none lost, none twice, the one in
    // flight at the kill included.
    const expected = users.map((user) => nudges.filter((n) => members.get(n.recipientId) === user).length);
    expect(users.map((user) => slack.postedTo(`D${user}`).length)).toEqual(expected);
    expect(slack.posted).toHaveLength(nudges.length);
    // The restarted bot looked for copies of what the dead one had claimed before sending again.
    expect(slack.callsTo("conversations.history").length).toBeGreaterThan(0);
  });
});
