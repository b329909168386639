import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/commands/run.ts";
import { createSurvey, findSurveyByToken, submitSurvey, surveyAnswerSchema } from "../../src/domain/surveys.ts";
import type { Member, Workspace } from "../../src/generated/prisma/client.ts";
import { DeliveryError } from "../../src/platforms/types.ts";
import { deliverPending } from "../../src/scheduler/deliver.ts";
import { linkIn, RecordingMessenger } from "../support/recording-messenger.ts";
import { silentLogger, textOf, worldForFile } from "../support/world.ts";

const world = worldForFile();

const morning = "2026-11-25T02:00:00Z"; // Wednesday 10:00 in Shanghai

async function setup(options: { locale?: string } = {}) {
  world.clock.set(morning);
  const ws = await world.workspace({ locale: options.locale ?? "en" });
  const carol = await world.member(ws, "carol", "manager");
  const alice = await world.member(ws, "alice", "rep", carol);
  await world.run(ws, alice, "add Acme tier=key");
  const acme = await world.db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Acme" } });
  return { ws, carol, alice, acme };
}

/** Runs a command as a platform adapter would, with its Messenger. */
async function runWith(messenger: RecordingMessenger, ws: Workspace, member: Member, text: string, channel = "C-general") {
  const reply = await runCommand({ ...world.invocation(ws, member, { channel }), messenger }, text);
  return textOf(reply);
}

const answer = (csat: number, nps: number, comment?: string) => ({ csat, nps, comment });

