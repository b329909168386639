// Sends replies outside a conversation (reminders, digests, survey links, undeliverable answers):
// direct messages through conversations.open + chat.postMessage, channel posts through chat.postMessage.
import type { Reply } from "../../commands/reply.ts";
import type { Member, Workspace } from "../../generated/prisma/client.ts";
import { DeliveryError, type Messenger, type SendOptions } from "../types.ts";
import type { SlackApi } from "./api.ts";
import { renderMessages, type SlackMessage } from "./render.ts";

// Slack has no idempotency key for chat.postMessage. A keyed message carries the key in its
// metadata instead, so that a sender that died between posting and recording can find it again.
const METADATA_TYPE = "crm_delivery";
// A direct message channel gets a handful of bot messages a day; a copy is among the latest.
const HISTORY_LIMIT = 100;

interface Part {
  key: string;
  part: number;
}

export class SlackMessenger implements Messenger {
  // A user's direct-message channel never changes, so it is opened once per process.
  private readonly directChannels = new Map<string, string>();

  constructor(private readonly api: SlackApi) {}

  async sendDirect(workspace: Workspace, member: Member, reply: Reply, options: SendOptions = {}): Promise<string> {
    assertSlack(workspace);
    const key = options.idempotencyKey;
    if (!key) return this.postDirect(member.externalId, renderMessages(reply));
    const channel = await this.directChannel(member.externalId);
    const sent = options.mayHaveBeenSentSince ? await this.sentParts(channel, key, options.mayHaveBeenSentSince) : new Map();
    const messages = renderMessages(reply);
    let first = sent.get(0);
    for (const [part, message] of messages.entries()) {
      if (sent.has(part)) continue;
      const ts = await this.postOne(channel, message, { key, part });
      first ??= ts;
    }
    if (!first) throw new DeliveryError("Slack chat.postMessage returned no message ts", "no_ts", false);
    return first;
  }

  async postToChannel(workspace: Workspace, channel: string, reply: Reply): Promise<string> {
    assertSlack(workspace);
    return this.post(channel, renderMessages(reply));
  }

  /** Posts rendered messages to a user's direct-message channel; resolves with the first message's ts. */
  async postDirect(userId: string, messages: SlackMessage[]): Promise<string> {
    return this.post(await this.directChannel(userId), messages);
  }

  private async directChannel(userId: string): Promise<string> {
    const known = this.directChannels.get(userId);
    if (known) return known;
    const opened = await this.api.call("conversations.open", (c) => c.conversations.open({ users: userId }));
    const id = opened.channel?.id;
    if (!id) throw new DeliveryError("Slack conversations.open returned no channel", "no_channel", false);
    this.directChannels.set(userId, id);
    return id;
  }

  private async post(channel: string, messages: SlackMessage[]): Promise<string> {
    let first: string | undefined;
    for (const message of messages) first ??= await this.postOne(channel, message);
    if (!first) throw new DeliveryError("Slack chat.postMessage returned no message ts", "no_ts", false);
    return first;
  }

  private async postOne(channel: string, message: SlackMessage, part?: Part): Promise<string | undefined> {
    const posted = await this.api.call("chat.postMessage", (c) =>
      c.chat.postMessage({
        channel,
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        ...(part ? { metadata: { event_type: METADATA_TYPE, event_payload: { ...part } } } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return posted.ts;
  }

  /** The parts of a keyed message already in the channel since `since`, by part number. */
  private async sentParts(channel: string, key: string, since: Date): Promise<Map<number, string>> {
    const history = await this.history(channel, since);
    const found = new Map<number, string>();
    for (const message of history) {
      const metadata = message.metadata;
      const payload = metadata?.event_payload as Partial<Part> | undefined;
      if (metadata?.event_type !== METADATA_TYPE || payload?.key !== key || typeof payload.part !== "number" || !message.ts)
        continue;
      found.set(payload.part, message.ts);
    }
    return found;
  }

  /**
   * The channel's messages since `since`. A workspace that installed the app before it asked for
   * im:history cannot be looked at: the reminder is sent again rather than not at all.
   */
  private async history(channel: string, since: Date) {
    try {
      const history = await this.api.call("conversations.history", (c) =>
        c.conversations.history({
          channel,
          oldest: (since.getTime() / 1000 - 60).toFixed(6),
          limit: HISTORY_LIMIT,
          include_all_metadata: true,
        }),
      );
      return history.messages ?? [];
    } catch (error) {
      if (error instanceof DeliveryError && !error.retryable) return [];
      throw error;
    }
  }
}

function assertSlack(workspace: Workspace): void {
  if (workspace.platform !== "slack") {
    throw new DeliveryError(`workspace ${workspace.id} is on ${workspace.platform}, not Slack`, "wrong_platform", false);
  }
}
