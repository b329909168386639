// The "Log to customer" message shortcut: a log form with the message's text as the summary;
// the submission (listeners/submissions.ts) logs it with the message's permalink.
import type { MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import type { Form } from "../../../commands/reply.ts";
import { context } from "../../../commands/run.ts";
import { logForm } from "../../../commands/views.ts";
import { MAX_SUMMARY_LENGTH } from "../../../domain/interactions.ts";
import { toLocale } from "../../../i18n/index.ts";
import { withDelivery } from "../../../request-context.ts";
import { deliveryKey, type SlackActor, teamOf, unescapeText } from "../invocation.ts";
import type { SlackServices } from "../services.ts";

export const LOG_SHORTCUT = "log_to_customer";

export function onLogShortcut(s: SlackServices) {
  return async ({ ack, shortcut }: Pick<SlackShortcutMiddlewareArgs<MessageShortcut>, "ack" | "shortcut">): Promise<void> => {
    await ack();
    const actor: SlackActor = {
      teamId: teamOf(shortcut),
      teamName: shortcut.team?.domain,
      userId: shortcut.user.id,
      userName: shortcut.user.name,
      channel: shortcut.channel.id,
    };
    const target = {
      userId: actor.userId,
      channel: actor.channel,
      responseUrl: shortcut.response_url,
      triggerId: shortcut.trigger_id,
    };
    // Opening the form writes nothing: the id only labels the logs.
    const deliveryId = deliveryKey("shortcut", actor.teamId, actor.userId, shortcut.trigger_id);
    const text = unescapeText(shortcut.message.text ?? "");
    const message = { channel: shortcut.channel.id, ts: shortcut.message.ts };
    s.afterAck(() =>
      withDelivery(deliveryId, async () => {
        try {
          const inv = await s.invocations(actor, deliveryId);
          const locale = toLocale(inv.member.locale, toLocale(inv.workspace.locale, "zh"));
          await s.delivery.openForm(target, messageLogForm(context(inv, locale), text), locale, { message });
        } catch (error) {
          s.logger.error({ err: error }, "Slack shortcut failed");
        }
      }),
    );
  };
}

/** The card's log form, with a customer field instead of a fixed customer, and the message as summary. */
function messageLogForm(ctx: Parameters<typeof logForm>[0], text: string): Form {
  const { t } = ctx;
  const base = logForm(ctx, { id: "", name: "" });
  return {
    ...base,
    title: t("slack.shortcut.title"),
    hidden: undefined,
    fields: [
      { name: "customer", label: t("slack.shortcut.customer"), kind: "text", placeholder: t("slack.shortcut.customerHint") },
      ...base.fields.map((field) => {
        if (field.name === "kind") return { ...field, initial: "message" };
        if (field.name === "_") return { ...field, initial: text.slice(0, MAX_SUMMARY_LENGTH) };
        return field;
      }),
    ],
  };
}
