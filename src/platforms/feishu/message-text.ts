// A chat message as command text: the bot's own mention dropped, colleagues' mentions as <@id|name>.
import type { Mention, MessageEvent } from "./events.ts";

type Message = MessageEvent["message"];

/**
 * The command a message carries, or null when it carries none for the bot: a group message that
 * does not mention the bot, or a message that is not text. In a direct chat no mention is needed.
 */
export function commandText(message: Message, botOpenId: string | undefined): string | null {
  const raw = rawText(message);
  if (raw === null) return null;
  const mentions = message.mentions ?? [];
  const isBot = (m: Mention, index: number) =>
    botOpenId !== undefined ? m.id?.open_id === botOpenId : index === 0 && raw.trimStart().startsWith(m.key);
  const bot = mentions.filter(isBot);
  if (message.chat_type !== "p2p" && bot.length === 0) return null;
  const byKey = new Map(mentions.map((m) => [m.key, m]));
  const botKeys = new Set(bot.map((m) => m.key));
  // The pattern takes every digit, so @_user_1 never eats the start of @_user_10.
  const text = raw.replace(/@_user_\d+|@_all/g, (key) => {
    if (key === "@_all" || botKeys.has(key)) return "";
    const m = byKey.get(key);
    if (!m) return key;
    const name = (m.name ?? "").replace(/[|>]/g, "");
    return m.id?.open_id ? `<@${m.id.open_id}|${name}>` : `@${name}`;
  });
  return text.trim();
}

/** The text of a text message, or of a rich-text (post) message, where mentions are `at` elements. */
function rawText(message: Message): string | null {
  const content = parse(message.content);
  if (!content) return null;
  if (message.message_type === "text") return typeof content.text === "string" ? content.text : null;
  if (message.message_type !== "post") return null;
  return postText(content, message.mentions ?? []);
}

type PostElement = { tag?: string; text?: string; user_id?: string; user_name?: string };

function postText(content: Record<string, unknown>, mentions: Mention[]): string | null {
  // A post may arrive wrapped in its language: {"zh_cn": {"title", "content"}}.
  const body = Array.isArray(content.content)
    ? content
    : (Object.values(content).find((v) => v && typeof v === "object") as Record<string, unknown> | undefined);
  const paragraphs = body?.content;
  if (!Array.isArray(paragraphs)) return null;
  const keyOf = new Map(mentions.flatMap((m) => (m.id?.open_id ? [[m.id.open_id, m.key] as const] : [])));
  const lines = paragraphs.map((paragraph) =>
    (Array.isArray(paragraph) ? (paragraph as PostElement[]) : [])
      .map((el) => {
        if (el.tag === "text" || el.tag === "a") return el.text ?? "";
        if (el.tag === "at") return keyOf.get(el.user_id ?? "") ?? (el.user_id === "all" ? "@_all" : `@${el.user_name ?? ""}`);
        return "";
      })
      .join(""),
  );
  return lines.join("\n");
}

function parse(content: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
