// The digest's satisfaction figures, aggregated in the database for both weeks at once: surveys
// sent and answered, CSAT average, NPS counts, and the unhappy answers with their comments.
import { Prisma } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { localDay } from "../time.ts";
import { byWeek, type DigestPeriod, type DigestScope, inScope, inWeek, num, ts, weeksUtc } from "./window.ts";

export const UNHAPPY_LIST = 10;

export interface SurveyFigures {
  /** Surveys created in the week, and how many of those were answered by its end. */
  sent: number;
  answeredOfSent: number;
  /** Answers received in the week (to surveys sent then or before): CSAT and NPS come from these. */
  responses: number;
  csat: number | null;
  npsAnswers: number;
  promoters: number;
  npsDetractors: number;
  /** Answers with NPS 0-6 or CSAT 1-2. */
  unhappy: number;
}

export interface UnhappyAnswer {
  customerId: string;
  customerName: string;
  csat: number | null;
  nps: number | null;
  comment: string | null;
  day: string;
}

interface FigureRow {
  week: number;
  sent: bigint | number;
  answeredOfSent: bigint | number;
  responses: bigint | number;
  csat: number | null;
  npsAnswers: bigint | number;
  promoters: bigint | number;
  npsDetractors: bigint | number;
  unhappy: bigint | number;
}

/** NPS: per cent promoters (9-10) minus per cent detractors (0-6), or null without answers. */
export function npsOf(f: Pick<SurveyFigures, "npsAnswers" | "promoters" | "npsDetractors">): number | null {
  if (f.npsAnswers === 0) return null;
  return Math.round((100 * (f.promoters - f.npsDetractors)) / f.npsAnswers);
}

export async function surveyFigures(
  deps: DomainDeps,
  workspaceId: string,
  scope: DigestScope,
  period: DigestPeriod,
): Promise<[SurveyFigures, SurveyFigures]> {
  const answeredIn = inWeek(`s."respondedAt"`);
  const sentIn = inWeek(`s."createdAt"`);
  const rows = await deps.prisma.$queryRaw<FigureRow[]>`
    select w."week",
      count(*) filter (where ${sentIn}) as "sent",
      count(*) filter (where ${sentIn} and s."respondedAt" < w."to") as "answeredOfSent",
      count(*) filter (where ${answeredIn}) as "responses",
      (avg(s."csat") filter (where ${answeredIn}))::float8 as "csat",
      count(s."nps") filter (where ${answeredIn}) as "npsAnswers",
      count(*) filter (where ${answeredIn} and s."nps" >= 9) as "promoters",
      count(*) filter (where ${answeredIn} and s."nps" <= 6) as "npsDetractors",
      count(*) filter (where ${answeredIn} and (s."nps" <= 6 or s."csat" <= 2)) as "unhappy"
    from "Survey" s
    join "Customer" c on c."id" = s."customerId"
    join ${weeksUtc(period)} on true
    where s."workspaceId" = ${workspaceId}::uuid
      and (s."createdAt" >= ${ts(period.previous.from)}::timestamp or s."respondedAt" >= ${ts(period.previous.from)}::timestamp)
      and ${inScope(scope, Prisma.sql`c."ownerId"`)}
    group by w."week"`;
  return byWeek(rows, (r) => ({
    sent: num(r?.sent),
    answeredOfSent: num(r?.answeredOfSent),
    responses: num(r?.responses),
    csat: r?.csat === null || r?.csat === undefined ? null : Math.round(Number(r.csat) * 100) / 100,
    npsAnswers: num(r?.npsAnswers),
    promoters: num(r?.promoters),
    npsDetractors: num(r?.npsDetractors),
    unhappy: num(r?.unhappy),
  }));
}

/** The week's unhappy answers, first answered first, with their comments. */
export async function unhappyAnswers(
  deps: DomainDeps,
  workspaceId: string,
  scope: DigestScope,
  period: DigestPeriod,
): Promise<UnhappyAnswer[]> {
  const rows = await deps.prisma.$queryRaw<(Omit<UnhappyAnswer, "day"> & { respondedAt: Date })[]>`
    select s."customerId", c."name" as "customerName", s."csat", s."nps", left(s."comment", 300) as "comment", s."respondedAt"
    from "Survey" s
    join "Customer" c on c."id" = s."customerId"
    where s."workspaceId" = ${workspaceId}::uuid
      and s."respondedAt" >= ${ts(period.current.from)}::timestamp and s."respondedAt" < ${ts(period.current.to)}::timestamp
      and (s."nps" <= 6 or s."csat" <= 2)
      and ${inScope(scope, Prisma.sql`c."ownerId"`)}
    order by s."respondedAt", s."id"
    limit ${UNHAPPY_LIST}`;
  return rows.map(({ respondedAt, ...r }) => ({ ...r, day: localDay(respondedAt, period.timeZone) }));
}
