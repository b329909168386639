// A submitted form: run within Slack's 3-second window when possible, so that a mistake shows
// beside the field it concerns; otherwise the modal closes and the answer follows as a message.
import type { SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { apology, isOverloaded } from "../../../command-thread/protocol.ts";
import { type Reply, textReply } from "../../../commands/reply.ts";
import type { Locale } from "../../../i18n/index.ts";
import { withDelivery } from "../../../request-context.ts";
import { within } from "../../background.ts";
import type { ReplyTarget } from "../deliver.ts";
import { deliveryKey, type SlackActor, teamOf } from "../invocation.ts";
import { type FormMeta, fieldErrors, formValues, readMeta } from "../modal.ts";
import type { SlackServices } from "../services.ts";

// What is left of Slack's 3 seconds after the request's way here and our answer's way back.
const ANSWER_WITHIN_MS = 2_000;

/** Our forms' submissions (callback FORM_CALLBACK). */
export function onFormSubmitted(s: SlackServices) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const meta = readMeta(view.private_metadata);
    if (!meta) {
      await ack();
      return;
    }
    const values = { ...meta.hidden, ...formValues(view.state.values) };
    const actor: SlackActor = {
      teamId: teamOf(body),
      teamName: body.team?.domain,
      userId: body.user.id,
      userName: body.user.name,
      channel: meta.channel,
    };
    // The same view submitted again with the same values is the same delivery; corrected values are a new one.
    const deliveryId = deliveryKey("view", actor.teamId, body.user.id, view.id, JSON.stringify(values));
    const target = { userId: body.user.id, channel: meta.channel, responseUrl: meta.responseUrl, home: meta.home };
    await withDelivery(deliveryId, async () => {
      // What goes on after the ack is made by the functions below, not by closures here, so that
      // it holds none of this request (its body, the view, the ack with the HTTP request it answers).
      const work = runForm(s, actor, deliveryId, meta, values);
      const first = await replyWithin(work, ANSWER_WITHIN_MS);
      // A mistake, or a form refused unrun (too many commands waiting), stays open with what was typed.
      if (first !== "late" && "refused" in first) s.delivery.report(target, meta.verb, first.refused);
      const refused =
        first === "late" ? undefined : "refused" in first ? busyReply(meta.locale) : first.reply?.error ? first.reply : undefined;
      const errors = refused ? fieldErrors(view, errorText(refused)) : undefined;
      if (errors) {
        await ack({ response_action: "errors", errors });
        return;
      }
      await ack();
      s.afterAck(answerLater(s, target, actor, deliveryId, meta, work));
    });
  };
}

function runForm(
  s: SlackServices,
  actor: SlackActor,
  deliveryId: string,
  meta: FormMeta,
  values: Record<string, string>,
): Promise<Reply | null> {
  return (async () => {
    const link = meta.message ? await permalink(s, meta.message) : undefined;
    return s.commands.form(actor, deliveryId, meta.verb, link ? { ...values, link } : values, meta.locale);
  })();
}

/**
 * The reply if `work` gives it within `ms`, the refusal if it was refused unrun, else "late" (another
 * failure is "late" too: the answer reports it).
 */
function replyWithin(work: Promise<Reply | null>, ms: number): Promise<{ reply: Reply | null } | { refused: Error } | "late"> {
  return within(
    work.then(
      (reply) => ({ reply }),
      (error: unknown) => (isOverloaded(error) ? { refused: error } : ("late" as const)),
    ),
    ms,
  );
}

function busyReply(locale: Locale): Reply {
  return textReply(locale, apology("error.busy", locale));
}

function answerLater(
  s: SlackServices,
  target: ReplyTarget,
  actor: SlackActor,
  deliveryId: string,
  meta: FormMeta,
  work: Promise<Reply | null>,
): () => Promise<void> {
  return async () => {
    // The form's work started before the ack: its answer waits for no slot and is never refused.
    await s.delivery.answerStarted(target, meta.verb, work, meta.locale);
    if (meta.home)
      await s.home
        .publish(actor, deliveryId)
        .catch((error: unknown) => s.logger.warn({ err: error }, "Slack Home tab refresh failed"));
  };
}

function errorText(reply: Reply): string {
  const first = reply.blocks[0];
  return first && first.type === "text" ? first.text : reply.summary;
}

async function permalink(s: SlackServices, message: NonNullable<FormMeta["message"]>): Promise<string | undefined> {
  try {
    const found = await s.api.call("chat.getPermalink", (c) =>
      c.chat.getPermalink({ channel: message.channel, message_ts: message.ts }),
    );
    return found.permalink;
  } catch {
    // The interaction is worth logging without its link; the failure is logged by the API wrapper.
    return undefined;
  }
}
