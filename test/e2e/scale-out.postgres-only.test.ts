import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { FakeSlack } from "../fakes/slack-api.ts";
import { type SlackPerson, triggerId } from "../fakes/slack-payloads.ts";
import { ChildServer } from "../support/child-server.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../support/database.ts";
import { until } from "../support/poll.ts";
import { type SignedRequest, signedCommand } from "../support/slack-signed.ts";

const SECRET = "scale-out-signing-secret";
const TEAM = "T0SCALE";
const DAY_MS = 86_400_000;

let slack: FakeSlack;
let db: Database;
let database: { url: string; name: string };
let env: Record<string, string>;

beforeAll(async () => {
  slack = await FakeSlack.start();
  database = await createPostgresDatabase();
  env = {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "5",
    SLACK_BOT_TOKEN: "xoxb-scale-out",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    SCHEDULER: "on",
    DEFAULT_TIME_ZONE: "UTC",
    DEFAULT_LOCALE: "en",
    // Every sweep says what it did, busy or not, so that the test knows all three have swept.
    LOG_LEVEL: "debug",
  };
});
afterAll(async () => {
  await db?.close();
  await slack.close();
  await dropPostgresDatabase(database.name);
});

const startReplicas = () => Promise.all([1, 2, 3].map(() => ChildServer.start(env)));
async function stopReplicas(replicas: ChildServer[]) {
  for (const replica of replicas) replica.signal("SIGTERM");
  const exits = await Promise.all(replicas.map((r) => r.exited));
  expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
}

function person(user: string): SlackPerson {
  slack.addUser({ id: user, name: user.toLowerCase() });
  return { team: TEAM, user, name: user.toLowerCase(), channel: "C0SCALE" };
}

async function post(replica: ChildServer, request: SignedRequest, headers: Record<string, string> = {}) {
  const response = await fetch(`${replica.url}/slack/events`, {
    method: "POST",
    body: request.body,
    headers: { ...request.headers, ...headers },
  });
  await response.arrayBuffer();
  return response.status;
}

