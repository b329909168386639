import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/commands/reply.ts";
import { openDatabase } from "../../src/db/client.ts";
import { CLAIM_BATCH } from "../../src/domain/nudges/store.ts";
import type { Member, Workspace } from "../../src/generated/prisma/client.ts";
import { plain, renderText } from "../../src/platforms/terminal/render.ts";
import { DeliveryError, type Messenger } from "../../src/platforms/types.ts";
import { sweepAll } from "../../src/scheduler/sweep.ts";
import { TestClock } from "../support/clock.ts";
import { silentLogger, worldForFile } from "../support/world.ts";

const world = worldForFile();

interface Sent {
  to: string;
  text: string;
  reply: Reply;
}

/**
 * A platform that records the reminders it was asked to send, and can be told to fail. The weekly
 * digest (which a sweep also sends managers, once a week) has tests of its own and is left out.
 */
class RecordingPlatform implements Messenger {
  sent: Sent[] = [];
  failures: DeliveryError[] = [];
  async sendDirect(_ws: Workspace, member: Member, reply: Reply) {
    if (reply.summary.startsWith("📊")) return "digest";
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push({ to: member.externalId, text: plain(renderText(reply)), reply });
    return String(this.sent.length);
  }
  async postToChannel(): Promise<string> {
    throw new Error("not used");
  }
}

let current: Workspace;

/** Sweeps the test's own workspace, as the scheduler would at the clock's time. */
async function sweep(platform: RecordingPlatform, clock = world.clock, db = world.db) {
  return sweepAll(
    { deps: { prisma: db.prisma, clock }, logger: silentLogger, db, messengers: { cli: platform } },
    { workspaceIds: [current.id] },
  );
}

/** A team whose customers were last touched `daysAgo` days before now. */
async function setup(options: { timeZone?: string; settings?: object; locale?: string } = {}) {
  const ws = await world.workspace({ timeZone: options.timeZone ?? "Asia/Shanghai", settings: options.settings ?? {} });
  current = ws;
  const carol = await world.member(ws, "carol", "manager");
  const alice = await world.member(ws, "alice", "rep", carol);
  const bob = await world.member(ws, "bob", "rep");
  if (options.locale) await world.db.prisma.member.update({ where: { id: alice.id }, data: { locale: options.locale } });
  return { ws, carol, alice, bob };
}

async function touched(ws: Workspace, member: Member, name: string, tier: string, daysAgo: number) {
  const now = world.clock.now();
  world.clock.advanceDays(-daysAgo);
  await world.run(ws, member, `add ${name} tier=${tier}`);
  await world.run(ws, member, `log ${name} visited, talked about the renewal`);
  world.clock.set(now);
}

const morning = "2026-11-25T01:30:00Z"; // Wednesday 09:30 in Shanghai

