import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textReply } from "../../src/commands/reply.ts";
import type { Member, Workspace } from "../../src/generated/prisma/client.ts";
import { BotHarness } from "./bot-harness.ts";

let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start({ scheduler: true, logLevel: "silent" });
});
afterAll(() => h.stop());

/** Sweeps the workspaces as the scheduler's tick would. */
const sweep = async (...workspaceIds: string[]) => h.server.scheduler?.sweepNow(workspaceIds);
const statuses = async (workspaceId: string) =>
  (await h.prisma.nudge.findMany({ where: { workspaceId }, orderBy: { recipientId: "asc" } })).map((n) => n.status);

describe("Slack answering 429 and 5xx for a while", () => {
  it("delivers every nudge once it recovers, each exactly once", async () => {
    const team = h.person().team;
    const reps = [h.person(team), h.person(team), h.person(team)];
    for (const [i, rep] of reps.entries()) await h.ask(rep, `add Outage Slack ${i} tier=key`);
    const workspace = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: team } });
    h.clock.advanceDays(8);

    h.slack.outage("chat.postMessage", [{ status: 429, retryAfter: 1 }, { status: 503 }, { status: 500 }]);
    await sweep(workspace.id);
    expect(await statuses(workspace.id)).toEqual(["pending", "pending", "pending"]);
    const failing = await h.prisma.nudge.findMany({ where: { workspaceId: workspace.id } });
    expect(failing.every((n) => n.attempts === 1 && n.lastError !== null)).toBe(true);

    // Still down an hour later: tried again, still pending, nothing lost.
    h.clock.advanceMs(60 * 60_000);
    await sweep(workspace.id);
    expect(await statuses(workspace.id)).toEqual(["pending", "pending", "pending"]);

    h.slack.endOutage("chat.postMessage");
    h.clock.advanceMs(2 * 60 * 60_000);
    await sweep(workspace.id);
    // A doubled tick after recovery sends nothing more.
    await sweep(workspace.id);
    expect(await statuses(workspace.id)).toEqual(["sent", "sent", "sent"]);
    expect(reps.map((rep) => h.slack.postedTo(`D${rep.user}`).length)).toEqual([1, 1, 1]);
  });
});

describe("Feishu answering 429 and 5xx for a while", () => {
  it("delivers every nudge once it recovers, each exactly once", async () => {
    const people = ["ou_outage_a", "ou_outage_b"];
    for (const [i, openId] of people.entries()) {
      const sent = await h.feishuMessage(openId, `add Outage Feishu ${i} tier=key`);
      await h.waitFor(() => h.feishu.messages.some((m) => m.receiveId === sent.chatId));
    }
    const workspace = await h.prisma.workspace.findFirstOrThrow({ where: { platform: "feishu" } });
    h.clock.advanceDays(8);

    // Every try of both nudges fails: rate limited (with the gateway's reset header), then 503s.
    h.feishu.failNext("im.message.create", { status: 429, code: 99991400, headers: { "x-ogw-ratelimit-reset": "1" } }, 4);
    h.feishu.failNext("im.message.create", { status: 503, code: 0 }, 4);
    await sweep(workspace.id);
    expect(await statuses(workspace.id)).toEqual(["pending", "pending"]);

    h.clock.advanceMs(2 * 60 * 60_000);
    await sweep(workspace.id);
    await sweep(workspace.id);
    expect(await statuses(workspace.id)).toEqual(["sent", "sent"]);
    const direct = (openId: string) => h.feishu.messages.filter((m) => m.receiveIdType === "open_id" && m.receiveId === openId);
    expect(people.map((openId) => direct(openId).length)).toEqual([1, 1]);
  });
});

describe("a Slack reminder tried again after its sender may have died", () => {
  const reminder = (workspace: Workspace, member: Member, since: Date | undefined) =>
    h.server.messengers.slack?.sendDirect(workspace, member, textReply("en", "2 customers to revisit"), {
      idempotencyKey: `nudge-${member.id}`,
      mayHaveBeenSentSince: since,
    });
  const memberOf = async (user: string) =>
    h.prisma.member.findFirstOrThrow({ where: { externalId: user }, include: { workspace: true } });

  it("is not sent again when the DM already holds it", async () => {
    const rep = h.person();
    await h.ask(rep, "help");
    const { workspace, ...member } = await memberOf(rep.user);
    await reminder(workspace, member, undefined);
    await reminder(workspace, member, new Date(Date.now() - 60_000));
    expect(h.slack.postedTo(`D${rep.user}`)).toHaveLength(1);
  });

  it("is sent again, rather than not at all, when the app may not read the DM (installed before im:history)", async () => {
    const rep = h.person();
    await h.ask(rep, "help");
    const { workspace, ...member } = await memberOf(rep.user);
    h.slack.failNext("conversations.history", 1, { error: "missing_scope" });
    await reminder(workspace, member, new Date(Date.now() - 60_000));
    expect(h.slack.postedTo(`D${rep.user}`)).toHaveLength(1);
  });
});
