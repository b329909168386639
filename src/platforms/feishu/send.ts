// Sends a reply as cards (several when it is long), each under an idempotency key of its own: into
// the chat, or in a group shown only to the person who asked when the reply is theirs alone.

import { createHash } from "node:crypto";
import { apology, apologyFor } from "../../command-thread/protocol.ts";
import { type Reply, textReply } from "../../commands/reply.ts";
import { commandHead } from "../../commands/run.ts";
import type { Member, Workspace } from "../../generated/prisma/client.ts";
import type { Locale } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import { reportFailure } from "../failures.ts";
import { DeliveryError, type Messenger, type SendOptions } from "../types.ts";
import type { FeishuApi, SendTarget } from "./api.ts";
import type { Card, CardRenderer } from "./card.ts";
import type { FeishuContext } from "./context.ts";
import { markEphemeral } from "./ephemeral.ts";
import { formCard } from "./form-card.ts";

/** Where a command was typed or a card clicked: what its answer needs to find its way back. */
export interface Conversation {
  chatId: string;
  /** The person who typed or clicked. */
  openId: string;
  /** An ordinary group chat, where Feishu can show a card to one person ("only visible to you"). */
  group: boolean;
  /** Where an answer for everyone goes: quoting the question, or into the chat. */
  target: SendTarget;
}

export function replyCards(renderer: CardRenderer, reply: Reply): Card[] {
  return reply.openForm ? [formCard(renderer, reply.openForm, reply.locale)] : renderer.reply(reply);
}

/** Resolves with the message ids, the first card's first. */
export async function sendReply(
  api: Pick<FeishuApi, "sendCard">,
  renderer: CardRenderer,
  target: SendTarget,
  reply: Reply,
  key: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, card] of replyCards(renderer, reply).entries()) ids.push(await api.sendCard(target, card, `${key}:${i}`));
  return ids;
}

/** What answering needs: the open API, cards, and a logger for a refusal. */
export type Answering = Pick<FeishuContext, "api" | "renderer" | "logger">;

/**
 * The answer to a command or a click. In a group, an ephemeral reply (lists, cards, help, mistakes)
 * is shown to the person who asked only, as Slack does; a reply for the channel, and every reply in
 * a direct chat, is posted as before.
 */
export async function answer(ctx: Answering, conversation: Conversation, reply: Reply, key: string): Promise<void> {
  const cards = replyCards(ctx.renderer, reply);
  if (reply.visibility === "ephemeral" && conversation.group) {
    await showCards(ctx, conversation, cards, key);
    return;
  }
  for (const [i, card] of cards.entries()) await ctx.api.sendCard(conversation.target, card, `${key}:${i}`);
}

/**
 * Shows cards to the person alone. Feishu refuses that in a topic group, in a group the bot has
 * left, or for a card it does not take there; the cards from the refused one on are then posted in
 * the chat, so a refused answer is not lost, only seen by more people.
 */
export async function showCards(ctx: Answering, conversation: Conversation, cards: Card[], key: string): Promise<void> {
  for (const [i, card] of cards.entries()) {
    try {
      await ctx.api.sendEphemeral(conversation.chatId, conversation.openId, markEphemeral(card));
    } catch (error) {
      // Only a refusal falls back to the chat. A timeout or an outage may come after Feishu showed
      // the card (the endpoint takes no uuid), and then the whole group would see it too.
      if (!(error instanceof DeliveryError) || error.retryable) throw error;
      ctx.logger.warn(
        { method: "ephemeral.send", code: error.code, chatId: conversation.chatId },
        "feishu: answer could not be shown to one person; posted in the chat",
      );
      for (const [j, rest] of cards.slice(i).entries()) await ctx.api.sendCard(conversation.target, rest, `${key}:${i + j}`);
      return;
    }
  }
}

/** What is known of a request answered without being run: its command (text or a form's verb), the language of the card clicked. */
export interface Unrun {
  command?: string | undefined;
  locale?: Locale | undefined;
}

/**
 * A request that failed on our side (the database gone, say) or was refused as over the backlog is
 * counted, logged with its request id and answered with a short "try again": the event was
 * acknowledged, so Feishu will not send it again. In the clicked card's language, else its
 * command's, else the default.
 */
export async function apologize(ctx: FeishuContext, conversation: Conversation, key: string, error: unknown, unrun: Unrun = {}) {
  const head = commandHead(unrun.command ?? "");
  reportFailure({ logger: ctx.logger, metrics: ctx.core.metrics }, "feishu", head, error);
  const locale = unrun.locale ?? head.locale ?? ctx.core.config.defaultLocale;
  await answer(ctx, conversation, textReply(locale, apology(apologyFor(error), locale)), `${key}:failed`);
}

/**
 * What the scheduler sends through: reminders and digests by open_id, survey links by chat_id.
 * The idempotency key is the caller's (a nudge's id), else the recipient and the content, so a send
 * retried within the hour (after an answer lost on the way, or a sender that died) reaches the
 * person once.
 */
export function feishuMessenger(api: Pick<FeishuApi, "sendCard">, renderer: CardRenderer, logger: Logger): Messenger {
  const send = async (
    workspace: Workspace,
    target: Extract<SendTarget, { receiveId: string }>,
    reply: Reply,
    options: SendOptions = {},
  ) => {
    if (workspace.platform !== "feishu") {
      throw new DeliveryError(`workspace ${workspace.id} is not a Feishu tenant`, "wrong_platform", false);
    }
    // A nudge's own key holds even when its text changed between attempts (a day more overdue).
    const key =
      options.idempotencyKey ??
      createHash("sha256")
        .update(`${target.receiveIdType}:${target.receiveId}:${JSON.stringify(reply)}`)
        .digest("hex");
    try {
      const [first] = await sendReply(api, renderer, target, reply, key);
      return first as string;
    } catch (error) {
      const code = error instanceof DeliveryError ? error.code : "internal";
      logger.error({ err: error, code, receiveIdType: target.receiveIdType }, "feishu: message not delivered");
      throw error;
    }
  };
  return {
    sendDirect: (workspace: Workspace, member: Member, reply: Reply, options?: SendOptions) =>
      send(workspace, { receiveIdType: "open_id", receiveId: member.externalId }, reply, options),
    postToChannel: (workspace: Workspace, channel: string, reply: Reply) =>
      send(workspace, { receiveIdType: "chat_id", receiveId: channel }, reply),
  };
}
