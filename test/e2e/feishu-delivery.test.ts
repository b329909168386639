import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textReply } from "../../src/commands/reply.ts";
import { DeliveryError } from "../../src/platforms/types.ts";
import { cardText } from "../fakes/feishu-cards.ts";
import { messageEvent } from "../fakes/feishu-events.ts";
import { FeishuHarness, type Speaker } from "./feishu-harness.ts";

let h: FeishuHarness;
beforeAll(async () => {
  h = await FeishuHarness.start();
});
afterAll(() => h.stop());

const metric = async (pattern: RegExp) => {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
};

describe("deliveries from Feishu, which may come more than once", () => {
  const mei: Speaker = { openId: "ou_mei", tenantKey: "tenant_dup" };

  it("logs a redelivered event once and answers it once", async () => {
    await h.say("添加 杭州茶业", mei);
    const event = messageEvent({
      tenantKey: "tenant_dup",
      token: h.token(),
      openId: "ou_mei",
      chatId: "oc_p2p_ou_mei",
      chatType: "p2p",
      text: "记录 杭州茶业 电话，下周拜访",
    });
    const before = h.fake.messages.length;
    await h.deliver(event);
    await h.deliver(event);
    await h.answerIn("oc_p2p_ou_mei", "已记录与 杭州茶业 的电话");
    await h.say("帮助", mei);
    expect(await h.prisma.interaction.count({ where: { customer: { name: "杭州茶业" } } })).toBe(1);
    const answers = h.fake.messages.slice(before).filter((m) => cardText(m.card).includes("已记录与 杭州茶业"));
    expect(answers).toHaveLength(1);
  });

  it("logs the same message once even when it comes again under a new event id", async () => {
    // The same message id, each time under a fresh event id.
    const visit = () =>
      messageEvent({
        tenantKey: "tenant_dup",
        token: h.token(),
        openId: "ou_mei",
        chatId: "oc_p2p_ou_mei",
        chatType: "p2p",
        text: "记录 杭州茶业 拜访，谈了价格",
        messageId: "om_same_message",
      });
    const first = visit();
    const again = visit();
    expect(again.header.event_id).not.toBe(first.header.event_id);
    await h.deliver(first);
    await h.answerIn("oc_p2p_ou_mei", "已记录与 杭州茶业 的拜访");
    await h.deliver(again);
    await h.say("帮助", mei);
    expect(await h.prisma.interaction.count({ where: { summary: "拜访，谈了价格" } })).toBe(1);
  });
});

describe("answering Feishu", () => {
  it("answers the webhook at once, however slow the open API is, and does the work after", async () => {
    h.fake.slowNext("contact.user.get", 2_500);
    const event = messageEvent({
      tenantKey: "tenant_slow",
      token: h.token(),
      openId: "ou_slow",
      chatId: "oc_p2p_ou_slow",
      chatType: "p2p",
      text: "add Slowpoke",
    });
    const started = performance.now();
    const response = await h.post(event);
    const answeredMs = performance.now() - started;
    expect(response.status).toBe(200);
    expect(answeredMs).toBeLessThan(500);
    await h.answerIn("oc_p2p_ou_slow", "Added Slowpoke");
  });
});

describe("sending through the open API, which may refuse for a while", () => {
  const kai: Speaker = { openId: "ou_kai", tenantKey: "tenant_limits" };

  it("waits out a rate limit (429, code 99991400) and then answers", async () => {
    h.fake.failNext(
      "im.message.create",
      { status: 429, code: 99991400, msg: "request trigger frequency limit", headers: { "x-ogw-ratelimit-reset": "1" } },
      2,
    );
    const started = Date.now();
    const [answer] = await h.say("add Initech", kai);
    expect(cardText(answer?.card)).toContain("Added Initech");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(
      await metric(/crm_platform_api_errors_total\{platform="feishu",method="im.message.create",code="99991400"\} (\d+)/),
    ).toBe(2);
  });

  it("retries a server error", async () => {
    h.fake.failNext("im.message.create", { status: 503, code: 1, msg: "busy" });
    const [answer] = await h.say("show Initech", kai);
    expect(cardText(answer?.card)).toContain("Initech");
  });

  it("sends reminders by open_id and survey links by chat_id, once per content within the hour", async () => {
    const messenger = h.server.messengers.feishu;
    if (!messenger) throw new Error("no Feishu messenger");
    const workspace = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: "tenant_limits" } });
    const member = await h.prisma.member.findFirstOrThrow({ where: { workspaceId: workspace.id, externalId: "ou_kai" } });
    const reminder = textReply("zh", "今天需要回访：**Initech**");
    const id = await messenger.sendDirect(workspace, member, reminder);
    expect(h.fake.messages.find((m) => m.id === id)).toMatchObject({ receiveIdType: "open_id", receiveId: "ou_kai" });
    expect(await messenger.sendDirect(workspace, member, reminder)).toBe(id);
    expect(h.fake.messages.filter((m) => m.id === id)).toHaveLength(1);
    const posted = await messenger.postToChannel(workspace, "oc_customer_group", textReply("zh", "满意度调查"));
    expect(h.fake.messages.find((m) => m.id === posted)).toMatchObject({
      receiveIdType: "chat_id",
      receiveId: "oc_customer_group",
    });
  });

  it("gives the scheduler a retryable DeliveryError with the wait when the limit resets far ahead", async () => {
    const messenger = h.server.messengers.feishu;
    const workspace = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: "tenant_limits" } });
    const member = await h.prisma.member.findFirstOrThrow({ where: { workspaceId: workspace.id, externalId: "ou_kai" } });
    h.fake.failNext("im.message.create", { status: 429, code: 99991400, headers: { "x-ogw-ratelimit-reset": "60" } });
    const error = await messenger?.sendDirect(workspace, member, textReply("zh", "稍后再发")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: "99991400", retryable: true, retryAfterMs: 60_000 });
  });

  it("gives up at once on a refusal that will not change (the bot is not in the group)", async () => {
    const messenger = h.server.messengers.feishu;
    const workspace = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: "tenant_limits" } });
    h.fake.failNext("im.message.create", { status: 400, code: 230002, msg: "Bot is not in the chat" });
    const before = h.fake.count("im.message.create");
    const error = await messenger?.postToChannel(workspace, "oc_elsewhere", textReply("zh", "x")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "230002", retryable: false });
    expect(h.fake.count("im.message.create")).toBe(before + 1);
  });
});

describe("tenants", () => {
  it("keeps each tenant's customers to itself", async () => {
    const a: Speaker = { openId: "ou_same_person", tenantKey: "tenant_alpha" };
    const b: Speaker = { openId: "ou_same_person", tenantKey: "tenant_beta" };
    await h.say("add Umbrella tier=key", a);
    const [listed] = await h.say("list", b);
    expect(cardText(listed?.card)).toContain("No customers match.");
    const [shown] = await h.say("show Umbrella", b);
    expect(cardText(shown?.card)).toContain("⚠️");
    const [added] = await h.say("add Umbrella", b);
    expect(cardText(added?.card)).toContain("Added Umbrella as a normal customer.");
    const rows = await h.prisma.customer.findMany({ where: { name: "Umbrella" }, include: { workspace: true } });
    expect(rows.map((r) => [r.workspace.externalId, r.tier]).sort()).toEqual([
      ["tenant_alpha", "key"],
      ["tenant_beta", "normal"],
    ]);
  });
});
