import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleText } from "../fakes/slack-api.ts";
import { appHomeOpened, type SlackRequest, slashCommand } from "../fakes/slack-payloads.ts";
import { APP_TOKEN, SlackHarness } from "./slack-harness.ts";

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start({ socketMode: true });
});
afterAll(() => slack.stop());

/** The JSON Slack puts in a Socket Mode envelope for what it would have POSTed over HTTP. */
function payloadOf(request: SlackRequest): unknown {
  if (request.contentType === "application/json") return JSON.parse(request.body);
  return Object.fromEntries(new URLSearchParams(request.body));
}

async function health(): Promise<{ status: string; detail?: string }> {
  const body = (await (await fetch(`${slack.url}/healthz`)).json()) as {
    platforms: Record<string, { status: string; detail?: string }>;
  };
  return body.platforms.slack ?? { status: "missing" };
}

describe("Socket Mode", () => {
  it("connects with the app token to the URL apps.connections.open gives, and reports connected", async () => {
    const open = slack.fake.callsTo("apps.connections.open");
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]?.token).toBe(APP_TOKEN);
    expect(slack.fake.connectedSockets).toBe(1);
    expect(await health()).toEqual({ status: "connected" });
  });

  it("acknowledges a slash command envelope over the socket, and answers through the response_url", async () => {
    const alice = slack.person();
    const replyTo = randomUUID();
    const envelope = `env-${randomUUID()}`;
    const sentAt = Date.now();
    slack.fake.pushEnvelope({
      envelope_id: envelope,
      type: "slash_commands",
      accepts_response_payload: true,
      payload: payloadOf(slashCommand(alice, "add Socket Co tier=key", slack.fake.responseUrl(replyTo))),
    });
    await slack.waitFor(() => slack.fake.acks.find((ack) => ack.envelope_id === envelope));
    const ackedIn = Date.now() - sentAt;
    expect(ackedIn).toBeLessThan(1000);
    expect(visibleText((await slack.reply(replyTo)).body)).toContain("Added *Socket Co* as a key customer.");
    const ws = await slack.workspace(alice.team);
    expect(await slack.prisma.customer.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("runs a redelivered envelope once", async () => {
    const alice = slack.person();
    const payload = payloadOf(slashCommand(alice, "add Twice Socket", slack.fake.responseUrl(randomUUID())));
    slack.fake.pushEnvelope({ envelope_id: "env-a", type: "slash_commands", payload });
    slack.fake.pushEnvelope({ envelope_id: "env-b", type: "slash_commands", payload, retry_attempt: 1 });
    await slack.waitFor(
      () => slack.fake.acks.some((a) => a.envelope_id === "env-b") && slack.fake.acks.some((a) => a.envelope_id === "env-a"),
    );
    const ws = await slack.waitFor(() => slack.prisma.workspace.findFirst({ where: { externalId: alice.team } }));
    await slack.waitFor(async () => (await slack.prisma.customer.count({ where: { workspaceId: ws.id } })) === 1);
    await slack.waitFor(async () => (await slack.prisma.delivery.count({ where: { workspaceId: ws.id } })) === 1);
    expect(await slack.prisma.customer.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("publishes the Home tab for an events_api envelope", async () => {
    const alice = slack.person();
    slack.fake.pushEnvelope({ envelope_id: `env-${randomUUID()}`, type: "events_api", payload: payloadOf(appHomeOpened(alice)) });
    const published = await slack.waitFor(() => slack.fake.callsTo("views.publish").find((c) => c.args.user_id === alice.user));
    expect(visibleText(published.args.view)).toContain("Your revisits");
  });

  it("takes no HTTP events: there is no public endpoint to forge", async () => {
    const sent = await slack.send(slashCommand(slack.person(), "add Over HTTP", slack.fake.responseUrl(randomUUID())));
    expect(sent.status).toBe(404);
  });

  it("reconnects after Slack drops the connection", async () => {
    const opened = slack.fake.callsTo("apps.connections.open").length;
    slack.fake.dropSockets();
    await slack.waitFor(async () => (await health()).status !== "connected");
    await slack.waitFor(async () => slack.fake.connectedSockets === 1 && (await health()).status === "connected", 20_000);
    expect(slack.fake.callsTo("apps.connections.open").length).toBe(opened + 1);
  });
});
