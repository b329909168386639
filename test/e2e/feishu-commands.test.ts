import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardMarkup, cardText } from "../fakes/feishu-cards.ts";
import { botAddedEvent } from "../fakes/feishu-events.ts";
import { FeishuHarness, type Speaker, until } from "./feishu-harness.ts";

let h: FeishuHarness;
beforeAll(async () => {
  h = await FeishuHarness.start();
  h.fake.addUser({ open_id: "ou_ada", name: "Ada" });
  h.fake.addUser({ open_id: "ou_alice", name: "Alice" });
  h.fake.addUser({ open_id: "ou_carol", name: "Carol" });
});
afterAll(() => h.stop());

/** One test a step: `who` says the text, and the answer's card reads the expected words. */
function answers(steps: [string, string][], who: Speaker): void {
  for (const [text, expected] of steps) {
    it(`"${text}" answers "${expected}"`, async () => {
      const [answer] = await h.say(text, who);
      expect(cardText(answer?.card)).toContain(expected);
    });
  }
}

const customer = (tenantKey: string, name: string) =>
  h.prisma.customer.findFirstOrThrow({ where: { name, workspace: { platform: "feishu", externalId: tenantKey } } });

describe("every verb in Chinese, with an @mention in a group", () => {
  const ada: Speaker = { openId: "ou_ada", tenantKey: "tenant_zh", chatId: "oc_group_zh", chatType: "group" };
  const steps: [string, string][] = [
    ["客户 添加 北京科技 等级=重点", "已添加 北京科技（重点客户）"],
    ["记录 北京科技 拜访，客户希望周五前报价", "已记录与 北京科技 的拜访"],
    ["记录 北京科技 下午又发了一封邮件", "已记录与 北京科技 的邮件"],
    ["查看 北京科技", "北京科技"],
    ["列表", "客户 1–1，共 1 位"],
    ["修改 北京科技 地区=华北", "已更新 北京科技"],
    ["商机 新建 北京科技 ERP项目 金额=100000", "已为 北京科技 新建商机 ERP项目"],
    ["商机 推进 北京科技 报价", "ERP项目（北京科技）已推进到 报价"],
    ["商机 赢单 北京科技", "ERP项目（北京科技）已赢单"],
    ["暂缓 北京科技 3", "北京科技 的提醒已暂缓至 2026-11-28"],
    ["绑定 北京科技", "北京科技 已绑定到 #群聊"],
    ["流失 北京科技 价格太高", "北京科技 已标记为流失"],
    ["挽回 北京科技", "北京科技 已挽回"],
    ["团队", "团队"],
    ["帮助", "客户命令"],
  ];
  answers(steps, ada);

  it("answers news for the group with a reply that quotes the message, and shows the rest to the asker alone", async () => {
    const quoted = h.fake.messages.filter((m) => m.kind === "reply").map((m) => cardText(m.card));
    const shown = h.fake.ephemerals("oc_group_zh", "ou_ada").map((m) => cardText(m.card));
    expect(quoted.length + shown.length).toBeGreaterThanOrEqual(steps.length);
    expect(quoted.some((text) => text.includes("已添加 北京科技"))).toBe(true);
    expect(quoted.some((text) => text.includes("已记录与 北京科技 的拜访"))).toBe(true);
    expect(shown.some((text) => text.includes("客户 1–1，共 1 位"))).toBe(true);
    expect(shown.some((text) => text.includes("客户命令"))).toBe(true);
    expect(quoted.some((text) => text.includes("客户命令"))).toBe(false);
  });

  it("links the group itself with 绑定, shown as a link that opens the group", async () => {
    const linked = await customer("tenant_zh", "北京科技");
    expect(linked.linkedChannel).toBe("oc_group_zh");
    const [card] = await h.say("查看 北京科技", ada);
    expect(cardMarkup(card?.card)).toContain("(https://applink.feishu.cn/client/chat/open?openChatId=oc_group_zh)");
  });

  it("lets the admin set a reporting line by mentioning two colleagues", async () => {
    const [answer] = await h.say("团队 @_user_2 经理=@_user_3", {
      ...ada,
      mentions: [
        { openId: "ou_alice", name: "Alice" },
        { openId: "ou_carol", name: "Carol" },
      ],
    });
    expect(cardText(answer?.card)).toContain("@ou_alice 的角色是销售，上级：@ou_carol");
    const alice = await h.prisma.member.findFirstOrThrow({ where: { externalId: "ou_alice" }, include: { manager: true } });
    expect(alice.manager?.externalId).toBe("ou_carol");
  });

  it("shows a write matched only by initials back, and cancels it from the card", async () => {
    const [preview] = await h.say("记录 bjkj 电话，确认了报价", ada);
    expect(cardText(preview?.card)).toContain("把这条电话记录到 北京科技？");
    const cancelled = await h.click(preview as NonNullable<typeof preview>, "取消", ada);
    expect(cardText(cancelled)).toContain("已取消，没有保存任何内容。");
    const logged = await h.prisma.interaction.count({ where: { customer: { name: "北京科技" }, kind: "call" } });
    expect(logged).toBe(0);
  });

  it("introduces itself with the help card when added to a group", async () => {
    await h.deliver(botAddedEvent({ tenantKey: "tenant_zh", token: h.token(), chatId: "oc_new_group", openId: "ou_ada" }));
    const intro = await until(() => h.fake.messages.find((m) => m.receiveId === "oc_new_group"), "the introduction");
    expect(intro.receiveIdType).toBe("chat_id");
    expect(cardText(intro.card)).toContain("客户命令");
    expect(cardText(intro.card)).toContain("@CRM");
  });

  it("ignores group messages that do not mention the bot", async () => {
    const before = h.fake.messages.length;
    await h.deliver({
      schema: "2.0",
      header: {
        event_id: "ev_no_mention",
        token: h.token(),
        create_time: "1",
        event_type: "im.message.receive_v1",
        tenant_key: "tenant_zh",
        app_id: "x",
      },
      event: {
        sender: { sender_id: { open_id: "ou_ada" }, sender_type: "user", tenant_key: "tenant_zh" },
        message: {
          message_id: "om_chatter",
          chat_id: "oc_group_zh",
          chat_type: "group",
          message_type: "text",
          content: '{"text":"添加 闲聊公司"}',
        },
      },
    });
    // A later command is answered; the chatter before it never was.
    await h.say("帮助", ada);
    expect(h.fake.messages.slice(before).filter((m) => m.replyTo === "om_chatter")).toHaveLength(0);
    expect(await h.prisma.customer.count({ where: { name: "闲聊公司" } })).toBe(0);
  });
});

