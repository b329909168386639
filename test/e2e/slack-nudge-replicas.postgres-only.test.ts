import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { sweepAll } from "../../src/scheduler/sweep.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { silentLogger } from "../support/world.ts";
import { BOT_TOKEN, SIGNING_SECRET, SlackHarness } from "./slack-harness.ts";

// Three replicas of the bot on one PostgreSQL database, each with its own scheduler.
let slack: SlackHarness;
const replicas: RunningServer[] = [];
beforeAll(async () => {
  slack = await SlackHarness.start();
  for (let i = 0; i < 2; i++) {
    const config = loadConfig({
      DATABASE_URL: slack.server.core.config.databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      SCHEDULER: "off",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.fake.apiUrl,
    });
    replicas.push(await startServer(config, { logger: silentLogger, clock: slack.clock }));
  }
});
afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await slack.stop();
});

describe("three schedulers on one database", () => {
  it("send each reminder exactly once when they all tick at the same moment", async () => {
    slack.clock.set("2026-11-25T02:00:00Z");
    const admin = slack.person({ admin: true, name: "ada" });
    const manager = slack.person({ team: admin.team, name: "carol" });
    const reps = [1, 2, 3, 4, 5].map((i) => slack.person({ team: admin.team, name: `rep${i}` }));
    for (const rep of reps) {
      await slack.ask(admin, `team <@${rep.user}|${rep.name}> manager=<@${manager.user}|carol>`);
      await slack.ask(rep, `add Customer-${rep.name} tier=key`);
      await slack.ask(rep, `add Other-${rep.name} tier=normal`);
    }
    slack.clock.set("2026-12-09T01:30:00Z"); // 09:30, key customers a week overdue
    const ws = await slack.workspace(admin.team);
    const servers = [slack.server, ...replicas];
    await Promise.all(
      servers.map((s) =>
        sweepAll(
          { deps: s.core.deps, logger: silentLogger, db: s.core.db, metrics: s.metrics, messengers: s.messengers },
          { workspaceIds: [ws.id] },
        ),
      ),
    );
    // The weekly digest, which managers also get from a sweep, has tests of its own.
    const dms = slack.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.channel).startsWith("D") && !String(c.args.text).startsWith("📊"));
    const perPerson = new Map<string, number>();
    for (const dm of dms) perPerson.set(String(dm.args.channel), (perPerson.get(String(dm.args.channel)) ?? 0) + 1);
    // Each rep one revisit DM; the manager one escalation DM listing all five.
    expect(Object.fromEntries(perPerson)).toEqual(
      Object.fromEntries([...reps.map((r) => [`D${r.user}`, 1]), [`D${manager.user}`, 1]]),
    );
    expect(await slack.prisma.nudge.count({ where: { workspaceId: ws.id, status: "sent", kind: { not: "digest" } } })).toBe(6);
  });
});
