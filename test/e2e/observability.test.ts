import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardText } from "../fakes/feishu-cards.ts";
import { testDatabaseKind } from "../support/database.ts";
import { BotHarness, SECRETS } from "./bot-harness.ts";

let h: BotHarness;
beforeAll(async () => {
  // Trace: the most the server ever writes, so that the secrets check below sees every line.
  h = await BotHarness.start({ scheduler: true, logLevel: "trace" });
});
afterAll(() => h.stop());

const withRequest = (requestId: string) => h.lines().filter((line) => line.requestId === requestId);

describe("request ids in the logs", () => {
  it("every line about a slash command names its request and delivery, the Web API calls it made included", async () => {
    const alice = h.person();
    const sent = await h.command(alice, "add Observed Co tier=key");
    expect(sent.status).toBe(200);
    expect(sent.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await h.waitFor(() => h.slack.postsTo(sent.replyTo)[0]);
    // On PostgreSQL the command's own lines come from the command thread, up to 100 ms apart from the rest.
    const lines = await h.waitFor(() => {
      const found = withRequest(sent.requestId);
      return found.some((l) => l.method === "response_url") && found.some((l) => l.msg === "command") && found;
    });

    const command = lines.find((l) => l.msg === "command");
    expect(command).toMatchObject({ verb: "add", outcome: "ok", source: "slack" });
    const deliveryId = command?.deliveryId;
    expect(deliveryId).toMatch(/^slack:command:/);
    const calls = lines.filter((l) => l.msg === "Slack API call");
    expect(calls.map((l) => l.method)).toEqual(expect.arrayContaining(["users.info", "response_url"]));
    expect(calls.every((l) => l.deliveryId === deliveryId)).toBe(true);
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ route: "/slack/events", status: 200 });
    // And no line about this delivery belongs to another request.
    const sameDelivery = h.lines().filter((l) => l.deliveryId === deliveryId);
    expect(new Set(sameDelivery.map((l) => l.requestId))).toEqual(new Set([sent.requestId]));
  });

  it("keeps the request id a proxy sent in X-Request-Id", async () => {
    const bob = h.person();
    const { slashCommand } = await import("../fakes/slack-payloads.ts");
    const sent = await h.sendSlack(slashCommand(bob, "help", h.slack.responseUrl("proxied")), { "x-request-id": "edge-42.abc" });
    expect(sent.requestId).toBe("edge-42.abc");
    await h.waitFor(() => withRequest("edge-42.abc").some((l) => l.msg === "command"));
  });

  it("every line about a Feishu event names it, the open API calls that answer it included", async () => {
    const sent = await h.feishuMessage("ou_observed", "help");
    expect(sent.status).toBe(200);
    const answer = await h.waitFor(() => h.feishu.messages.find((m) => m.receiveId === sent.chatId));
    expect(cardText(answer.card)).toContain("add");
    const lines = await h.waitFor(() => {
      const found = withRequest(sent.requestId);
      return found.some((l) => l.method === "im.message.create") && found.some((l) => l.msg === "command") && found;
    });
    const deliveryId = `feishu:event:${sent.eventId}`;
    expect(lines.find((l) => l.method === "im.message.create")).toMatchObject({ deliveryId });
    expect(lines.find((l) => l.msg === "command")).toMatchObject({ verb: "help", outcome: "ok", source: "feishu", deliveryId });
  });
});