describe("three replicas on one PostgreSQL database", () => {
  it("run every command once wherever it lands, and send every nudge and digest once when all three sweep at once", async () => {
    // Started together on an empty database: the migrations are applied once, under PostgreSQL's lock.
    let replicas = await startReplicas();
    const manager = person("U0MANAGER");
    const reps = ["U0REPA", "U0REPB", "U0REPC", "U0REPD", "U0REPE"].map(person);
    const everyone = [manager, ...reps];

    // Each person adds a customer through one replica and logs a visit through another, all at once.
    const commands = everyone.flatMap((who, i) => [
      { replica: replicas[i % 3] as ChildServer, who, text: `add Scale ${who.user} tier=normal`, replyTo: `add-${who.user}` },
    ]);
    const statuses = await Promise.all(
      commands.map((c) => post(c.replica, signedCommand(SECRET, c.who, c.text, slack.responseUrl(c.replyTo)))),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await until(() => commands.every((c) => slack.postsTo(c.replyTo).length > 0), "every add answered");
    const logs = everyone.map((who, i) => ({
      replica: replicas[(i + 1) % 3] as ChildServer,
      who,
      text: `log Scale ${who.user} visited the plant`,
      replyTo: `log-${who.user}`,
    }));
    await Promise.all(logs.map((c) => post(c.replica, signedCommand(SECRET, c.who, c.text, slack.responseUrl(c.replyTo)))));

    // Slack retries one delivery (same body, same trigger) while the first is still running, and
    // the retry lands on other replicas.
    const retried = signedCommand(
      SECRET,
      reps[0] as SlackPerson,
      "log Scale U0REPA called back",
      slack.responseUrl("retried"),
      triggerId(),
    );
    const retryStatuses = await Promise.all([
      post(replicas[0] as ChildServer, retried),
      post(replicas[1] as ChildServer, retried, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }),
      post(replicas[2] as ChildServer, retried, { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" }),
    ]);
    expect(retryStatuses).toEqual([200, 200, 200]);
    await until(
      () => logs.every((c) => slack.postsTo(c.replyTo).length > 0) && slack.postsTo("retried").length > 0,
      "every log answered",
    );

    db = await openDatabase({ url: database.url, dataDir: "", poolSize: 2 });
    const workspace = await db.prisma.workspace.findFirstOrThrow({ where: { externalId: TEAM } });
    expect(await db.prisma.workspace.count()).toBe(1);
    expect(await db.prisma.member.count({ where: { workspaceId: workspace.id } })).toBe(everyone.length);
    expect(await db.prisma.customer.count({ where: { workspaceId: workspace.id } })).toBe(everyone.length);
    // One visit per person, plus the retried call once.
    expect(await db.prisma.interaction.count({ where: { workspaceId: workspace.id } })).toBe(everyone.length + 1);
    // Each command answered once, the retried delivery included.
    expect([...commands, ...logs].map((c) => slack.postsTo(c.replyTo).length)).toEqual([...commands, ...logs].map(() => 1));
    expect(slack.postsTo("retried")).toHaveLength(1);
    await stopReplicas(replicas);

    // A day later: every customer is due, the manager's digest is due, and all three replicas
    // start at once, so that their start-up sweeps run side by side.
    const now = Date.now();
    const day = (offset: number) => new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
    const settings = {
      nudgeHour: 0,
      workdays: [day(-1), day(0), day(1)],
      careFestivals: [],
      digestWeekday: new Date(now).getUTCDay(),
      digestHour: 0,
    };
    await db.prisma.workspace.update({ where: { id: workspace.id }, data: { timeZone: "UTC", settings } });
    await db.prisma.customer.updateMany({
      where: { workspaceId: workspace.id },
      data: { nextRevisitAt: new Date(now - DAY_MS) },
    });
    const boss = await db.prisma.member.update({
      where: { workspaceId_externalId: { workspaceId: workspace.id, externalId: manager.user } },
      data: { role: "manager", roleManual: true },
    });
    await db.prisma.member.updateMany({
      where: { workspaceId: workspace.id, id: { not: boss.id } },
      data: { managerId: boss.id },
    });
    const dmsBefore = slack.posted.length;
    slack.slowDown("chat.postMessage", 50);

    replicas = await startReplicas();
    await until(
      () => replicas.every((r) => r.logged("sweep: workspace swept").some((l) => l.workspace === workspace.id)),
      "all three replicas to sweep",
      90_000,
    );
    await stopReplicas(replicas);
    slack.slowDown("chat.postMessage", 0);

    const nudges = await db.prisma.nudge.findMany({ where: { workspaceId: workspace.id } });
    const revisits = nudges.filter((n) => n.kind === "revisit");
    const digests = nudges.filter((n) => n.kind === "digest");
    // Nothing lost: a revisit DM for everyone (each owns an overdue customer) and the manager's digest.
    expect(revisits).toHaveLength(everyone.length);
    expect(digests.map((n) => n.recipientId)).toEqual([boss.id]);
    expect(nudges.every((n) => n.status === "sent")).toBe(true);
    // Nothing doubled: one DM per nudge at Slack, per person.
    const members = new Map(
      (await db.prisma.member.findMany({ where: { workspaceId: workspace.id } })).map((m) => [m.id, m.externalId]),
    );
    const perPerson = (user: string) => nudges.filter((n) => members.get(n.recipientId) === user).length;
    expect(everyone.map((p) => slack.postedTo(`D${p.user}`).length)).toEqual(everyone.map((p) => perPerson(p.user)));
    expect(slack.posted.length - dmsBefore).toBe(nudges.length);
    // The work was shared: planning by one replica, sending by whichever claimed each batch.
    const planners = replicas.filter((r) =>
      r.logged("sweep: workspace swept").some((l) => l.workspace === workspace.id && l.planned === true),
    );
    expect(planners.length).toBeGreaterThanOrEqual(1);
  });
});
