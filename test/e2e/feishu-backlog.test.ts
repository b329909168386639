// A burst of Feishu messages beyond what the server holds (COMMAND_BACKLOG), with the command thread
// (PostgreSQL) and without it (the embedded database): the commands over the bound are refused at
// once, each in the language it was typed in, and write nothing; the rest run; then it takes
// commands again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardText } from "../fakes/feishu-cards.ts";
import { messageEvent } from "../fakes/feishu-events.ts";
import { FeishuHarness, until } from "./feishu-harness.ts";

const BACKLOG = 3;
const BURST = 10;
const TENANT = "tenant_burst";

let h: FeishuHarness;
beforeAll(async () => {
  h = await FeishuHarness.start({ env: { COMMAND_BACKLOG: String(BACKLOG), DATABASE_POOL_SIZE: "1" } });
});
afterAll(() => h.stop());

describe("a burst of Feishu messages beyond the backlog", () => {
  it("refuses the excess in each sender's language, writes nothing for it, and runs the rest", async () => {
    const typed = Array.from({ length: BURST }, (_, i) => (i % 2 === 0 ? `add Burst${i}` : `添加 突发${i}`));
    const people = typed.map((_, i) => `ou_burst_${i}`);
    for (const [i, openId] of people.entries()) {
      h.fake.addUser({ open_id: openId, name: `Rep ${i}` });
      // Each sender is new: the bot looks them up (1.5 s each here), so the burst piles up.
      h.fake.slowNext("contact.user.get", 1_500);
    }
    const events = typed.map((text, i) =>
      messageEvent({
        tenantKey: TENANT,
        token: h.token(),
        createTime: h.clock.now().getTime(),
        openId: people[i] as string,
        chatId: `oc_p2p_${people[i]}`,
        chatType: "p2p",
        text,
      }),
    );
    await Promise.all(events.map((event) => h.deliver(event)));
    const answers = await Promise.all(
      people.map(async (openId) => {
        const message = await until(
          () => h.fake.messages.find((m) => m.receiveId === `oc_p2p_${openId}`),
          `an answer to ${openId}`,
        );
        return cardText(message.card);
      }),
    );

    const refused = answers.filter((answer) => answer.includes("⚠️"));
    for (const [i, answer] of answers.entries()) {
      if (!answer.includes("⚠️")) expect(answer).toMatch(i % 2 === 0 ? /Added Burst\d+/ : /已添加 突发\d+/);
      else if (i % 2 === 0) expect(answer).toContain("taking a burst of commands right now, so yours was not run");
      else expect(answer).toContain("机器人此刻正处理大量命令，你的命令没有执行");
    }
    // At most the backlog runs (without the command thread, one more: at work while the backlog waits).
    expect(refused.length).toBeGreaterThanOrEqual(BURST - BACKLOG - 1);
    expect(refused.length).toBeLessThan(BURST);
    const customers = await h.prisma.customer.count({ where: { workspace: { platform: "feishu", externalId: TENANT } } });
    expect(customers).toBe(BURST - refused.length);
    expect(h.warnings("too many waiting")).toHaveLength(refused.length);
    // Counted under the verb each typed (add and 添加 are one verb).
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain(`crm_commands_total{platform="feishu",verb="add",outcome="busy"} ${refused.length}`);

    // Through the burst, commands run again.
    h.fake.addUser({ open_id: "ou_after_burst", name: "After" });
    const [after] = await h.say("add AfterBurst", { openId: "ou_after_burst", tenantKey: TENANT });
    expect(cardText(after?.card)).toContain("Added AfterBurst");
  });
});
