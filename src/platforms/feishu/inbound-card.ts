// A click on a card: a button or menu runs its command, a form button sends the form, a submitted
// form runs its verb and the form card turns into the result.
import { createHash } from "node:crypto";
import { decodeAction, type Form, type Reply, textReply } from "../../commands/reply.ts";
import { type Locale, translate } from "../../i18n/index.ts";
import { within } from "../background.ts";
import { type ActionValue, readActionValue } from "./action-value.ts";
import type { Actor } from "./actors.ts";
import type { SendTarget } from "./api.ts";
import type { Card } from "./card.ts";
import type { FeishuContext } from "./context.ts";
import { fromEphemeralCard, markEphemeral } from "./ephemeral.ts";
import { type CardActionEvent, cardActionEvent } from "./events.ts";
import { formCard, submittedValues } from "./form-card.ts";
import { answer, apologize, type Conversation, replyCards, showCards, type Unrun } from "./send.ts";

/** The callback's answer: empty, or the card that replaces the one clicked (card JSON 2.0, "raw"). */
export type CardAnswer = { card?: { type: "raw"; data: Card } };

// Feishu waits 3 s for the callback's answer; past this, the result comes as a card of its own.
const ANSWER_WITHIN_MS = 2_000;

/**
 * Answers at once; the result comes as a new message or an updated card. A form submitted on a card
 * shown to one person is the exception: Feishu cannot update such a card through the API, only
 * through the callback's answer, so the form runs first (for up to 2 s) and its result is the answer.
 */
export function onCardAction(ctx: FeishuContext, data: unknown): CardAnswer | Promise<CardAnswer> {
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
  const conversation = conversationOf(event);
  if ("submit" in value && conversation.group) return submitShown(ctx, event, value.submit, tenantKey, conversation);
  ctx.work.run("card action", () =>
    act(ctx, event, value, tenantKey, conversation).catch((error: unknown) =>
      apologize(ctx, conversation, clickId(event), error, unrunOf(value, event)),
    ),
  );
  return {};
}

/** What a click asked for: its command or form, in the language of the card it was on (an older button names none). */
function unrunOf(value: ActionValue, event: CardActionEvent): Unrun {
  if ("l" in value) return { command: value.form.verb, locale: value.l };
  if ("submit" in value) return { command: value.submit.form.verb, locale: value.submit.l };
  const encoded = "a" in value ? value.a : event.action.option;
  return encoded ? decodeAction(encoded) : {};
}

/**
 * A card shown to one person lives in a group (Feishu shows such cards nowhere else), and cannot be
 * quoted: its results go to that person again, or into the chat. Any other card's results quote it.
 */
function conversationOf(event: CardActionEvent): Conversation {
  const messageId = event.context?.open_message_id;
  const chatId = event.context?.open_chat_id;
  const openId = event.operator.open_id;
  if (chatId && fromEphemeralCard(event.action.value)) {
    return { chatId, openId, group: true, target: { receiveIdType: "chat_id", receiveId: chatId } };
  }
  const target: SendTarget = messageId
    ? { replyTo: messageId }
    : chatId
      ? { receiveIdType: "chat_id", receiveId: chatId }
      : { receiveIdType: "open_id", receiveId: openId };
  return { chatId: chatId ?? "", openId, group: false, target };
}

async function act(
  ctx: FeishuContext,
  event: CardActionEvent,
  value: ActionValue,
  tenantKey: string,
  conversation: Conversation,
): Promise<void> {
  const messageId = event.context?.open_message_id;
  const chatId = event.context?.open_chat_id;
  const deliveryId = clickId(event);
  const { openId, target } = conversation;
  if ("form" in value) {
    if (!ctx.recent.claim(deliveryId)) return;
    const card = formCard(ctx.renderer, value.form, value.l);
    if (conversation.group) await showCards(ctx, conversation, [card], deliveryId);
    else await ctx.api.sendCard(target, card, deliveryId);
    return;
  }
  const actor: Actor = { tenantKey, openId, chatId, deliveryId };
  if ("submit" in value) {
    await submit(ctx, actor, value.submit.form, value.submit.l, event, messageId, target);
    return;
  }
  const encoded = "a" in value ? value.a : event.action.option;
  if (!encoded) return;
  const { locale, command } = decodeAction(encoded);
  await ctx.commands.answer(conversation, actor, command, locale);
}

