import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentMessage } from "../fakes/feishu-api.ts";
import { cardText, formOf } from "../fakes/feishu-cards.ts";
import { FeishuHarness, type Speaker, until } from "./feishu-harness.ts";

let h: FeishuHarness;
beforeAll(async () => {
  h = await FeishuHarness.start();
  h.fake.addUser({ open_id: "ou_mei", name: "梅" });
  h.fake.addUser({ open_id: "ou_sam", name: "Sam" });
});
afterAll(() => h.stop());

const mei: Speaker = { openId: "ou_mei", tenantKey: "tenant_shown", chatId: "oc_sales_team", chatType: "group" };
const sam: Speaker = { openId: "ou_sam", tenantKey: "tenant_shown", chatId: "oc_sales_team", chatType: "group" };
const only = (messages: SentMessage[]) => messages[0] as SentMessage;
/** What everyone in the chat sees: messages in it, and quotes of messages in it. */
const postedInChat = (since: number) => h.fake.messages.slice(since).filter((m) => m.kind !== "ephemeral");
const fallbackLines = () => h.warnings("could not be shown to one person");
/** The command thread's log lines reach the log a moment after its answers reach Feishu. */
const untilLogged = (lines: number) => until(() => fallbackLines().length > lines, "the fallback's warning");

describe("in a group, answers meant for the asker are shown to the asker alone", () => {
  it("shows a list to the person who asked (Chinese), through ephemeral/v1/send and not in the chat", async () => {
    await h.say("添加 上海贸易", mei);
    const before = h.fake.messages.length;
    const answer = only(await h.say("列表", mei));
    expect(answer).toMatchObject({ kind: "ephemeral", receiveId: "oc_sales_team", openId: "ou_mei" });
    expect(cardText(answer.card)).toContain("客户 1–1，共 1 位");
    // Sent as a card object (card JSON 2.0), not as a JSON string.
    expect(answer.card.schema).toBe("2.0");
    expect(postedInChat(before)).toEqual([]);
  });

  it("shows help and mistakes to the person who asked (English)", async () => {
    const before = h.fake.messages.length;
    const help = only(await h.say("help", sam));
    expect(help).toMatchObject({ kind: "ephemeral", openId: "ou_sam" });
    expect(cardText(help.card)).toContain("Customer commands");
    const mistake = only(await h.say("show Nobody Ltd", sam));
    expect(mistake).toMatchObject({ kind: "ephemeral", openId: "ou_sam" });
    expect(postedInChat(before)).toEqual([]);
  });

  it("still posts news for the whole group as a reply that quotes the message", async () => {
    const before = h.fake.ephemerals().length;
    const answer = only(await h.say("记录 上海贸易 拜访，谈了续约", mei));
    expect(answer.kind).toBe("reply");
    expect(cardText(answer.card)).toContain("已记录与 上海贸易 的拜访");
    expect(h.fake.ephemerals()).toHaveLength(before);
  });

  it("answers in a direct chat as before, without ephemeral/v1/send", async () => {
    const calls = h.fake.count("ephemeral.send");
    const answer = only(await h.say("列表", { openId: "ou_mei", tenantKey: "tenant_shown" }));
    expect(answer).toMatchObject({ kind: "create", receiveId: "oc_p2p_ou_mei" });
    expect(h.fake.count("ephemeral.send")).toBe(calls);
  });
});

describe("when Feishu will not show a card to one person", () => {
  it("posts the answer in the chat, quoting the message, and logs one warning with Feishu's code (Chinese)", async () => {
    const lines = fallbackLines().length;
    h.fake.failNext("ephemeral.send", { status: 400, code: 232010, msg: "chat mode not supported" });
    const answer = only(await h.say("列表", mei));
    expect(answer.kind).toBe("reply");
    expect(cardText(answer.card)).toContain("客户 1–1，共 1 位");
    await untilLogged(lines);
    const logged = fallbackLines().slice(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ code: "232010", chatId: "oc_sales_team" });
  });

  it("does the same for an English answer, and a card the endpoint refuses", async () => {
    const lines = fallbackLines().length;
    h.fake.failNext("ephemeral.send", { status: 200, code: 200621, msg: "card schema not supported" });
    const answer = only(await h.say("help", sam));
    expect(answer.kind).toBe("reply");
    expect(cardText(answer.card)).toContain("Customer commands");
    await untilLogged(lines);
    expect(fallbackLines().slice(lines)).toMatchObject([{ code: "200621" }]);
  });

  it("does not post it in the chat when Feishu is failing, since the card may have been shown: the person is asked to try again", async () => {
    const before = h.fake.messages.length;
    h.fake.failNext("ephemeral.send", { status: 503, code: 0, msg: "unavailable" }, 2);
    const answer = only(await h.say("查看 上海贸易", mei));
    expect(answer.kind).toBe("ephemeral");
    expect(cardText(answer.card)).toMatch(/请重试|please try again/);
    expect(h.fake.messages.slice(before).map((m) => m.kind)).toEqual(["ephemeral"]);
  });
});

