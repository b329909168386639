// Automatic survey links, planned in the daily sweep: a set number of days after a visit, and when
// an opportunity reaches acceptance, if the workspace turned them on. Each is keyed by customer and
// the day it became due, so a repeated or late sweep plans the same one, and a customer who had a
// survey lately is not asked again after every visit.
import { Prisma, type Workspace } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import type { Settings } from "../settings.ts";
import { addDays, localDay, zonedInstant } from "../time.ts";
import type { PlannedNudge } from "./plan.ts";

/** How far back a sweep looks for what it missed (weekends, the Spring Festival week). */
const LOOKBACK_DAYS = 10;
/** After a visit, no new survey for a customer who had one this recently. */
const QUIET_DAYS = 30;

export interface SurveyNudgePayload {
  customerId: string;
  reason: "visit" | "acceptance";
  /** Set when the survey is created at the first sending attempt; a retry issues it a new link. */
  surveyId?: string;
}

interface Candidate {
  customerId: string;
  ownerId: string;
  at: Date;
}

export async function planSurveys(
  deps: DomainDeps,
  workspace: Workspace,
  settings: Settings,
  day: string,
): Promise<PlannedNudge[]> {
  const planned: PlannedNudge[] = [];
  const tz = workspace.timeZone;
  const plan = (c: Candidate, reason: SurveyNudgePayload["reason"], dueDay: string) => {
    const payload: SurveyNudgePayload = { customerId: c.customerId, reason };
    planned.push({
      workspaceId: workspace.id,
      kind: "survey",
      recipientId: c.ownerId,
      subjectKey: c.customerId,
      day: dueDay,
      payload: payload as unknown as Prisma.InputJsonValue,
    });
  };
  if (settings.surveyAfterVisitDays > 0) {
    const n = settings.surveyAfterVisitDays;
    for (const c of await visitsDue(deps, workspace.id, day, n, tz)) plan(c, "visit", addDays(localDay(c.at, tz), n));
  }
  if (settings.surveyOnAcceptance) {
    for (const c of await acceptances(deps, workspace.id, zonedInstant(addDays(day, -LOOKBACK_DAYS), tz), tz)) {
      plan(c, "acceptance", localDay(c.at, tz));
    }
  }
  // One survey per customer and day, whichever reason came first.
  const seen = new Set<string>();
  return planned.filter((p) => !seen.has(`${p.subjectKey}|${p.day}`) && seen.add(`${p.subjectKey}|${p.day}`));
}

/** A survey nudge for the customer planned for the local day of `since` or later (its key is the customer's id). */
function surveyNudgeSince(workspaceId: string, customerId: Prisma.Sql, since: Prisma.Sql, tz: string): Prisma.Sql {
  return Prisma.sql`select 1 from "Nudge" n
        where n."workspaceId" = ${workspaceId}::uuid and n."kind" = 'survey' and n."subjectKey" = ${customerId}::text
          and n."day" >= to_char((${since} at time zone 'UTC') at time zone ${tz}, 'YYYY-MM-DD')`;
}

/** Customers whose latest visit was `n` days ago (or a few days more, missed), not surveyed since. */
async function visitsDue(deps: DomainDeps, workspaceId: string, day: string, n: number, tz: string): Promise<Candidate[]> {
  const from = zonedInstant(addDays(day, -n - LOOKBACK_DAYS), tz);
  const to = zonedInstant(addDays(day, -n + 1), tz);
  const quietSince = new Date(deps.clock.now().getTime() - QUIET_DAYS * 86_400_000);
  return deps.prisma.$queryRaw<Candidate[]>`
    select v."customerId", c."ownerId", v."occurredAt" as "at"
    from (
      select distinct on (i."customerId") i."customerId", i."occurredAt"
      from "Interaction" i
      where i."workspaceId" = ${workspaceId}::uuid and i."kind" = 'visit'
        and i."occurredAt" >= ${from} and i."occurredAt" < ${to}
      order by i."customerId", i."occurredAt" desc
    ) v
    join "Customer" c on c."id" = v."customerId"
    join "Member" m on m."id" = c."ownerId" and m."active"
    where not exists (
        select 1 from "Survey" s
        where s."customerId" = v."customerId" and s."createdAt" >= least(v."occurredAt", ${quietSince}::timestamp))
      and not exists (${surveyNudgeSince(workspaceId, Prisma.sql`v."customerId"`, Prisma.sql`v."occurredAt"`, tz)})`;
}

/** Customers with an opportunity moved to acceptance lately and no survey since. */
async function acceptances(deps: DomainDeps, workspaceId: string, since: Date, tz: string): Promise<Candidate[]> {
  return deps.prisma.$queryRaw<Candidate[]>`
    select distinct on (o."customerId") o."customerId", c."ownerId", a."createdAt" as "at"
    from "AuditEvent" a
    join "Opportunity" o on o."id"::text = a."entityId"
    join "Customer" c on c."id" = o."customerId"
    join "Member" m on m."id" = c."ownerId" and m."active"
    where a."workspaceId" = ${workspaceId}::uuid and a."entity" = 'opportunity' and a."action" = 'opportunity.stage'
      and a."data"->>'to' = 'acceptance' and a."createdAt" >= ${since}
      and not exists (select 1 from "Survey" s where s."customerId" = o."customerId" and s."createdAt" >= a."createdAt")
      and not exists (${surveyNudgeSince(workspaceId, Prisma.sql`o."customerId"`, Prisma.sql`a."createdAt"`, tz)})
    order by o."customerId", a."createdAt" desc`;
}