/** What a submitted form turns into: the result, or on a mistake the form again. */
async function formResult(
  ctx: FeishuContext,
  actor: Actor,
  form: Form,
  locale: Locale,
  event: CardActionEvent,
): Promise<{ cards: Card[]; reply: Reply } | null> {
  const values = submittedValues(form, event.action.form_value);
  const reply = await ctx.commands.form(actor, form.verb, values, locale);
  if (!reply) return null;
  const cards = reply.error
    ? [formCard(ctx.renderer, form, locale, { error: errorText(reply), values })]
    : replyCards(ctx.renderer, reply);
  return { cards, reply };
}

/**
 * A form on a card shown to one person: the result replaces the form in the callback's answer, so
 * that it cannot be sent twice; a result for the channel is posted in the chat as well. A form that
 * takes longer than Feishu waits is replaced by a "working" note at once, and its result comes as a
 * card of its own when it is done.
 */
async function submitShown(
  ctx: FeishuContext,
  event: CardActionEvent,
  submitted: { form: Form; l: Locale },
  tenantKey: string,
  conversation: Conversation,
): Promise<CardAnswer> {
  const deliveryId = clickId(event);
  const actor: Actor = { tenantKey, openId: conversation.openId, chatId: conversation.chatId, deliveryId };
  const result = formResult(ctx, actor, submitted.form, submitted.l, event).catch(async (error: unknown) => {
    await apologize(ctx, conversation, deliveryId, error, { command: submitted.form.verb, locale: submitted.l });
    return null;
  });
  const inTime = await within(result, ANSWER_WITHIN_MS);
  if (inTime === "late") {
    ctx.work.run("form result", async () => {
      const late = await result;
      if (late) await showCards(ctx, conversation, late.cards, deliveryId);
    });
    // The form gives way at once to a note, so that it cannot be sent again while this one runs.
    const [working] = replyCards(ctx.renderer, textReply(submitted.l, translate(submitted.l, "form.working")));
    return working ? { card: { type: "raw", data: markEphemeral(working) } } : {};
  }
  if (!inTime) return {};
  const [first, ...more] = inTime.cards;
  if (!first) return {};
  if (more.length > 0) ctx.work.run("form result", () => showCards(ctx, conversation, more, `${deliveryId}:more`));
  if (inTime.reply.visibility === "channel" && !inTime.reply.error) {
    ctx.work.run("form result", () => answer(ctx, conversation, inTime.reply, `${deliveryId}:channel`));
  }
  return { card: { type: "raw", data: markEphemeral(first) } };
}

/**
 * A submitted form replaces its own card: with the result, so that it cannot be sent twice, or on a
 * mistake with the form again, the mistake on top and the values as they were typed.
 */
async function submit(
  ctx: FeishuContext,
  actor: Actor,
  form: Form,
  locale: Locale,
  event: CardActionEvent,
  messageId: string | undefined,
  target: SendTarget,
): Promise<void> {
  const result = await formResult(ctx, actor, form, locale, event);
  const [first, ...more] = result?.cards ?? [];
  if (!first) return;
  try {
    if (!messageId) throw new Error("no message to update");
    await ctx.api.updateCard(messageId, first);
  } catch (error) {
    // A card that can no longer be updated (too old, or deleted): the result comes as a message.
    ctx.logger.warn({ err: error }, "feishu: form card not updated; answering with a new message");
    await ctx.api.sendCard(target, first, `${actor.deliveryId}:0`);
  }
  for (const [i, card] of more.entries()) await ctx.api.sendCard(target, card, `${actor.deliveryId}:${i + 1}`);
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
