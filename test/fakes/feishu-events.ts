// Events and card callbacks shaped exactly as Feishu pushes them (schema 2.0), encrypted and signed
// the way Feishu does it when an encrypt key is set.
import { createCipheriv, createHash, randomBytes } from "node:crypto";

export const APP_ID = "cli_a1b2c3d4e5f60718";
let sequence = 0;
const next = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++sequence).toString(36)}`;

export interface EventHeaderOptions {
  tenantKey: string;
  token?: string | undefined;
  eventId?: string;
  /** Milliseconds since the epoch, as a string in the header. */
  createTime?: number;
}

function header(type: string, o: EventHeaderOptions) {
  return {
    event_id: o.eventId ?? next("ev_"),
    token: o.token ?? "",
    create_time: String(o.createTime ?? Date.now()),
    event_type: type,
    tenant_key: o.tenantKey,
    app_id: APP_ID,
  };
}

export interface MentionSpec {
  openId: string;
  name: string;
}

export interface MessageOptions extends EventHeaderOptions {
  openId: string;
  chatId: string;
  chatType: "p2p" | "group";
  /** Message text; "@_user_N" placeholders stand where `mentions` are. */
  text: string;
  mentions?: MentionSpec[];
  messageId?: string;
  senderType?: "user" | "app";
}

export function messageEvent(o: MessageOptions) {
  return {
    schema: "2.0",
    header: header("im.message.receive_v1", o),
    event: {
      sender: {
        sender_id: { union_id: `on_${o.openId}`, user_id: `u_${o.openId}`, open_id: o.openId },
        sender_type: o.senderType ?? "user",
        tenant_key: o.tenantKey,
      },
      message: {
        message_id: o.messageId ?? next("om_"),
        root_id: "",
        parent_id: "",
        create_time: String(o.createTime ?? Date.now()),
        update_time: String(o.createTime ?? Date.now()),
        chat_id: o.chatId,
        thread_id: "",
        chat_type: o.chatType,
        message_type: "text",
        content: JSON.stringify({ text: o.text }),
        mentions: (o.mentions ?? []).map((m, i) => ({
          key: `@_user_${i + 1}`,
          id: { union_id: `on_${m.openId}`, user_id: `u_${m.openId}`, open_id: m.openId },
          name: m.name,
          tenant_key: o.tenantKey,
        })),
        user_agent: "Mozilla/5.0 Lark/7.30.0",
      },
    },
  };
}

export interface CardActionOptions extends EventHeaderOptions {
  openId: string;
  messageId: string;
  chatId: string;
  value: unknown;
  tag?: string;
  option?: string;
  formValue?: Record<string, unknown>;
  name?: string;
}

export function cardActionEvent(o: CardActionOptions) {
  return {
    schema: "2.0",
    header: header("card.action.trigger", o),
    event: {
      operator: { tenant_key: o.tenantKey, user_id: `u_${o.openId}`, open_id: o.openId, union_id: `on_${o.openId}` },
      token: `c-${randomBytes(8).toString("hex")}`,
      action: {
        value: o.value,
        tag: o.tag ?? "button",
        ...(o.option !== undefined ? { option: o.option } : {}),
        ...(o.formValue !== undefined ? { form_value: o.formValue } : {}),
        ...(o.name !== undefined ? { name: o.name } : {}),
      },
      host: "im_message",
      context: { open_message_id: o.messageId, open_chat_id: o.chatId },
    },
  };
}

export function botAddedEvent(o: EventHeaderOptions & { chatId: string; openId: string }) {
  return {
    schema: "2.0",
    header: header("im.chat.member.bot.added_v1", o),
    event: {
      chat_id: o.chatId,
      operator_id: { union_id: `on_${o.openId}`, user_id: `u_${o.openId}`, open_id: o.openId },
      external: false,
      operator_tenant_key: o.tenantKey,
      name: "Sales",
    },
  };
}

export function urlVerification(token: string, challenge: string) {
  return { challenge, token, type: "url_verification" };
}

/** {"encrypt": base64(iv + AES-256-CBC(json))}, the key being SHA-256 of the encrypt key. */
export function encrypt(payload: unknown, encryptKey: string): { encrypt: string } {
  const key = createHash("sha256").update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload)), cipher.final()]);
  return { encrypt: Buffer.concat([iv, body]).toString("base64") };
}

/** X-Lark-Signature: SHA-256 hex of timestamp + nonce + encrypt key + the raw body. */
export function signedHeaders(
  rawBody: string,
  encryptKey: string,
  timestampSeconds: number,
  nonce = randomBytes(8).toString("hex"),
) {
  const timestamp = String(timestampSeconds);
  const signature = createHash("sha256")
    .update(timestamp + nonce + encryptKey + rawBody)
    .digest("hex");
  return { "x-lark-request-timestamp": timestamp, "x-lark-request-nonce": nonce, "x-lark-signature": signature };
}
