// The Slack adapter: a Bolt app on our web server (HTTP) or on a WebSocket (Socket Mode), its
// request handlers, the messenger reminders go through, and its health for /healthz.
import { App } from "@slack/bolt";
import type { SlackConfig } from "../../config.ts";
import { withDelivery } from "../../request-context.ts";
import type { PlatformHealth } from "../../web/server.ts";
import { BackgroundWork } from "../background.ts";
import type { PlatformDeps } from "../index.ts";
import { DeliveryError, type PlatformRuntime } from "../types.ts";
import { localSlackCommands, slackClients, threadSlackCommands } from "./commands.ts";
import { httpConnection, socketConnection } from "./connection.ts";
import { HomeTab } from "./home.ts";
import { slackRouter } from "./listeners/router.ts";
import { slackLogger } from "./logger.ts";

export function createSlackRuntime(config: SlackConfig, deps: PlatformDeps): PlatformRuntime {
  const { core, web, metrics, commandThread } = deps;
  const clients = slackClients(core, config);
  const { logger, api, messenger, invocations, delivery } = clients;
  const home = new HomeTab({ api, invocations });
  const connection = config.appToken
    ? socketConnection({ ...config, appToken: config.appToken }, logger, metrics)
    : httpConnection(config, { web, metrics, logger });

  // Who the bot is comes from our own auth.test at start, so every Web API call goes through `api`.
  let identity: { botId?: string; botUserId?: string } = {};
  const app = new App({
    receiver: connection.receiver,
    authorize: async () => ({ botToken: config.botToken, ...identity }),
    logger: slackLogger(logger, "bolt"),
    // Bolt's conversation store keeps state per channel in memory, and looking a channel up
    // creates an Error on every request; nothing here keeps conversation state.
    convoStore: false,
  });
  app.error(async (error) => {
    logger.error({ err: error }, "Slack listener failed");
  });
  // Stopping waits for the handlers (listeners/router.ts) and for the work they go on with after
  // their ack. Over HTTP the web server opened a request scope; a Socket Mode envelope gets one here.
  const work = new BackgroundWork(logger, "Slack");
  // What a handler does after its ack runs apart from Bolt's handling of the request, which then
  // ends: the request (its body, Bolt's arguments for it, the HTTP request and response) is let go
  // at once instead of being kept for as long as the command takes. Under load a command waits
  // its turn for up to seconds; kept that long, every request's objects outlived the young
  // generation, and collecting them paused the thread that acknowledges the next requests.
  const afterAck = (task: () => Promise<void>) => work.run("work after the ack", task);
  const commands = commandThread ? threadSlackCommands(commandThread, delivery) : localSlackCommands(clients);
  const services = { api, invocations, commands, delivery, home, logger, afterAck };
  const route = slackRouter(services);
  app.use((request) => {
    // A failure here reaches app.error through Bolt.
    const handled = withDelivery(undefined, () => route(request));
    work.track(handled);
    return handled;
  });

  let state: ReturnType<PlatformHealth> = { status: "starting" };
  return {
    platform: "slack",
    messenger,
    health: () => (state.status === "connected" ? connection.health() : state),
    start: async () => {
      try {
        const me = await api.call("auth.test", (c) => c.auth.test());
        identity = { ...(me.bot_id ? { botId: me.bot_id } : {}), ...(me.user_id ? { botUserId: me.user_id } : {}) };
        await connection.start();
        state = { status: "connected" };
        logger.info({ team: me.team, bot: me.user, mode: connection.mode }, "Slack: connected");
      } catch (error) {
        state = { status: "error", detail: error instanceof DeliveryError ? error.code : "could not start" };
        throw error;
      }
    },
    stop: async () => {
      await connection.stop();
      await work.drain(STOP_WAIT_MS);
    },
  };
}

// Within the 30 s a container runtime gives between SIGTERM and SIGKILL, with room to close the rest.
const STOP_WAIT_MS = 15_000;
