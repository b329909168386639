// What the Slack request handlers ask of the command layer: run a typed command or a clicked button's as
// the person who acted and answer them, or run a submitted form and hand back its reply. Run in
// this thread, or in the command thread (src/command-thread), which builds the same thing there on
// a pool and a Web API client of its own, so that the thread answering Slack's requests only
// verifies, acknowledges and hands over.
import type { Core } from "../../app.ts";
import { type CommandThread, threadProxy } from "../../command-thread/index.ts";
import type { Reply } from "../../commands/reply.ts";
import { runCommand, runForm } from "../../commands/run.ts";
import type { SlackConfig } from "../../config.ts";
import type { Locale } from "../../i18n/index.ts";
import { createWebClient, SlackApi } from "./api.ts";
import { ReplyDelivery, type ReplyTarget } from "./deliver.ts";
import { SlackDirectory } from "./directory.ts";
import { createInvocations, type SlackActor } from "./invocation.ts";
import { SlackMessenger } from "./messenger.ts";

export interface SlackCommands {
  /**
   * Runs a typed command (`command` is the slash command as typed) or a button's (`locale` its
   * message's) and delivers the reply to `target`; a failure is answered with an apology.
   */
  answer(
    target: ReplyTarget,
    actor: SlackActor,
    deliveryId: string,
    text: string,
    options?: { command?: string; locale?: Locale },
  ): Promise<void>;
  /** A submitted form's values, run as its verb; the reply comes back, for the form's own answer. */
  form(
    actor: SlackActor,
    deliveryId: string,
    verb: string,
    values: Record<string, string>,
    locale?: Locale,
  ): Promise<Reply | null>;
  /** True while a command handed over now would be refused unrun (COMMAND_BACKLOG commands wait). */
  full(): boolean;
}

/** What a thread talking to Slack builds from the configuration: the Web API, who is who, who acts, and how to answer. */
export function slackClients(core: Core, config: SlackConfig) {
  const logger = core.logger.child({ platform: "slack" });
  const api = new SlackApi(createWebClient(config.botToken, config.apiUrl, logger), { logger, metrics: core.metrics });
  const messenger = new SlackMessenger(api);
  const invocations = createInvocations(core, new SlackDirectory(api, logger), messenger);
  const delivery = new ReplyDelivery({
    api,
    messenger,
    logger,
    metrics: core.metrics,
    defaultLocale: core.config.defaultLocale,
    concurrency: core.config.databasePoolSize,
    backlog: core.config.commandBacklog,
  });
  return { logger, api, messenger, invocations, delivery };
}

type SlackClients = ReturnType<typeof slackClients>;

/** The commands run in this thread, on its own pool, their replies delivered from here. */
export function localSlackCommands({ invocations, delivery }: Pick<SlackClients, "invocations" | "delivery">): SlackCommands {
  return {
    answer: (target, actor, deliveryId, text, options = {}) =>
      delivery.answer(
        target,
        text,
        async () => runCommand(await invocations(actor, deliveryId, options.command), text, options.locale),
        options.locale,
      ),
    form: async (actor, deliveryId, verb, values, locale) => runForm(await invocations(actor, deliveryId), verb, values, locale),
    full: () => delivery.full(),
  };
}

/** The command thread's own: the commands run and answered there, with its own Web API client. */
export function slackCommandHost(core: Core, config: SlackConfig): SlackCommands {
  return localSlackCommands(slackClients(core, config));
}

/**
 * The same calls, run by the command thread, which delivers the replies too: the thread that
 * acknowledges Slack's requests only hands commands over, and answers those the thread could not
 * take (it ended, or is starting again) with an apology.
 */
export function threadSlackCommands(thread: CommandThread, delivery: ReplyDelivery): SlackCommands {
  const inThread = threadProxy<SlackCommands>(thread, "slack", ["answer", "form"]);
  return {
    answer: (target, actor, deliveryId, text, options) =>
      delivery.handOver(target, text, () => inThread.answer(target, actor, deliveryId, text, options), options?.locale),
    form: inThread.form,
    full: () => thread.full(),
  };
}
