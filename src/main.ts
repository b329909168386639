// Start-up: config -> database -> web server -> platforms -> scheduler; and an orderly stop.
import { openCore } from "./app.ts";
import { ConfigError, isConfigured, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import type { PlatformRuntime } from "./platforms/types.ts";
import { createWebServer } from "./web/server.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const core = await openCore(config, logger);
  const metrics = createMetrics();
  const web = createWebServer({ db: core.db, logger, metrics });
  const platforms: PlatformRuntime[] = [];

  for (const [name, platform] of [
    ["Slack", config.slack],
    ["Feishu", config.feishu],
  ] as const) {
    if (!isConfigured(platform)) {
      logger.info(`${name}: not started (set ${platform.missing.join(" and ")} to start it)`);
      web.addHealth(name.toLowerCase(), () => ({ status: "skipped", detail: `missing ${platform.missing.join(", ")}` }));
    }
  }

  const port = await web.listen(config.port, config.host);
  logger.info(
    { port, database: core.db.kind, publicUrl: config.publicUrl },
    `listening on port ${port} (${core.db.kind === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL"})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing requests in flight");
    await web.close();
    await Promise.allSettled(platforms.map((p) => p.stop()));
    await core.db.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
