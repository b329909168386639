// The Slack adapter: a Bolt app on our web server (HTTP) or on a WebSocket (Socket Mode), its
// listeners, the messenger reminders go through, and its health for /healthz.
import { setTimeout as sleep } from "node:timers/promises";
import { App } from "@slack/bolt";
import type { SlackConfig } from "../../config.ts";
import { withDelivery } from "../../request-context.ts";
import type { PlatformHealth } from "../../web/server.ts";
import type { PlatformDeps } from "../index.ts";
import { DeliveryError, type PlatformRuntime } from "../types.ts";
import { localSlackCommands, slackClients, threadSlackCommands } from "./commands.ts";
import { httpConnection, socketConnection } from "./connection.ts";
import { HomeTab } from "./home.ts";
import { registerActions } from "./listeners/actions.ts";
import { registerCommand } from "./listeners/command.ts";
import { registerHome } from "./listeners/home.ts";
import { registerShortcut } from "./listeners/shortcut.ts";
import { registerSubmissions } from "./listeners/submissions.ts";
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
  // Listeners work on after their ack (Slack's 3 seconds); stopping waits for that work. Over
  // HTTP the web server opened a request scope; a Socket Mode envelope gets one here.
  const running = new Set<Promise<void>>();
  app.use(async ({ next }) => {
    const work = withDelivery(undefined, next);
    running.add(work);
    try {
      await work;
    } finally {
      running.delete(work);
    }
  });
  const commands = commandThread ? threadSlackCommands(commandThread, delivery) : localSlackCommands(clients);
  const services = { api, invocations, commands, delivery, home, logger };
  registerCommand(app, services);
  registerActions(app, services);
  registerSubmissions(app, services);
  registerShortcut(app, services);
  registerHome(app, services);

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
      await settle(running, STOP_WAIT_MS);
    },
  };
}

// Within the 30 s a container runtime gives between SIGTERM and SIGKILL, with room to close the rest.
const STOP_WAIT_MS = 15_000;

/** Waits for the listeners still running, at most `ms`. */
async function settle(running: Set<Promise<void>>, ms: number): Promise<void> {
  const timer = new AbortController();
  const limit = sleep(ms, undefined, { signal: timer.signal }).catch(() => {});
  await Promise.race([Promise.allSettled(running), limit]);
  timer.abort();
}
