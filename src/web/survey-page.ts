// GET|POST /s/:token: the survey a customer opens from a link. The token is the only credential;
// answers are taken once, oversized or malformed posts are refused with a page that says why, and
// an unhappy answer reaches the customer's owner at once.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DomainDeps } from "../domain/deps.ts";
import {
  findSurveyByToken,
  MAX_COMMENT_LENGTH,
  SURVEY_DAYS,
  type SurveyWithContext,
  submitSurvey,
  surveyAnswerSchema,
} from "../domain/surveys.ts";
import { localDay } from "../domain/time.ts";
import type { Platform } from "../generated/prisma/client.ts";
import { type Locale, type Translate, toLocale, translator } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { Messenger } from "../platforms/types.ts";
import { deliverPending } from "../scheduler/deliver.ts";
import { readBody, type WebServer } from "./server.ts";
import { formPage, type MessageTone, messagePage, STYLE_HASH } from "./survey-html.ts";

export const MAX_SURVEY_BODY = 16 * 1024;

export interface SurveyPageDeps {
  deps: DomainDeps;
  logger: Logger;
  metrics?: Metrics | undefined;
  messengers: Partial<Record<Platform, Messenger>>;
}

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": `default-src 'none'; style-src '${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  "x-content-type-options": "nosniff",
  // The token is in the URL: no page it links to may learn it.
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

function send(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...extra });
  res.end(html);
}

export function registerSurveyPages(web: Pick<WebServer, "route">, d: SurveyPageDeps): void {
  // Failures are caught here so that no log line carries the token in the path.
  const guarded =
    (handler: (req: IncomingMessage, res: ServerResponse, token: string) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => {
      try {
        await handler(req, res, params.token ?? "");
      } catch (error) {
        d.logger.error({ err: error }, "survey page failed");
        const locale = localeOf(req, undefined);
        const t = translator(locale);
        if (!res.headersSent)
          send(res, 500, messagePage(locale, t, { title: t("survey.page.title"), lines: [t("error.internal")], tone: "bad" }));
      }
    };
  web.route(
    "GET",
    "/s/:token",
    guarded((req, res, token) => showSurvey(d, req, res, token)),
  );
  web.route(
    "POST",
    "/s/:token",
    guarded((req, res, token) => answerSurvey(d, req, res, token)),
  );
}

/** ?lang=en|zh, else the survey's language, else the browser's. */
function localeOf(req: IncomingMessage, surveyLocale: string | undefined, posted?: string): Locale {
  const asked = posted ?? new URL(req.url ?? "/", "http://localhost").searchParams.get("lang");
  if (asked === "en" || asked === "zh") return asked;
  return toLocale(surveyLocale, toLocale(req.headers["accept-language"]?.slice(0, 2), "zh"));
}

async function showSurvey(d: SurveyPageDeps, req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
  const found = await findSurveyByToken(d.deps, token);
  if (found.state === "unknown") return sendState(res, localeOf(req, undefined), found);
  const locale = localeOf(req, found.survey.locale);
  // Opening an answered link again is no mistake: it shows the answered page with 200.
  if (found.state !== "open")
    return sendState(res, locale, { state: found.state, survey: found.survey }, found.state === "answered" ? 200 : 410);
  const t = translator(locale);
  send(res, 200, formPage(locale, t, formView(found.survey, {}, [], new Set())));
}

async function answerSurvey(d: SurveyPageDeps, req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
  const body = await readBody(req, MAX_SURVEY_BODY);
  if (!body) {
    const found = await findSurveyByToken(d.deps, token);
    const locale = localeOf(req, found.state === "unknown" ? undefined : found.survey.locale);
    const t = translator(locale);
    const page = messagePage(locale, t, {
      title: t("survey.page.tooLargeTitle"),
      lines: [t("survey.page.tooLarge", { kb: MAX_SURVEY_BODY / 1024 })],
      tone: "bad",
    });
    // The rest of the upload is not read; closing is how the client learns to stop sending it.
    return send(res, 413, page, { connection: "close" });
  }
  const fields = await readForm(req, body);
  const found = await findSurveyByToken(d.deps, token);
  if (found.state === "unknown") return sendState(res, localeOf(req, undefined, fields?.lang), found);
  const locale = localeOf(req, found.survey.locale, fields?.lang);
  if (found.state !== "open") return sendState(res, locale, { state: found.state, survey: found.survey });
  const t = translator(locale);
  const checked = checkAnswer(t, fields);
  if (!checked.answer) {
    return send(res, 400, formPage(locale, t, formView(found.survey, fields ?? {}, checked.errors, checked.invalid)));
  }
  const result = await submitSurvey(d.deps, token, checked.answer);
  if (result.outcome === "unknown") return sendState(res, locale, { state: "unknown" });
  if (result.outcome !== "recorded") return sendState(res, locale, { state: result.outcome, survey: result.survey });
  const lines = [t("survey.page.thanks"), ...(result.detractor ? [t("survey.page.followUp")] : [])];
  send(res, 200, messagePage(locale, t, { title: t("survey.page.thanksTitle"), lines, tone: "ok" }));
  if (result.detractor) notifyOwner(d, result.survey);
}

/** Sends the detractor alert now; if the platform is down, the next sweep sends it. */
function notifyOwner(d: SurveyPageDeps, survey: SurveyWithContext): void {
  const messenger = d.messengers[survey.workspace.platform];
  if (!messenger) return;
  deliverPending(d, survey.workspace, messenger).catch((error: unknown) =>
    d.logger.warn({ err: error, survey: survey.id }, "detractor alert not sent yet"),
  );
}

type Fields = Partial<Record<"csat" | "nps" | "comment" | "lang", string>>;

/** The posted form, multipart (what the page sends) or URL-encoded; null when it cannot be read. */
async function readForm(req: IncomingMessage, body: Buffer): Promise<Fields | null> {
  const type = req.headers["content-type"] ?? "";
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) return null;
  try {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
    const fields: Fields = {};
    for (const name of ["csat", "nps", "comment", "lang"] as const) {
      const value = form.get(name);
      if (typeof value === "string") fields[name] = value;
    }
    return fields;
  } catch {
    return null;
  }
}

