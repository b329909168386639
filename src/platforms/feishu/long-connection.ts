// FEISHU_MODE=ws: the SDK's long connection, which needs no public URL; its state is our health.
import * as lark from "@larksuiteoapi/node-sdk";
import type { FeishuConfig } from "../../config.ts";
import type { Logger } from "../../logger.ts";
import type { PlatformHealth } from "../../web/server.ts";
import { larkDomain, sdkLogger } from "./sdk.ts";

export interface Transport {
  health: PlatformHealth;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function longConnection(config: FeishuConfig, dispatcher: lark.EventDispatcher, logger: Logger): Transport {
  let failure: string | undefined;
  const client = new lark.WSClient({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: larkDomain(config.domain),
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.warn,
    autoReconnect: true,
    onReady: () => logger.info("feishu: long connection open"),
    onReconnecting: () => logger.warn("feishu: long connection lost, reconnecting"),
    onReconnected: () => logger.info("feishu: long connection open again"),
    onError: (error) => {
      failure = error.message;
      logger.error({ reason: error.message }, "feishu: long connection failed");
    },
  });
  return {
    health: () => {
      if (failure) return { status: "error", detail: failure };
      const { state } = client.getConnectionStatus();
      if (state === "connected") return { status: "connected" };
      if (state === "failed") return { status: "error", detail: "long connection failed" };
      return { status: "starting", detail: state };
    },
    start: async () => {
      // The SDK would only log this and never connect.
      if (!/^cli_[0-9a-fA-F]{16}$/.test(config.appId)) {
        failure = "FEISHU_APP_ID must be cli_ followed by 16 hexadecimal digits for the long connection";
        throw new Error(failure);
      }
      failure = undefined;
      await client.start({ eventDispatcher: dispatcher });
    },
    stop: async () => client.close({ force: true }),
  };
}
