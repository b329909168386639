import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackSignature } from "../fakes/slack-api.ts";
import { slashCommand } from "../fakes/slack-payloads.ts";
import { SIGNING_SECRET, SlackHarness, said } from "./slack-harness.ts";

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
});
afterAll(() => slack.stop());

async function nothingWritten(team: string) {
  const workspaces = await slack.prisma.workspace.count({ where: { externalId: team } });
  const looked = slack.fake.callsTo("users.info").length;
  return { workspaces, looked };
}

describe("requests that Slack did not sign", () => {
  it.each([
    ["forged (wrong secret)", { secret: "not-the-signing-secret" }],
    ["unsigned", { secret: null }],
    ["stale (signed ten minutes ago)", { timestamp: Math.floor(Date.now() / 1000) - 600 }],
  ])("are refused with 401 when %s, and touch nothing", async (_, options) => {
    const mallory = slack.person();
    const before = slack.fake.callsTo("users.info").length;
    const request = slashCommand(mallory, "add Forged", slack.fake.responseUrl(randomUUID()));
    const sent = await slack.send(request, options);
    expect(sent.status).toBe(401);
    // Give a wrongly accepted request every chance to show itself.
    await slack.ask(slack.person(), "help");
    expect(await nothingWritten(mallory.team)).toEqual({ workspaces: 0, looked: before + 1 });
    expect(await slack.prisma.customer.count({ where: { name: "Forged" } })).toBe(0);
  });

  it("refuses a correctly signed body that was altered on the way", async () => {
    const mallory = slack.person();
    const request = slashCommand(mallory, "add Honest", slack.fake.responseUrl(randomUUID()));
    const signed = await slack.send(request, { headers: {} });
    expect(signed.status).toBe(200);
    const timestamp = Math.floor(Date.now() / 1000);
    const tampered = await fetch(`${slack.url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": request.contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, request.body),
      },
      body: request.body.replace("Honest", "Altered"),
    });
    expect(tampered.status).toBe(401);
    await slack.waitFor(() => slack.prisma.customer.findFirst({ where: { name: "Honest" } }));
    expect(await slack.prisma.customer.count({ where: { name: "Altered" } })).toBe(0);
  });
});

describe("repeated deliveries", () => {
  it("a slash command delivered twice (a retry) adds the customer once", async () => {
    const alice = slack.person();
    const request = slashCommand(alice, "add Repeat Co", slack.fake.responseUrl(randomUUID()));
    const first = await slack.send(request);
    const again = await slack.send(request, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect([first.status, again.status]).toEqual([200, 200]);
    const ws = await slack.waitFor(() => slack.prisma.workspace.findFirst({ where: { externalId: alice.team } }));
    await slack.waitFor(async () => (await slack.prisma.delivery.count({ where: { workspaceId: ws.id } })) >= 1);
    await slack.ask(alice, "help");
    expect(await slack.prisma.customer.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("a double click on Save logs the interaction once", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Double Click Ltd");
    const preview = await slack.ask(alice, "log dcl met their CTO");
    expect(said(preview)).toContain("Log this meeting to *Double Click Ltd*?");
    const clicks = await Promise.all([slack.click(alice, preview, "Save"), slack.click(alice, preview, "Save")]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    await slack.reply(preview.id, 2);
    await slack.ask(alice, "help");
    expect(await slack.prisma.interaction.count({ where: { customer: { name: "Double Click Ltd" } } })).toBe(1);
    // One answer for the one click that ran; the other was a repeat.
    expect(slack.fake.postsTo(preview.id)).toHaveLength(2);
  });

  it("a form submitted twice with the same values adds the customer once", async () => {
    const alice = slack.person();
    const sent = await slack.command(alice, "add");
    const view = await slack.openedView(sent.trigger);
    await Promise.all([slack.submit(alice, view, { _: "Twice Inc" }), slack.submit(alice, view, { _: "Twice Inc" })]);
    await slack.reply(sent.replyTo);
    await slack.ask(alice, "help");
    expect(await slack.prisma.customer.count({ where: { name: "Twice Inc" } })).toBe(1);
    const answers = slack.fake.postsTo(sent.replyTo).map((p) => said(p));
    expect(answers.filter((text) => text.includes("already a customer"))).toEqual([]);
  });
});

describe("two Slack teams", () => {
  it("keep their own workspaces, members and customers; neither can reach the other's", async () => {
    const alice = slack.person({ admin: true });
    const zoe = slack.person({ admin: true });
    await slack.ask(alice, "add Shared Name tier=key");
    await slack.ask(zoe, "add Shared Name tier=prospect");
    const [wsA, wsZ] = await Promise.all([slack.workspace(alice.team), slack.workspace(zoe.team)]);
    expect(wsA.id).not.toBe(wsZ.id);
    const a = await slack.prisma.customer.findFirstOrThrow({ where: { workspaceId: wsA.id } });
    const z = await slack.prisma.customer.findFirstOrThrow({ where: { workspaceId: wsZ.id } });
    expect([a.tier, z.tier]).toEqual(["key", "prospect"]);

    // An admin of one team sees only their own team's customers, even by the other's id.
    expect(said(await slack.ask(zoe, "list"))).toContain("Customers 1–1 of 1");
    expect(said(await slack.ask(zoe, `show #${a.id}`))).toContain(`No customer matches \`#${a.id}\``);
    // A button from team A's card, clicked by someone of team Z, finds nothing.
    const card = await slack.ask(alice, "show Shared Name");
    await slack.click(zoe, card, "Change stage", "Lost");
    expect(said(await slack.reply(card.id, 2))).toContain("No customer matches");
    expect((await slack.prisma.customer.findUniqueOrThrow({ where: { id: a.id } })).stage).not.toBe("lost");

    const members = await slack.prisma.member.findMany({ where: { workspaceId: { in: [wsA.id, wsZ.id] } } });
    expect(members.map((m) => [m.workspaceId === wsA.id ? "A" : "Z", m.externalId]).sort()).toEqual(
      [
        ["A", alice.user],
        ["Z", zoe.user],
      ].sort(),
    );
    const interactionsOrDeliveries = await slack.prisma.delivery.findMany({ where: { workspaceId: wsZ.id } });
    expect(interactionsOrDeliveries.every((d) => d.workspaceId === wsZ.id)).toBe(true);
  });
});
