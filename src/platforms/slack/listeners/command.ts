// The slash command: acknowledged at once (Slack waits 3 seconds), then run, then answered
// through its response_url, or by opening the form a bare `add` asks for; when too many commands
// wait already (COMMAND_BACKLOG), refused in the acknowledgement.
import type { SlackCommandMiddlewareArgs } from "@slack/bolt";
import { withDelivery } from "../../../request-context.ts";
import { deliveryKey, unescapeText } from "../invocation.ts";
import type { SlackServices } from "../services.ts";

export function onCommand(s: SlackServices) {
  return async ({ command, ack }: SlackCommandMiddlewareArgs): Promise<void> => {
    const text = unescapeText(command.text ?? "");
    if (s.commands.full()) {
      // Refused in the acknowledgement itself, which Slack shows the user: nothing is held or sent after it.
      await ack({ response_type: "ephemeral", text: s.delivery.refuse({ userId: command.user_id }, text) });
      return;
    }
    await ack();
    const teamId = command.team_id || command.enterprise_id || "unknown";
    // Slack gives a command no id; its trigger is unique to one invocation, and a repeat shares it.
    const deliveryId = deliveryKey("command", teamId, command.user_id, command.trigger_id);
    const target = {
      userId: command.user_id,
      channel: command.channel_id,
      responseUrl: command.response_url,
      triggerId: command.trigger_id,
    };
    const actor = {
      teamId,
      teamName: command.team_domain,
      userId: command.user_id,
      userName: command.user_name,
      channel: command.channel_id,
    };
    const name = command.command;
    s.afterAck(() => withDelivery(deliveryId, () => s.commands.answer(target, actor, deliveryId, text, { command: name })));
  };
}
