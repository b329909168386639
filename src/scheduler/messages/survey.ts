// Survey messages: the invitation posted into a customer's channel, in the survey's language, and
// the message that hands the rep a link to forward when no channel is linked.
import type { Reply } from "../../commands/reply.ts";
import { firstLine } from "../../commands/reply.ts";
import { type Locale, type Translate, translator } from "../../i18n/index.ts";

export interface SurveyLink {
  customerName: string;
  url: string;
  /** The last local day the link is open. */
  expiresDay: string;
}

export function renderSurveyInvitation(locale: Locale, link: SurveyLink): Reply {
  const t = translator(locale);
  const text = `🙏 **${t("survey.invite.title")}**\n${t("survey.invite.text", { name: link.customerName })}\n[${t("survey.invite.button")}](${link.url})`;
  return {
    visibility: "channel",
    locale,
    summary: t("survey.invite.title"),
    blocks: [
      { type: "text", text },
      { type: "actions", actions: [{ kind: "link", label: t("survey.invite.button"), url: link.url }] },
      { type: "context", text: t("survey.invite.expires", { day: link.expiresDay }) },
    ],
  };
}

/** For the rep: the link to pass on, with why it was made when it was sent automatically. */
export function renderSurveyForward(
  ctx: { t: Translate; locale: Locale },
  link: SurveyLink,
  reason?: "visit" | "acceptance",
  note?: string,
): Reply {
  const { t } = ctx;
  const params = { name: link.customerName, day: link.expiresDay, url: link.url };
  const text = reason ? t("survey.auto", { ...params, reason: t(`survey.reason.${reason}`) }) : t("survey.forward", params);
  return {
    visibility: "ephemeral",
    locale: ctx.locale,
    summary: firstLine(text),
    blocks: [
      ...(note ? [{ type: "context" as const, text: `⚠️ ${note}` }] : []),
      { type: "text", text: `📨 ${text}` },
      { type: "actions", actions: [{ kind: "link", label: t("survey.openLink"), url: link.url }] },
    ],
  };
}
