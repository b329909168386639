// The composition root: configuration -> database -> the dependencies every part is given.
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/client.ts";
import type { DomainDeps } from "./domain/deps.ts";
import { type Clock, systemClock } from "./domain/time.ts";
import type { Logger } from "./logger.ts";
import { createMetrics, type Metrics } from "./metrics.ts";

export interface Core {
  config: Config;
  db: Database;
  deps: DomainDeps;
  logger: Logger;
  /** One registry per server, so that tests can run several servers in one process. */
  metrics: Metrics;
}

/** Opens the database and applies pending migrations. */
export async function openCore(config: Config, logger: Logger, clock: Clock = systemClock): Promise<Core> {
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  const applied = await db.migrate((message) => logger.debug({ engine: message }, "schema engine"));
  if (applied.length > 0) logger.info({ migrations: applied }, "applied migrations");
  return { config, db, deps: { prisma: db.prisma, clock, publicUrl: config.publicUrl }, logger, metrics: createMetrics() };
}
