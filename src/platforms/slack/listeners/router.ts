// One step from a request Slack sends to the handler for its kind. Bolt runs every registered
// listener's matching chain for every request, each step with its own copy of the request's
// arguments; with a listener for each kind, that was the largest part of what the thread that
// acknowledges requests allocated per request, and so of its pauses for garbage collection. The
// app registers this one middleware instead, and no listeners.
import type {
  AckFn,
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  BlockElementAction,
  EnvelopedEvent,
  SlackViewMiddlewareArgs,
  types,
  ViewSubmitAction,
} from "@slack/bolt";
import { FORM_CALLBACK } from "../modal.ts";
import type { SlackServices } from "../services.ts";
import { isOurAction, onAction } from "./actions.ts";
import { onCommand } from "./command.ts";
import { onHomeOpened } from "./home.ts";
import { LOG_SHORTCUT, onLogShortcut } from "./shortcut.ts";
import { onFormSubmitted } from "./submissions.ts";

type SlackRequest = AnyMiddlewareArgs & AllMiddlewareArgs;

// Any command name: the manifest says /customer, but a workspace may install it under another.
const COMMAND_NAME = /^\/\S+$/;

/**
 * Hands each request to its handler. A request none handles (another app's payload type, a view
 * closed) is left unacknowledged, as Bolt leaves one no listener matched: its receiver answers it.
 */
export function slackRouter(s: SlackServices): (request: SlackRequest) => Promise<void> {
  const command = onCommand(s);
  const action = onAction(s);
  const submitted = onFormSubmitted(s);
  const shortcut = onLogShortcut(s);
  const homeOpened = onHomeOpened(s);
  return async (request) => {
    if ("command" in request) {
      if (COMMAND_NAME.test(request.command.command)) return command(request);
      return;
    }
    if ("action" in request) {
      if (request.body.type === "block_actions" && isOurAction(request.body))
        return action({ ack: request.ack as AckFn<void>, body: request.body, action: request.action as BlockElementAction });
      return;
    }
    if ("view" in request) {
      if (request.body.type === "view_submission" && request.view?.callback_id === FORM_CALLBACK)
        return submitted(request as SlackViewMiddlewareArgs<ViewSubmitAction>);
      return;
    }
    if ("shortcut" in request) {
      if (request.shortcut.type === "message_action" && request.shortcut.callback_id === LOG_SHORTCUT)
        return shortcut({ ack: request.ack, shortcut: request.shortcut });
      return;
    }
    if ("event" in request && request.event.type === "app_home_opened")
      return homeOpened({ event: request.event, body: request.body as EnvelopedEvent<types.AppHomeOpenedEvent> });
  };
}
