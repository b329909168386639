// The open API calls the adapter makes, through the SDK's client (and its token cache), with retries.
import { createHash } from "node:crypto";
import type * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics.ts";
import { DeliveryError } from "../types.ts";
import type { Card } from "./card.ts";
import { ephemeralPolicy, FeishuApiError, lookupPolicy, type RetryPolicy, sendPolicy, withRetry } from "./retry.ts";

/** Where a card goes: to a user or a group, or as a reply to a message (which keeps its context). */
export type SendTarget = { receiveIdType: "open_id" | "chat_id"; receiveId: string } | { replyTo: string };

/** What contact/v3/users/:id tells about a user, as far as the app's contact scope allows. */
export interface ContactUser {
  open_id?: string;
  name?: string;
  en_name?: string;
  leader_user_id?: string;
  is_tenant_manager?: boolean;
}

interface Body {
  code: number;
  msg?: string;
}

type RequestConfig = Parameters<lark.Client["request"]>[0];

// A hung connection must not hold a reminder or a reply forever.
const TIMEOUT_MS = 10_000;

export class FeishuApi {
  constructor(
    private readonly client: lark.Client,
    private readonly deps: { logger: Logger; metrics: Metrics },
  ) {}

  /**
   * Sends an interactive card. `idempotencyKey` becomes the message's uuid: Feishu sends at most
   * one message per uuid within an hour, so a retry after a lost answer never posts twice.
   */
  async sendCard(target: SendTarget, card: Card, idempotencyKey: string): Promise<string> {
    const data = { msg_type: "interactive", content: JSON.stringify(card), uuid: messageUuid(idempotencyKey) };
    const body =
      "replyTo" in target
        ? await this.call<{ data?: { message_id?: string } }>("im.message.reply", sendPolicy, {
            method: "POST",
            url: `/open-apis/im/v1/messages/${encodeURIComponent(target.replyTo)}/reply`,
            data,
          })
        : await this.call<{ data?: { message_id?: string } }>("im.message.create", sendPolicy, {
            method: "POST",
            url: "/open-apis/im/v1/messages",
            params: { receive_id_type: target.receiveIdType },
            data: { ...data, receive_id: target.receiveId },
          });
    const id = body.data?.message_id;
    if (!id) throw new DeliveryError("im.message: no message_id in the answer", "no_message_id", false);
    return id;
  }

  /**
   * Shows a card to one person in a group chat, marked "only visible to you" (ephemeral/v1/send).
   * Feishu takes it in ordinary groups the bot is in, not in topic groups or direct chats; a refusal
   * is the caller's to handle (it posts the card instead), so it is not logged as a warning here.
   * There is no uuid on this call: a retry after a lost answer can show the card twice, to one person.
   */
  async sendEphemeral(chatId: string, openId: string, card: Card): Promise<string> {
    const body = await this.call<{ data?: { message_id?: string } }>(
      "ephemeral.send",
      ephemeralPolicy,
      {
        method: "POST",
        url: "/open-apis/ephemeral/v1/send",
        data: { chat_id: chatId, open_id: openId, msg_type: "interactive", card },
      },
      { callerReports: true },
    );
    const id = body.data?.message_id;
    if (!id) throw new DeliveryError("ephemeral.send: no message_id in the answer", "no_message_id", false);
    return id;
  }

  /** Replaces a card the bot sent (cards of schema 2.0 are shared, so everyone sees the new one). */
  async updateCard(messageId: string, card: Card): Promise<void> {
    await this.call("im.message.patch", sendPolicy, {
      method: "PATCH",
      url: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`,
      data: { content: JSON.stringify(card) },
    });
  }

  /** A user's profile, or null when the app may not see it (or Feishu cannot answer now). */
  async user(openId: string): Promise<ContactUser | null> {
    try {
      const body = await this.call<{ data?: { user?: ContactUser } }>("contact.user.get", lookupPolicy, {
        method: "GET",
        url: `/open-apis/contact/v3/users/${encodeURIComponent(openId)}`,
        params: { user_id_type: "open_id", department_id_type: "open_department_id" },
      });
      return body.data?.user ?? null;
    } catch (error) {
      if (error instanceof DeliveryError) return null;
      throw error;
    }
  }

  /** The bot's own open_id and name: to tell a mention of the bot from a mention of a colleague. */
  async botInfo(): Promise<{ openId: string; name: string } | null> {
    try {
      const body = await this.call<{ bot?: { open_id?: string; app_name?: string } }>("bot.info", lookupPolicy, {
        method: "GET",
        url: "/open-apis/bot/v3/info",
      });
      return body.bot?.open_id ? { openId: body.bot.open_id, name: body.bot.app_name ?? "" } : null;
    } catch (error) {
      if (error instanceof DeliveryError) return null;
      throw error;
    }
  }

  /** `callerReports`: the caller logs the outcome of a failure (one line), so each try is logged at debug level. */
  private call<T>(
    method: string,
    policy: RetryPolicy,
    request: RequestConfig,
    options: { callerReports?: boolean } = {},
  ): Promise<T & Body> {
    const { logger, metrics } = this.deps;
    return withRetry(
      async () => {
        const started = performance.now();
        const body = await this.client.request<T & Body>({ ...request, timeout: TIMEOUT_MS });
        if (body.code !== 0) throw new FeishuApiError(method, body.code, body.msg ?? "error");
        logger.debug({ method, ms: Math.round(performance.now() - started) }, `feishu: ${method}`);
        return body;
      },
      policy,
      (failure, attempt) => {
        metrics.platformErrors.inc({ platform: "feishu", method, code: failure.code });
        const level = options.callerReports ? "debug" : "warn";
        logger[level]({ method, code: failure.code, attempt, retryable: failure.retryable }, `feishu: ${method} failed`);
      },
    );
  }
}

/** Feishu accepts a uuid of at most 50 characters. */
function messageUuid(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 40);
}
