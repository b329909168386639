import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentMessage } from "../fakes/feishu-api.ts";
import { cardText, formOf, menuChoice } from "../fakes/feishu-cards.ts";
import { FeishuHarness, type Speaker, until } from "./feishu-harness.ts";

let h: FeishuHarness;
beforeAll(async () => {
  h = await FeishuHarness.start();
  h.fake.addUser({ open_id: "ou_lin", name: "林" });
  h.fake.addUser({ open_id: "ou_zhou", name: "周" });
});
afterAll(() => h.stop());

const lin: Speaker = { openId: "ou_lin", tenantKey: "tenant_cards" };
const only = (messages: SentMessage[]) => messages[0] as SentMessage;
const customer = (name: string) => h.prisma.customer.findFirstOrThrow({ where: { name }, include: { owner: true } });

describe("forms in cards", () => {
  it("answers 添加 with no name with a card holding the form, whose submission creates the customer", async () => {
    const formMessage = only(await h.say("添加", lin));
    const form = formOf(formMessage.card);
    expect(cardText(formMessage.card)).toContain("新增客户");
    expect(form.fields.map((f) => f.tag)).toEqual([
      "input",
      "select_static",
      "select_static",
      "select_person",
      "input",
      "input",
      "input",
    ]);
    const result = await h.submit(formMessage, { 0: "深圳制造", 1: "key", 3: "ou_zhou", 4: "华南" }, lin);
    expect(cardText(result)).toContain("已添加 深圳制造（重点客户）");
    const created = await customer("深圳制造");
    expect(created).toMatchObject({ tier: "key", region: "华南" });
    expect(created.owner?.externalId).toBe("ou_zhou");
    // The form turned into the result, so it cannot be sent twice.
    expect(() => formOf(h.fake.currentCard(formMessage.id))).toThrow();
  });

  it("shows the form again, with the mistake on top and the values kept, when a submission is refused", async () => {
    const formMessage = only(await h.say("添加", lin));
    const refused = await h.submit(formMessage, { 0: "深圳制造", 4: "华东" }, lin);
    expect(cardText(refused)).toContain("深圳制造");
    expect(cardText(refused)).toContain("⚠️");
    const again = formOf(refused);
    expect(again.fields.find((f) => f.name === "field_0")?.initial).toBe("深圳制造");
    expect(again.fields.find((f) => f.name === "field_4")?.initial).toBe("华东");
    expect(await h.prisma.customer.count({ where: { name: "深圳制造" } })).toBe(1);
  });

  it("opens the log form from the customer card and logs the visit once, however often it is submitted", async () => {
    const card = only(await h.say("查看 深圳制造", lin));
    const formCard = await h.click(card, "记录拜访", lin);
    expect(cardText(formCard)).toContain("记录：深圳制造");
    const formMessage = h.fake.messages.find((m) => m.card === formCard) as SentMessage;
    expect(formMessage.replyTo).toBe(card.id);
    const submitted = { 0: "call", 1: "电话沟通，对方要样品" };
    const result = await h.submit(formMessage, submitted, lin);
    expect(cardText(result)).toContain("已记录与 深圳制造 的电话");
    // A double click delivers the same submission again under a new event id.
    const { submit, fields } = formOf(formCard);
    const formValue = { [fields[0]?.name ?? ""]: "call", [fields[1]?.name ?? ""]: "电话沟通，对方要样品" };
    await h.deliver(h.cardEvent(formMessage, lin, { value: submit, formValue }));
    await h.say("帮助", lin);
    const interactions = await h.prisma.interaction.findMany({ where: { customer: { name: "深圳制造" } } });
    expect(interactions).toMatchObject([{ kind: "call", summary: "电话沟通，对方要样品" }]);
  });

  it("answers with a new message when the form card can no longer be updated", async () => {
    const formMessage = only(await h.say("添加", lin));
    h.fake.failNext("im.message.patch", { status: 400, code: 230031, msg: "The message is too old to be updated" });
    const before = h.fake.messages.length;
    const formValue = { field_0: "旧卡片公司", field_1: "normal" };
    await h.deliver(h.cardEvent(formMessage, lin, { value: formOf(formMessage.card).submit, formValue }));
    const answer = await until(() => h.fake.messages.slice(before).find((m) => m.replyTo === formMessage.id), "the answer");
    expect(cardText(answer.card)).toContain("已添加 旧卡片公司");
  });

  it("writes the English form in English", async () => {
    const formMessage = only(await h.say("add", lin));
    expect(cardText(formMessage.card)).toContain("New customer");
    const result = await h.submit(formMessage, { 0: "Globex" }, lin);
    expect(cardText(result)).toContain("Added Globex as a normal customer.");
  });
});

describe("buttons and menus on cards", () => {
  it("snoozes from the card's menu, answering with a new message that quotes the card", async () => {
    const card = only(await h.say("查看 深圳制造", lin));
    const answer = await h.choose(card, "暂缓", "7 天", lin);
    expect(cardText(answer)).toContain("深圳制造 的提醒已暂缓至 2026-12-02");
    // Midnight of 2 December in Shanghai.
    expect((await customer("深圳制造")).snoozedUntil?.toISOString()).toBe("2026-12-01T16:00:00.000Z");
  });

  it("changes the stage from the card's menu", async () => {
    const card = only(await h.say("查看 深圳制造", lin));
    const answer = await h.choose(card, "修改阶段", "成交", lin);
    expect(cardText(answer)).toContain("已更新 深圳制造");
    expect((await customer("深圳制造")).stage).toBe("current");
  });

  it("pages a long list with its buttons, and opens a listed customer from its menu", async () => {
    for (let i = 1; i <= 11; i++) await h.say(`添加 测试客户${String(i).padStart(2, "0")}`, lin);
    const first = only(await h.say("列表", lin));
    expect(cardText(first.card)).toContain("共 14 位");
    const second = await h.click(first, "下一页", lin);
    expect(cardText(second)).toContain("客户 11–14，共 14 位");
    const secondMessage = h.fake.messages.find((m) => m.card === second) as SentMessage;
    const shown = await h.choose(secondMessage, "查看客户", cardText(second).match(/测试客户\d\d/)?.[0] ?? "", lin);
    expect(shown.header?.title?.content).toMatch(/^测试客户\d\d$/);
  });

  it("runs a click delivered twice (Feishu's retry) once", async () => {
    const card = only(await h.say("show Globex", lin));
    const before = h.fake.messages.length;
    const choice = menuChoice(card.card, "Snooze", "1 day");
    const click = h.cardEvent(card, lin, { value: choice.value, option: choice.option, tag: "select_static" });
    await h.deliver(click);
    await h.deliver(click);
    await until(() => h.fake.messages.slice(before).find((m) => m.replyTo === card.id), "the answer");
    await h.say("help", lin);
    expect(h.fake.messages.slice(before).filter((m) => m.replyTo === card.id)).toHaveLength(1);
  });
});
