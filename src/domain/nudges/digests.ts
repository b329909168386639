// The weekly digest DMs: on the workspace's digest weekday and hour, one per manager for the week
// that just ended, keyed by its Monday. Managers who already have this week's are skipped before
// anything is computed, so the sweeps that run all week long after the hour cost one query.
import type { Prisma as PrismaNS, Workspace } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { computeDigest, mondayOf, periodEndingOn, teamScope } from "../digest.ts";
import type { Settings } from "../settings.ts";
import { addDays, zonedInstant } from "../time.ts";
import type { PlannedNudge } from "./plan.ts";

/** When this week's digest is due: the digest weekday (1 = Monday ... 0 = Sunday) at the digest hour. */
export function digestDueAt(monday: string, settings: Pick<Settings, "digestWeekday" | "digestHour">, timeZone: string): Date {
  return zonedInstant(addDays(monday, (settings.digestWeekday + 6) % 7), timeZone, settings.digestHour);
}

export async function planDigests(deps: DomainDeps, workspace: Workspace, settings: Settings): Promise<PlannedNudge[]> {
  const now = deps.clock.now();
  const tz = workspace.timeZone;
  const monday = mondayOf(now, tz);
  if (now.getTime() < digestDueAt(monday, settings, tz).getTime()) return [];
  const managers = await deps.prisma.member.findMany({
    where: { workspaceId: workspace.id, role: "manager", active: true },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  if (managers.length === 0) return [];
  const done = await deps.prisma.nudge.findMany({
    where: { workspaceId: workspace.id, kind: "digest", day: monday, recipientId: { in: managers.map((m) => m.id) } },
    select: { recipientId: true },
  });
  const sent = new Set(done.map((n) => n.recipientId));
  const period = periodEndingOn(monday, tz);
  const planned: PlannedNudge[] = [];
  for (const manager of managers) {
    if (sent.has(manager.id)) continue;
    const digest = await computeDigest(deps, workspace, await teamScope(deps, workspace.id, manager), period);
    planned.push({
      workspaceId: workspace.id,
      kind: "digest",
      recipientId: manager.id,
      subjectKey: "",
      day: monday,
      payload: digest as unknown as PrismaNS.InputJsonValue,
    });
  }
  return planned;
}
