import { describe, expect, it } from "vitest";
import { terminalMessenger } from "../../src/platforms/terminal/messenger.ts";
import { sweepAll } from "../../src/scheduler/sweep.ts";
import { silentLogger, textOf, worldForFile } from "../support/world.ts";

const world = worldForFile();

describe("reminder settings", () => {
  it("an admin changes the hour, cadences and grace periods; a rep may only look", async () => {
    world.clock.set("2026-11-25T02:00:00Z");
    const ws = await world.workspace();
    const admin = await world.member(ws, "ada", "admin");
    const rep = await world.member(ws, "bob", "rep");
    expect(textOf(await world.run(ws, rep, "settings"))).toContain("Revisit every 7 days (key), 30 (normal), 14 (prospect)");
    expect(textOf(await world.run(ws, rep, "settings nudgeHour=8"))).toContain("Only an admin can change the settings.");
    const saved = await world.run(ws, admin, "设置 提醒时间=8 重点=5 重点宽限=2 时区=Asia/Tokyo 日历=cn 休息日=2026-12-31");
    expect(textOf(saved)).toContain("设置已保存");
    expect(textOf(saved)).toContain("工作日 8:00 发送提醒");
    const stored = await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } });
    expect(stored.timeZone).toBe("Asia/Tokyo");
    expect(stored.settings).toMatchObject({
      nudgeHour: 8,
      cadence: { key: 5 },
      grace: { key: 2 },
      calendar: "cn",
      daysOff: ["2026-12-31"],
    });
    expect(textOf(await world.run(ws, admin, "settings nudgeHour=25"))).toContain(
      "`nudgeHour=25` is not valid: use an hour from 0 to 23.",
    );
    // A new customer takes the new cadence (each delivery reads the workspace afresh).
    await world.run(stored, admin, "add Acme tier=key");
    const acme = await world.db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(acme.nextRevisitAt?.toISOString()).toBe("2026-11-30T02:00:00.000Z");
  });

  it("nudges shows what went out today and what the morning will send", async () => {
    world.clock.set("2026-11-25T00:30:00Z"); // 08:30 in Shanghai
    const ws = await world.workspace();
    const rep = await world.member(ws, "bob", "rep");
    world.clock.advanceDays(-10);
    await world.run(ws, rep, "add Acme tier=key");
    world.clock.advanceDays(10);
    expect(textOf(await world.run(ws, rep, "nudges"))).toContain("To be sent at 9:00\n• Revisit reminder · 1");
    world.clock.set("2026-11-25T01:30:00Z");
    const printed: string[] = [];
    await sweepAll(
      { deps: world.deps, logger: silentLogger, db: world.db, messengers: { cli: terminalMessenger((t) => printed.push(t)) } },
      { workspaceIds: [ws.id] },
    );
    expect(printed.join("")).toContain("DM @bob");
    const after = textOf(await world.run(ws, rep, "提醒"));
    expect(after).toContain("今天已记录\n• 回访提醒 → @bob · 已发送");
    expect(after).toContain("今天没有其他要发送的提醒。");
  });
});
