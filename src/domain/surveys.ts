// Satisfaction surveys: a random single-use link per survey (only its hash is stored), CSAT 1-5 and
// NPS 0-10 answers, and a detractor's answer turned at once into a feedback item and an alert.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Customer, Prisma as PrismaNS, Survey, Workspace } from "../generated/prisma/client.ts";
import type { Locale } from "../i18n/index.ts";
import { toLocale } from "../i18n/index.ts";
import { audit } from "./audit.ts";
import type { DomainDeps } from "./deps.ts";
import { localDay } from "./time.ts";

/** 32 random bytes: 256 bits, written as 43 base64url characters. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
export const SURVEY_DAYS = 30;
export const MAX_COMMENT_LENGTH = 2_000;
const DAY_MS = 86_400_000;
/** Used when PUBLIC_URL was not passed in (tests); the server always passes it. */
const FALLBACK_URL = "http://localhost:3000";

/** A point on a scale as a form sends it: digits only, so "" or "3.5" is refused rather than read as 0 or 3. */
const scale = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,2}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));

export const surveyAnswerSchema = z.object({
  csat: scale(1, 5),
  nps: scale(0, 10),
  comment: z
    .string()
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(MAX_COMMENT_LENGTH))
    .optional(),
});
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function surveyUrl(deps: Pick<DomainDeps, "publicUrl">, token: string): string {
  return `${(deps.publicUrl ?? FALLBACK_URL).replace(/\/+$/, "")}/s/${token}`;
}

/** NPS 0-6 or CSAT 1-2: an unhappy customer the owner should hear about today. */
export function isDetractor(answer: { csat: number | null; nps: number | null }): boolean {
  return (answer.nps !== null && answer.nps <= 6) || (answer.csat !== null && answer.csat <= 2);
}

export interface IssuedSurvey {
  survey: Survey;
  /** The secret in the link: shown once, never stored. */
  token: string;
  url: string;
}

export interface NewSurvey {
  sentById?: string | null | undefined;
  locale?: Locale | undefined;
  expiresInDays?: number | undefined;
}

type Tx = PrismaNS.TransactionClient;

/** Creates a survey for a customer and returns its link. */
export async function createSurvey(
  deps: DomainDeps,
  workspace: Workspace,
  customer: Pick<Customer, "id">,
  options: NewSurvey = {},
  tx?: Tx,
): Promise<IssuedSurvey> {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  const now = deps.clock.now();
  const write = async (db: Tx) => {
    const survey = await db.survey.create({
      data: {
        workspaceId: workspace.id,
        customerId: customer.id,
        sentById: options.sentById ?? null,
        tokenHash: hashToken(token),
        locale: options.locale ?? toLocale(workspace.locale, "zh"),
        expiresAt: new Date(now.getTime() + (options.expiresInDays ?? SURVEY_DAYS) * DAY_MS),
        createdAt: now,
      },
    });
    await audit(db, {
      createdAt: now,
      workspaceId: workspace.id,
      actorId: options.sentById ?? null,
      action: "survey.create",
      entity: "survey",
      entityId: survey.id,
      data: { customerId: customer.id },
    });
    return survey;
  };
  const survey = tx ? await write(tx) : await deps.prisma.$transaction(write);
  return { survey, token, url: surveyUrl(deps, token) };
}

/**
 * Gives an unanswered survey a new link, for a resend whose first link was never delivered (the
 * old token cannot be recovered, being stored only hashed). Returns null once it is answered.
 */
export async function reissueSurvey(deps: DomainDeps, surveyId: string, tx?: Tx): Promise<IssuedSurvey | null> {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  const db = tx ?? deps.prisma;
  const { count } = await db.survey.updateMany({
    where: { id: surveyId, respondedAt: null },
    data: { tokenHash: hashToken(token) },
  });
  if (count === 0) return null;
  const survey = await db.survey.findUniqueOrThrow({ where: { id: surveyId } });
  return { survey, token, url: surveyUrl(deps, token) };
}

export type SurveyWithContext = Survey & { customer: Customer; workspace: Workspace };

export type SurveyLookup = { state: "unknown" } | { state: "expired" | "answered" | "open"; survey: SurveyWithContext };

/** Finds the survey a link's token opens, and whether it can still be answered. */
export async function findSurveyByToken(deps: DomainDeps, token: string): Promise<SurveyLookup> {
  // A token of the wrong shape is refused without a query.
  if (!TOKEN_SHAPE.test(token)) return { state: "unknown" };
  const survey = await deps.prisma.survey.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { customer: true, workspace: true },
  });
  if (!survey) return { state: "unknown" };
  return { state: stateOf(survey, deps.clock.now()), survey };
}

