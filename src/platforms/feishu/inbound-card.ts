// A click on a card: a button or menu runs its command, a form button sends the form, a submitted
// form runs its verb and the form card turns into the result.
import { createHash } from "node:crypto";
import { decodeAction, type Form, type Reply } from "../../commands/reply.ts";
import { type Invocation, runCommand, runForm } from "../../commands/run.ts";
import type { Locale } from "../../i18n/index.ts";
import { type ActionValue, readActionValue } from "./action-value.ts";
import { invocationFor } from "./actors.ts";
import type { SendTarget } from "./api.ts";
import type { FeishuContext } from "./context.ts";
import { type CardActionEvent, cardActionEvent } from "./events.ts";
import { formCard, submittedValues } from "./form-card.ts";
import { apologize, replyCards, sendReply } from "./send.ts";

/** The callback's answer: empty, at once; the result comes as a new message or an updated card. */
export function onCardAction(ctx: FeishuContext, data: unknown): Record<string, never> {
  const parsed = cardActionEvent.safeParse(data);
  if (!parsed.success) {
    ctx.logger.warn({ issues: parsed.error.issues.length }, "feishu: a card callback of an unknown shape was ignored");
    return {};
  }
  const event = parsed.data;
  const value = readActionValue(event.action.value);
  const tenantKey = event.tenant_key ?? event.operator.tenant_key;
  if (!value || !tenantKey) {
    ctx.logger.warn({ tag: event.action.tag }, "feishu: a card callback this bot did not send was ignored");
    return {};
  }
  if (event.event_id && !ctx.recent.claim(`event:${event.event_id}`)) return {};
  ctx.work.run("card action", () =>
    act(ctx, event, value, tenantKey).catch((error: unknown) => apologize(ctx, cardTarget(event), clickId(event), error)),
  );
  return {};
}

// Results quote the card they came from.
function cardTarget(event: CardActionEvent): SendTarget {
  const messageId = event.context?.open_message_id;
  const chatId = event.context?.open_chat_id;
  if (messageId) return { replyTo: messageId };
  return chatId
    ? { receiveIdType: "chat_id", receiveId: chatId }
    : { receiveIdType: "open_id", receiveId: event.operator.open_id };
}

async function act(ctx: FeishuContext, event: CardActionEvent, value: ActionValue, tenantKey: string): Promise<void> {
  const messageId = event.context?.open_message_id;
  const chatId = event.context?.open_chat_id;
  const openId = event.operator.open_id;
  const deliveryId = clickId(event);
  const target = cardTarget(event);
  if ("form" in value) {
    if (ctx.recent.claim(deliveryId)) await ctx.api.sendCard(target, formCard(ctx.renderer, value.form, value.l), deliveryId);
    return;
  }
  const inv = await invocationFor(ctx, { tenantKey, openId, chatId, deliveryId });
  if ("submit" in value) {
    await submit(ctx, inv, value.submit.form, value.submit.l, event, messageId, target);
    return;
  }
  const encoded = "a" in value ? value.a : event.action.option;
  if (!encoded) return;
  const { locale, command } = decodeAction(encoded);
  const reply = await runCommand(inv, command, locale);
  if (reply) await sendReply(ctx.api, ctx.renderer, target, reply, deliveryId);
}

/**
 * A submitted form replaces its own card: with the result, so that it cannot be sent twice, or on a
 * mistake with the form again, the mistake on top and the values as they were typed.
 */
async function submit(
  ctx: FeishuContext,
  inv: Invocation,
  form: Form,
  locale: Locale,
  event: CardActionEvent,
  messageId: string | undefined,
  target: SendTarget,
): Promise<void> {
  const values = submittedValues(form, event.action.form_value);
  const reply = await runForm(inv, form.verb, values, locale);
  if (!reply) return;
  const [first, ...more] = reply.error
    ? [formCard(ctx.renderer, form, locale, { error: errorText(reply), values })]
    : replyCards(ctx.renderer, reply);
  if (!first) return;
  try {
    if (!messageId) throw new Error("no message to update");
    await ctx.api.updateCard(messageId, first);
  } catch (error) {
    // A card that can no longer be updated (too old, or deleted): the result comes as a message.
    ctx.logger.warn({ err: error }, "feishu: form card not updated; answering with a new message");
    await ctx.api.sendCard(target, first, `${inv.deliveryId}:0`);
  }
  for (const [i, card] of more.entries()) await ctx.api.sendCard(target, card, `${inv.deliveryId}:${i + 1}`);
}

function errorText(reply: Reply): string {
  return reply.blocks.flatMap((block) => (block.type === "text" || block.type === "context" ? [block.text] : [])).join("\n");
}

/**
 * One click, however often Feishu delivers it and however fast the user double-clicks: the card,
 * the person, what was clicked (and typed), within the minute. The same button clicked again later
 * (cards stay in the chat for days) is a new click.
 */
function clickId(event: CardActionEvent): string {
  const { value, option, form_value: formValue } = event.action;
  const what = createHash("sha256")
    .update(JSON.stringify([value ?? null, option ?? null, formValue ?? null]))
    .digest("hex")
    .slice(0, 24);
  const minute = Math.floor(Number(event.create_time) / 60_000);
  const when = Number.isFinite(minute) ? String(minute) : (event.event_id ?? "");
  return `feishu:card:${event.context?.open_message_id ?? ""}:${event.operator.open_id}:${what}:${when}`;
}
