// Starts the platforms whose credentials are configured, and says which were skipped and why.
import type { Core } from "../app.ts";
import type { CommandThread } from "../command-thread/index.ts";
import { type Config, isConfigured } from "../config.ts";
import type { Metrics } from "../metrics.ts";
import type { WebServer } from "../web/server.ts";
import type { PlatformRuntime } from "./types.ts";

export interface PlatformDeps {
  core: Core;
  web: WebServer;
  metrics: Metrics;
  /** Where commands run when not in this thread (config.commandThread). */
  commandThread?: CommandThread | undefined;
}

// Each platform's SDK is imported only when its credentials are set: Bolt and the Feishu SDK take
// about 0.1 s each to load, which a start-up without them need not wait for.
export async function createPlatforms(config: Config, deps: PlatformDeps): Promise<PlatformRuntime[]> {
  const runtimes: PlatformRuntime[] = [];
  const { logger } = deps.core;
  if (isConfigured(config.slack)) {
    const mode = config.slack.appToken ? "Socket Mode" : "HTTP mode at POST /slack/events";
    const { createSlackRuntime } = await import("./slack/index.ts");
    runtimes.push(createSlackRuntime(config.slack, deps));
    logger.info(`Slack: started (${mode})`);
  } else {
    logger.info(`Slack: not started (set ${config.slack.missing.join(" and ")} to start it)`);
    deps.web.addHealth("slack", () => ({ status: "skipped" }));
  }
  if (isConfigured(config.feishu)) {
    const mode = config.feishu.mode === "ws" ? "long connection" : "webhook at POST /feishu/events";
    const { createFeishuRuntime } = await import("./feishu/index.ts");
    runtimes.push(createFeishuRuntime(config.feishu, deps));
    logger.info(`Feishu: started (${mode}, ${config.feishu.domain})`);
  } else {
    logger.info(`Feishu: not started (set ${config.feishu.missing.join(" and ")} to start it)`);
    deps.web.addHealth("feishu", () => ({ status: "skipped" }));
  }
  for (const runtime of runtimes) deps.web.addHealth(runtime.platform, runtime.health);
  return runtimes;
}
