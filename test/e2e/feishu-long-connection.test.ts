import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentMessage } from "../fakes/feishu-api.ts";
import { cardText } from "../fakes/feishu-cards.ts";
import { messageEvent } from "../fakes/feishu-events.ts";
import { FeishuHarness, until } from "./feishu-harness.ts";

describe("the Feishu long connection (FEISHU_MODE=ws)", () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await FeishuHarness.start({ mode: "ws" });
  });
  afterAll(() => h.stop());

  it("connects through the endpoint the open API hands out, and says so on /healthz", async () => {
    expect(h.fake.count("ws.endpoint")).toBeGreaterThanOrEqual(1);
    expect(h.fake.longConnection.connections).toBe(1);
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { platforms: Record<string, { status: string }> };
    expect(health.platforms.feishu?.status).toBe("connected");
  });

  it("runs a message pushed over the connection and acknowledges the frame", async () => {
    const [answer] = await h.say("添加 上海贸易 等级=普通", { openId: "ou_wendy" });
    expect(cardText(answer?.card)).toContain("已添加 上海贸易");
    await until(() => h.fake.longConnection.acknowledgements.length > 0, "the frame's acknowledgement");
    expect(h.fake.longConnection.acknowledgements[0]?.code).toBe(200);
  });

  it("takes card clicks over the same connection", async () => {
    const [card] = await h.say("查看 上海贸易", { openId: "ou_wendy" });
    const answer = await h.choose(card as NonNullable<typeof card>, "暂缓", "3 天", { openId: "ou_wendy" });
    expect(cardText(answer)).toContain("上海贸易");
    const customer = await h.prisma.customer.findFirstOrThrow({ where: { name: "上海贸易" } });
    expect(customer.snoozedUntil).not.toBeNull();
  });

  it("answers a form on a card only the asker sees with its result, in the frame's acknowledgement", async () => {
    const wendy = { openId: "ou_wendy", chatId: "oc_ws_group", chatType: "group" as const };
    const form = (await h.say("添加", wendy))[0] as SentMessage;
    expect(form).toMatchObject({ kind: "ephemeral", openId: "ou_wendy" });
    const result = await h.submit(form, { 0: "杭州电子" }, wendy);
    expect(cardText(result)).toContain("已添加 杭州电子");
    expect(h.fake.updates.at(-1)).toMatchObject({ messageId: form.id, via: "callback" });
  });

  it("reconnects when the gateway drops the connection", async () => {
    const before = h.fake.messages.length;
    h.fake.longConnection.disconnectAll();
    await until(() => h.fake.longConnection.connections === 1 && h.health() === "connected", "the reconnection");
    const event = messageEvent({
      tenantKey: "tenant_a",
      openId: "ou_wendy",
      chatId: "oc_p2p_ou_wendy",
      chatType: "p2p",
      text: "列表",
    });
    h.fake.longConnection.push(event);
    const answer = await until(
      () => h.fake.messages.slice(before).find((m) => m.receiveId === "oc_p2p_ou_wendy"),
      "an answer after reconnecting",
    );
    expect(cardText(answer.card)).toContain("上海贸易");
  });
});
