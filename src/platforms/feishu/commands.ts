// What the Feishu handlers ask of the command layer: run a typed command or a clicked button's as
// the person who acted and answer it, or run a submitted form and hand back its reply. Run in this
// thread, or in the command thread (src/command-thread), which builds the same thing there.
import type { Core } from "../../app.ts";
import { type CommandThread, threadProxy } from "../../command-thread/index.ts";
import type { Reply } from "../../commands/reply.ts";
import { runCommand, runForm } from "../../commands/run.ts";
import type { FeishuConfig } from "../../config.ts";
import type { Locale } from "../../i18n/index.ts";
import { Slots } from "../slots.ts";
import { type Actor, invocationFor } from "./actors.ts";
import { FeishuApi } from "./api.ts";
import { CardRenderer } from "./card.ts";
import type { FeishuContext } from "./context.ts";
import { ContactDirectory } from "./directory.ts";
import { applinkHost, createLarkClient } from "./sdk.ts";
import { answer, type Conversation, feishuMessenger } from "./send.ts";

export interface FeishuCommands {
  /** Runs a typed command, or a button's (`locale` the language of its card), and answers it in `conversation`. */
  answer(conversation: Conversation, actor: Actor, text: string, locale?: Locale): Promise<void>;
  /** A submitted form's values, run as its verb. */
  form(actor: Actor, verb: string, values: Record<string, string>, locale?: Locale): Promise<Reply | null>;
}

/**
 * The commands run in this thread. As many at once as the pool has connections; past
 * COMMAND_BACKLOG waiting, one is refused unrun (Overloaded), and its user asked to try again.
 * (Run by the command thread, the thread's own bound comes first.) Sending the answer holds no slot.
 */
export function localFeishuCommands(
  ctx: Pick<FeishuContext, "core" | "directory" | "logger" | "messenger" | "api" | "renderer">,
): FeishuCommands {
  const { config } = ctx.core;
  const slots = new Slots(config.databasePoolSize, config.commandBacklog);
  return {
    answer: async (conversation, actor, text, locale) => {
      const reply = await slots.run(async () => runCommand(await invocationFor(ctx, actor), text, locale));
      if (reply) await answer(ctx, conversation, reply, actor.deliveryId);
    },
    form: (actor, verb, values, locale) => slots.run(async () => runForm(await invocationFor(ctx, actor), verb, values, locale)),
  };
}

/** What a thread talking to Feishu builds from the configuration: the open API, cards, who is who, and a messenger. */
export function feishuClients(core: Core, config: FeishuConfig) {
  const logger = core.logger.child({ platform: "feishu" });
  const api = new FeishuApi(createLarkClient(config, logger), { logger, metrics: core.metrics });
  const renderer = new CardRenderer(applinkHost(config.domain));
  const directory = new ContactDirectory(api, core.deps.clock);
  const messenger = feishuMessenger(api, renderer, logger);
  return { core, logger, api, renderer, directory, messenger };
}

/** The command thread's own: its own open API client (contacts, answers, a survey's group post) and directory. */
export function feishuCommandHost(core: Core, config: FeishuConfig): FeishuCommands {
  return localFeishuCommands(feishuClients(core, config));
}

/** The same calls, run by the command thread, which sends the answers too. */
export function threadFeishuCommands(thread: CommandThread): FeishuCommands {
  return threadProxy<FeishuCommands>(thread, "feishu", ["answer", "form"]);
}
