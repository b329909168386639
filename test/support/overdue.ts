// A Slack workspace whose reps each have one customer overdue today, by the real clock: what a
// bot process started by a test (which cannot be handed a test clock) sweeps at once.
import type { Database } from "../../src/db/client.ts";
import { World } from "./world.ts";

const DAY_MS = 86_400_000;

/** Creates `count` reps (Slack users U0REP000, ...), each owning one overdue customer. */
export async function seedOverdueReps(
  db: Database,
  count: number,
  team = "T0FAULTS",
): Promise<{ workspaceId: string; users: string[] }> {
  const world = new World(db);
  const now = Date.now();
  const day = (offset: number) => new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
  // Every hour of today (in UTC) is past the nudge hour, and today is a working day whatever its weekday.
  const settings = { nudgeHour: 0, workdays: [day(-1), day(0), day(1)], careFestivals: [] };
  const workspace = await world.workspace({ platform: "slack", timeZone: "UTC", settings });
  await db.prisma.workspace.update({ where: { id: workspace.id }, data: { externalId: team } });
  const users: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = `U0REP${String(i).padStart(3, "0")}`;
    const rep = await world.member(workspace, user);
    await world.run(workspace, rep, `add Customer ${user} tier=normal`);
    users.push(user);
  }
  await db.prisma.customer.updateMany({ where: { workspaceId: workspace.id }, data: { nextRevisitAt: new Date(now - DAY_MS) } });
  return { workspaceId: workspace.id, users };
}
