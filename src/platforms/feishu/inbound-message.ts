// A message to the bot (a direct chat, or an @mention in a group) run as a command, answered in the chat
// (in a group, an answer meant for the asker alone is shown to them only).
import { runCommand } from "../../commands/run.ts";
import { toLocale } from "../../i18n/index.ts";
import { invocationFor } from "./actors.ts";
import type { FeishuContext } from "./context.ts";
import { botAddedEvent, type MessageEvent, messageEvent } from "./events.ts";
import { commandText } from "./message-text.ts";
import { apologize, type Conversation, sendReply } from "./send.ts";

/** Returns at once; the command runs after Feishu has its answer. */
export function onMessage(ctx: FeishuContext, data: unknown): void {
  const parsed = messageEvent.safeParse(data);
  if (!parsed.success) {
    ctx.logger.warn({ issues: parsed.error.issues.length }, "feishu: a message event of an unknown shape was ignored");
    return;
  }
  const event = parsed.data;
  const openId = event.sender.sender_id?.open_id;
  const tenantKey = event.tenant_key ?? event.sender.tenant_key;
  // Other bots' messages are not commands.
  if (event.sender.sender_type !== "user" || !openId || !tenantKey) return;
  if (event.event_id && !ctx.recent.claim(`event:${event.event_id}`)) return;
  if (!ctx.recent.claim(`message:${event.message.message_id}`)) return;
  const { message } = event;
  const conversation = conversationOf(message, openId);
  ctx.work.run("message", () =>
    run(ctx, event, tenantKey, conversation).catch((error: unknown) =>
      // In the language the command was typed in, as its answer would have been.
      apologize(ctx, conversation, `feishu:msg:${message.message_id}`, error, {
        command: commandText(message, ctx.bot.openId) ?? "",
      }),
    ),
  );
}

// In a group an answer for everyone quotes the question, so a busy chat still reads as a
// conversation. Only an ordinary group ("group", not a topic group) can show a card to one person.
function conversationOf(message: MessageEvent["message"], openId: string): Conversation {
  const group = message.chat_type !== "p2p";
  return {
    chatId: message.chat_id,
    openId,
    group: message.chat_type === "group",
    target: group ? { replyTo: message.message_id } : { receiveIdType: "chat_id", receiveId: message.chat_id },
  };
}

async function run(ctx: FeishuContext, event: MessageEvent, tenantKey: string, conversation: Conversation): Promise<void> {
  const { openId } = conversation;
  await ctx.bot.load();
  const { message } = event;
  const text = commandText(message, ctx.bot.openId);
  if (text === null) return;
  const group = message.chat_type !== "p2p";
  // The message id is the delivery: Feishu's retries of this event, under whatever event id, run it once.
  const deliveryId = `feishu:msg:${message.message_id}`;
  const actor = { tenantKey, openId, chatId: message.chat_id, deliveryId, invocation: group ? ctx.bot.mention : undefined };
  await ctx.commands.answer(conversation, actor, text);
}

/** Added to a group: say what the bot does, in the workspace's language. */
export function onBotAdded(ctx: FeishuContext, data: unknown): void {
  const parsed = botAddedEvent.safeParse(data);
  if (!parsed.success) return;
  const event = parsed.data;
  const openId = event.operator_id?.open_id;
  if (!openId || !event.tenant_key || !event.event_id) return;
  if (!ctx.recent.claim(`event:${event.event_id}`)) return;
  const { tenant_key: tenantKey, event_id: eventId, chat_id: chatId } = event;
  ctx.work.run("bot added", async () => {
    await ctx.bot.load();
    const inv = await invocationFor(ctx, {
      tenantKey,
      openId,
      chatId,
      deliveryId: `feishu:event:${eventId}`,
      invocation: ctx.bot.mention,
    });
    const reply = await runCommand(inv, "help", toLocale(inv.workspace.locale, "zh"));
    if (reply) await sendReply(ctx.api, ctx.renderer, { receiveIdType: "chat_id", receiveId: chatId }, reply, inv.deliveryId);
  });
}
