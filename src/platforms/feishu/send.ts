// Sends a reply as cards (several when it is long), each under an idempotency key of its own.
import { createHash } from "node:crypto";
import type { Reply } from "../../commands/reply.ts";
import type { Member, Workspace } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import { DeliveryError, type Messenger } from "../types.ts";
import type { FeishuApi, SendTarget } from "./api.ts";
import type { Card, CardRenderer } from "./card.ts";
import { formCard } from "./form-card.ts";

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

/**
 * What the scheduler sends through: reminders and digests by open_id, survey links by chat_id.
 * The idempotency key is the recipient and the content, so a send retried within the hour (after
 * an answer lost on the way, say) reaches the person once.
 */
export function feishuMessenger(api: Pick<FeishuApi, "sendCard">, renderer: CardRenderer, logger: Logger): Messenger {
  const send = async (workspace: Workspace, target: Extract<SendTarget, { receiveId: string }>, reply: Reply) => {
    if (workspace.platform !== "feishu") {
      throw new DeliveryError(`workspace ${workspace.id} is not a Feishu tenant`, "wrong_platform", false);
    }
    const key = createHash("sha256")
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
    sendDirect: (workspace: Workspace, member: Member, reply: Reply) =>
      send(workspace, { receiveIdType: "open_id", receiveId: member.externalId }, reply),
    postToChannel: (workspace: Workspace, channel: string, reply: Reply) =>
      send(workspace, { receiveIdType: "chat_id", receiveId: channel }, reply),
  };
}
