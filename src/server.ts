// The bot server: database, web server, platforms and scheduler, started and stopped together.
import { type Core, openCore } from "./app.ts";
import { CommandThread } from "./command-thread/index.ts";
import type { Config } from "./config.ts";
import type { Clock } from "./domain/time.ts";
import { systemClock } from "./domain/time.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { createPlatforms } from "./platforms/index.ts";
import type { Messenger, PlatformRuntime } from "./platforms/types.ts";
import { type Scheduler, startScheduler } from "./scheduler/index.ts";
import { createWebServer, type WebServer } from "./web/server.ts";
import { registerSurveyPages } from "./web/survey-page.ts";

export interface RunningServer {
  core: Core;
  web: WebServer;
  metrics: Metrics;
  port: number;
  platforms: PlatformRuntime[];
  messengers: Partial<Record<"slack" | "feishu", Messenger>>;
  scheduler: Scheduler | undefined;
  /** Where commands run on PostgreSQL (config.commandThread); undefined when they run in this thread. */
  commandThread: CommandThread | undefined;
  /** Stops taking requests, lets those in flight finish, stops platforms and closes the database. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  logger: Logger;
  clock?: Clock;
}

export async function startServer(config: Config, options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const core = await openCore(config, logger, options.clock);
  const { metrics } = core;
  const web = createWebServer({ db: core.db, logger, metrics });
  const commandThread = config.commandThread
    ? new CommandThread({ config, logger, metrics, clock: options.clock ?? systemClock })
    : undefined;
  commandThread?.start();
  if (commandThread) web.addPart("commandThread", () => commandThread.health());
  const platforms = await createPlatforms(config, { core, web, metrics, commandThread });
  const messengers = Object.fromEntries(platforms.map((p) => [p.platform, p.messenger]));
  registerSurveyPages(web, { deps: core.deps, logger, metrics, messengers });

  const port = await web.listen(config.port, config.host);
  logger.info(
    { port, database: core.db.kind, publicUrl: config.publicUrl },
    `listening on port ${port} (${core.db.kind === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL"})`,
  );
  for (const platform of platforms) {
    await platform.start().catch((error: unknown) => {
      logger.error({ err: error, platform: platform.platform }, `${platform.platform}: could not start`);
    });
  }

  const scheduler = config.scheduler ? startScheduler({ deps: core.deps, logger, metrics, db: core.db, messengers }) : undefined;
  if (!scheduler) logger.info("scheduler: off (SCHEDULER=off); this process sends no reminders or digests");

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await web.close();
      logger.info("stopping: web server closed, every request answered");
      await scheduler?.stop();
      if (scheduler) logger.info("stopping: scheduler stopped");
      await Promise.allSettled(platforms.map((p) => p.stop()));
      logger.info("stopping: platforms stopped, work after their answers finished");
      if (commandThread) {
        await commandThread.close();
        logger.info("stopping: command thread closed");
      }
      await core.db.close();
      logger.info("stopping: database closed");
    })();
    return stopped;
  };
  return { core, web, metrics, port, platforms, messengers, scheduler, commandThread, stop };
}