describe("the morning revisit DM", () => {
  it("a rep with two overdue customers gets one DM listing both, most overdue first; a rep with none gets nothing", async () => {
    world.clock.set(morning);
    const { ws, alice, bob } = await setup();
    await touched(ws, alice, "Acme", "key", 9); // due 2 days ago
    await touched(ws, alice, "Globex", "normal", 35); // due 5 days ago
    await touched(ws, alice, "Initech", "key", 2); // not due
    await touched(ws, bob, "Hooli", "normal", 3);
    const platform = new RecordingPlatform();
    await sweep(platform);
    expect(platform.sent.map((s) => s.to)).toEqual(["alice"]);
    const text = platform.sent[0]?.text ?? "";
    expect(text).toContain("2 customers to revisit");
    expect(text.indexOf("Globex")).toBeLessThan(text.indexOf("Acme"));
    expect(text).toContain("Globex · Normal · 5 days overdue");
    expect(text).toContain("Last: 2026-10-21 · visit · visited, talked about the renewal");
    expect(text).not.toContain("Initech");
    // Each customer is one click from its card.
    expect(text).toContain("[Open card] customer show #");
  });

  it("shows the latest touch: a newer log replaces it, a back-dated one does not", async () => {
    world.clock.set(morning);
    const { ws, alice } = await setup();
    await touched(ws, alice, "Acme", "normal", 40);
    world.clock.advanceDays(-35);
    await world.run(ws, alice, "log Acme called, wants a quote type=call");
    world.clock.set(morning);
    // Older than the call: kept in the history, but not the last touch.
    await world.run(ws, alice, "log Acme sent the brochure on=2026-10-17");
    const acme = await world.db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Acme" } });
    expect([acme.lastKind, acme.lastSummary]).toEqual(["call", "called, wants a quote"]);
    const platform = new RecordingPlatform();
    await sweep(platform);
    const text = platform.sent[0]?.text ?? "";
    expect(text).toContain("Last: 2026-10-21 · call · called, wants a quote");
    expect(text).not.toContain("brochure");
  });

  it("goes out once however many times the sweep runs, and catches up after downtime without a backlog", async () => {
    world.clock.set("2026-11-25T03:00:00Z"); // 11:00, two hours after the nudge hour
    const { ws, alice } = await setup();
    await touched(ws, alice, "Acme", "key", 30);
    const platform = new RecordingPlatform();
    await sweep(platform);
    await sweep(platform);
    expect(recipients(platform.sent)).toEqual(["alice", "carol"]);
    // Three days down: the next sweep sends today's one DM, not one per missed day.
    world.clock.set("2026-11-30T03:00:00Z");
    await sweep(platform);
    expect(recipients(platform.sent.slice(2))).toEqual(["alice", "carol"]);
    const nudges = await world.db.prisma.nudge.findMany({
      where: { workspaceId: ws.id, kind: "revisit" },
      orderBy: { day: "asc" },
    });
    expect(nudges.map((n) => [n.day, n.status])).toEqual([
      ["2026-11-25", "sent"],
      ["2026-11-30", "sent"],
    ]);
  });

  it("waits for the hour, skips weekends, and follows China's holidays and make-up working days", async () => {
    world.clock.set("2026-11-25T00:30:00Z");
    const { ws, alice } = await setup({ settings: { calendar: "cn" } });
    await touched(ws, alice, "Acme", "key", 30);
    const platform = new RecordingPlatform();
    world.clock.set("2026-11-25T00:30:00Z"); // 08:30: too early
    await sweep(platform);
    expect(platform.sent).toHaveLength(0);
    world.clock.set("2026-10-01T02:00:00Z"); // National Day
    await sweep(platform);
    expect(platform.sent).toHaveLength(0);
    world.clock.set("2026-02-14T02:00:00Z"); // a Saturday worked in lieu of the Spring Festival
    await sweep(platform);
    expect(platform.sent).toHaveLength(1);
    world.clock.set("2026-11-28T02:00:00Z"); // an ordinary Saturday
    await sweep(platform);
    expect(platform.sent).toHaveLength(1);
  });

  it("keeps the workspace's hour across daylight saving time", async () => {
    world.clock.set("2026-03-09T12:30:00Z");
    const { ws, alice } = await setup({ timeZone: "America/New_York" });
    await touched(ws, alice, "Acme", "key", 30);
    const platform = new RecordingPlatform();
    world.clock.set("2026-03-09T12:30:00Z"); // 08:30 EDT, the day after clocks went forward
    await sweep(platform);
    expect(platform.sent).toHaveLength(0);
    world.clock.set("2026-03-09T13:05:00Z"); // 09:05 EDT
    await sweep(platform);
    // Alice's reminder, and Carol's escalation: 23 days overdue is past the key grace.
    expect(recipients(platform.sent)).toEqual(["alice", "carol"]);
  });

  it("speaks the recipient's language", async () => {
    world.clock.set(morning);
    const { ws, alice } = await setup({ locale: "zh" });
    await touched(ws, alice, "北京科技", "key", 10);
    const platform = new RecordingPlatform();
    await sweep(platform);
    expect(platform.sent[0]?.text).toContain("有 1 位客户需要回访");
    expect(platform.sent[0]?.text).toContain("北京科技 · 重点客户 · 已逾期 3 天");
  });

  it("leaves snoozed customers out until the snooze ends", async () => {
    world.clock.set(morning);
    const { ws, alice } = await setup();
    await touched(ws, alice, "Acme", "key", 10);
    await world.run(ws, alice, "snooze Acme 2");
    const platform = new RecordingPlatform();
    await sweep(platform);
    expect(platform.sent).toHaveLength(0);
    world.clock.set("2026-11-27T01:30:00Z");
    await sweep(platform);
    expect(platform.sent[0]?.text).toContain("Acme");
  });
});

