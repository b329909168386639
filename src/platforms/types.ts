// What the rest of the bot needs from a chat platform: start, stop, health, and sending messages.
import type { Reply } from "../commands/reply.ts";
import type { Member, Workspace } from "../generated/prisma/client.ts";
import type { PlatformHealth } from "../web/server.ts";

/** Sends replies outside a conversation: reminders, digests, survey links. */
export interface Messenger {
  /**
   * Sends a direct message to a member; resolves with the platform's message id. `idempotencyKey`
   * (a nudge's id) lets a platform that supports it drop a resend of the same message.
   */
  sendDirect(workspace: Workspace, member: Member, reply: Reply, options?: SendOptions): Promise<string>;
  /** Posts into a channel or group; resolves with the platform's message id. */
  postToChannel(workspace: Workspace, channel: string, reply: Reply): Promise<string>;
}

export interface SendOptions {
  idempotencyKey?: string;
  /**
   * An earlier attempt with the same key may have reached the platform (its sender died before
   * recording the outcome): a platform that can look should check for a copy sent since then.
   */
  mayHaveBeenSentSince?: Date | undefined;
}

/** An outbound call that failed; `retryable` says whether trying again later may succeed. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface PlatformRuntime {
  platform: "slack" | "feishu";
  messenger: Messenger;
  health: PlatformHealth;
  start(): Promise<void>;
  stop(): Promise<void>;
}
