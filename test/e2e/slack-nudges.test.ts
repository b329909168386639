import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepAll } from "../../src/scheduler/sweep.ts";
import type { SlackPerson } from "../fakes/slack-payloads.ts";
import { silentLogger } from "../support/world.ts";
import { SlackHarness } from "./slack-harness.ts";

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
});
afterAll(() => slack.stop());

/** What the scheduler does at the nudge hour, on this server. */
function sweep(team: string) {
  const { core, messengers, metrics } = slack.server;
  return slack
    .workspace(team)
    .then((ws) =>
      sweepAll({ deps: core.deps, logger: silentLogger, db: core.db, metrics, messengers }, { workspaceIds: [ws.id] }),
    );
}

/** The DMs the fake Slack received for a person: chat.postMessage to their D-channel. */
function dmsTo(who: SlackPerson): string[] {
  return slack.fake
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === `D${who.user}` && !String(c.args.text).startsWith("📊"))
    .map((c) => `${String(c.args.text)}\n${JSON.stringify(c.args.blocks)}`);
}

describe("revisit reminders in Slack", () => {
  it("reach the rep in their language, and the manager once the revisit slips past the grace period, until it is logged", async () => {
    slack.clock.set("2026-11-25T02:00:00Z");
    const admin = slack.person({ admin: true, name: "ada" });
    const manager = slack.person({ team: admin.team, name: "carol" });
    const rep = slack.person({ team: admin.team, name: "li.wei", locale: "zh-CN" });
    await slack.ask(admin, `team <@${rep.user}|li.wei> manager=<@${manager.user}|carol>`);
    await slack.ask(rep, "添加 北京科技 等级=重点");
    await slack.ask(rep, "记录 北京科技 拜访，客户希望周五前报价");

    // Eleven days on, at 09:30 in Shanghai: four days overdue, past the key customers' grace of three.
    slack.clock.set("2026-12-06T01:30:00Z"); // a Sunday: nothing goes out
    await sweep(admin.team);
    expect(dmsTo(rep)).toHaveLength(0);
    slack.clock.set("2026-12-07T01:30:00Z");
    await sweep(admin.team);
    await sweep(admin.team);
    const toRep = dmsTo(rep);
    expect(toRep).toHaveLength(1);
    expect(toRep[0]).toContain("有 1 位客户需要回访");
    expect(toRep[0]).toContain("*北京科技* · 重点客户 · 已逾期 5 天");
    expect(toRep[0]).toContain("拜访，客户希望周五前报价");
    const toManager = dmsTo(manager);
    expect(toManager).toHaveLength(1);
    expect(toManager[0]).toContain(`<@${rep.user}>: 1 overdue past the grace period`);

    await slack.ask(rep, "记录 北京科技 电话回访，已报价");
    slack.clock.set("2026-12-08T01:30:00Z");
    await sweep(admin.team);
    expect(dmsTo(manager)).toHaveLength(1);
    expect(dmsTo(rep)).toHaveLength(1);
  });

  it("a nudge Slack refuses with 429 is sent once Slack recovers, and only once", async () => {
    slack.clock.set("2026-11-25T02:00:00Z");
    const rep = slack.person({ name: "bob" });
    await slack.ask(rep, "add Hooli tier=key");
    slack.clock.set("2026-12-03T01:30:00Z");
    slack.fake.failNext("chat.postMessage", 4, { status: 429, retryAfter: 1 });
    await sweep(rep.team);
    const ws = await slack.workspace(rep.team);
    const pending = await slack.prisma.nudge.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(pending.status).toBe("pending");
    expect(pending.lastError).toContain("rate");
    slack.clock.advanceMs(10 * 60_000);
    await sweep(rep.team);
    await sweep(rep.team);
    const delivered = await slack.prisma.nudge.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(delivered.status).toBe("sent");
    // The fake records refused calls too: four refused, then the one that went through.
    expect(slack.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${rep.user}`)).toHaveLength(5);
  });
});
