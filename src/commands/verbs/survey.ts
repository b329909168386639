// survey / 调查: sends a customer a satisfaction survey link, posted into the customer's linked
// channel when there is one (and the platform can post), else handed to the rep to forward.
import { z } from "zod";
import { findCustomerWithoutOwner } from "../../domain/customers.ts";
import { createSurvey } from "../../domain/surveys.ts";
import { toLocale } from "../../i18n/index.ts";
import { renderSurveyForward, renderSurveyInvitation, type SurveyLink } from "../../scheduler/messages/survey.ts";
import { textReply } from "../reply.ts";
import { defineVerb } from "../types.ts";
import { dayText } from "../views.ts";

export const survey = defineVerb({
  name: "survey",
  names: { en: ["survey", "csat"], zh: ["调查", "问卷", "满意度调查"] },
  options: { lang: ["locale", "language", "语言"] },
  parse: (args) => ({ name: args.rest(0), lang: args.options.lang }),
  schema: z.object({
    name: z.string().min(1, { error: () => "customer.refMissing" }),
    lang: z.enum(["en", "zh"], { error: () => "hint.locale" }).optional(),
  }),
  run: async (ctx, input) => {
    const { customer } = await findCustomerWithoutOwner(ctx.deps, ctx, input.name);
    // Asked from the customer's own channel, the survey speaks the language the rep used there.
    const inTheirChannel = ctx.channel !== undefined && ctx.channel === customer.linkedChannel;
    const locale = input.lang ?? (inTheirChannel ? ctx.locale : toLocale(ctx.workspace.locale, ctx.locale));
    const issued = await createSurvey(ctx.deps, ctx.workspace, customer, { sentById: ctx.member.id, locale });
    const link: SurveyLink = { customerName: customer.name, url: issued.url, expiresDay: dayText(ctx, issued.survey.expiresAt) };
    if (!customer.linkedChannel || !ctx.messenger) return renderSurveyForward(ctx, link);
    const channel = `<#${customer.linkedChannel}>`;
    try {
      await ctx.messenger.postToChannel(ctx.workspace, customer.linkedChannel, renderSurveyInvitation(locale, link));
    } catch (error) {
      return renderSurveyForward(ctx, link, undefined, ctx.t("survey.postFailed", { channel, reason: reasonOf(error) }));
    }
    return textReply(ctx.locale, `📨 ${ctx.t("survey.posted", { name: customer.name, channel, day: link.expiresDay })}`);
  },
});

/** A platform's error code (a DeliveryError's, say not_in_channel) or the start of its message. */
function reasonOf(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  return String(typeof e?.code === "string" ? e.code : (e?.message ?? error)).slice(0, 80);
}
