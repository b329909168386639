import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackHarness, said } from "./slack-harness.ts";

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
});
afterAll(() => slack.stop());

describe("/customer in a Slack channel", () => {
  it("acknowledges at once with an empty 200, then answers through the response_url", async () => {
    const alice = slack.person();
    const sent = await slack.command(alice, "add Acme tier=key");
    expect(sent.status).toBe(200);
    expect(sent.body).toBe("");
    const post = await slack.reply(sent.replyTo);
    expect(post.body.response_type).toBe("in_channel");
    expect(said(post)).toContain("Added *Acme* as a key customer.");
    const ws = await slack.workspace(alice.team);
    const customer = await slack.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id }, include: { owner: true } });
    expect(customer).toMatchObject({ name: "Acme", tier: "key" });
    expect(customer.owner?.externalId).toBe(alice.user);
  });

  it("learns the caller from users.info: name, time zone, locale and admin", async () => {
    const boss = slack.person({ name: "Carol", admin: true, locale: "zh-CN" });
    await slack.ask(boss, "help");
    const ws = await slack.workspace(boss.team);
    const member = await slack.prisma.member.findFirstOrThrow({ where: { workspaceId: ws.id, externalId: boss.user } });
    expect(member).toMatchObject({ displayName: "Carol", timeZone: "Asia/Shanghai", locale: "zh-CN", role: "admin" });
    expect(
      slack.fake
        .callsTo("users.info")
        .some((call) => call.args.user === boss.user && call.token === "xoxb-1234-5678-secretbottoken"),
    ).toBe(true);
  });

  it("links the customer to the channel when asked, and logs interactions showing the next revisit", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Beta channel=here");
    const logged = await slack.ask(alice, "log Beta visited, wants a quote by Friday");
    expect(logged.body.response_type).toBe("in_channel");
    expect(said(logged)).toMatch(/Logged a visit with \*Beta\*\. Next revisit: 2026-12-25/);
    const ws = await slack.workspace(alice.team);
    const beta = await slack.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Beta" } });
    expect(beta.linkedChannel).toBe(alice.channel);
    const interaction = await slack.prisma.interaction.findFirstOrThrow({ where: { customerId: beta.id } });
    expect(interaction).toMatchObject({ source: "slack", kind: "visit", summary: "visited, wants a quote by Friday" });
  });

  it("shows the card with its owner, revisit and buttons, only to the caller", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Gamma tier=key region=North");
    const card = await slack.ask(alice, "show Gamma");
    expect(card.body.response_type).toBe("ephemeral");
    const text = said(card);
    for (const part of [
      "Gamma",
      "Owner",
      `<@${alice.user}>`,
      "Next revisit",
      "2026-12-02",
      "North",
      "Log interaction",
      "Snooze",
      "Change stage",
    ]) {
      expect(text).toContain(part);
    }
  });

  it("runs every other verb: list, edit, deal, snooze, lost, winback, link, team, help", async () => {
    const admin = slack.person({ admin: true });
    const bob = slack.person({ team: admin.team });
    await slack.ask(admin, "add Delta");
    expect(said(await slack.ask(admin, "list"))).toContain("Customers 1–1 of 1");
    expect(said(await slack.ask(admin, "edit Delta tier=key region=East"))).toContain("Updated *Delta*.");
    expect(said(await slack.ask(admin, "deal open Delta Pilot amount=50000"))).toContain("Opened *Pilot* for *Delta*");
    expect(said(await slack.ask(admin, "deal stage Delta quote"))).toContain("moved to Quote");
    expect(said(await slack.ask(admin, "snooze Delta 3"))).toContain("snoozed until 2026-11-28");
    expect(said(await slack.ask(admin, "lost Delta budget cut"))).toContain("*Delta* is marked lost");
    expect(said(await slack.ask(admin, "winback Delta"))).toContain("*Delta* is won back");
    expect(said(await slack.ask(admin, "link Delta"))).toContain(`<#${admin.channel}>`);
    expect(said(await slack.ask(admin, `team <@${bob.user}> manager=<@${admin.user}>`))).toContain(
      `<@${bob.user}> is now a rep; manager: <@${admin.user}>`,
    );
    expect(said(await slack.ask(admin, "help"))).toContain("Customer commands");
    const ws = await slack.workspace(admin.team);
    const member = await slack.prisma.member.findFirstOrThrow({
      where: { workspaceId: ws.id, externalId: bob.user },
      include: { manager: true },
    });
    expect(member.manager?.externalId).toBe(admin.user);
  });

  it("speaks Chinese to a Chinese command, and every verb works in Chinese", async () => {
    const admin = slack.person({ admin: true, locale: "zh-CN" });
    const added = await slack.ask(admin, "添加 北京科技 等级=重点");
    expect(said(added)).toContain("北京科技");
    expect(said(added)).toContain("重点客户");
    expect(said(await slack.ask(admin, "记录 北京科技 拜访，客户希望周五前报价"))).toContain("已记录与");
    expect(said(await slack.ask(admin, "查看 bjkj"))).toContain("下次回访");
    expect(said(await slack.ask(admin, "列表"))).toContain("北京科技");
    expect(said(await slack.ask(admin, "修改 北京科技 地区=华北"))).toContain("北京科技");
    expect(said(await slack.ask(admin, "商机 新建 北京科技 试点项目 金额=30000"))).toContain("试点项目");
    expect(said(await slack.ask(admin, "暂缓 北京科技 3"))).toContain("2026-11-28");
    expect(said(await slack.ask(admin, "流失 北京科技 预算削减"))).toContain("北京科技");
    expect(said(await slack.ask(admin, "帮助"))).toMatch(/[\u4e00-\u9fff]/);
    const ws = await slack.workspace(admin.team);
    expect(await slack.prisma.customer.count({ where: { workspaceId: ws.id, stage: "lost" } })).toBe(1);
  });

  it("answers mistakes privately, in the user's language, and writes nothing", async () => {
    const alice = slack.person();
    const wrong = await slack.ask(alice, "add Omega tier=gold");
    expect(wrong.body.response_type).toBe("ephemeral");
    expect(said(wrong)).toContain("`tier=gold` is not valid");
    const chinese = slack.person({ locale: "zh-CN" });
    expect(said(await slack.ask(chinese, "查看 不存在"))).toContain("不存在");
    const ws = await slack.workspace(alice.team);
    expect(await slack.prisma.customer.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("keeps user text as typed and harmless: no @here pings, no forged links", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Eps");
    const logged = await slack.ask(alice, "log Eps called <!here> about <https://evil.example|your bank> & more");
    const ws = await slack.workspace(alice.team);
    const interaction = await slack.prisma.interaction.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(interaction.summary).toBe("called <!here> about <https://evil.example|your bank> & more");
    const text = JSON.stringify(logged.body.blocks);
    expect(text).not.toContain("<!here>");
    expect(text).toContain("&lt;!here&gt;");
    expect(text).toContain("&amp; more");
  });
});