describe("escalation to the manager", () => {
  it("tells the manager once a key customer is overdue past three days, grouped by rep, and stops the day the rep logs the visit", async () => {
    world.clock.set(morning);
    const { ws, alice, carol } = await setup();
    await touched(ws, alice, "Acme", "key", 11); // 4 days overdue: past the key grace of 3
    await touched(ws, alice, "Globex", "key", 9); // 2 days overdue: within grace
    const platform = new RecordingPlatform();
    await sweep(platform);
    const toCarol = platform.sent.filter((s) => s.to === "carol");
    expect(toCarol).toHaveLength(1);
    expect(toCarol[0]?.text).toContain("@alice: 1 overdue past the grace period");
    expect(toCarol[0]?.text).toContain("Acme · Key · 4 days overdue");
    expect(toCarol[0]?.text).not.toContain("Globex");

    await world.run(ws, alice, "log Acme visited at last");
    world.clock.set("2026-11-26T01:30:00Z");
    platform.sent = [];
    await sweep(platform);
    expect(platform.sent.filter((s) => s.to === "carol")).toHaveLength(0);
    expect(carol.id).toBeTruthy();
  });

  it("a rep with more overdue than a DM lists gets the ten most overdue and the count; the manager still hears of one slipping past them", async () => {
    world.clock.set(morning);
    const { ws, alice } = await setup();
    for (let i = 1; i <= 10; i++) await touched(ws, alice, `Corp${i}`, "normal", 35); // 5 days overdue: within the grace of 7
    await touched(ws, alice, "Acme", "key", 11); // 4 days overdue, the least: past the key grace of 3
    const platform = new RecordingPlatform();
    await sweep(platform);
    const toAlice = platform.sent.find((s) => s.to === "alice")?.text ?? "";
    expect(toAlice).toContain("11 customers to revisit");
    expect(toAlice).toContain("…and 1 more.");
    expect(toAlice).toContain("Corp10 · Normal · 5 days overdue");
    expect(toAlice).not.toContain("Acme");
    const toCarol = platform.sent.find((s) => s.to === "carol")?.text ?? "";
    expect(toCarol).toContain("@alice: 1 overdue past the grace period");
    expect(toCarol).toContain("Acme · Key · 4 days overdue");
    expect(toCarol).not.toContain("Corp");
  });

  it("the manager hears of the five most overdue of the slipped, some among the rep's ten listed and the rest beyond them", async () => {
    world.clock.set(morning);
    const { ws, alice } = await setup();
    await touched(ws, alice, "Key1", "key", 20); // 13 days overdue: past the key grace of 3
    await touched(ws, alice, "Key2", "key", 19);
    for (let i = 1; i <= 8; i++) await touched(ws, alice, `Corp${i}`, "normal", 36); // 6 days overdue: within the grace of 7
    for (const [i, days] of [12, 11.5, 11, 10.9].entries()) await touched(ws, alice, `Late${i + 1}`, "key", days); // 5 to 3.9 days
    const platform = new RecordingPlatform();
    await sweep(platform);
    const toAlice = platform.sent.find((s) => s.to === "alice")?.text ?? "";
    expect(toAlice).toContain("14 customers to revisit");
    expect(toAlice).toContain("Corp8");
    expect(toAlice).not.toContain("Late");
    const toCarol = platform.sent.find((s) => s.to === "carol")?.text ?? "";
    expect(toCarol).toContain("@alice: 6 overdue past the grace period");
    const named = (text: string) => [...text.matchAll(/^• (\w+) ·/gm)].map((m) => m[1]);
    expect(named(toCarol)).toEqual(["Key1", "Key2", "Late1", "Late2", "Late3"]);
  });

  it("a team of more owners than one batch: each rep's DM lists their own, most overdue first, and the manager hears of every slipping rep once", async () => {
    world.clock.set(morning);
    const ws = await world.workspace();
    current = ws;
    const boss = await world.member(ws, "boss", "manager");
    // More reps than two batches of owners (250 each), with few customers each, so that the third is sized by what the first listed.
    await world.db.prisma.member.createMany({
      data: Array.from({ length: 600 }, (_, i) => ({
        workspaceId: ws.id,
        externalId: `rep${i}`,
        displayName: `rep${i}`,
        role: "rep" as const,
        roleManual: true,
        managerId: boss.id,
      })),
    });
    const reps = await world.db.prisma.member.findMany({ where: { workspaceId: ws.id, role: "rep" } });
    const daysAgo = (days: number) => new Date(world.clock.now().getTime() - days * 86_400_000);
    // Rep i has i % 3 customers overdue, none, one (40 days) or two (40 and 10 days), all past the normal grace of 7.
    const owned = (i: number) => ["far", "near"].slice(0, i % 3);
    const customers = reps.flatMap((rep) =>
      owned(Number(rep.externalId.slice(3))).map((which) => ({
        workspaceId: ws.id,
        ownerId: rep.id,
        name: `${rep.externalId}-${which}`,
        normalizedName: `${rep.externalId}-${which}`,
        tier: "normal" as const,
        nextRevisitAt: daysAgo(which === "far" ? 40 : 10),
      })),
    );
    await world.db.prisma.customer.createMany({ data: customers });

    const platform = new RecordingPlatform();
    await sweep(platform);
    const toReps = platform.sent.filter((s) => s.to.startsWith("rep"));
    const withCustomers = reps.filter((rep) => owned(Number(rep.externalId.slice(3))).length > 0);
    expect(toReps.map((s) => s.to).sort()).toEqual(withCustomers.map((rep) => rep.externalId).sort());
    for (const dm of toReps) {
      const listed = dm.reply.blocks.flatMap((b) => (b.type === "text" ? [/\*\*(.+?)\*\*/.exec(b.text)?.[1]] : []));
      expect(listed).toEqual(owned(Number(dm.to.slice(3))).map((which) => `${dm.to}-${which}`));
    }
    const toBoss = platform.sent.filter((s) => s.to === "boss");
    expect(toBoss).toHaveLength(1);
    expect(toBoss[0]?.text).toContain(`${customers.length} revisits slipping in your team (${withCustomers.length} reps)`);
  });

  it("a nudge whose outcome cannot be recorded stops the batch: nothing is still being sent after the sweep has failed", async () => {
    world.clock.set(morning);
    const REPS = CLAIM_BATCH - 5;
    const ws = await world.workspace();
    current = ws;
    const boss = await world.member(ws, "boss", "manager");
    const reps = await Promise.all(Array.from({ length: REPS }, (_, i) => world.member(ws, `rep${i}`, "rep", boss)));
    await world.db.prisma.customer.createMany({
      data: reps.map((rep) => ({
        workspaceId: ws.id,
        ownerId: rep.id,
        name: `${rep.externalId} Co`,
        normalizedName: `${rep.externalId} co`,
        tier: "normal" as const,
        nextRevisitAt: new Date(world.clock.now().getTime() - 40 * 86_400_000),
      })),
    });
    // The first DM goes out, then the database refuses every write about it (sent or failed), as a
    // database that has just gone away would; the other senders' DMs wait until it has.
    const constraint = `unrecordable_${ws.id.replaceAll("-", "")}`;
    let first: Promise<void> | undefined;
    let calls = 0;
    let returned = false;
    let callsAfterReturn = 0;
    const platform = new (class extends RecordingPlatform {
      override async sendDirect(workspace: Workspace, member: Member, reply: Reply) {
        if (returned) callsAfterReturn += 1;
        if (reply.summary.startsWith("📊")) return super.sendDirect(workspace, member, reply);
        calls += 1;
        first ??= world.db.prisma
          .$executeRawUnsafe(`alter table "Nudge" add constraint ${constraint} check ("recipientId" <> '${member.id}') not valid`)
          .then(() => {});
        await first;
        return super.sendDirect(workspace, member, reply);
      }
    })();
    try {
      const [result] = await sweep(platform);
      returned = true;
      expect(result?.error).toMatch(new RegExp(constraint));
      // Work still running after the sweep returned would send the rest of the batch: give it the
      // database round trips that would take, then look.
      for (let i = 0; i < 20; i++) await world.db.prisma.$queryRaw`select 1`;
      expect(callsAfterReturn).toBe(0);
      // The reps' reminders and the manager's escalation (the weekly digest, sent the same way, is
      // left out), all in one claimed batch: the senders stop a few round trips after the refusal,
      // long before the batch is done (with ten nudges the others could finish it first).
      expect(calls).toBeLessThan(REPS + 1);
      const nudges = await world.db.prisma.nudge.findMany({ where: { workspaceId: ws.id, kind: { not: "digest" } } });
      expect(nudges).toHaveLength(REPS + 1);
      expect(nudges.filter((n) => n.status === "sent")).toHaveLength(calls - 1);
      expect(nudges.filter((n) => n.status === "pending")).toHaveLength(REPS + 1 - (calls - 1));
    } finally {
      await world.db.prisma.$executeRawUnsafe(`alter table "Nudge" drop constraint if exists ${constraint}`);
    }
  });

  it("goes to the admins when the rep has no manager", async () => {
    world.clock.set(morning);
    const { ws, bob } = await setup();
    await world.member(ws, "ada", "admin");
    await touched(ws, bob, "Hooli", "normal", 40); // 10 days overdue: past the grace of 7
    const platform = new RecordingPlatform();
    await sweep(platform);
    expect(platform.sent.map((s) => s.to).sort()).toEqual(["ada", "bob"]);
  });
});

