// The sweep's query for a batch of owners, read back exactly: the free text of names and summaries
// whatever characters it holds, empty and missing values kept apart, and the order of ties.
import { describe, expect, it } from "vitest";
import { findOverdueByOwner } from "../../src/domain/nudges/due.ts";
import { worldForFile } from "../support/world.ts";

const world = worldForFile();

const now = new Date("2026-11-25T02:00:00Z"); // 10:00 in Shanghai
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const query = (ownerIds: string[]) => ({
  ownerIds,
  dueBefore: new Date("2026-11-25T16:00:00Z"),
  snoozeBefore: new Date("2026-11-25T16:00:00Z"),
  perOwner: 10,
  perOwnerSlipping: 5,
  timeZone: "Asia/Shanghai",
  graceBefore: { key: daysAgo(3), normal: daysAgo(7), prospect: daysAgo(7) },
});

describe("the overdue customers of a batch of owners", () => {
  it("gives names and summaries back exactly, separators, backslashes, emoji and all, and an empty summary apart from none", async () => {
    const ws = await world.workspace();
    const rep = await world.member(ws, "rep");
    const odd = ["a\\b", "x\u001ey", "p\u001fq", "\\r\\u\\\\", "北京科技 🚀", "end\\"];
    await world.db.prisma.customer.createMany({
      data: [
        ...odd.map((name, i) => ({
          workspaceId: ws.id,
          ownerId: rep.id,
          name,
          normalizedName: `odd ${i}`,
          tier: "normal" as const,
          nextRevisitAt: daysAgo(20 - i),
          lastContactAt: daysAgo(50 - i),
          lastKind: "call" as const,
          lastSummary: `said ${name}\u001e\u001f\\`,
        })),
        {
          workspaceId: ws.id,
          ownerId: rep.id,
          name: "Blank",
          normalizedName: "blank",
          tier: "key",
          nextRevisitAt: daysAgo(2),
          lastSummary: "",
        },
        {
          workspaceId: ws.id,
          ownerId: rep.id,
          name: "Never",
          normalizedName: "never",
          tier: "prospect",
          nextRevisitAt: daysAgo(1),
        },
      ],
    });
    const [owner] = await findOverdueByOwner({ prisma: world.db.prisma, clock: world.clock }, ws.id, query([rep.id]));
    expect(owner?.total).toBe(8);
    expect(owner?.listed.map((c) => c.name)).toEqual([...odd, "Blank", "Never"]);
    expect(owner?.listed.slice(0, odd.length).map((c) => c.lastSummary)).toEqual(odd.map((name) => `said ${name}\u001e\u001f\\`));
    expect(owner?.listed.find((c) => c.name === "Blank")).toMatchObject({
      lastSummary: "",
      lastDay: null,
      lastKind: null,
      tier: "key",
    });
    expect(owner?.listed.find((c) => c.name === "Never")).toMatchObject({
      lastSummary: null,
      lastDay: null,
      lastKind: null,
      tier: "prospect",
    });
    expect(owner?.listed[0]).toMatchObject({ dueDay: "2026-11-05", lastDay: "2026-10-06", lastKind: "call" });
  });

  it("keeps each owner's own, in the batch's order, and orders customers due at the same moment by id", async () => {
    const ws = await world.workspace();
    const [first, idle, second] = [
      await world.member(ws, "first"),
      await world.member(ws, "idle"),
      await world.member(ws, "second"),
    ];
    const due = daysAgo(40);
    await world.db.prisma.customer.createMany({
      data: [first, second].flatMap((rep) =>
        Array.from({ length: 12 }, (_, i) => ({
          workspaceId: ws.id,
          ownerId: rep.id,
          name: `${rep.externalId} ${i}`,
          normalizedName: `${rep.externalId} ${i}`,
          tier: "normal" as const,
          nextRevisitAt: due,
        })),
      ),
    });
    const owners = await findOverdueByOwner(
      { prisma: world.db.prisma, clock: world.clock },
      ws.id,
      query([second.id, idle.id, first.id]),
    );
    expect(owners.map((o) => o.ownerId)).toEqual([second.id, first.id]);
    for (const owner of owners) {
      const ids = (await world.db.prisma.customer.findMany({ where: { ownerId: owner.ownerId }, select: { id: true } })).map(
        (c) => c.id,
      );
      const byId = [...ids].sort((a, b) => (a < b ? -1 : 1));
      expect(owner.total).toBe(12);
      expect(owner.slipTotal).toBe(12);
      expect(owner.listed.map((c) => c.id)).toEqual(byId.slice(0, 10));
      expect(owner.slipped.map((c) => c.id)).toEqual(byId.slice(0, 5));
    }
  });

  it("orders customers due within the same second by the instant, not by id", async () => {
    const ws = await world.workspace();
    const rep = await world.member(ws, "rep");
    const at = daysAgo(30).getTime();
    await world.db.prisma.customer.createMany({
      data: [
        { id: "ffffffff-0000-4000-8000-000000000000", at: at + 100, name: "Earlier" },
        { id: "11111111-0000-4000-8000-000000000000", at: at + 200, name: "Later" },
      ].map((c) => ({
        id: c.id,
        workspaceId: ws.id,
        ownerId: rep.id,
        name: c.name,
        normalizedName: c.name.toLowerCase(),
        tier: "key" as const,
        nextRevisitAt: new Date(c.at),
      })),
    });
    const [owner] = await findOverdueByOwner({ prisma: world.db.prisma, clock: world.clock }, ws.id, {
      ...query([rep.id]),
      perOwnerSlipping: 1,
    });
    expect(owner?.listed.map((c) => c.name)).toEqual(["Earlier", "Later"]);
    expect(owner?.slipped.map((c) => c.name)).toEqual(["Earlier"]);
  });

  it("finds the escalation's slipped beyond the listed whatever the two limits", async () => {
    const ws = await world.workspace();
    const rep = await world.member(ws, "rep");
    // Six long past every grace, then one within the key grace, then two key ones past it.
    const customers = [
      ...Array.from({ length: 6 }, (_, i) => ({ name: `Far${i + 1}`, tier: "normal" as const, days: 30 - i })),
      { name: "Near", tier: "key" as const, days: 2 },
      { name: "Key1", tier: "key" as const, days: 5 },
      { name: "Key2", tier: "key" as const, days: 4 },
    ].sort((a, b) => b.days - a.days);
    await world.db.prisma.customer.createMany({
      data: customers.map((c) => ({
        workspaceId: ws.id,
        ownerId: rep.id,
        name: c.name,
        normalizedName: c.name.toLowerCase(),
        tier: c.tier,
        nextRevisitAt: daysAgo(c.days),
      })),
    });
    const find = async (perOwner: number, perOwnerSlipping: number) => {
      const [owner] = await findOverdueByOwner({ prisma: world.db.prisma, clock: world.clock }, ws.id, {
        ...query([rep.id]),
        perOwner,
        perOwnerSlipping,
      });
      return {
        listed: owner?.listed.map((c) => c.name),
        slipped: owner?.slipped.map((c) => c.name),
        slipTotal: owner?.slipTotal,
      };
    };
    // Fewer listed than the escalation names: all six slipped whatever the tier, yet the last four beyond the two listed.
    expect(await find(2, 5)).toEqual({
      listed: ["Far1", "Far2"],
      slipped: ["Far1", "Far2", "Far3", "Far4", "Far5"],
      slipTotal: 8,
    });
    // The escalation reaches past the listed and past one within its grace.
    expect(await find(3, 8)).toEqual({
      listed: ["Far1", "Far2", "Far3"],
      slipped: ["Far1", "Far2", "Far3", "Far4", "Far5", "Far6", "Key1", "Key2"],
      slipTotal: 8,
    });
    // Exactly as many slipped whatever their tier as the escalation names, all listed: the escalation's are the listed.
    expect(await find(6, 6)).toEqual({
      listed: ["Far1", "Far2", "Far3", "Far4", "Far5", "Far6"],
      slipped: ["Far1", "Far2", "Far3", "Far4", "Far5", "Far6"],
      slipTotal: 8,
    });
  });
});
