// What every Feishu handler is given: the core, the API, the directory, the renderer, the queues.
import type { Core } from "../../app.ts";
import type { Logger } from "../../logger.ts";
import type { BackgroundWork } from "../background.ts";
import type { Messenger } from "../types.ts";
import type { FeishuApi } from "./api.ts";
import type { BotIdentity } from "./bot.ts";
import type { CardRenderer } from "./card.ts";
import type { FeishuCommands } from "./commands.ts";
import type { ContactDirectory } from "./directory.ts";
import type { RecentIds } from "./recent.ts";

export interface FeishuContext {
  core: Core;
  logger: Logger;
  api: FeishuApi;
  directory: ContactDirectory;
  renderer: CardRenderer;
  bot: BotIdentity;
  recent: RecentIds;
  work: BackgroundWork;
  /** Posts outside the conversation: commands use it to send survey links into linked groups. */
  messenger: Messenger;
  /** Commands, buttons and forms: run here or in the command thread. */
  commands: FeishuCommands;
}
