import { describe, expect, it } from "vitest";
import type { Workspace } from "../../src/generated/prisma/client.ts";
import { sweepAll } from "../../src/scheduler/sweep.ts";
import { RecordingMessenger } from "../support/recording-messenger.ts";
import { silentLogger, textOf, worldForFile } from "../support/world.ts";

const world = worldForFile();

const wednesday = "2026-11-25T02:00:00Z"; // 10:00 in Shanghai

async function setup(locale = "en") {
  world.clock.set(wednesday);
  const ws = await world.workspace({ locale });
  const carol = await world.member(ws, "carol", "manager");
  const alice = await world.member(ws, "alice", "rep", carol);
  const bob = await world.member(ws, "bob", "rep", carol);
  await world.run(ws, alice, "add Acme tier=key");
  await world.run(ws, bob, "add Globex");
  return { ws, carol, alice, bob };
}

async function sweep(ws: Workspace, platform: RecordingMessenger) {
  return sweepAll(
    { deps: world.deps, logger: silentLogger, db: world.db, messengers: { cli: platform } },
    { workspaceIds: [ws.id] },
  );
}

const idIn = (text: string) => /#([0-9a-f]{8})/.exec(text)?.[1] ?? "";

describe("feedback", () => {
  it("is recorded for the customer's owner, whoever types it, and listed until it is resolved", async () => {
    const { ws, alice, carol } = await setup();
    const recorded = textOf(await world.run(ws, carol, "feedback Acme the invoice had the wrong address"));
    expect(recorded).toMatch(/Recorded feedback #[0-9a-f]{8} for Acme; @alice follows it up\./);
    const item = await world.db.prisma.feedback.findFirstOrThrow({ where: { workspaceId: ws.id }, include: { owner: true } });
    expect(item).toMatchObject({ text: "the invoice had the wrong address", status: "open" });
    expect(item.owner?.externalId).toBe("alice");

    world.clock.advanceDays(2);
    const list = textOf(await world.run(ws, alice, "feedback list"));
    expect(list).toContain("Open feedback (1)");
    expect(list).toContain(`#${idIn(recorded)} Acme · @alice · open 2 days`);
    expect(list).toContain("> the invoice had the wrong address");

    const resolved = textOf(await world.run(ws, alice, `feedback resolve #${idIn(recorded)} sent a corrected invoice`));
    expect(resolved).toContain(`Feedback #${idIn(recorded)} for Acme is resolved after 2 days: sent a corrected invoice`);
    expect(await world.db.prisma.feedback.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "resolved",
      resolution: "sent a corrected invoice",
    });
    expect(textOf(await world.run(ws, alice, "feedback list"))).toContain("No open feedback.");
    // Resolving again changes nothing.
    expect(textOf(await world.run(ws, alice, `feedback resolve #${idIn(recorded)} again`))).toContain("is already resolved");
  });

  it("is resolved by naming the customer when it has one open item, and asks which when it has several", async () => {
    const { ws, alice } = await setup();
    await world.run(ws, alice, "feedback Acme wants weekly reports");
    expect(textOf(await world.run(ws, alice, "feedback resolve Acme set up a weekly report"))).toContain(
      "is resolved after 0 days",
    );
    const first = textOf(await world.run(ws, alice, "feedback Acme slow replies"));
    const second = textOf(await world.run(ws, alice, "feedback Acme wrong invoice"));
    const ask = textOf(await world.run(ws, alice, "feedback resolve Acme done"));
    expect(ask).toContain(`Acme has several open items: #${idIn(first)}, #${idIn(second)}. Name one by its id.`);
  });

  it("speaks Chinese: 反馈, 反馈 解决 and 反馈 列表", async () => {
    const { ws, alice } = await setup("zh");
    const recorded = textOf(await world.run(ws, alice, "反馈 Acme 发票抬头写错了"));
    expect(recorded).toMatch(/已记录 Acme 的反馈 #[0-9a-f]{8}，由 @alice 跟进。/);
    expect(textOf(await world.run(ws, alice, "反馈 列表"))).toContain("待处理反馈（1）");
    expect(textOf(await world.run(ws, alice, `反馈 解决 #${idIn(recorded)} 已重开发票`))).toContain(
      "已解决，历时 0 天：已重开发票",
    );
  });

  it("is refused without text, for a customer the rep cannot see, and when over 2,000 characters", async () => {
    const { ws, alice } = await setup();
    expect(textOf(await world.run(ws, alice, "feedback Acme"))).toContain("What did the customer say?");
    expect(textOf(await world.run(ws, alice, "feedback Globex too slow"))).toContain("Globex belongs to someone else");
    expect(textOf(await world.run(ws, alice, `feedback Acme ${"x".repeat(2001)}`))).toContain("Keep it under 2000 characters.");
    expect(await world.db.prisma.feedback.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("is resolved from the reminder's form, with what was done as the only field", async () => {
    const { ws, alice } = await setup();
    const recorded = await world.run(ws, alice, "feedback Acme slow replies");
    const form = recorded.blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).find((a) => a.kind === "form");
    expect(form?.kind === "form" && form.form.hidden?.item).toMatch(/^#[0-9a-f-]{36}$/);
    const hidden = form?.kind === "form" ? (form.form.hidden ?? {}) : {};
    const reply = textOf(await world.runForm(ws, alice, "feedback", { ...hidden, _: "agreed a two-hour reply time" }));
    expect(reply).toContain("is resolved after 0 days: agreed a two-hour reply time");
  });
});

describe("open feedback reminders", () => {
  it("remind the owner each working morning from the day after, in one DM, until resolved", async () => {
    const { ws, alice, bob } = await setup();
    await world.run(ws, alice, "feedback Acme slow replies");
    await world.run(ws, alice, "feedback Acme wrong invoice");
    await world.run(ws, bob, "feedback Globex wants a discount");
    const platform = new RecordingMessenger();
    await sweep(ws, platform); // 10:00 the same day: just heard of them, no reminder yet
    expect(platform.sent.filter((s) => s.text.includes("open feedback"))).toHaveLength(0);

    world.clock.set("2026-11-26T01:30:00Z"); // Thursday 09:30
    await sweep(ws, platform);
    await sweep(ws, platform);
    const reminders = platform.sent.filter((s) => s.text.includes("open feedback"));
    expect(reminders.map((r) => r.to).sort()).toEqual(["alice", "bob"]);
    const toAlice = reminders.find((r) => r.to === "alice")?.text ?? "";
    expect(toAlice).toContain("📝 2 open feedback items to follow up");
    expect(toAlice).toMatch(/#[0-9a-f]{8} Acme · open 1 day\n> slow replies/);
    expect(toAlice).toContain("[Resolve] customer feedback #");

    const resolveAll = await world.db.prisma.feedback.findMany({ where: { workspaceId: ws.id, customer: { name: "Acme" } } });
    for (const f of resolveAll) await world.run(ws, alice, `feedback resolve #${f.id} handled`);
    platform.sent = [];
    world.clock.set("2026-11-27T01:30:00Z"); // Friday
    await sweep(ws, platform);
    expect(platform.sent.filter((s) => s.text.includes("open feedback")).map((s) => s.to)).toEqual(["bob"]);
  });
});
