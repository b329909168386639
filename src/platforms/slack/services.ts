// What every Slack request handler is given: the Web API, who is acting, how to answer, the Home tab.
import type { Logger } from "../../logger.ts";
import type { SlackApi } from "./api.ts";
import type { SlackCommands } from "./commands.ts";
import type { ReplyDelivery } from "./deliver.ts";
import type { HomeTab } from "./home.ts";
import type { Invocations } from "./invocation.ts";

export interface SlackServices {
  api: SlackApi;
  /** Home tab and shortcuts: who acts, in this thread. */
  invocations: Invocations;
  /** Commands, buttons and forms: run here or in the command thread. */
  commands: SlackCommands;
  delivery: ReplyDelivery;
  home: HomeTab;
  logger: Logger;
  /** Goes on with `work` once the request is acknowledged, without holding the request; stopping waits for it. */
  afterAck(work: () => Promise<void>): void;
}
