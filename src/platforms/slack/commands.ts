// What the Slack listeners ask of the command layer: run a typed command, a clicked button's
// command or a submitted form as the person who acted, and hand back the reply. Run in this thread,
// or in the command thread (src/command-thread), which builds the same thing there on a pool of
// its own, so that the thread answering Slack's requests only verifies, acknowledges and delivers.
import type { Core } from "../../app.ts";
import { type CommandThread, threadProxy } from "../../command-thread/index.ts";
import type { Reply } from "../../commands/reply.ts";
import { runCommand, runForm } from "../../commands/run.ts";
import type { SlackConfig } from "../../config.ts";
import type { Locale } from "../../i18n/index.ts";
import { createWebClient, SlackApi } from "./api.ts";
import { SlackDirectory } from "./directory.ts";
import { createInvocations, type Invocations, type SlackActor } from "./invocation.ts";
import { SlackMessenger } from "./messenger.ts";

export interface SlackCommands {
  /** A typed command (`command` is the slash command as typed) or a button's (`locale` its message's). */
  text(
    actor: SlackActor,
    deliveryId: string,
    text: string,
    options?: { command?: string; locale?: Locale },
  ): Promise<Reply | null>;
  /** A submitted form's values, run as its verb. */
  form(
    actor: SlackActor,
    deliveryId: string,
    verb: string,
    values: Record<string, string>,
    locale?: Locale,
  ): Promise<Reply | null>;
}

export function localSlackCommands(invocations: Invocations): SlackCommands {
  return {
    text: async (actor, deliveryId, text, options = {}) =>
      runCommand(await invocations(actor, deliveryId, options.command), text, options.locale),
    form: async (actor, deliveryId, verb, values, locale) => runForm(await invocations(actor, deliveryId), verb, values, locale),
  };
}

/** What a thread talking to Slack builds from the configuration: the Web API, who is who, and who acts. */
export function slackClients(core: Core, config: SlackConfig) {
  const logger = core.logger.child({ platform: "slack" });
  const api = new SlackApi(createWebClient(config.botToken, config.apiUrl, logger), { logger, metrics: core.metrics });
  const messenger = new SlackMessenger(api);
  const invocations = createInvocations(core, new SlackDirectory(api, logger), messenger);
  return { logger, api, messenger, invocations };
}

/** The command thread's own: its own Web API client (users.info, a survey's channel post) and directory. */
export function slackCommandHost(core: Core, config: SlackConfig): SlackCommands {
  return localSlackCommands(slackClients(core, config).invocations);
}

/** The same calls, run by the command thread. */
export function threadSlackCommands(thread: CommandThread): SlackCommands {
  return threadProxy<SlackCommands>(thread, "slack", ["text", "form"]);
}
