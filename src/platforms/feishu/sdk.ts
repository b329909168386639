// The Feishu SDK pointed at feishu.cn, larksuite.com or a test server, logging through our logger.
import * as lark from "@larksuiteoapi/node-sdk";
import type { FeishuConfig } from "../../config.ts";
import type { Logger } from "../../logger.ts";

/** FEISHU_DOMAIN: "feishu" (open.feishu.cn), "lark" (open.larksuite.com), or a URL for tests. */
export function larkDomain(domain: string): lark.Domain | string {
  if (domain === "feishu") return lark.Domain.Feishu;
  if (domain === "lark") return lark.Domain.Lark;
  return domain.replace(/\/+$/, "");
}

/** Where chat links open: Feishu and Lark have separate applink hosts. */
export function applinkHost(domain: string): string {
  return domain === "lark" ? "https://applink.larksuite.com" : "https://applink.feishu.cn";
}

export function createLarkClient(config: FeishuConfig, logger: Logger): lark.Client {
  return new lark.Client({
    appId: config.appId,
    appSecret: config.appSecret,
    appType: lark.AppType.SelfBuild,
    domain: larkDomain(config.domain),
    // A cache of its own: the SDK's default is shared by every client in the process.
    cache: new lark.DefaultCache(),
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.warn,
  });
}

/**
 * The SDK logs whole axios errors, whose request config carries the bearer token, and at debug
 * level whole event bodies: only the text of its messages is passed on, never an object.
 */
export function sdkLogger(logger: Logger): lark.Logger {
  const text = (args: unknown[]) => args.map(describe).filter(Boolean).join(" ");
  return {
    // The SDK reports every failed call as an error, rate limits we retry included; our own
    // code logs the outcome, so these are warnings here.
    error: (...args: unknown[]) => logger.warn({ sdk: "lark" }, text(args)),
    warn: (...args: unknown[]) => logger.warn({ sdk: "lark" }, text(args)),
    info: (...args: unknown[]) => logger.debug({ sdk: "lark" }, text(args)),
    debug: () => {},
    trace: () => {},
  };
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}