describe("every verb in English, in a direct chat", () => {
  const bob: Speaker = { openId: "ou_bob", tenantKey: "tenant_en" };
  const steps: [string, string][] = [
    ["/customer add Acme Corp tier=key region=East", "Added Acme Corp as a key customer."],
    ["log Acme Corp visited, wants a quote", "Logged a visit with Acme Corp."],
    ["show Acme Corp", "Acme Corp"],
    ["list", "Customers 1–1 of 1"],
    ["edit Acme Corp stage=current", "Updated Acme Corp."],
    ["deal open Acme Corp Renewal amount=5000", "Opened Renewal for Acme Corp"],
    ["deal stage Acme Corp quote", "Renewal (Acme Corp) moved to Quote."],
    ["deal won Acme Corp", "Renewal (Acme Corp) is won."],
    ["snooze Acme Corp 7", "Reminders for Acme Corp are snoozed until 2026-12-02."],
    ["link Acme Corp", "Acme Corp is linked to #group chat"],
    ["link Acme Corp off", "Acme Corp is no longer linked to a channel."],
    ["lost Acme Corp too expensive", "Acme Corp is marked lost"],
    ["winback Acme Corp", "Acme Corp is won back"],
    ["team", "Team"],
    ["help", "Customer commands"],
    ["frobnicate", "frobnicate"],
  ];
  answers(steps, bob);

  it("answers a direct chat with a new message in that chat, not a quote", async () => {
    const answers = h.fake.messages.filter((m) => m.receiveId === "oc_p2p_ou_bob");
    expect(answers.every((m) => m.kind === "create" && m.receiveIdType === "chat_id")).toBe(true);
  });

  it("answers a bad value with the mistake and the verb's usage, and writes nothing", async () => {
    const [bad] = await h.say("add Beta tier=platinum", bob);
    expect(cardText(bad?.card)).toContain("⚠️");
    expect(cardText(bad?.card)).toContain("Usage:");
    expect(await h.prisma.customer.count({ where: { name: "Beta" } })).toBe(0);
  });
});
