// The App Home tab is rebuilt each time a member opens it, so it always shows today's revisits.
import type { SlackEventMiddlewareArgs } from "@slack/bolt";
import { withDelivery } from "../../../request-context.ts";
import { deliveryKey } from "../invocation.ts";
import type { SlackServices } from "../services.ts";

// Events API retries reuse the event id; a tab already published for it needs no second call.
const RECENT_EVENTS = 1_000;

export function onHomeOpened(s: SlackServices) {
  const seen = new Set<string>();
  return async ({ event, body }: Pick<SlackEventMiddlewareArgs<"app_home_opened">, "event" | "body">): Promise<void> => {
    if (event.tab !== "home") return;
    const eventId = body.event_id;
    if (seen.has(eventId)) return;
    seen.add(eventId);
    if (seen.size > RECENT_EVENTS) seen.delete(seen.values().next().value as string);
    const actor = { teamId: body.team_id, userId: event.user };
    const deliveryId = deliveryKey("event", body.team_id, eventId);
    s.afterAck(async () => {
      try {
        await withDelivery(deliveryId, () => s.home.publish(actor, deliveryId));
      } catch (error) {
        // Forget the event, so that Slack's retry of it can try again.
        seen.delete(eventId);
        s.logger.error({ err: error, eventId }, "Slack Home tab could not be published");
      }
    });
  };
}
