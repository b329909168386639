// The sweep's query for a batch of owners, read back exactly: the free text of names and summaries
// whatever characters it holds, empty and missing values kept apart, and the order of ties.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOverdueByOwner } from "../../src/domain/nudges/due.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { World } from "../support/world.ts";

let test: TestDatabase;
let world: World;
beforeAll(async () => {
  test = await openTestDatabase();
  world = new World(test.db);
});
afterAll(() => test.drop());

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
    await test.db.prisma.customer.createMany({
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
    const [owner] = await findOverdueByOwner({ prisma: test.db.prisma, clock: world.clock }, ws.id, query([rep.id]));
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
    await test.db.prisma.customer.createMany({
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
      { prisma: test.db.prisma, clock: world.clock },
      ws.id,
      query([second.id, idle.id, first.id]),
    );
    expect(owners.map((o) => o.ownerId)).toEqual([second.id, first.id]);
    for (const owner of owners) {
      const ids = (await test.db.prisma.customer.findMany({ where: { ownerId: owner.ownerId }, select: { id: true } })).map(
        (c) => c.id,
      );
      const byId = [...ids].sort((a, b) => (a < b ? -1 : 1));
      expect(owner.total).toBe(12);
      expect(owner.slipTotal).toBe(12);
      expect(owner.listed.map((c) => c.id)).toEqual(byId.slice(0, 10));
      expect(owner.slipped.map((c) => c.id)).toEqual(byId.slice(0, 5));
    }
  });
});
