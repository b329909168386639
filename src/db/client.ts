// Opens the database: embedded PGlite under DATA_DIR by default, PostgreSQL for a postgres:// URL.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.ts";
import { applyEmbeddedMigrations } from "./embedded-migrations.ts";
import { applyMigrations, unappliedMigrations } from "./migrations.ts";
import { seedFromTemplate } from "./pglite-template.ts";

export type Prisma = InstanceType<typeof PrismaClient>;
export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  prisma: Prisma;
  /** Applies pending migrations; safe to call from several replicas at once. */
  migrate(log?: (message: string) => void): Promise<string[]>;
  /** Runs `fn` only if no other process holds `key`; returns false when another does. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; absent means embedded PGlite. */
  url?: string | undefined;
  /** Where PGlite keeps its files; "memory://" keeps nothing. */
  dataDir: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** PostgreSQL: prepare statements once per connection and reuse them (see preparedNames). */
  preparedStatements?: boolean;
  /** PostgreSQL: cancel any statement that runs longer than this (statement_timeout); none by default. */
  statementTimeoutMs?: number | undefined;
}

/** Distinct statements a process prepares, at most; others run unprepared (PostgreSQL keeps each one per connection). */
export const MAX_PREPARED_STATEMENTS = 200;
// `*`, `t.*` and `returning *` take their columns from the table when prepared: after a migration adds
// one, PostgreSQL refuses to run the prepared statement ("cached plan must not change result type").
const STAR_COLUMNS = /(?:^|[\s,(])(?:"?\w+"?\.)?\*\s*(?:,|from\b|$)|\breturning\s+\*/i;
// A pattern match (a name's prefix) is planned better for its pattern than once for all; and a list
// as long as a team (Prisma writes `in` as one parameter per value) would spend a name on every length.
const PLANNED_EACH_TIME = /\blike\b|\bin\s*\((?:\s*\$\d+\s*,){16}/i;

/**
 * Names for prepared statements, one per distinct SQL text: node-postgres prepares a named statement
 * once on each connection and then only binds and executes it, and after five runs PostgreSQL plans
 * it once for all. A command's statements are short and keyed by ids, so this saves PostgreSQL most
 * of its CPU a command (a `/customer log`: 1.24 ms to 0.55 ms); the same plan suits every workspace.
 * A statement that expands a star, matches a pattern or lists more than 16 values runs unprepared.
 */
export function preparedNames(limit = MAX_PREPARED_STATEMENTS): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < limit && !STAR_COLUMNS.test(sql) && !PLANNED_EACH_TIME.test(sql)) {
      name = `crm_${names.size}`;
      names.set(sql, name);
    }
    // Unnamed, node-postgres sends it as an unnamed statement: parsed and planned for this run alone.
    return name as string;
  };
}

/**
 * Prisma's own messages, without the excerpt of the calling code it adds outside NODE_ENV=production:
 * for that it formats the caller's stack (parsing source maps on first use) and reads the caller's
 * file on every failed query, expected ones too (a name already taken). In the command thread, at its
 * lower priority on a busy machine, the first such failure took a submitted form past Feishu's 2 s.
 * No user sees Prisma's message, and a logged error keeps its stack.
 */
const clientOptions = { errorFormat: "minimal" } as const;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 10, options.preparedStatements ?? false, options.statementTimeoutMs)
    : openPGlite(options.dataDir);
}

// PostgreSQL zeroes its shared buffers at every start: at the 128 MB initdb chose, 0.45 s of
// WebAssembly before the first query and 128 MB of the process's memory for good. An embedded
// database is one small team's, whose working set is a few MB; 32 MB starts in 0.1 s and keeps a
// replica's memory about 110 MB smaller. Pages beyond it are read back from the operating system's
// cache.
const embeddedStartParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

async function openPGlite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true });
    // An empty folder gets the cluster initdb made at build time instead of running initdb now.
    seedFromTemplate(dataDir);
  }
  const pglite = await PGlite.create(inMemory ? undefined : dataDir, { startParams: embeddedStartParams });
  const factory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: factory, ...clientOptions });
  return {
    kind: "pglite",
    prisma,
    // The schema engine (a second of WebAssembly) only for a history it must judge.
    migrate: async (log) => (await applyEmbeddedMigrations(pglite)) ?? migrateIfBehind(prisma, factory, log),
    // One process owns an embedded database, so there is no one to coordinate with.
    withLock: async (_key, fn) => ({ ran: true, value: await fn() }),
    ping: async () => {
      await pglite.query("select 1");
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number, prepared: boolean, statementTimeoutMs?: number): Promise<Database> {
  const poolConfig = {
    connectionString: url,
    max: poolSize,
    // Without it a request waits forever for a connection when the database is gone.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Sent when each connection opens; PostgreSQL cancels the statement (and so its transaction),
    // and ends a session whose transaction has sat idle as long (a thread that holds locks while
    // it waits for a core, or stopped between two statements), so that its locks go.
    ...(statementTimeoutMs
      ? { statement_timeout: statementTimeoutMs, idle_in_transaction_session_timeout: statementTimeoutMs }
      : {}),
  };
  const factory = new PrismaPg(poolConfig, {
    onPoolError: () => {},
    onConnectionError: () => {},
    ...(prepared ? { statementNameGenerator: preparedNames() } : {}),
  });
  const prisma = new PrismaClient({ adapter: factory, ...clientOptions });
  const lockPool = new pg.Pool({ ...poolConfig, max: 2 });
  lockPool.on("error", () => {});

  const withLock: Database["withLock"] = async (key, fn) => {
    const client = await lockPool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock(hashtextextended($1, 0)) as locked", [
        key,
      ]);
      if (!rows[0]?.locked) return { ran: false };
      try {
        return { ran: true, value: await fn() };
      } finally {
        await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [key]);
      }
    } finally {
      client.release();
    }
  };

  return {
    kind: "postgres",
    prisma,
    // The schema engine takes PostgreSQL's migration advisory lock itself, so replicas
    // starting together apply each migration once.
    migrate: (log) => migrateIfBehind(prisma, factory, log),
    withLock,
    ping: async () => {
      await prisma.$queryRawUnsafe("select 1");
    },
    close: async () => {
      await prisma.$disconnect();
      await lockPool.end();
    },
  };
}

async function migrateIfBehind(
  prisma: Prisma,
  factory: SqlMigrationAwareDriverAdapterFactory,
  log?: (message: string) => void,
): Promise<string[]> {
  const behind = await unappliedMigrations((sql) => prisma.$queryRawUnsafe(sql));
  if (behind !== null && behind.length === 0) return [];
  return applyMigrations(factory, log);
}
