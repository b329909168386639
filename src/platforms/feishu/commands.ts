// What the Feishu handlers ask of the command layer: run a typed command, a clicked button's
// command or a submitted form as the person who acted, and hand back the reply. Run in this thread,
// or in the command thread (src/command-thread), which builds the same thing there.
import type { Core } from "../../app.ts";
import type { Reply } from "../../commands/reply.ts";
import { runCommand, runForm } from "../../commands/run.ts";
import type { FeishuConfig } from "../../config.ts";
import type { Locale } from "../../i18n/index.ts";
import { type Actor, invocationFor } from "./actors.ts";
import { FeishuApi } from "./api.ts";
import { CardRenderer } from "./card.ts";
import type { FeishuContext } from "./context.ts";
import { ContactDirectory } from "./directory.ts";
import { applinkHost, createLarkClient } from "./sdk.ts";
import { feishuMessenger } from "./send.ts";

export interface FeishuCommands {
  /** A typed command, or a button's (`locale` the language of its card). */
  text(actor: Actor, text: string, locale?: Locale): Promise<Reply | null>;
  /** A submitted form's values, run as its verb. */
  form(actor: Actor, verb: string, values: Record<string, string>, locale?: Locale): Promise<Reply | null>;
}

export function localFeishuCommands(ctx: Pick<FeishuContext, "core" | "directory" | "logger" | "messenger">): FeishuCommands {
  return {
    text: async (actor, text, locale) => runCommand(await invocationFor(ctx, actor), text, locale),
    form: async (actor, verb, values, locale) => runForm(await invocationFor(ctx, actor), verb, values, locale),
  };
}

/** The command thread's own: its own open API client (contacts, a survey's group post) and directory. */
export function feishuCommandHost(core: Core, config: FeishuConfig): FeishuCommands {
  const logger = core.logger.child({ platform: "feishu" });
  const api = new FeishuApi(createLarkClient(config, logger), { logger, metrics: core.metrics });
  const messenger = feishuMessenger(api, new CardRenderer(applinkHost(config.domain)), logger);
  return localFeishuCommands({ core, logger, directory: new ContactDirectory(api, core.deps.clock), messenger });
}

/** The same calls, run by the command thread. */
export function threadFeishuCommands(thread: {
  call(platform: "feishu", op: keyof FeishuCommands, args: unknown[]): Promise<unknown>;
}): FeishuCommands {
  return {
    text: (...args) => thread.call("feishu", "text", args) as Promise<Reply | null>,
    form: (...args) => thread.call("feishu", "form", args) as Promise<Reply | null>,
  };
}