type Field = "csat" | "nps" | "comment";
const fieldErrors = {
  csat: "survey.page.missingCsat",
  nps: "survey.page.missingNps",
  comment: "survey.page.commentTooLong",
} as const;

/** The answer, or a sentence per wrong field, in the order the page asks them. */
function checkAnswer(t: Translate, fields: Fields | null) {
  const parsed = surveyAnswerSchema.safeParse({ csat: fields?.csat, nps: fields?.nps, comment: fields?.comment });
  if (parsed.success) return { answer: parsed.data, errors: [], invalid: new Set<Field>() };
  const invalid = new Set(parsed.error.issues.map((issue) => String(issue.path[0]) as Field));
  const errors = (["csat", "nps", "comment"] as const)
    .filter((f) => invalid.has(f))
    .map((f) => t(fieldErrors[f], { max: MAX_COMMENT_LENGTH }));
  return { answer: null, errors, invalid };
}

function formView(survey: SurveyWithContext, values: Fields, errors: string[], invalid: Set<Field>) {
  return {
    customerName: survey.customer.name,
    expiresDay: localDay(survey.expiresAt, survey.workspace.timeZone),
    values,
    errors,
    invalid,
    maxComment: MAX_COMMENT_LENGTH,
  };
}

const statusOf = { unknown: 404, expired: 410, answered: 409 } as const;

type State = { state: "unknown" } | { state: "expired" | "answered"; survey: SurveyWithContext };

function sendState(res: ServerResponse, locale: Locale, found: State, status?: number): void {
  const t = translator(locale);
  const message = stateMessage(t, found);
  send(res, status ?? statusOf[found.state], messagePage(locale, t, message));
}

function stateMessage(t: Translate, found: State): { title: string; lines: string[]; tone: MessageTone } {
  if (found.state === "unknown") return { title: t("survey.page.unknownTitle"), lines: [t("survey.page.unknown")], tone: "bad" };
  const { survey } = found;
  const tz = survey.workspace.timeZone;
  if (found.state === "expired") {
    return {
      title: t("survey.page.expiredTitle"),
      lines: [t("survey.page.expired", { days: SURVEY_DAYS, day: localDay(survey.expiresAt, tz) })],
      tone: "info",
    };
  }
  const day = survey.respondedAt ? localDay(survey.respondedAt, tz) : "—";
  return { title: t("survey.page.answeredTitle"), lines: [t("survey.page.answered", { day })], tone: "ok" };
}
