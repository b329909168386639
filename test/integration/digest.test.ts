import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { computeDigest, digestPeriod, teamScope } from "../../src/domain/digest.ts";
import { translator } from "../../src/i18n/index.ts";
import { plain, renderText } from "../../src/platforms/terminal/render.ts";
import { renderDigest } from "../../src/scheduler/messages/digest.ts";
import { sweepAll } from "../../src/scheduler/sweep.ts";
import { TestClock } from "../support/clock.ts";
import { RecordingMessenger } from "../support/recording-messenger.ts";
import { silentLogger, textOf, worldForFile } from "../support/world.ts";
import { buildFortnight, sh, type Team } from "./digest-fixture.ts";

const world = worldForFile();
let team: Team;
beforeAll(async () => {
  team = await buildFortnight(world);
});

const mondayMorning = sh("2026-11-23 09:30");
const short = (key: string) => `#${team.feedbackIds[key]?.slice(0, 8)}`;

describe("the weekly digest's figures", () => {
  it("for a manager's team, checked against the hand-worked fortnight", async () => {
    world.clock.set(mondayMorning);
    const text = textOf(await world.run(team.ws, team.carol, "digest"));
    const expected = [
      "📊 Weekly digest · 2026-11-16 – 2026-11-22",
      "Team of carol · 3 people",
      // Sent this week: Acme, Globex, Initech, Hooli (Umbrella is dave's, another team); 3 answered.
      // The week before: 3 sent, 1 answered by its end (Globex's came on Monday).
      "• Surveys sent: 4 (▲1) · answered: 3 · response rate 75% (▲42 pts)",
      // Answers this week: 5, 2, 4, and two to older surveys, 4 and 3: 18 / 5.
      "• CSAT: 3.6/5 (▼0.4) from 5 answers",
      // NPS 10, 9 promote; 3 detracts; 8 and 7 are passive: (2 - 1) / 5 = +20. Before: one 9, +100.
      "• NPS: +20 (▼80) · 2 promoters and 1 detractor of 5",
      "• Unhappy customers: 1 (▲1)",
      "   – Globex (2026-11-18): CSAT 2 · NPS 3\n     > Invoices keep arriving late",
      // Due this week: Acme 11-17 (on time), Globex 11-18 (never done), Initech 11-19 (same day),
      // Wayne 11-18 (done early on 11-16), Stark 11-20 (missed; its 11-17 date was superseded on 11-13).
      // The week before: Acme 11-09 (late, on 11-10), Initech 11-12 and Wayne 11-15 (on time): 2 of 3.
      "• Everyone: 3 of 5 on time · 60% (▼7 pts) · 3 overdue now",
      "• @bob: 2 of 3 on time · 67% (▼33 pts) · 2 overdue now",
      "• @alice: 1 of 2 on time · 50% (▲50 pts) · 1 overdue now",
      // Acme and Initech became current, Globex was lost; Hooli changed the week before.
      "Lifecycle: 3 customers changed stage (▲2)\n→ Current: 2 · → Lost: 1",
      "• Acme: Prospective → Current (2026-11-17)\n• Globex: Current → Lost (2026-11-19)\n• Initech: Potential → Current (2026-11-20)",
      // At the end of each week: Dashboards moved quote -> commitment, Support was lost,
      // Training won, Hardware opened at needs.
      "• Meet: 1 (±0) · CNY 20,000 (±0)\n• Needs: 1 (▲1) · CNY 30,000 (▲30,000)\n• Quote: 0 (▼2) · CNY 0 (▼60,000)\n• Commitment: 1 (▲1) · CNY 50,000 (▲50,000)\n• Acceptance: 0 (▼1) · USD 0 (▼8,000)",
      // Open at each week's end: F4, F5 / F2, F5. Resolved: F2 (78 h), F3 (24 h) / F1 (48 h).
      "• Open: 2 (±0) · new: 2 (±0) · resolved: 2 (▲1)",
      "• Average time to resolve: 2.1 days (▲0.1)",
      `• ${short("F5")} Acme · open 20 days · F5: complaint\n• ${short("F4")} Hooli · open 3 days · F4: complaint`,
    ];
    for (const line of expected) expect(text).toContain(line);
    expect(text).not.toContain("Umbrella");
  });

  it("for an admin, over the whole workspace", async () => {
    world.clock.set(mondayMorning);
    const text = textOf(await world.run(team.ws, team.ada, "digest"));
    expect(text).toContain("Whole workspace · 6 people");
    expect(text).toContain("• Surveys sent: 5 (▲2) · answered: 4 · response rate 80% (▲47 pts)");
    // 19 / 6 = 3.17; NPS two promoters, two detractors of six.
    expect(text).toContain("• CSAT: 3.2/5 (▼0.8) from 6 answers");
    expect(text).toContain("• NPS: 0 (▼100) · 2 promoters and 2 detractors of 6");
    expect(text).toContain("   – Umbrella (2026-11-19): CSAT 1 · NPS 0\n     > <script>alert(1)</script>");
    expect(text).toContain("• Everyone: 3 of 5 on time · 60% (▼7 pts) · 4 overdue now");
    expect(text).toContain("• @dave: none due · 1 overdue now");
    expect(text).toContain("• Quote: 1 (▼2) · CNY 99,999 (▼60,000)");
  });

  it("in Chinese", async () => {
    world.clock.set(mondayMorning);
    const scope = await teamScope(world.deps, team.ws.id, team.carol);
    const digest = await computeDigest(world.deps, team.ws, scope);
    const text = plain(renderText(renderDigest({ locale: "zh", t: translator("zh") }, digest)));
    for (const line of [
      "📊 周报 · 2026-11-16 至 2026-11-22",
      "carol 的团队 · 3 人",
      "• 发出调查：4（▲1） · 已回答：3 · 回复率 75%（▲42 个百分点）",
      "• CSAT：3.6/5（▼0.4），共 5 份回答",
      "• NPS：+20（▼80） · 5 份中推荐者 2、贬损者 1",
      "• 全体：5 次到期回访中按时 3 次 · 60%（▼7 个百分点） · 当前逾期 3 位",
      "生命周期：3 位客户阶段变化（▲2）\n→ 成交：2 · → 流失：1",
      "• Acme：意向 → 成交（2026-11-17）",
      "• 报价：0（▼2） · CNY 0（▼60,000）",
      "• 待处理：2（±0） · 新增：2（±0） · 已解决：2（▲1）",
      "• 平均解决用时：2.1 天（▲0.1）",
    ]) {
      expect(text).toContain(line);
    }
  });

  it("is refused to a rep, and counts a week from Monday 00:00 in the workspace's time zone", async () => {
    world.clock.set(mondayMorning);
    expect(textOf(await world.run(team.ws, team.alice, "digest"))).toContain("The digest is for managers");
    const late = digestPeriod(sh("2026-11-22 23:59"), "Asia/Shanghai");
    expect(late.current.fromDay).toBe("2026-11-09");
    const early = digestPeriod(sh("2026-11-23 00:00"), "Asia/Shanghai");
    expect([early.current.fromDay, early.current.toDay, early.previous.fromDay]).toEqual([
      "2026-11-16",
      "2026-11-23",
      "2026-11-09",
    ]);
    expect(early.current.from.toISOString()).toBe("2026-11-15T16:00:00.000Z");
  });

  it("is computed in the database: a fortnight of a large workspace stays fast", async () => {
    world.clock.set(mondayMorning);
    const started = performance.now();
    await computeDigest(world.deps, team.ws, { kind: "workspace" });
    // Reported, not asserted: wall-clock limits make tests flaky.
    console.info(`digest over the fixture: ${(performance.now() - started).toFixed(0)} ms`);
  });
});

