// Feedback DMs: the daily list of an owner's open items, and the alert about an unhappy survey
// answer, sent the moment it arrives.
import type { Block, Form, Reply } from "../../commands/reply.ts";
import { clip, ref } from "../../commands/views.ts";
import { shortId } from "../../domain/feedback.ts";
import type { FeedbackReminderPayload } from "../../domain/nudges/feedback.ts";
import type { DetractorPayload } from "../../domain/surveys.ts";
import type { Translate } from "../../i18n/index.ts";
import type { MessageContext } from "./context.ts";

/** A form that resolves one item: what was done, typed once, without the item's id. */
export function resolveForm(t: Translate, item: { id: string }): Form {
  return {
    verb: "feedback",
    title: t("feedback.resolveTitle"),
    submitLabel: t("feedback.resolve"),
    hidden: { item: `#${item.id}` },
    fields: [{ name: "_", label: t("feedback.resolveField"), kind: "multiline" }],
  };
}

export function renderFeedbackReminder(ctx: MessageContext, payload: FeedbackReminderPayload): Reply {
  const { t } = ctx;
  const title = t("feedback.reminderTitle", { count: payload.total });
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const item of payload.items) {
    const line = t("feedback.reminderItem", { id: shortId(item), name: item.customerName, days: item.daysOpen });
    blocks.push({ type: "text", text: `${line}\n> ${clip(item.text, 160)}` });
    blocks.push({
      type: "actions",
      actions: [
        { kind: "form", label: t("feedback.resolve"), form: resolveForm(t, item), style: "primary" },
        { kind: "command", label: t("action.show"), command: `show ${ref({ id: item.customerId })}` },
      ],
    });
  }
  const more = payload.total - payload.items.length;
  if (more > 0) blocks.push({ type: "context", text: t("nudge.more", { count: more }) });
  return { visibility: "ephemeral", locale: ctx.locale, summary: title, blocks };
}

export function renderDetractor(ctx: MessageContext, p: DetractorPayload): Reply {
  const { t } = ctx;
  const title = t("detractor.title", { name: p.customerName, csat: p.csat, nps: p.nps });
  const said = p.comment ? t("detractor.comment", { comment: clip(p.comment, 600) }) : t("detractor.noComment");
  return {
    visibility: "ephemeral",
    locale: ctx.locale,
    summary: title,
    blocks: [
      { type: "header", text: title },
      { type: "text", text: said },
      { type: "context", text: t("detractor.opened", { id: shortId({ id: p.feedbackId }) }) },
      {
        type: "actions",
        actions: [
          { kind: "form", label: t("feedback.resolve"), form: resolveForm(t, { id: p.feedbackId }), style: "primary" },
          { kind: "command", label: t("action.show"), command: `show ${ref({ id: p.customerId })}` },
        ],
      },
    ],
  };
}
