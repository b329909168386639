// What a workspace's morning sweep should send today: one revisit DM per rep, one escalation DM
// per manager (or the admins), and care reminders. Planned from the database's state, so a
// missed or repeated tick plans the same thing.
import type { Member, NudgeKind, Prisma as PrismaNS, Workspace } from "../../generated/prisma/client.ts";
import { isWorkday } from "../calendar.ts";
import type { DomainDeps } from "../deps.ts";
import { workspaceSettings } from "../workspaces.ts";
import { addDays, localDay, localParts, zonedInstant } from "../time.ts";
import { planCare } from "./care.ts";
import { type DueCustomer, findOverdueByOwner } from "./due.ts";

export const PER_REP = 10;
export const PER_REP_IN_ESCALATION = 5;

export interface PlannedNudge {
  workspaceId: string;
  kind: NudgeKind;
  recipientId: string;
  subjectKey: string;
  day: string;
  payload: PrismaNS.InputJsonValue;
}

export type DueItem = Omit<DueCustomer, "ownerId" | "ownerTotal" | "nextRevisitAt" | "lastContactAt"> & {
  dueDay: string;
  lastDay: string | null;
};

export interface RevisitPayload {
  customers: DueItem[];
  total: number;
}

export interface EscalationPayload {
  reps: { repId: string; repExternalId: string; repName: string; customers: DueItem[]; total: number }[];
}

export type SweepSkip = "notWorkday" | "tooEarly";

export interface SweepPlan {
  day: string;
  skipped?: SweepSkip;
  nudges: PlannedNudge[];
}

/**
 * The plan for the workspace's local today, or why there is none yet. `anyHour` plans before the
 * nudge hour too, to show what the morning will send.
 */
export async function planSweep(deps: DomainDeps, workspace: Workspace, options: { anyHour?: boolean } = {}): Promise<SweepPlan> {
  const now = deps.clock.now();
  const tz = workspace.timeZone;
  const settings = workspaceSettings(workspace);
  const day = localDay(now, tz);
  if (!isWorkday(day, settings)) return { day, skipped: "notWorkday", nudges: [] };
  if (!options.anyHour && localParts(now, tz).hour < settings.nudgeHour) return { day, skipped: "tooEarly", nudges: [] };

  const endOfDay = zonedInstant(addDays(day, 1), tz);
  const graceStart = (days: number) => zonedInstant(addDays(day, -days), tz);
  const [due, slipping] = await Promise.all([
    findOverdueByOwner(deps, workspace.id, { dueBefore: endOfDay, snoozeBefore: endOfDay, perOwner: PER_REP }),
    findOverdueByOwner(deps, workspace.id, {
      dueBefore: endOfDay,
      snoozeBefore: endOfDay,
      perOwner: PER_REP_IN_ESCALATION,
      graceBefore: {
        key: graceStart(settings.grace.key),
        normal: graceStart(settings.grace.normal),
        prospect: graceStart(settings.grace.prospect),
      },
    }),
  ]);
  const nudges: PlannedNudge[] = [];
  const base = { workspaceId: workspace.id, subjectKey: "", day };
  for (const [ownerId, customers] of groupBy(due, (c) => c.ownerId)) {
    const payload: RevisitPayload = { customers: customers.map((c) => item(c, tz)), total: customers[0]?.ownerTotal ?? 0 };
    nudges.push({ ...base, kind: "revisit", recipientId: ownerId, payload: payload as unknown as PrismaNS.InputJsonValue });
  }
  nudges.push(...(await planEscalations(deps, workspace, slipping, day)));
  nudges.push(...(await planCare(deps, workspace, settings, day)));
  return { day, nudges };
}

function item(c: DueCustomer, tz: string): DueItem {
  return {
    id: c.id,
    name: c.name,
    tier: c.tier,
    dueDay: localDay(c.nextRevisitAt, tz),
    lastDay: c.lastContactAt ? localDay(c.lastContactAt, tz) : null,
    lastKind: c.lastKind,
    lastSummary: c.lastSummary ? c.lastSummary.slice(0, 200) : null,
  };
}

// A rep's slipping customers go to the rep's manager; a rep with no manager, to the admins.
async function planEscalations(deps: DomainDeps, workspace: Workspace, slipping: DueCustomer[], day: string): Promise<PlannedNudge[]> {
  if (slipping.length === 0) return [];
  const byRep = groupBy(slipping, (c) => c.ownerId);
  const reps = await deps.prisma.member.findMany({ where: { id: { in: [...byRep.keys()] } } });
  const admins = await deps.prisma.member.findMany({ where: { workspaceId: workspace.id, role: "admin", active: true } });
  const byRecipient = new Map<string, EscalationPayload["reps"]>();
  for (const rep of reps) {
    const customers = byRep.get(rep.id) ?? [];
    const entry = {
      repId: rep.id,
      repExternalId: rep.externalId,
      repName: rep.displayName,
      customers: customers.map((c) => item(c, workspace.timeZone)),
      total: customers[0]?.ownerTotal ?? 0,
    };
    for (const recipient of escalationRecipients(rep, admins)) {
      const list = byRecipient.get(recipient) ?? [];
      list.push(entry);
      byRecipient.set(recipient, list);
    }
  }
  return [...byRecipient].map(([recipientId, repsOfRecipient]) => ({
    workspaceId: workspace.id,
    kind: "escalation" as const,
    recipientId,
    subjectKey: "",
    day,
    payload: { reps: repsOfRecipient } as unknown as PrismaNS.InputJsonValue,
  }));
}

function escalationRecipients(rep: Member, admins: Member[]): string[] {
  if (rep.managerId) return [rep.managerId];
  return admins.filter((a) => a.id !== rep.id).map((a) => a.id);
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
