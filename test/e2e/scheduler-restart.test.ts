import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { FakeSlack, slackSignature } from "../fakes/slack-api.ts";
import { slashCommand } from "../fakes/slack-payloads.ts";
import { TestClock } from "../support/clock.ts";
import { createPostgresDatabase, dropPostgresDatabase, testDatabaseKind } from "../support/database.ts";
import { silentLogger } from "../support/world.ts";

const SECRET = "restart-signing-secret";
let fake: FakeSlack;
let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  fake = await FakeSlack.start();
  env = {
    PORT: "0",
    HOST: "127.0.0.1",
    SCHEDULER: "on",
    DEFAULT_LOCALE: "en",
    SLACK_BOT_TOKEN: "xoxb-restart-token",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
  };
  if (testDatabaseKind === "postgres") {
    const { url, name } = await createPostgresDatabase();
    env.DATABASE_URL = url;
    cleanup = () => dropPostgresDatabase(name);
  } else {
    const dir = await mkdtemp(path.join(tmpdir(), "crm-restart-"));
    env.DATA_DIR = path.join(dir, "data");
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  await fake.close();
  await cleanup();
});

async function slash(server: RunningServer, who: { team: string; user: string; name: string; channel: string }, text: string) {
  const request = slashCommand(who, text, fake.responseUrl(randomUUID()));
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`http://127.0.0.1:${server.port}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": request.contentType,
      "x-slack-signature": slackSignature(SECRET, timestamp, request.body),
      "x-slack-request-timestamp": String(timestamp),
    },
    body: request.body,
  });
  expect(response.status).toBe(200);
}

async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("gave up waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("a server that was down at the nudge hour", () => {
  it("sends that day's reminders when it starts again, once, and a later tick adds nothing", async () => {
    const who = { team: "TRESTART1", user: "UREP00001", name: "rep", channel: "CSALES0001" };
    fake.addUser({ id: who.user, name: "rep" });
    const clock = new TestClock("2026-11-25T02:00:00Z");
    const first = await startServer(loadConfig(env), { logger: silentLogger, clock });
    await slash(first, who, "add Acme tier=key");
    await until(() => first.core.deps.prisma.customer.findFirst({ where: { name: "Acme" } }));
    await first.stop();

    // Down over the weekend and through Monday's 09:00; back at 11:00.
    clock.set("2026-12-07T03:00:00Z");
    const second = await startServer(loadConfig(env), { logger: silentLogger, clock });
    try {
      const dm = await until(() => fake.callsTo("chat.postMessage").find((c) => c.args.channel === `D${who.user}`));
      expect(String(dm.args.text)).toContain("1 customer to revisit");
      await second.scheduler?.sweepNow();
      await second.scheduler?.sweepNow();
      expect(fake.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${who.user}`)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
