// A platform that records what it was asked to send (DMs and channel posts) and can be told to fail.
import type { Reply } from "../../src/commands/reply.ts";
import type { Member, Workspace } from "../../src/generated/prisma/client.ts";
import { plain, renderText } from "../../src/platforms/terminal/render.ts";
import type { DeliveryError, Messenger } from "../../src/platforms/types.ts";

export interface Recorded {
  /** A member's external id for a DM, `#channel` for a post. */
  to: string;
  text: string;
  reply: Reply;
}

export class RecordingMessenger implements Messenger {
  sent: Recorded[] = [];
  failures: DeliveryError[] = [];

  async sendDirect(_workspace: Workspace, member: Member, reply: Reply): Promise<string> {
    return this.record(member.externalId, reply);
  }

  async postToChannel(_workspace: Workspace, channel: string, reply: Reply): Promise<string> {
    return this.record(`#${channel}`, reply);
  }

  to(who: string): Recorded[] {
    return this.sent.filter((s) => s.to === who);
  }

  private record(to: string, reply: Reply): string {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push({ to, text: plain(renderText(reply)), reply });
    return String(this.sent.length);
  }
}

/** The survey link in a message (the token is the last part of its path). */
export function linkIn(text: string): { url: string; token: string } {
  const match = /(https?:\/\/[^\s)]+\/s\/([A-Za-z0-9_-]+))/.exec(text);
  if (!match) throw new Error(`no survey link in: ${text}`);
  return { url: match[1] as string, token: match[2] as string };
}
