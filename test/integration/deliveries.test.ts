// Delivery claims: a repeat within the week is found, and claims past it are pruned, by the
// scheduler's catch-up pass too.
import { describe, expect, it } from "vitest";
import { claimDelivery, DELIVERY_RETENTION_DAYS, pruneDeliveries } from "../../src/domain/deliveries.ts";
import { startScheduler } from "../../src/scheduler/index.ts";
import { RecordingMessenger } from "../support/recording-messenger.ts";
import { silentLogger, worldForFile } from "../support/world.ts";

const world = worldForFile();

const claims = (workspaceId: string) => world.db.prisma.delivery.count({ where: { workspaceId } });

describe("delivery claims", () => {
  it("finds a repeat within the week, and forgets the claim after it", async () => {
    const ws = await world.workspace();
    expect(await claimDelivery(world.deps, ws.id, "feishu:event:1")).toBe(true);
    expect(await claimDelivery(world.deps, ws.id, "feishu:event:1")).toBe(false);
    world.clock.advanceDays(DELIVERY_RETENTION_DAYS - 1);
    await pruneDeliveries(world.deps);
    expect(await claimDelivery(world.deps, ws.id, "feishu:event:1")).toBe(false);
    world.clock.advanceDays(2);
    await pruneDeliveries(world.deps);
    expect(await claims(ws.id)).toBe(0);
    expect(await claimDelivery(world.deps, ws.id, "feishu:event:1")).toBe(true);
  });

  it("prunes a large backlog in batches and keeps the week's claims", async () => {
    const ws = await world.workspace();
    const old = new Date(world.clock.now().getTime() - 30 * 86_400_000);
    await world.db.prisma.$executeRaw`
      insert into "Delivery" ("id", "workspaceId", "key", "createdAt")
      select gen_random_uuid(), ${ws.id}::uuid, 'old:' || i, ${old} from generate_series(1, 12345) i`;
    for (const key of ["a", "b", "c"]) await claimDelivery(world.deps, ws.id, key);
    expect(await pruneDeliveries(world.deps)).toBeGreaterThanOrEqual(12_345);
    expect(await claims(ws.id)).toBe(3);
  });

  it("are pruned by the scheduler's catch-up pass", async () => {
    const ws = await world.workspace();
    await claimDelivery(world.deps, ws.id, "slack:old");
    world.clock.advanceDays(DELIVERY_RETENTION_DAYS + 1);
    await claimDelivery(world.deps, ws.id, "slack:new");
    const scheduler = startScheduler({
      deps: world.deps,
      db: world.db,
      logger: silentLogger,
      messengers: { cli: new RecordingMessenger() },
    });
    try {
      await scheduler.catchUpNow();
    } finally {
      await scheduler.stop();
    }
    const left = await world.db.prisma.delivery.findMany({ where: { workspaceId: ws.id } });
    expect(left.map((d) => d.key)).toEqual(["slack:new"]);
  });
});