describe("clicks on a card shown to one person", () => {
  it("answers a menu choice with a new card shown to the clicker, without quoting or patching the card", async () => {
    const card = only(await h.say("查看 上海贸易", mei));
    expect(card.kind).toBe("ephemeral");
    const before = { messages: h.fake.messages.length, updates: h.fake.updates.length };
    const answer = await h.choose(card, "暂缓", "3 天", mei);
    expect(cardText(answer)).toContain("上海贸易 的提醒已暂缓至 2026-11-28");
    expect(h.fake.messages.slice(before.messages)).toMatchObject([{ kind: "ephemeral", openId: "ou_mei" }]);
    expect(h.fake.updates.slice(before.updates)).toEqual([]);
  });

  it("opens a form shown to the clicker, whose submission replaces it through the callback's answer", async () => {
    const card = only(await h.say("查看 上海贸易", mei));
    const formCard = await h.click(card, "记录拜访", mei);
    const formMessage = h.fake.messages.find((m) => m.card === formCard) as SentMessage;
    expect(formMessage).toMatchObject({ kind: "ephemeral", openId: "ou_mei" });
    const patches = h.fake.count("im.message.patch");
    const result = await h.submit(formMessage, { 0: "call", 1: "电话确认续约" }, mei);
    expect(cardText(result)).toContain("已记录与 上海贸易 的电话");
    expect(h.fake.updates.at(-1)).toMatchObject({ messageId: formMessage.id, via: "callback" });
    expect(h.fake.count("im.message.patch")).toBe(patches);
    // The form is gone, so it cannot be sent twice; the log, news for the group, is posted too.
    expect(() => formOf(h.fake.currentCard(formMessage.id))).toThrow();
    await until(
      () =>
        h.fake.messages.find(
          (m) => m.kind === "create" && m.receiveId === "oc_sales_team" && cardText(m.card).includes("已记录与 上海贸易 的电话"),
        ),
      "the log posted in the chat",
    );
    const interactions = await h.prisma.interaction.findMany({ where: { summary: "电话确认续约" } });
    expect(interactions).toHaveLength(1);
  });

  it("replaces a form that takes longer than Feishu waits with a note at once, so it cannot be sent twice, then shows the result", async () => {
    h.fake.addUser({ open_id: "ou_lin", name: "林" });
    const formMessage = only(await h.say("添加", mei));
    // Naming as owner someone the bot has not met yet: it asks Feishu who that is, slowly.
    h.fake.slowNext("contact.user.get", 2_500);
    const note = await h.submit(formMessage, { 0: "慢速科技", 3: "ou_lin" }, mei);
    expect(cardText(note)).toContain("正在处理");
    expect(() => formOf(h.fake.currentCard(formMessage.id))).toThrow();
    await until(
      () => h.fake.messages.find((m) => m.kind === "ephemeral" && m.openId === "ou_mei" && cardText(m.card).includes("慢速科技")),
      "the result shown to the person",
    );
    expect(await h.prisma.customer.count({ where: { name: "慢速科技" } })).toBe(1);
  });

  it("shows a refused English form again, with the mistake, in the callback's answer", async () => {
    await h.say("add Initech", sam);
    const formMessage = only(await h.say("add", sam));
    expect(formMessage.kind).toBe("ephemeral");
    const refused = await h.submit(formMessage, { 0: "Initech" }, sam);
    expect(cardText(refused)).toContain("⚠️");
    expect(formOf(refused).fields.find((f) => f.name === "field_0")?.initial).toBe("Initech");
  });
});