function stateOf(survey: Survey, now: Date): "expired" | "answered" | "open" {
  if (survey.respondedAt) return "answered";
  return survey.expiresAt.getTime() <= now.getTime() ? "expired" : "open";
}

export type SubmitResult =
  | { outcome: "unknown" }
  | { outcome: "expired" | "answered"; survey: SurveyWithContext }
  | { outcome: "recorded"; survey: SurveyWithContext; detractor: boolean; feedbackId: string | null };

export interface DetractorPayload {
  surveyId: string;
  feedbackId: string;
  customerId: string;
  customerName: string;
  csat: number;
  nps: number;
  comment: string | null;
}

/**
 * Records an answer once. The update only matches while the survey is unanswered and unexpired,
 * so of two racing submissions exactly one wins; the winner's feedback item and detractor alert
 * are written in the same transaction, so they exist exactly when the answer does.
 */
export async function submitSurvey(
  deps: DomainDeps,
  token: string,
  given: z.input<typeof surveyAnswerSchema>,
): Promise<SubmitResult> {
  // Checked here too, so no caller can store a value off the scale.
  const answer = surveyAnswerSchema.parse(given);
  const found = await findSurveyByToken(deps, token);
  if (found.state === "unknown") return { outcome: "unknown" };
  const { survey } = found;
  if (found.state !== "open") return { outcome: found.state, survey };
  const now = deps.clock.now();
  const comment = answer.comment ? answer.comment : null;
  const detractor = isDetractor({ csat: answer.csat, nps: answer.nps });
  const feedbackId = await deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.survey.updateMany({
      where: { id: survey.id, respondedAt: null, expiresAt: { gt: now } },
      data: { csat: answer.csat, nps: answer.nps, comment, respondedAt: now },
    });
    if (count === 0) return undefined;
    await audit(tx, {
      createdAt: now,
      workspaceId: survey.workspaceId,
      actorId: null,
      action: "survey.answer",
      entity: "survey",
      entityId: survey.id,
      data: { csat: answer.csat, nps: answer.nps },
    });
    return detractor ? openDetractorFeedback(tx, survey, { csat: answer.csat, nps: answer.nps, comment }, now) : null;
  });
  if (feedbackId === undefined) {
    // Another submission won the race, or the link expired in between: say which.
    const again = await findSurveyByToken(deps, token);
    if (again.state === "unknown") return { outcome: "unknown" };
    return { outcome: again.state === "open" ? "expired" : again.state, survey: again.survey };
  }
  const answered = { ...survey, csat: answer.csat, nps: answer.nps, comment, respondedAt: now };
  return { outcome: "recorded", survey: answered, detractor, feedbackId };
}

async function openDetractorFeedback(
  tx: Tx,
  survey: SurveyWithContext,
  answer: { csat: number; nps: number; comment: string | null },
  now: Date,
): Promise<string> {
  // The customer's owner follows it up; an ownerless customer's, whoever sent the survey.
  const ownerId = survey.customer.ownerId ?? survey.sentById;
  const text = `CSAT ${answer.csat}/5 · NPS ${answer.nps}/10${answer.comment ? `: ${answer.comment}` : ""}`;
  const feedback = await tx.feedback.create({
    data: { workspaceId: survey.workspaceId, customerId: survey.customerId, ownerId, text, createdAt: now },
  });
  await audit(tx, {
    createdAt: now,
    workspaceId: survey.workspaceId,
    actorId: null,
    action: "feedback.open",
    entity: "feedback",
    entityId: feedback.id,
    data: { customerId: survey.customerId, surveyId: survey.id },
  });
  if (!ownerId) return feedback.id;
  const payload: DetractorPayload = {
    surveyId: survey.id,
    feedbackId: feedback.id,
    customerId: survey.customerId,
    customerName: survey.customer.name,
    ...answer,
  };
  await tx.nudge.createMany({
    data: [
      {
        workspaceId: survey.workspaceId,
        kind: "detractor",
        recipientId: ownerId,
        subjectKey: survey.id,
        customerId: survey.customerId,
        day: localDay(now, survey.workspace.timeZone),
        payload: payload as unknown as PrismaNS.InputJsonValue,
      },
    ],
    skipDuplicates: true,
  });
  return feedback.id;
}
