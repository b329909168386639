import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardText } from "../fakes/feishu-cards.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../support/database.ts";
import { until } from "../support/poll.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";
import { BotHarness } from "./bot-harness.ts";

const TRY_AGAIN = "Something went wrong on our side. Nothing was saved; please try again.";

let h: BotHarness;
let proxy: TcpProxy;
let direct: pg.Client;
let database: { url: string; name: string };

beforeAll(async () => {
  database = await createPostgresDatabase();
  const target = new URL(database.url);
  proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  h = await BotHarness.start({ databaseUrl: proxy.url(database.url), logLevel: "silent" });
  // The test's own look at the data goes around the proxy.
  direct = new pg.Client({ connectionString: database.url });
  await direct.connect();
});
afterAll(async () => {
  await direct.end();
  await h.stop();
  await proxy.close();
  await dropPostgresDatabase(database.name);
});

const interactions = async (customer: string) =>
  Number(
    (
      await direct.query<{ n: string }>(
        `select count(*) as n from "Interaction" i join "Customer" c on c."id" = i."customerId" where c."name" = $1`,
        [customer],
      )
    ).rows[0]?.n,
  );
const health = async () => (await fetch(`${h.url}/healthz`)).status;

describe("the database going away mid-request", () => {
  it("answers 'try again', writes nothing, and serves again when the database is back", async () => {
    const alice = h.person();
    expect(await h.ask(alice, "add Outage Co tier=key")).toContain("Added *Outage Co*");
    const before = (await direct.query(`select "lastContactAt", "nextRevisitAt" from "Customer" where "name" = 'Outage Co'`))
      .rows[0];

    // The command is acknowledged and has found its customer; the database hangs as the write (the
    // interaction, its audit entry and the customer's new date, one statement) is sent, then vanishes.
    proxy.holdAt('insert into "Interaction"');
    const sent = await h.command(alice, "log Outage Co called about the renewal");
    expect(sent.status).toBe(200);
    await until(() => proxy.heldBytes > 0, "the command's write to wait on the database");
    proxy.cut();

    const answer = await h.waitFor(() => h.slack.postsTo(sent.replyTo)[0]);
    expect(JSON.stringify(answer.body)).toContain(TRY_AGAIN);
    expect(await interactions("Outage Co")).toBe(0);
    const after = (await direct.query(`select "lastContactAt", "nextRevisitAt" from "Customer" where "name" = 'Outage Co'`))
      .rows[0];
    expect(after).toEqual(before);

    // While it is gone: every command is still acknowledged and answered the same way (this one
    // cannot even find its member), and /healthz says so.
    const meanwhile = await h.command(alice, "log Outage Co second try");
    expect(meanwhile.status).toBe(200);
    expect(JSON.stringify((await h.waitFor(() => h.slack.postsTo(meanwhile.replyTo)[0])).body)).toContain(TRY_AGAIN);
    expect(await health()).toBe(503);
    // On Feishu too: the event is acknowledged, and the answer says to try again.
    const feishu = await h.feishuMessage("ou_outage", "list");
    expect(feishu.status).toBe(200);
    const card = await h.waitFor(() => h.feishu.messages.find((m) => m.receiveId === feishu.chatId));
    expect(cardText(card.card)).toContain(TRY_AGAIN);
    // In the language the command was typed in, whatever the workspace's default (English here).
    const chinese = await h.feishuMessage("ou_outage_zh", "列表");
    const apology = await h.waitFor(() => h.feishu.messages.find((m) => m.receiveId === chinese.chatId));
    expect(cardText(apology.card)).toContain("系统出了点问题，没有保存任何内容，请重试。");
    // A button: in the language of the card it is on (a Chinese card's "列表" button, by its value).
    const click = await h.feishuClick("ou_outage_en", "om_card_zh", { a: "zh|list" });
    expect(click.status).toBe(200);
    const clicked = await h.waitFor(() => h.feishu.messages.find((m) => m.replyTo === "om_card_zh"));
    expect(cardText(clicked.card)).toContain("系统出了点问题，没有保存任何内容，请重试。");

    proxy.restore();
    await until(async () => (await health()) === 200, "/healthz to report the database back");
    expect(await h.ask(alice, "log Outage Co called about the renewal")).toContain("Outage Co");
    expect(await interactions("Outage Co")).toBe(1);
    expect(await h.metric('crm_commands_total{platform="slack",verb="log",outcome="error"}')).toBeGreaterThanOrEqual(1);
  });
});

describe("a command stuck behind a lock", () => {
  let stuck: BotHarness;
  let locker: pg.Client;
  beforeAll(async () => {
    stuck = await BotHarness.start({
      databaseUrl: database.url,
      logLevel: "warn",
      env: { COMMAND_STATEMENT_TIMEOUT_MS: "1000" },
    });
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end();
    await stuck.stop();
  });

  it("is cancelled after COMMAND_STATEMENT_TIMEOUT_MS, answered 'try again' with nothing written, and the next one runs", async () => {
    const alice = stuck.person();
    expect(await stuck.ask(alice, "add Locked Co tier=key")).toContain("Added *Locked Co*");
    // Another session holds the customer's row (a long import, say) and does not let go.
    await locker.query("begin");
    await locker.query(`select 1 from "Customer" where "name" = 'Locked Co' for update`);

    const sent = await stuck.command(alice, "log Locked Co called about the renewal");
    expect(sent.status).toBe(200);
    const answer = await stuck.waitFor(() => stuck.slack.postsTo(sent.replyTo)[0]);
    expect(JSON.stringify(answer.body)).toContain(TRY_AGAIN);
    // Cancelled by PostgreSQL, not given up on by us: its reason is in the log (the thread's lines
    // reach it a moment after the answer).
    await until(
      () => stuck.logs.some((line) => line.includes("canceling statement due to statement timeout")),
      "the reason logged",
    );
    expect(await interactions("Locked Co")).toBe(0);
    await locker.query("rollback");

    expect(await stuck.ask(alice, "log Locked Co called about the renewal")).toContain("Logged");
    expect(await interactions("Locked Co")).toBe(1);
    expect(await stuck.metric('crm_commands_total{platform="slack",verb="log",outcome="error"}')).toBe(1);
  });
});
