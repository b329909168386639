// Request bodies shaped exactly like Slack's: slash commands (a form), interactions (a form with
// one JSON `payload` field: block_actions, view_submission, message_action) and Events API JSON.
import { randomUUID } from "node:crypto";

export interface SlackPerson {
  team: string;
  user: string;
  name: string;
  channel: string;
}

export interface SlackRequest {
  body: string;
  contentType: "application/x-www-form-urlencoded" | "application/json";
}

const APP_ID = "A0FAKE";

export function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

export function slashCommand(who: SlackPerson, text: string, responseUrl: string, trigger = triggerId()): SlackRequest {
  const form = new URLSearchParams({
    token: "verification-token-unused",
    team_id: who.team,
    team_domain: who.team.toLowerCase(),
    channel_id: who.channel,
    channel_name: "sales",
    user_id: who.user,
    user_name: who.name.toLowerCase(),
    command: "/customer",
    // should_escape: true in the manifest, so Slack escapes &, < and > in the text.
    text: text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/&lt;([@#][A-Z0-9]+(?:\|[^&]*)?)&gt;/g, "<$1>"),
    api_app_id: APP_ID,
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: trigger,
  });
  return { body: form.toString(), contentType: "application/x-www-form-urlencoded" };
}

function interaction(payload: Record<string, unknown>): SlackRequest {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: "application/x-www-form-urlencoded",
  };
}

function people(who: SlackPerson) {
  return {
    user: { id: who.user, username: who.name.toLowerCase(), name: who.name.toLowerCase(), team_id: who.team },
    team: { id: who.team, domain: who.team.toLowerCase() },
    api_app_id: APP_ID,
    token: "verification-token-unused",
    is_enterprise_install: false,
    enterprise: null,
  };
}

export type ClickedElement =
  | { type: "button"; action_id: string; value?: string; text: { type: "plain_text"; text: string } }
  | { type: "static_select"; action_id: string; option: { text: { type: "plain_text"; text: string }; value: string } };

/** A click on a message (posted through a response_url, so ephemeral or in the channel). */
export function blockAction(
  who: SlackPerson,
  element: ClickedElement,
  message: { ts: string; responseUrl: string; blocks: unknown[] },
  trigger = triggerId(),
): SlackRequest {
  return interaction({
    type: "block_actions",
    ...people(who),
    container: { type: "message", message_ts: message.ts, channel_id: who.channel, is_ephemeral: true },
    trigger_id: trigger,
    channel: { id: who.channel, name: "sales" },
    state: { values: {} },
    response_url: message.responseUrl,
    actions: [actionOf(element)],
  });
}

/** A click on the App Home tab: no channel and no response_url. */
export function homeAction(
  who: SlackPerson,
  element: ClickedElement,
  view: { id: string; blocks: unknown[] },
  trigger = triggerId(),
): SlackRequest {
  return interaction({
    type: "block_actions",
    ...people(who),
    container: { type: "view", view_id: view.id },
    trigger_id: trigger,
    view: {
      id: view.id,
      type: "home",
      blocks: view.blocks,
      private_metadata: "",
      callback_id: "",
      state: { values: {} },
      hash: "h1",
    },
    actions: [actionOf(element)],
  });
}

function actionOf(element: ClickedElement) {
  const common = { action_id: element.action_id, block_id: "b", action_ts: `${Date.now() / 1000}` };
  if (element.type === "button") return { ...common, type: "button", text: element.text, value: element.value };
  return { ...common, type: "static_select", selected_option: element.option, placeholder: { type: "plain_text", text: "…" } };
}

interface OpenedView {
  id: string;
  blocks: { type: string; block_id?: string; element?: Record<string, unknown> }[];
  private_metadata?: string;
  callback_id?: string;
}

/** The submission of a modal the bot opened, with `inputs` typed into its fields by block id suffix. */
export function viewSubmission(who: SlackPerson, view: OpenedView, inputs: Record<string, string>): SlackRequest {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    if (block.type !== "input" || !block.block_id || !block.element) continue;
    const { type, action_id: actionId } = block.element as { type: string; action_id: string };
    const typed = inputs[block.block_id.replace(/^f:/, "")];
    values[block.block_id] = { [actionId]: { type, ...stateOf(block.element, typed) } };
  }
  return interaction({
    type: "view_submission",
    ...people(who),
    trigger_id: triggerId(),
    view: {
      ...view,
      type: "modal",
      team_id: who.team,
      state: { values },
      hash: `${Date.now()}.abc`,
      root_view_id: view.id,
      previous_view_id: null,
    },
    response_urls: [],
  });
}

function stateOf(element: Record<string, unknown>, typed: string | undefined): Record<string, unknown> {
  switch (element.type) {
    case "static_select": {
      const options = element.options as { value: string }[];
      const chosen = typed === undefined ? element.initial_option : options.find((o) => o.value === typed);
      return { selected_option: chosen ?? null };
    }
    case "users_select":
      return { selected_user: typed ?? element.initial_user ?? null };
    case "datepicker":
      return { selected_date: typed ?? element.initial_date ?? null };
    default:
      return { value: typed ?? element.initial_value ?? null };
  }
}

export function messageShortcut(
  who: SlackPerson,
  message: { ts: string; text: string; author: string },
  responseUrl: string,
  trigger = triggerId(),
): SlackRequest {
  return interaction({
    type: "message_action",
    ...people(who),
    callback_id: "log_to_customer",
    trigger_id: trigger,
    action_ts: `${Date.now() / 1000}`,
    response_url: responseUrl,
    message_ts: message.ts,
    channel: { id: who.channel, name: "sales" },
    message: { type: "message", user: message.author, ts: message.ts, text: message.text, team: who.team },
  });
}

export function appHomeOpened(who: SlackPerson, eventId = `Ev${randomUUID().slice(0, 10)}`): SlackRequest {
  const body = {
    token: "verification-token-unused",
    team_id: who.team,
    api_app_id: APP_ID,
    event: { type: "app_home_opened", user: who.user, channel: `D${who.user}`, tab: "home", event_ts: `${Date.now() / 1000}` },
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: who.team, user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
  return { body: JSON.stringify(body), contentType: "application/json" };
}