describe("digest delivery", () => {
  const sweep = (platform: RecordingMessenger, clock: TestClock, db = world.db) =>
    sweepAll(
      { deps: { prisma: db.prisma, clock }, logger: silentLogger, db, messengers: { cli: platform } },
      { workspaceIds: [team.ws.id] },
    );
  const digests = (p: RecordingMessenger) => p.sent.filter((s) => s.text.includes("Weekly digest"));

  it("sends each manager one DM on Monday at the digest hour, once however many sweeps run", async () => {
    const platform = new RecordingMessenger();
    await sweep(platform, new TestClock(sh("2026-11-23 08:55")));
    expect(digests(platform)).toHaveLength(0);
    await sweep(platform, new TestClock(sh("2026-11-23 09:00")));
    await sweep(platform, new TestClock(sh("2026-11-23 09:05")));
    // A restart on Tuesday finds them sent.
    await sweep(platform, new TestClock(sh("2026-11-24 09:30")));
    expect(
      digests(platform)
        .map((d) => d.to)
        .sort(),
    ).toEqual(["carol", "erin"]);
    const toCarol = digests(platform).find((d) => d.to === "carol")?.text ?? "";
    world.clock.set(sh("2026-11-23 09:00"));
    expect(toCarol).toBe(textOf(await world.run(team.ws, team.carol, "digest")).replace(/\/customer /g, "customer "));
    const nudges = await world.db.prisma.nudge.findMany({ where: { workspaceId: team.ws.id, kind: "digest" } });
    expect(nudges.map((n) => [n.day, n.status])).toEqual([
      ["2026-11-23", "sent"],
      ["2026-11-23", "sent"],
    ]);
    // The next Monday brings the next week's.
    await sweep(platform, new TestClock(sh("2026-11-30 09:10")));
    expect(digests(platform)).toHaveLength(4);
  });

  it("three replicas sweeping at the same moment send each manager's digest exactly once", async () => {
    const ws = await world.workspace({ settings: { digestWeekday: 3, digestHour: 17 } });
    const boss = await world.member(ws, "boss", "manager");
    await world.member(ws, "rep1", "rep", boss);
    const other = await world.member(ws, "other", "manager");
    await world.member(ws, "rep2", "rep", other);
    const platform = new RecordingMessenger();
    const replicas =
      world.databaseUrl === undefined
        ? [world.db, world.db, world.db]
        : await Promise.all([1, 2, 3].map(() => openDatabase({ url: world.databaseUrl, dataDir: "", poolSize: 3 })));
    const at = sh("2026-11-25 17:01"); // Wednesday, the workspace's digest day
    try {
      await Promise.all(
        replicas.map((db) =>
          sweepAll(
            { deps: { prisma: db.prisma, clock: new TestClock(at) }, logger: silentLogger, db, messengers: { cli: platform } },
            { workspaceIds: [ws.id] },
          ),
        ),
      );
    } finally {
      if (world.databaseUrl !== undefined) await Promise.all(replicas.map((db) => db.close()));
    }
    expect(
      digests(platform)
        .map((d) => d.to)
        .sort(),
    ).toEqual(["boss", "other"]);
    expect(await world.db.prisma.nudge.count({ where: { workspaceId: ws.id, kind: "digest", status: "sent" } })).toBe(2);
  });
});