describe("/healthz", () => {
  it("reports the database and each platform", async () => {
    const response = await fetch(`${h.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      database: { status: "ok" },
      platforms: { slack: { status: "connected" }, feishu: { status: "connected" } },
      // On PostgreSQL commands run in a thread of their own (COMMAND_THREAD), reported beside the database.
      ...(testDatabaseKind === "postgres" ? { commandThread: { status: "ok" } } : {}),
    });
  });
});

describe("/metrics", () => {
  it("moves with commands, acks, a sweep, its nudges sent and retried, and the API errors on the way", async () => {
    const series = {
      addOk: 'crm_commands_total{platform="slack",verb="add",outcome="ok"}',
      unknown: 'crm_commands_total{platform="slack",verb="unknown",outcome="user_error"}',
      feishuHelp: 'crm_commands_total{platform="feishu",verb="help",outcome="ok"}',
      slackAcks: 'crm_ack_latency_seconds_count{platform="slack"}',
      feishuAcks: 'crm_ack_latency_seconds_count{platform="feishu"}',
      sweeps: "crm_sweep_duration_seconds_count",
      sent: 'crm_nudges_total{kind="revisit",outcome="sent"}',
      retried: 'crm_nudges_total{kind="revisit",outcome="retried"}',
      errors: 'crm_platform_api_errors_total{platform="slack",method="chat.postMessage",code="http_500"}',
    };
    const read = async () =>
      Object.fromEntries(await Promise.all(Object.entries(series).map(async ([k, s]) => [k, await h.metric(s)] as const)));
    const before = await read();

    const team = h.person().team;
    const [carol, dave] = [h.person(team), h.person(team)];
    await h.ask(carol, "add Metric One tier=key");
    await h.ask(dave, "add Metric Two tier=key");
    await h.ask(carol, "frobnicate");
    await h.feishuMessage("ou_metrics", "help");
    await h.waitFor(() => h.feishu.messages.some((m) => m.receiveId === "oc_p2p_ou_metrics"));

    // A week and a day later both key customers are due; Slack fails every try of Carol's DM.
    h.clock.advanceDays(8);
    h.slack.failNext("chat.postMessage", 4, { status: 500 }, (args) => args.channel === `D${carol.user}`);
    const workspace = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: team } });
    await h.server.scheduler?.sweepNow([workspace.id]);

    const after = await read();
    const moved = (key: keyof typeof series) => (after[key] ?? 0) - (before[key] ?? 0);
    expect(moved("addOk")).toBe(2);
    expect(moved("unknown")).toBe(1);
    expect(moved("feishuHelp")).toBe(1);
    expect(moved("slackAcks")).toBeGreaterThanOrEqual(3);
    expect(moved("feishuAcks")).toBe(1);
    expect(moved("sweeps")).toBe(1);
    expect(moved("sent")).toBe(1);
    expect(moved("retried")).toBe(1);
    expect(moved("errors")).toBe(4);
    const nudges = await h.prisma.nudge.findMany({ where: { workspaceId: workspace.id } });
    expect(nudges.map((n) => n.status).sort()).toEqual(["pending", "sent"]);

    // The sweep's lines name the nudge each was about, its DM's Web API calls included.
    const sentNudge = nudges.find((n) => n.status === "sent");
    const about = h.lines().filter((l) => l.deliveryId === `nudge:${sentNudge?.id}`);
    expect(about.map((l) => l.method)).toEqual(expect.arrayContaining(["chat.postMessage"]));
  });
});

describe("secrets", () => {
  it("never reach the logs, whatever the traffic (forged and failing requests included)", async () => {
    // Traffic that makes the server log the most: a forged Slack request, a forged Feishu one,
    // rate limits and server errors from both APIs.
    const mallory = h.person();
    const { slashCommand } = await import("../fakes/slack-payloads.ts");
    const forged = await fetch(`${h.url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-signature": "v0=00",
        "x-slack-request-timestamp": "1",
      },
      body: slashCommand(mallory, "add Forged", h.slack.responseUrl("forged")).body,
    });
    expect(forged.status).toBe(401);
    const forgedFeishu = await fetch(`${h.url}/feishu/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-lark-signature": "00",
        "x-lark-request-timestamp": "1",
        "x-lark-request-nonce": "n",
      },
      body: JSON.stringify({ encrypt: "AAAA" }),
    });
    expect(forgedFeishu.status).toBe(401);
    h.slack.failNext("users.info", 1, { status: 429, retryAfter: 0 });
    h.slack.failNext("response_url", 1, { status: 503 });
    await h.ask(h.person(), "add Logged Co");
    h.feishu.failNext("im.message.create", { status: 500, code: 1 }, 1);
    h.feishu.failNext("token", { status: 429, code: 99991400 }, 1);
    const sent = await h.feishuMessage("ou_secret", "help");
    await h.waitFor(() => h.feishu.messages.some((m) => m.receiveId === sent.chatId));

    const all = h.logs.join("\n");
    expect(all.length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries(SECRETS)) {
      if (name === "feishuAppId") continue;
      expect(all, name).not.toContain(secret);
    }
    // Bearer tokens issued by the fake Feishu, and any Slack token at all.
    expect(all).not.toMatch(/t-fake-\d+/);
    expect(all).not.toMatch(/xox[abp]-/);
  });
});
