// Buttons and menus on our messages and the Home tab: a command runs as the member who clicked,
// a form button opens its modal; a double click shares one delivery id and so runs once.
import type { BlockAction, BlockElementAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { decodeAction } from "../../../commands/reply.ts";
import { withDelivery } from "../../../request-context.ts";
import type { ReplyTarget } from "../deliver.ts";
import { deliveryKey, type SlackActor, teamOf } from "../invocation.ts";
import { decodeForm } from "../modal.ts";
import { ACTION_PREFIX } from "../render.ts";
import type { SlackServices } from "../services.ts";
import { unpackValue } from "../values.ts";

/** Our own buttons and menus (their action ids start with ACTION_PREFIX). */
export function isOurAction(body: BlockAction): boolean {
  const first: unknown = Array.isArray(body.actions) ? body.actions[0] : undefined;
  const id = typeof first === "object" && first !== null ? (first as { action_id?: unknown }).action_id : undefined;
  return typeof id === "string" && id.startsWith(ACTION_PREFIX);
}

type Click = Pick<SlackActionMiddlewareArgs<BlockAction>, "ack" | "body" | "action">;

export function onAction(s: SlackServices) {
  return async ({ ack, body, action }: Click): Promise<void> => {
    await ack();
    const value = clickedValue(action);
    // Link buttons open their URL in the browser; Slack still tells us, and there is nothing to do.
    if (value === undefined) return;
    const home = body.view?.type === "home";
    const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
    const target: ReplyTarget = {
      userId: body.user.id,
      channel,
      responseUrl: body.response_url,
      triggerId: body.trigger_id,
      home,
    };
    const actor: SlackActor = {
      teamId: teamOf(body),
      teamName: body.team?.domain,
      userId: body.user.id,
      userName: body.user.username,
      channel,
    };

    if (action.action_id.startsWith(`${ACTION_PREFIX}form.`)) {
      const decoded = decodeForm(unpackValue(value));
      if (decoded) s.afterAck(() => s.delivery.openForm(target, decoded.form, decoded.locale));
      return;
    }
    const { locale, command } = decodeAction(unpackValue(value));
    const where = (body.container.message_ts ?? body.container.view_id) as string | undefined;
    // The minute of the click is part of the key: a double click (or Slack's retry) runs once,
    // while the same button clicked again later (Open card, say) runs again. Writes a repeated
    // click could double are kept once by the domain (an interaction's source reference).
    const minute = "action_ts" in action && action.action_ts ? String(Math.floor(Number(action.action_ts) / 60)) : "";
    const deliveryId = deliveryKey("action", actor.teamId, body.user.id, where, action.action_id, value, minute);
    s.afterAck(() =>
      withDelivery(deliveryId, async () => {
        await s.commands.answer(target, actor, deliveryId, command, { locale });
        if (home)
          await s.home
            .publish(actor, deliveryId)
            .catch((error: unknown) => s.logger.warn({ err: error }, "Slack Home tab refresh failed"));
      }),
    );
  };
}

function clickedValue(action: BlockElementAction): string | undefined {
  if (action.type === "button") return action.url ? undefined : action.value;
  if (action.type === "static_select") return action.selected_option?.value;
  return undefined;
}
