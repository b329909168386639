// The Feishu (Lark) adapter: events and card callbacks in, over the long connection or a webhook;
// commands run through the shared command layer; replies out as interactive cards.
import * as lark from "@larksuiteoapi/node-sdk";
import type { FeishuConfig } from "../../config.ts";
import type { Metrics } from "../../metrics.ts";
import { withDelivery } from "../../request-context.ts";
import { BackgroundWork } from "../background.ts";
import type { PlatformDeps } from "../index.ts";
import type { PlatformRuntime } from "../types.ts";
import { BotIdentity } from "./bot.ts";
import { feishuClients, localFeishuCommands, threadFeishuCommands } from "./commands.ts";
import type { FeishuContext } from "./context.ts";
import { onCardAction } from "./inbound-card.ts";
import { onBotAdded, onMessage } from "./inbound-message.ts";
import { longConnection, type Transport } from "./long-connection.ts";
import { RecentIds } from "./recent.ts";
import { sdkLogger } from "./sdk.ts";
import { feishuWebhook } from "./webhook.ts";

export function createFeishuRuntime(config: FeishuConfig, deps: PlatformDeps): PlatformRuntime {
  const { core, metrics, commandThread } = deps;
  const clients = feishuClients(core, config);
  const { logger, api } = clients;
  const ctx: FeishuContext = {
    ...clients,
    bot: new BotIdentity(api),
    recent: new RecentIds(core.deps.clock),
    work: new BackgroundWork(logger, "feishu"),
    commands: commandThread ? threadFeishuCommands(commandThread) : localFeishuCommands(clients),
  };
  const handle = handlerFor(ctx, config.mode === "ws" ? metrics : undefined);
  // Card callbacks (card.action.trigger) come as events too, over either transport.
  const handlers = {
    "im.message.receive_v1": handle(onMessage),
    "card.action.trigger": handle(onCardAction),
    "im.chat.member.bot.added_v1": handle(onBotAdded),
  };
  const dispatcher = new lark.EventDispatcher({ logger: sdkLogger(logger), loggerLevel: lark.LoggerLevel.warn }).register(
    handlers,
  );
  const transport: Transport =
    config.mode === "ws" ? longConnection(config, dispatcher, logger) : webhookTransport(config, deps, ctx, dispatcher);
  return {
    platform: "feishu",
    messenger: ctx.messenger,
    health: transport.health,
    start: async () => {
      await transport.start();
      // Not awaited: a Feishu that cannot be reached must not hold up start-up; the first
      // message waits for this look-up (or tries it again).
      void ctx.bot.load();
    },
    stop: async () => {
      await transport.stop();
      await ctx.work.drain(10_000);
    },
  };
}

/**
 * Each event is one delivery: its event id names every log line about it, the work it hands off
 * included. On the long connection the SDK acknowledges when the handler returns, so the handler's
 * own time is the ack latency (the webhook route measures its answer itself).
 */
function handlerFor(ctx: FeishuContext, ackMetrics: Metrics | undefined) {
  return <R>(handler: (ctx: FeishuContext, data: unknown) => R) =>
    (data: unknown): R => {
      const started = performance.now();
      const eventId = (data as { event_id?: unknown } | null)?.event_id;
      const result = withDelivery(typeof eventId === "string" ? `feishu:event:${eventId}` : undefined, () => handler(ctx, data));
      ackMetrics?.ackLatency.observe({ platform: "feishu" }, (performance.now() - started) / 1000);
      return result;
    };
}

function webhookTransport(
  config: FeishuConfig,
  deps: PlatformDeps,
  ctx: FeishuContext,
  dispatcher: lark.EventDispatcher,
): Transport {
  let ready = false;
  deps.web.route(
    "POST",
    "/feishu/events",
    feishuWebhook({
      secrets: { encryptKey: config.encryptKey, verificationToken: config.verificationToken },
      dispatcher,
      clock: ctx.core.deps.clock,
      logger: ctx.logger,
      metrics: deps.metrics,
      work: ctx.work,
    }),
  );
  return {
    health: () => (ready ? { status: "connected" } : { status: "starting" }),
    start: async () => {
      ready = true;
    },
    stop: async () => {
      ready = false;
    },
  };
}
