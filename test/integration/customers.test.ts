import { describe, expect, it } from "vitest";
import { nextRevisitDate } from "../../src/domain/cadence.ts";
import { updateCustomer } from "../../src/domain/customers.ts";
import { workspaceSettings } from "../../src/domain/workspaces.ts";
import { textOf, worldForFile } from "../support/world.ts";

const world = worldForFile();

describe("adding customers", () => {
  it("adds a customer owned by the caller, with the tier's revisit cadence", async () => {
    const ws = await world.workspace();
    const alice = await world.member(ws, "alice");
    const reply = await world.run(ws, alice, 'add "Acme 北京" tier=key region=华北');
    expect(textOf(reply)).toContain("Added Acme 北京 as a key customer.");
    const customer = await world.db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(customer).toMatchObject({ name: "Acme 北京", tier: "key", region: "华北", ownerId: alice.id, stage: "potential" });
    // Key customers are revisited weekly: due seven days after being added.
    expect(customer.nextRevisitAt?.toISOString()).toBe("2026-12-02T02:00:00.000Z");
    const audit = await world.db.prisma.auditEvent.findMany({ where: { workspaceId: ws.id } });
    expect(audit.map((a) => a.action)).toEqual(["customer.add"]);
  });

  it("answers in Chinese when the verb is Chinese, and reads Chinese option names and values", async () => {
    const ws = await world.workspace();
    const alice = await world.member(ws, "alice");
    const reply = await world.run(ws, alice, "添加 北京科技 等级=重点 标签=制造，华北");
    expect(textOf(reply)).toContain("已添加 北京科技（重点客户）");
    const customer = await world.db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(customer.tags).toEqual(["制造", "华北"]);
    expect(customer.initials).toBe("bjkj");
  });

  it("refuses a second customer of the same name, however it is written, and writes nothing", async () => {
    const ws = await world.workspace();
    const alice = await world.member(ws, "alice");
    await world.run(ws, alice, "add Acme");
    const reply = await world.run(ws, alice, "add ＡＣＭＥ");
    expect(reply.error).toBe(true);
    expect(textOf(reply)).toContain("Acme is already a customer.");
    expect(await world.db.prisma.customer.count({ where: { workspaceId: ws.id } })).toBe(1);
  });
});

describe("editing a customer read before a visit was logged", () => {
  it("counts the new revisit date from that visit, not from the copy's older last touch", async () => {
    const ws = await world.workspace();
    const alice = await world.member(ws, "alice");
    await world.run(ws, alice, "add Acme tier=key");
    const stale = await world.db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } });
    world.clock.advanceDays(3);
    await world.run(ws, alice, `log #${stale.id} visited, wants a quote`);
    const logged = await world.db.prisma.customer.findUniqueOrThrow({ where: { id: stale.id } });
    expect(logged.lastContactAt?.getTime()).toBe(world.clock.now().getTime());

    const edited = await updateCustomer(world.deps, { workspace: ws, member: alice }, stale, { tier: "normal" });
    const expected = nextRevisitDate({ ...logged, tier: "normal" }, workspaceSettings(ws), ws.timeZone);
    expect(edited.nextRevisitAt?.toISOString()).toBe(expected.toISOString());
    expect(edited.lastContactAt?.toISOString()).toBe(logged.lastContactAt?.toISOString());
  });
});
