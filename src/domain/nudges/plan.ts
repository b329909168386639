// What a workspace's morning sweep should send today: one revisit DM per rep, one escalation DM
// per manager (or the admins), care and open-feedback reminders, automatic survey links, and on
// the digest day the managers' weekly digests. Planned from the database's state, so a
// missed or repeated tick plans the same thing; owners are taken a batch at a time, so memory
// stays flat however many customers there are.
import type { NudgeKind, Prisma as PrismaNS, Workspace } from "../../generated/prisma/client.ts";
import { isWorkday } from "../calendar.ts";
import type { DomainDeps } from "../deps.ts";
import { addDays, localDay, localParts, zonedInstant } from "../time.ts";
import { workspaceSettings } from "../workspaces.ts";
import { planCare } from "./care.ts";
import { planDigests } from "./digests.ts";
import { type DueCustomer, findOverdueByOwner } from "./due.ts";
import { planFeedback } from "./feedback.ts";
import { planSurveys } from "./surveys.ts";

export const PER_REP = 10;
export const PER_REP_IN_ESCALATION = 5;
const OWNER_BATCH = 250;

export interface PlannedNudge {
  workspaceId: string;
  kind: NudgeKind;
  recipientId: string;
  subjectKey: string;
  day: string;
  payload: PrismaNS.InputJsonValue;
}

export type DueItem = Pick<DueCustomer, "id" | "name" | "tier" | "lastKind" | "lastSummary"> & {
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

/** Receives planned nudges a batch at a time (the sweep records them; a preview collects them). */
export type PlanSink = (nudges: PlannedNudge[]) => Promise<void>;

export interface SweepPlan {
  day: string;
  skipped?: SweepSkip;
  planned: number;
}

/**
 * Plans the workspace's local today, handing nudges to `sink`, or says why there is nothing yet.
 * `anyHour` plans before the nudge hour too, to show what the morning will send.
 */
export async function planSweep(
  deps: DomainDeps,
  workspace: Workspace,
  sink: PlanSink,
  options: { anyHour?: boolean } = {},
): Promise<SweepPlan> {
  const now = deps.clock.now();
  const tz = workspace.timeZone;
  const settings = workspaceSettings(workspace);
  const day = localDay(now, tz);
  let planned = 0;
  const emit = async (nudges: PlannedNudge[]) => {
    planned += nudges.length;
    if (nudges.length > 0) await sink(nudges);
  };
  // The weekly digest keeps its own weekday and hour, holiday or not.
  await emit(await planDigests(deps, workspace, settings));
  if (!isWorkday(day, settings)) return { day, skipped: "notWorkday", planned };
  if (!options.anyHour && localParts(now, tz).hour < settings.nudgeHour) return { day, skipped: "tooEarly", planned };

  const endOfDay = zonedInstant(addDays(day, 1), tz);
  const graceStart = (days: number) => zonedInstant(addDays(day, -days), tz);
  const query = {
    dueBefore: endOfDay,
    snoozeBefore: endOfDay,
    perOwner: PER_REP,
    perOwnerSlipping: PER_REP_IN_ESCALATION,
    graceBefore: {
      key: graceStart(settings.grace.key),
      normal: graceStart(settings.grace.normal),
      prospect: graceStart(settings.grace.prospect),
    },
  };
  const base = { workspaceId: workspace.id, subjectKey: "", day };
  const slipping = new Map<string, DueCustomer[]>();
  const members = await deps.prisma.member.findMany({
    where: { workspaceId: workspace.id, active: true },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  for (let start = 0; start < members.length; start += OWNER_BATCH) {
    const ownerIds = members.slice(start, start + OWNER_BATCH).map((m) => m.id);
    const due = await findOverdueByOwner(deps, workspace.id, { ...query, ownerIds });
    const revisits: PlannedNudge[] = [];
    for (const [ownerId, customers] of groupBy(due, (c) => c.ownerId)) {
      const listed = customers.filter((c) => c.listed).map((c) => item(c, tz));
      const payload: RevisitPayload = { customers: listed, total: customers[0]?.ownerTotal ?? 0 };
      revisits.push({ ...base, kind: "revisit", recipientId: ownerId, payload: payload as unknown as PrismaNS.InputJsonValue });
      const slipped = customers.filter((c) => c.slipping);
      if (slipped.length > 0) slipping.set(ownerId, slipped);
    }
    await emit(revisits);
  }
  await emit(await planEscalations(deps, workspace, slipping, day));
  await emit(await planCare(deps, workspace, settings, day));
  await emit(await planFeedback(deps, workspace, day));
  await emit(await planSurveys(deps, workspace, settings, day));
  return { day, planned };
}

/** A plan collected in memory: for previews (`nudges`, `sweep --dry-run`), not for sweeps. */
export async function previewSweep(deps: DomainDeps, workspace: Workspace, options: { anyHour?: boolean } = {}) {
  const nudges: PlannedNudge[] = [];
  const plan = await planSweep(deps, workspace, async (batch) => void nudges.push(...batch), options);
  return { ...plan, nudges };
}

function item(c: DueCustomer, tz: string): DueItem {
  return {
    id: c.id,
    name: c.name,
    tier: c.tier,
    dueDay: localDay(c.nextRevisitAt, tz),
    lastDay: c.lastContactAt ? localDay(c.lastContactAt, tz) : null,
    lastKind: c.lastKind,
    lastSummary: c.lastSummary,
  };
}

// A rep's slipping customers go to the rep's manager; a rep with no manager, to the admins.
async function planEscalations(
  deps: DomainDeps,
  workspace: Workspace,
  slipping: Map<string, DueCustomer[]>,
  day: string,
): Promise<PlannedNudge[]> {
  if (slipping.size === 0) return [];
  const admins = await deps.prisma.member.findMany({ where: { workspaceId: workspace.id, role: "admin", active: true } });
  const reps = await deps.prisma.member.findMany({ where: { id: { in: [...slipping.keys()] } }, orderBy: { id: "asc" } });
  const byRecipient = new Map<string, EscalationPayload["reps"]>();
  for (const rep of reps) {
    const customers = slipping.get(rep.id) ?? [];
    const entry = {
      repId: rep.id,
      repExternalId: rep.externalId,
      repName: rep.displayName,
      customers: customers.map((c) => item(c, workspace.timeZone)),
      total: customers[0]?.slipTotal ?? 0,
    };
    const recipients = rep.managerId ? [rep.managerId] : admins.filter((a) => a.id !== rep.id).map((a) => a.id);
    for (const recipient of recipients) {
      const entries = byRecipient.get(recipient);
      if (entries) entries.push(entry);
      else byRecipient.set(recipient, [entry]);
    }
  }
  return [...byRecipient].map(([recipientId, reps]) => ({
    workspaceId: workspace.id,
    kind: "escalation" as const,
    recipientId,
    subjectKey: "",
    day,
    payload: { reps } as unknown as PrismaNS.InputJsonValue,
  }));
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const entry of items) {
    const k = key(entry);
    const list = map.get(k);
    if (list) list.push(entry);
    else map.set(k, [entry]);
  }
  return map;
}
