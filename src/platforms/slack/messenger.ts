// Sends replies outside a conversation (reminders, digests, survey links, undeliverable answers):
// direct messages through conversations.open + chat.postMessage, channel posts through chat.postMessage.
import type { Reply } from "../../commands/reply.ts";
import type { Member, Workspace } from "../../generated/prisma/client.ts";
import { DeliveryError, type Messenger } from "../types.ts";
import type { SlackApi } from "./api.ts";
import { renderMessages, type SlackMessage } from "./render.ts";

export class SlackMessenger implements Messenger {
  // A user's direct-message channel never changes, so it is opened once per process.
  private readonly directChannels = new Map<string, string>();

  constructor(private readonly api: SlackApi) {}

  async sendDirect(workspace: Workspace, member: Member, reply: Reply): Promise<string> {
    assertSlack(workspace);
    return this.postDirect(member.externalId, renderMessages(reply));
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
    for (const message of messages) {
      const posted = await this.api.call("chat.postMessage", (c) =>
        c.chat.postMessage({
          channel,
          text: message.text,
          ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      first ??= posted.ts;
    }
    if (!first) throw new DeliveryError("Slack chat.postMessage returned no message ts", "no_ts", false);
    return first;
  }
}

function assertSlack(workspace: Workspace): void {
  if (workspace.platform !== "slack") {
    throw new DeliveryError(`workspace ${workspace.id} is on ${workspace.platform}, not Slack`, "wrong_platform", false);
  }
}
