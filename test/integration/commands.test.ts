import { describe, expect, it } from "vitest";
import { logInteraction } from "../../src/domain/interactions.ts";
import { textOf, worldForFile } from "../support/world.ts";

const world = worldForFile();

async function team() {
  const ws = await world.workspace();
  const admin = await world.member(ws, "ada", "admin");
  const carol = await world.member(ws, "carol", "manager");
  const alice = await world.member(ws, "alice", "rep", carol);
  const bob = await world.member(ws, "bob", "rep");
  return { ws, admin, carol, alice, bob };
}

const customer = (workspaceId: string, name: string) =>
  world.db.prisma.customer.findFirstOrThrow({ where: { workspaceId, name } });

describe("logging interactions", () => {
  it("restarts the revisit clock at the logged touch and says when the next revisit is due", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme tier=key");
    world.clock.advanceDays(3);
    const reply = await world.run(ws, alice, "log Acme visited, wants a quote");
    expect(textOf(reply)).toContain("Logged a visit with Acme. Next revisit: 2026-12-05 (in 7 days).");
    const acme = await customer(ws.id, "Acme");
    expect(acme.lastContactAt?.toISOString()).toBe(world.clock.now().toISOString());
    const logged = await world.db.prisma.interaction.findMany({ where: { customerId: acme.id } });
    expect(logged).toMatchObject([{ kind: "visit", summary: "visited, wants a quote", authorId: alice.id }]);
    world.clock.set("2026-11-25T02:00:00Z");
  });

  it("finds a multi-word name without quotes, and keeps the summary as typed", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme Corp");
    await world.run(ws, alice, "log Acme Corp called：想要报价，周五前！");
    const acme = await customer(ws.id, "Acme Corp");
    const [logged] = await world.db.prisma.interaction.findMany({ where: { customerId: acme.id } });
    expect(logged).toMatchObject({ kind: "call", summary: "called：想要报价，周五前！" });
  });

  it("logs the same delivery once, however often it arrives", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme");
    const first = await world.run(ws, alice, "log Acme called", { deliveryId: "slack:T1:trigger-1" });
    expect(textOf(first)).toContain("Logged a call");
    const again = await world.runOrNull(ws, alice, "log Acme called", { deliveryId: "slack:T1:trigger-1" });
    expect(again).toBeNull();
    expect(await world.db.prisma.interaction.count({ where: { workspaceId: ws.id } })).toBe(1);
    // The interaction's own key is the claim: no delivery row is written for a log.
    expect(await world.db.prisma.delivery.count({ where: { workspaceId: ws.id, key: "slack:T1:trigger-1" } })).toBe(0);
  });

  it("answers a repeated delivery of another verb once, by claiming it first", async () => {
    const { ws, alice } = await team();
    const first = await world.run(ws, alice, "add Acme", { deliveryId: "slack:T1:trigger-2" });
    expect(textOf(first)).toContain("Added Acme");
    expect(await world.runOrNull(ws, alice, "add Acme", { deliveryId: "slack:T1:trigger-2" })).toBeNull();
    expect(await world.db.prisma.delivery.count({ where: { workspaceId: ws.id, key: "slack:T1:trigger-2" } })).toBe(1);
  });

  it("shows a write matched only by pinyin initials back before saving it, and saves once when confirmed twice", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "添加 北京科技 等级=重点");
    const preview = await world.run(ws, alice, "记录 bjkj 拜访，客户希望周五前报价");
    expect(textOf(preview)).toContain("把这条拜访记录到 北京科技？");
    expect(await world.db.prisma.interaction.count({ where: { workspaceId: ws.id } })).toBe(0);
    const saved = await world.click(ws, alice, preview, "保存");
    expect(textOf(saved)).toContain("已记录与 北京科技 的拜访");
    // A double click: the second click is a new delivery, but carries the same source reference.
    const twice = await world.click(ws, alice, preview, "保存");
    expect(textOf(twice)).toContain("已经记录过了");
    expect(await world.db.prisma.interaction.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("a log written while someone else changes the customer counts from the customer as it is now, and is audited", async () => {
    const { ws, alice, admin } = await team();
    await world.run(ws, alice, "add Acme");
    // Looked up as a normal customer (monthly); made a key customer (weekly) before the write.
    const seen = await customer(ws.id, "Acme");
    await world.run(ws, admin, "edit Acme tier=key");
    const logged = await logInteraction(world.deps, { workspace: ws, member: alice }, seen, {
      kind: "call",
      summary: "called about the renewal",
      source: "test",
      sourceRef: "stale-1",
    });
    expect(logged.duplicate).toBe(false);
    expect(logged.customer).toMatchObject({ tier: "key", lastKind: "call", lastSummary: "called about the renewal" });
    expect(logged.customer.nextRevisitAt?.toISOString()).toBe("2026-12-02T02:00:00.000Z");
    expect(await customer(ws.id, "Acme")).toEqual(logged.customer);
    const audit = await world.db.prisma.auditEvent.findMany({ where: { workspaceId: ws.id, action: "interaction.log" } });
    expect(audit).toMatchObject([
      { actorId: alice.id, entityId: logged.interaction.id, data: { customerId: seen.id, kind: "call" } },
    ]);
    expect(await world.db.prisma.interaction.findUnique({ where: { id: logged.interaction.id } })).toEqual(logged.interaction);
  });

  it("logs written at once for one customer are each written, however many race for it", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme");
    const seen = await customer(ws.id, "Acme");
    const now = world.clock.now().getTime();
    // Ten at once, each a moment later than the one before, all from the customer as read before any.
    const logs = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        logInteraction(world.deps, { workspace: ws, member: alice }, seen, {
          kind: "call",
          summary: `call ${i}`,
          occurredAt: new Date(now - (10 - i) * 1000),
          source: "test",
          sourceRef: `race-${i}`,
        }),
      ),
    );
    expect(logs.filter((log) => log.status === "rejected")).toEqual([]);
    expect(await world.db.prisma.interaction.count({ where: { customerId: seen.id } })).toBe(10);
    // The customer ends as the latest of them left it, whatever order they were written in.
    expect(await customer(ws.id, "Acme")).toMatchObject({ lastSummary: "call 9", lastContactAt: new Date(now - 1000) });
  });

  it("a back-dated log before the last touch keeps the clock and the last touch where they were", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme");
    await world.run(ws, alice, "log Acme visited today");
    const before = await customer(ws.id, "Acme");
    const reply = await world.run(ws, alice, "log Acme called on=2026-11-20 about the invoice");
    expect(textOf(reply)).toContain("Logged a call with Acme.");
    const after = await customer(ws.id, "Acme");
    expect(after).toMatchObject({
      lastContactAt: before.lastContactAt,
      nextRevisitAt: before.nextRevisitAt,
      lastKind: "visit",
      lastSummary: "visited today",
    });
    expect(await world.db.prisma.interaction.count({ where: { customerId: after.id } })).toBe(2);
  });

  it("lists the candidates when a prefix is ambiguous, and writes nothing", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme Beijing");
    await world.run(ws, alice, "add Acme Shanghai");
    const reply = await world.run(ws, alice, "log acme called");
    expect(reply.error).toBe(true);
    expect(textOf(reply)).toContain("could mean several customers: Acme Beijing, Acme Shanghai");
    expect(await world.db.prisma.interaction.count({ where: { workspaceId: ws.id } })).toBe(0);
  });
});