describe("survey links", () => {
  it("carry 256 random bits, store only the token's SHA-256, and stay open for 30 days", async () => {
    const { ws, alice, acme } = await setup();
    const first = await createSurvey(world.deps, ws, acme, { sentById: alice.id });
    const second = await createSurvey(world.deps, ws, acme, { sentById: alice.id });
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first.token, "base64url")).toHaveLength(32);
    expect(first.token).not.toBe(second.token);
    const row = await world.db.prisma.survey.findUniqueOrThrow({ where: { id: first.survey.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(first.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(first.token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000);
    expect(first.url).toBe(`http://localhost:3000/s/${first.token}`);
    expect((await findSurveyByToken(world.deps, first.token)).state).toBe("open");
  });

  it("`survey Acme` posts the link into Acme's linked channel, in the language used there", async () => {
    const { ws, alice } = await setup();
    await world.run(ws, alice, "link Acme", { channel: "C-acme" });
    const platform = new RecordingMessenger();
    const reply = await runWith(platform, ws, alice, "调查 Acme", "C-acme");
    expect(reply).toContain("Acme 的满意度调查链接已发到 #C-acme，有效期至 2026-12-25");
    const [post] = platform.to("#C-acme");
    expect(post?.text).toContain("请为我们的服务打分");
    expect(post?.text).toContain("感谢Acme一直以来的支持");
    const { token } = linkIn(post?.text ?? "");
    const found = await findSurveyByToken(world.deps, token);
    expect(found.state === "open" && found.survey.locale).toBe("zh");
  });

  it("without a linked channel, or a platform that can post, the rep gets the link to forward", async () => {
    const { ws, alice } = await setup();
    const platform = new RecordingMessenger();
    const reply = await runWith(platform, ws, alice, "survey Acme");
    expect(platform.sent).toHaveLength(0);
    expect(reply).toContain("Forward this survey link to Acme (open until 2026-12-25):");
    expect((await findSurveyByToken(world.deps, linkIn(reply).token)).state).toBe("open");
    await world.run(ws, alice, "link Acme", { channel: "C-acme" });
    // The terminal passes no messenger: the link comes back to forward, even for a linked customer.
    expect(textOf(await world.run(ws, alice, "survey Acme"))).toContain("Forward this survey link to Acme");
  });

  it("when the post into the channel fails, the rep gets the link and the reason", async () => {
    const { ws, alice } = await setup();
    await world.run(ws, alice, "link Acme", { channel: "C-acme" });
    const platform = new RecordingMessenger();
    platform.failures.push(new DeliveryError("the bot is not in the channel", "not_in_channel", false));
    const reply = await runWith(platform, ws, alice, "survey Acme");
    expect(reply).toContain("I could not post in #C-acme (not_in_channel), so here is the link to forward instead.");
    expect(linkIn(reply).token).toHaveLength(43);
  });

  it("cannot be sent for another rep's customer", async () => {
    const { ws } = await setup();
    const bob = await world.member(ws, "bob");
    const reply = await runWith(new RecordingMessenger(), ws, bob, "survey Acme");
    expect(reply).toContain("Acme belongs to someone else");
    expect(await world.db.prisma.survey.count({ where: { workspaceId: ws.id } })).toBe(0);
  });
});

describe("answers", () => {
  it("are recorded once: the same link again is refused as answered and changes nothing", async () => {
    const { ws, acme } = await setup();
    const { token, survey } = await createSurvey(world.deps, ws, acme);
    expect((await submitSurvey(world.deps, token, answer(5, 10, "  Great support!  "))).outcome).toBe("recorded");
    const replay = await submitSurvey(world.deps, token, answer(1, 0, "changed my mind"));
    expect(replay.outcome).toBe("answered");
    const row = await world.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } });
    expect(row).toMatchObject({ csat: 5, nps: 10, comment: "Great support!" });
    expect(await world.db.prisma.feedback.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("racing each other, record exactly one answer", async () => {
    const { ws, acme } = await setup();
    const { token, survey } = await createSurvey(world.deps, ws, acme);
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((csat) => submitSurvey(world.deps, token, answer(csat, 8))));
    expect(outcomes.filter((o) => o.outcome === "recorded")).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === "answered")).toHaveLength(4);
    const row = await world.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } });
    const winner = outcomes.find((o) => o.outcome === "recorded");
    expect(winner?.outcome === "recorded" && winner.survey.csat).toBe(row.csat);
  });

  it("to an expired link or a forged token are told apart, and record nothing", async () => {
    const { ws, acme } = await setup();
    const { token, survey } = await createSurvey(world.deps, ws, acme);
    world.clock.advanceDays(30);
    expect((await findSurveyByToken(world.deps, token)).state).toBe("expired");
    expect((await submitSurvey(world.deps, token, answer(4, 9))).outcome).toBe("expired");
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect((await submitSurvey(world.deps, forged, answer(4, 9))).outcome).toBe("unknown");
    expect((await submitSurvey(world.deps, "../../etc/passwd", answer(4, 9))).outcome).toBe("unknown");
    expect(await world.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).toMatchObject({
      respondedAt: null,
      csat: null,
    });
  });

  it("out of range, missing or too long are refused by the answer's schema", () => {
    expect(surveyAnswerSchema.safeParse({ csat: "5", nps: "10" }).success).toBe(true);
    expect(surveyAnswerSchema.safeParse({ csat: "6", nps: "10" }).success).toBe(false);
    expect(surveyAnswerSchema.safeParse({ csat: "0", nps: "10" }).success).toBe(false);
    expect(surveyAnswerSchema.safeParse({ csat: "3", nps: "" }).success).toBe(false);
    expect(surveyAnswerSchema.safeParse({ csat: "3.5", nps: "4" }).success).toBe(false);
    expect(surveyAnswerSchema.safeParse({ csat: "3", nps: "11" }).success).toBe(false);
    expect(surveyAnswerSchema.safeParse({ csat: "3", nps: "4", comment: "x".repeat(2001) }).success).toBe(false);
    expect(surveyAnswerSchema.safeParse({ csat: "3", nps: "4", comment: "好".repeat(2000) }).success).toBe(true);
  });

  it("from a detractor open one feedback item for the owner and one DM at once, however often submitted", async () => {
    const { ws, acme } = await setup();
    const { token } = await createSurvey(world.deps, ws, acme);
    const results = await Promise.all(
      [1, 2, 3].map(() => submitSurvey(world.deps, token, answer(4, 3, "Delivery was two weeks late."))),
    );
    expect(results.filter((r) => r.outcome === "recorded" && r.detractor)).toHaveLength(1);
    await submitSurvey(world.deps, token, answer(4, 3, "again"));
    const feedback = await world.db.prisma.feedback.findMany({ where: { workspaceId: ws.id }, include: { owner: true } });
    expect(feedback.map((f) => [f.owner?.externalId, f.status, f.text])).toEqual([
      ["alice", "open", "CSAT 4/5 · NPS 3/10: Delivery was two weeks late."],
    ]);
    const platform = new RecordingMessenger();
    await deliverPending({ deps: world.deps, logger: silentLogger }, ws, platform);
    await deliverPending({ deps: world.deps, logger: silentLogger }, ws, platform);
    expect(platform.sent.map((s) => s.to)).toEqual(["alice"]);
    expect(platform.sent[0]?.text).toContain("Acme is unhappy: CSAT 4/5 · NPS 3/10");
    expect(platform.sent[0]?.text).toContain("They wrote: “Delivery was two weeks late.”");
    expect(platform.sent[0]?.text).toContain(`Feedback #${feedback[0]?.id.slice(0, 8)} is open for you`);
  });

  it("with CSAT 1-2 count as a detractor too; a promoter opens nothing", async () => {
    const { ws, acme } = await setup();
    const unhappy = await createSurvey(world.deps, ws, acme);
    const happy = await createSurvey(world.deps, ws, acme);
    expect(await submitSurvey(world.deps, unhappy.token, answer(2, 8))).toMatchObject({ outcome: "recorded", detractor: true });
    expect(await submitSurvey(world.deps, happy.token, answer(5, 9))).toMatchObject({ outcome: "recorded", detractor: false });
    expect(await world.db.prisma.feedback.count({ where: { workspaceId: ws.id } })).toBe(1);
    expect(await world.db.prisma.nudge.count({ where: { workspaceId: ws.id, kind: "detractor" } })).toBe(1);
  });
});
