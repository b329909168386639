// A slash command signed the way Slack signs it, for tests that talk to a bot in another process.
import { slackSignature } from "../fakes/slack-api.ts";
import { type SlackPerson, slashCommand, triggerId } from "../fakes/slack-payloads.ts";

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function signedCommand(
  secret: string,
  who: SlackPerson,
  text: string,
  responseUrl: string,
  trigger = triggerId(),
): SignedRequest {
  const { body, contentType } = slashCommand(who, text, responseUrl, trigger);
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      "content-type": contentType,
      "content-length": String(Buffer.byteLength(body)),
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(secret, timestamp, body),
    },
  };
}