describe("bad input", () => {
  it("gets a one-line error with the verb's usage, in the user's language, and nothing is written", async () => {
    const { ws, alice } = await team();
    const en = await world.run(ws, alice, "add Acme tier=gold");
    expect(textOf(en)).toContain("`tier=gold` is not valid: use key, normal or prospect.");
    expect(textOf(en)).toContain("Usage: `/customer add <name>");
    const zh = await world.run(ws, alice, "添加 北京科技 等级=金牌");
    expect(textOf(zh)).toContain("`等级=金牌` 无效：请用 重点、普通 或 潜在。");
    expect(textOf(zh)).toContain("用法：");
    const unknown = await world.run(ws, alice, "add Acme colour=red");
    expect(textOf(unknown)).toContain("`colour=red` is not an option of this command.");
    const verb = await world.run(ws, alice, "frobnicate Acme");
    expect(textOf(verb)).toContain("I don't know `frobnicate`.");
    expect(await world.db.prisma.customer.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect(await world.db.prisma.auditEvent.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("answers help in the language of the verb", async () => {
    const { ws, alice } = await team();
    expect(textOf(await world.run(ws, alice, "help"))).toContain("Customer commands");
    expect(textOf(await world.run(ws, alice, "帮助"))).toContain("客户命令");
    expect(textOf(await world.run(ws, alice, "帮助 记录"))).toContain("记录拜访、电话或备注");
  });
});

describe("who sees what", () => {
  it("a rep sees their own customers and those linked to the channel; a manager also their reports'; an admin all", async () => {
    const { ws, admin, carol, alice, bob } = await team();
    await world.run(ws, alice, "add Alpha");
    await world.run(ws, bob, "add Bravo");
    await world.run(ws, bob, "add Linked channel=here", { channel: "C-shared" });

    expect(textOf(await world.run(ws, bob, "show Alpha"))).toContain("Alpha belongs to someone else");
    expect(textOf(await world.run(ws, alice, "show Linked", { channel: "C-shared" }))).toContain("Linked");
    expect(textOf(await world.run(ws, alice, "show Linked", { channel: "C-other" }))).toContain("belongs to someone else");
    expect(textOf(await world.run(ws, carol, "show Alpha"))).toContain("Alpha");
    // Found by a prefix, the card still names its owner (fetched for the match alone).
    expect(textOf(await world.run(ws, carol, "show Alp"))).toContain("Owner: @alice");
    expect(textOf(await world.run(ws, carol, "show Bravo"))).toContain("belongs to someone else");
    expect(textOf(await world.run(ws, admin, "list"))).toContain("Customers 1–3 of 3");
    const refused = await world.run(ws, bob, "log Alpha called");
    expect(refused.error).toBe(true);
    expect(await world.db.prisma.interaction.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("a typed log finds a name of several words among the customers its author may see, and only those", async () => {
    const { ws, admin, carol, alice, bob } = await team();
    await world.run(ws, alice, "add Alpha Works");
    await world.run(ws, bob, "add Bravo Works");
    await world.run(ws, bob, "add Linked Works channel=here", { channel: "C-shared" });
    // Shorter names each author may see, which a longer name hidden from them must not shadow.
    await world.run(ws, bob, "add Alpha");
    await world.run(ws, alice, "add Bravo");
    await world.run(ws, alice, "add Linked");
    const logged = async (who: typeof alice, text: string, channel?: string) => {
      const reply = textOf(await world.run(ws, who, text, channel ? { channel } : {}));
      return reply.match(/Logged an? (\w+) with ([\w ]+)\./)?.slice(1) ?? reply;
    };
    const summaries = async (name: string) =>
      (await world.db.prisma.interaction.findMany({ where: { customer: { workspaceId: ws.id, name } } })).map((i) => i.summary);

    // Each found whole (a name matched only by its first word would be shown back to confirm instead).
    expect(await logged(alice, "log Alpha Works called")).toEqual(["call", "Alpha Works"]);
    expect(await logged(carol, "log Alpha Works visited")).toEqual(["visit", "Alpha Works"]);
    expect(await logged(alice, "log Linked Works emailed", "C-shared")).toEqual(["email", "Linked Works"]);
    expect(await logged(admin, "log Bravo Works met")).toEqual(["meeting", "Bravo Works"]);
    // Hidden from these authors, the longer name is not theirs to log: the shorter one they may see is.
    expect(await logged(bob, "log Alpha Works called")).toEqual(["call", "Alpha"]);
    expect(await logged(carol, "log Bravo Works called")).toEqual(["call", "Bravo"]);
    expect(await logged(alice, "log Linked Works called", "C-other")).toEqual(["call", "Linked"]);
    expect(await summaries("Alpha")).toEqual(["Works called"]);
    expect(await summaries("Bravo")).toEqual(["Works called"]);
    expect(await summaries("Linked")).toEqual(["Works called"]);
    expect(await world.db.prisma.interaction.count({ where: { workspaceId: ws.id } })).toBe(7);
  });

  it("keeps workspaces apart: the same name in two workspaces is two customers, each invisible to the other", async () => {
    const one = await team();
    const two = await team();
    await world.run(one.ws, one.admin, "add Acme");
    await world.run(two.ws, two.admin, "add Acme tier=key");
    expect(textOf(await world.run(two.ws, two.admin, "list"))).toContain("of 1");
    const first = await customer(one.ws.id, "Acme");
    const refused = await world.run(two.ws, two.admin, `show #${first.id}`);
    expect(textOf(refused)).toContain("No customer matches");
  });
});

describe("the lifecycle", () => {
  it("a lost customer keeps its history, goes back on the prospect list, and can be won back", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme tier=key stage=current");
    world.clock.advanceMs(60_000);
    await world.run(ws, alice, "log Acme visited");
    world.clock.advanceMs(60_000);
    const lost = await world.run(ws, alice, "lost Acme went with a competitor");
    expect(textOf(lost)).toContain("Acme is marked lost and is back on the prospect list. Win-back revisit: 2026-12-09");
    let acme = await customer(ws.id, "Acme");
    expect(acme).toMatchObject({ stage: "lost", tier: "prospect", lostReason: "went with a competitor" });
    expect(await world.db.prisma.interaction.count({ where: { customerId: acme.id } })).toBe(1);
    expect(textOf(await world.run(ws, alice, "list tier=prospect stage=lost"))).toContain("Acme");
    world.clock.advanceMs(60_000);
    await world.run(ws, alice, "挽回 Acme");
    acme = await customer(ws.id, "Acme");
    expect(acme).toMatchObject({ stage: "current", lostAt: null });
    const actions = (
      await world.db.prisma.auditEvent.findMany({ where: { workspaceId: ws.id }, orderBy: { createdAt: "asc" } })
    ).map((a) => a.action);
    expect(actions).toEqual(["customer.add", "interaction.log", "customer.lost", "customer.winback"]);
    world.clock.set("2026-11-25T02:00:00Z");
  });

  it("edits tier, cadence and owner, recomputing the next revisit", async () => {
    const { ws, alice, bob, admin } = await team();
    await world.run(ws, alice, "add Acme");
    await world.run(ws, alice, "edit Acme tier=key cadence=3 region=华东 tags=retail,vip birthday=3月14日");
    let acme = await customer(ws.id, "Acme");
    expect(acme).toMatchObject({ tier: "key", cadenceDays: 3, region: "华东", tags: ["retail", "vip"], birthday: "03-14" });
    expect(acme.nextRevisitAt?.toISOString()).toBe("2026-11-28T02:00:00.000Z");
    await world.run(ws, alice, "edit Acme cadence=- owner=@bob");
    acme = await customer(ws.id, "Acme");
    expect(acme).toMatchObject({ cadenceDays: null, ownerId: bob.id });
    expect(acme.nextRevisitAt?.toISOString()).toBe("2026-12-02T02:00:00.000Z");
    // Alice handed it over, so it is no longer hers to see.
    expect((await world.run(ws, alice, "show Acme")).error).toBe(true);
    expect(textOf(await world.run(ws, admin, 'edit Acme rename="Acme Ltd"'))).toContain("Updated Acme Ltd.");
  });

  it("snoozes until a day, and refuses a day in the past", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme");
    expect(textOf(await world.run(ws, alice, "snooze Acme 3"))).toContain("snoozed until 2026-11-28");
    expect((await customer(ws.id, "Acme")).snoozedUntil?.toISOString()).toBe("2026-11-27T16:00:00.000Z");
    expect(textOf(await world.run(ws, alice, "暂缓 Acme 2026-11-01"))).toContain("请暂缓到今天之后的某一天");
  });
});

describe("deals", () => {
  it("open, move through the funnel and close won, which makes the customer current", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme");
    expect(textOf(await world.run(ws, alice, "deal open Acme ERP upgrade amount=50,000 close=2026-12-31"))).toContain(
      "Opened ERP upgrade for Acme at stage Meet.",
    );
    expect((await customer(ws.id, "Acme")).stage).toBe("prospective");
    expect(textOf(await world.run(ws, alice, "商机 推进 Acme 报价"))).toContain("已推进到 报价");
    expect(textOf(await world.run(ws, alice, "deal list"))).toContain("Quote: 1 · CNY 50000");
    await world.run(ws, alice, "deal won Acme");
    const [deal] = await world.db.prisma.opportunity.findMany({ where: { workspaceId: ws.id } });
    expect(deal).toMatchObject({ status: "won", stage: "payment" });
    expect((await customer(ws.id, "Acme")).stage).toBe("current");
  });

  it("asks which deal when a customer has several open", async () => {
    const { ws, alice } = await team();
    await world.run(ws, alice, "add Acme");
    await world.run(ws, alice, "deal open Acme ERP");
    await world.run(ws, alice, "deal open Acme CRM");
    expect(textOf(await world.run(ws, alice, "deal stage Acme quote"))).toContain("several open opportunities: ERP, CRM");
    expect(textOf(await world.run(ws, alice, "deal stage Acme quote title=crm"))).toContain("CRM (Acme) moved to Quote.");
  });
});

describe("the team", () => {
  it("an admin sets reporting lines; a rep may not; no loops", async () => {
    const { ws, admin, alice, bob, carol } = await team();
    expect(textOf(await world.run(ws, admin, "team @bob manager=@carol"))).toContain("@bob is now a rep; manager: @carol.");
    expect((await world.db.prisma.member.findUniqueOrThrow({ where: { id: bob.id } })).managerId).toBe(carol.id);
    expect(textOf(await world.run(ws, alice, "team @bob manager=@alice"))).toContain("Only an admin");
    expect(textOf(await world.run(ws, admin, "团队 @carol 经理=@alice"))).toContain("形成循环");
    expect(textOf(await world.run(ws, admin, "team"))).toContain("reports to @carol");
  });
});

describe("lists", () => {
  it("page ten at a time, most overdue first, with a next-page button that keeps the filters", async () => {
    const { ws, alice } = await team();
    for (let i = 1; i <= 12; i++)
      await world.run(ws, alice, `add Customer${String(i).padStart(2, "0")} tier=${i % 2 ? "key" : "normal"}`);
    const first = await world.run(ws, alice, "list mine");
    expect(textOf(first)).toContain("Customers 1–10 of 12");
    expect(textOf(await world.click(ws, alice, first, "Next page"))).toContain("Customers 11–12 of 12");
    expect(textOf(await world.run(ws, alice, "列表 等级=重点"))).toContain("客户 1–6，共 6 位");
  });
});