describe("delivery", () => {
  it("a rate-limited send is retried after Retry-After and delivered once", async () => {
    world.clock.set(morning);
    const { ws, alice } = await setup();
    await touched(ws, alice, "Acme", "key", 10);
    const platform = new RecordingPlatform();
    platform.failures.push(new DeliveryError("rate limited", "ratelimited", true, 90_000));
    await sweep(platform);
    expect(platform.sent).toHaveLength(0);
    let nudge = await world.db.prisma.nudge.findFirstOrThrow({ where: { workspaceId: ws.id, kind: "revisit" } });
    expect(nudge).toMatchObject({ status: "pending", attempts: 1, lastError: "ratelimited: rate limited" });
    world.clock.advanceMs(60_000);
    await sweep(platform);
    expect(platform.sent).toHaveLength(0);
    world.clock.advanceMs(60_000);
    await sweep(platform);
    await sweep(platform);
    expect(platform.sent).toHaveLength(1);
    nudge = await world.db.prisma.nudge.findFirstOrThrow({ where: { workspaceId: ws.id, kind: "revisit" } });
    expect(nudge).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("a send the platform refuses for good is marked failed with the reason, not lost silently", async () => {
    world.clock.set(morning);
    const { ws, alice } = await setup();
    await touched(ws, alice, "Acme", "key", 10);
    const platform = new RecordingPlatform();
    platform.failures.push(new DeliveryError("user not found", "user_not_found", false));
    await sweep(platform);
    const nudge = await world.db.prisma.nudge.findFirstOrThrow({ where: { workspaceId: ws.id, kind: "revisit" } });
    expect(nudge).toMatchObject({ status: "failed", lastError: "user_not_found: user not found" });
    expect(textOfNudges(await world.run(ws, alice, "nudges"))).toContain("failed (user_not_found: user not found)");
  });

  it("three replicas sweeping at the same moment send each DM exactly once", async () => {
    world.clock.set(morning);
    const { ws, alice, bob, carol } = await setup();
    await touched(ws, alice, "Acme", "key", 11);
    await touched(ws, bob, "Hooli", "key", 10);
    await touched(ws, carol, "Initech", "normal", 31);
    const platform = new RecordingPlatform();
    const replicas =
      world.databaseUrl === undefined
        ? [world.db, world.db, world.db]
        : await Promise.all([1, 2, 3].map(() => openDatabase({ url: world.databaseUrl, dataDir: "", poolSize: 3 })));
    try {
      await Promise.all(replicas.map((db) => sweep(platform, new TestClock(morning), db)));
    } finally {
      if (world.databaseUrl !== undefined) await Promise.all(replicas.map((db) => db.close()));
    }
    const counts = new Map<string, number>();
    for (const s of platform.sent) counts.set(s.to, (counts.get(s.to) ?? 0) + 1);
    // Three revisit DMs and one escalation (Acme, to carol).
    expect(Object.fromEntries(counts)).toEqual({ alice: 1, bob: 1, carol: 2 });
    expect(await world.db.prisma.nudge.count({ where: { workspaceId: ws.id, status: "sent", kind: { not: "digest" } } })).toBe(4);
  });
});

describe("customer care", () => {
  it("reminds the owner of a birthday, on the last working day before it when it falls on a weekend", async () => {
    world.clock.set("2026-11-27T01:30:00Z"); // Friday
    const { ws, alice } = await setup();
    await world.run(ws, alice, "add Acme birthday=11-29"); // Sunday
    const platform = new RecordingPlatform();
    await sweep(platform);
    expect(platform.sent.find((s) => s.text.includes("Customer care"))?.text).toContain("Birthdays coming up: Acme (11-29)");
  });

  it("reminds owners to greet their key customers three days before the Spring Festival", async () => {
    world.clock.set("2027-02-03T01:30:00Z"); // Spring Festival 2027 is on 02-06
    const { ws, alice } = await setup();
    await world.run(ws, alice, "add Acme tier=key");
    const platform = new RecordingPlatform();
    await sweep(platform);
    expect(platform.sent.find((s) => s.text.includes("Customer care"))?.text).toContain(
      "Spring Festival is on 2027-02-06: send greetings to Acme",
    );
  });
});

function textOfNudges(reply: Reply): string {
  return plain(renderText(reply));
}

/** Who the DMs went to, in name order: a sweep sends several at once, so they finish in any order. */
function recipients(sent: { to: string }[]): string[] {
  return sent.map((s) => s.to).sort();
}
