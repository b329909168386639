import { describe, expect, it } from "vitest";
import { findSurveyByToken } from "../../src/domain/surveys.ts";
import type { Workspace } from "../../src/generated/prisma/client.ts";
import { DeliveryError } from "../../src/platforms/types.ts";
import { sweepAll } from "../../src/scheduler/sweep.ts";
import { linkIn, RecordingMessenger } from "../support/recording-messenger.ts";
import { silentLogger, textOf, worldForFile } from "../support/world.ts";

const world = worldForFile();

const monday = "2026-11-23T02:00:00Z"; // 10:00 in Shanghai
const at930 = (day: string) => `${day}T01:30:00Z`;

async function setup(settings: object, channel: string | null = "C-acme") {
  world.clock.set(monday);
  const ws = await world.workspace({ settings });
  const alice = await world.member(ws, "alice");
  await world.run(ws, alice, `add Acme tier=key${channel ? ` channel=<#${channel}>` : ""}`);
  return { ws, alice };
}

async function sweep(ws: Workspace, platform: RecordingMessenger) {
  return sweepAll(
    { deps: world.deps, logger: silentLogger, db: world.db, messengers: { cli: platform } },
    { workspaceIds: [ws.id] },
  );
}

const surveyPosts = (p: RecordingMessenger) => p.sent.filter((s) => s.to.startsWith("#"));

describe("automatic surveys", () => {
  it("follow a visit by the set number of days, posted once into the customer's channel", async () => {
    const { ws, alice } = await setup({ surveyAfterVisitDays: 3 });
    await world.run(ws, alice, "log Acme visited, demoed the new dashboard");
    const platform = new RecordingMessenger();
    world.clock.set(at930("2026-11-25")); // Wednesday: two days after
    await sweep(ws, platform);
    expect(surveyPosts(platform)).toHaveLength(0);
    world.clock.set(at930("2026-11-26")); // Thursday: three days after
    await sweep(ws, platform);
    await sweep(ws, platform);
    world.clock.set(at930("2026-11-27"));
    await sweep(ws, platform);
    expect(surveyPosts(platform).map((p) => p.to)).toEqual(["#C-acme"]);
    expect(surveyPosts(platform)[0]?.text).toContain("How did we do?");
    expect((await findSurveyByToken(world.deps, linkIn(surveyPosts(platform)[0]?.text ?? "").token)).state).toBe("open");
    expect(await world.db.prisma.survey.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("come due on a weekend go out on the next working morning", async () => {
    const { ws, alice } = await setup({ surveyAfterVisitDays: 5 });
    await world.run(ws, alice, "log Acme visited"); // due Saturday 11-28
    const platform = new RecordingMessenger();
    world.clock.set(at930("2026-11-30")); // Monday
    await sweep(ws, platform);
    expect(surveyPosts(platform)).toHaveLength(1);
  });

  it("go to the owner to forward when no channel is linked", async () => {
    const { ws, alice } = await setup({ surveyAfterVisitDays: 1 }, null);
    await world.run(ws, alice, "log Acme visited");
    const platform = new RecordingMessenger();
    world.clock.set(at930("2026-11-24"));
    await sweep(ws, platform);
    const dm = platform.to("alice").find((s) => s.text.includes("survey"));
    expect(dm?.text).toContain(
      "A survey for Acme is ready (after your visit). No channel is linked to them, so forward this link",
    );
    expect((await findSurveyByToken(world.deps, linkIn(dm?.text ?? "").token)).state).toBe("open");
  });

  it("are sent when a deal reaches acceptance, if the workspace asks for it", async () => {
    const { ws, alice } = await setup({ surveyOnAcceptance: true });
    await world.run(ws, alice, "deal open Acme Dashboards amount=50000");
    world.clock.set("2026-11-24T06:00:00Z"); // Tuesday 14:00
    await world.run(ws, alice, "deal stage Acme acceptance");
    const platform = new RecordingMessenger();
    await sweep(ws, platform);
    await sweep(ws, platform);
    expect(surveyPosts(platform).map((p) => p.to)).toEqual(["#C-acme"]);
    // Moving on to payment asks nothing more.
    await world.run(ws, alice, "deal stage Acme payment");
    world.clock.set(at930("2026-11-25"));
    await sweep(ws, platform);
    expect(surveyPosts(platform)).toHaveLength(1);
  });

  it("are not sent when the workspace has not turned them on", async () => {
    const { ws, alice } = await setup({});
    await world.run(ws, alice, "log Acme visited");
    await world.run(ws, alice, "deal open Acme Dashboards stage=acceptance");
    await world.run(ws, alice, "deal stage Acme acceptance");
    const platform = new RecordingMessenger();
    world.clock.set(at930("2026-12-01"));
    await sweep(ws, platform);
    expect(surveyPosts(platform)).toHaveLength(0);
  });

  it("are not sent after every visit to a customer surveyed in the last 30 days", async () => {
    const { ws, alice } = await setup({ surveyAfterVisitDays: 1 });
    await world.run(ws, alice, "log Acme visited");
    const platform = new RecordingMessenger();
    world.clock.set(at930("2026-11-24"));
    await sweep(ws, platform);
    world.clock.set("2026-11-30T02:00:00Z");
    await world.run(ws, alice, "log Acme visited again");
    world.clock.set(at930("2026-12-01"));
    await sweep(ws, platform);
    expect(surveyPosts(platform)).toHaveLength(1);
  });

  it("that could not be posted are retried with a new link; the first link no longer opens", async () => {
    const { ws, alice } = await setup({ surveyAfterVisitDays: 1 });
    await world.run(ws, alice, "log Acme visited");
    const platform = new RecordingMessenger();
    platform.failures.push(new DeliveryError("rate limited", "ratelimited", true, 60_000));
    world.clock.set(at930("2026-11-24"));
    await sweep(ws, platform);
    expect(surveyPosts(platform)).toHaveLength(0);
    const survey = await world.db.prisma.survey.findFirstOrThrow({ where: { workspaceId: ws.id } });
    const firstHash = survey.tokenHash;
    world.clock.advanceMs(120_000);
    await sweep(ws, platform);
    expect(surveyPosts(platform)).toHaveLength(1);
    const again = await world.db.prisma.survey.findMany({ where: { workspaceId: ws.id } });
    expect(again.map((s) => s.id)).toEqual([survey.id]);
    expect(again[0]?.tokenHash).not.toBe(firstHash);
    const nudge = await world.db.prisma.nudge.findFirstOrThrow({ where: { workspaceId: ws.id, kind: "survey" } });
    expect(nudge).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("are planned once per visit, even when the post fails for good and the customer changes hands", async () => {
    const { ws, alice } = await setup({ surveyAfterVisitDays: 1 });
    await world.member(ws, "bob");
    await world.run(ws, alice, "log Acme visited");
    const platform = new RecordingMessenger();
    platform.failures.push(new DeliveryError("the bot was removed from the channel", "not_in_channel", false));
    world.clock.set(at930("2026-11-24"));
    await sweep(ws, platform);
    await world.run(ws, alice, "edit Acme owner=bob");
    world.clock.set(at930("2026-11-25"));
    await sweep(ws, platform);
    const nudges = await world.db.prisma.nudge.findMany({ where: { workspaceId: ws.id, kind: "survey" } });
    expect(nudges.map((n) => [n.day, n.status, n.lastError])).toEqual([
      ["2026-11-24", "failed", "not_in_channel: the bot was removed from the channel"],
    ]);
    expect(surveyPosts(platform)).toHaveLength(0);
  });

  it("are turned on by an admin with settings, in either language, as is the digest's weekday", async () => {
    const { ws } = await setup({});
    const ada = await world.member(ws, "ada", "admin");
    // Each delivery reads the workspace afresh, as the platforms do.
    const run = async (text: string) =>
      textOf(await world.run(await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } }), ada, text));
    expect(await run("settings")).toContain("Surveys: off; when a deal reaches acceptance: off");
    const saved = await run("settings surveyAfterVisit=3 surveyOnAcceptance=on digestDay=fri digestHour=17");
    expect(saved).toContain("digest at 17:00 on Fridays");
    expect(saved).toContain("Surveys: 3 days after a visit; when a deal reaches acceptance: on");
    expect(await run("设置 访后调查=0 验收调查=关闭 周报日=周一")).toContain("满意度调查：关闭；商机到验收阶段时：关闭");
    expect(await run("settings surveyOnAcceptance=maybe")).toContain("is not valid: use on or off.");
    expect(await run("settings digestDay=someday")).toContain("is not valid: use a weekday like mon");
    const stored = await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } });
    expect(stored.settings).toMatchObject({
      surveyAfterVisitDays: 0,
      surveyOnAcceptance: false,
      digestWeekday: 1,
      digestHour: 17,
    });
  });
});
