// Every environment variable the bot reads, parsed once with zod into a typed Config.
import { z } from "zod";
import { isTimeZone } from "./domain/time.ts";

const optional = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const TIMEOUT_EXPECTED = "0 (none) or milliseconds from 100 to 3600000";

const schema = z.object({
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "a postgres:// URL, or unset for the embedded database")
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1, "a folder path").default("./data"),
  DATABASE_POOL_SIZE: wholeNumber(1, 200, "a pool size from 1 to 200").default(10),
  DATABASE_PREPARED_STATEMENTS: z.enum(["on", "off"], "on or off").default("on"),
  PORT: wholeNumber(0, 65535, "a port number from 0 to 65535").default(3000),
  HOST: z.string().trim().min(1, "a host name or address").default("0.0.0.0"),
  PUBLIC_URL: optional.pipe(z.url("a URL such as https://crm.example.com").optional()),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "one of fatal, error, warn, info, debug, trace, silent")
    .default("info"),
  DEFAULT_LOCALE: z.enum(["en", "zh"], "en or zh").default("zh"),
  DEFAULT_TIME_ZONE: z.string().trim().default("Asia/Shanghai").refine(isTimeZone, "an IANA time zone such as Asia/Shanghai"),
  USER: z.string().trim().min(1).default("me"),
  SCHEDULER: z.enum(["on", "off"], "on or off").default("on"),
  COMMAND_THREAD: optional.pipe(z.enum(["on", "off"], "on or off").optional()),
  COMMAND_THREAD_PRIORITY: z.enum(["nice", "idle"], "nice or idle").default("nice"),
  COMMAND_BACKLOG: wholeNumber(1, 1_000_000, "a number of commands from 1 to 1000000").default(2_000),
  COMMAND_STATEMENT_TIMEOUT_MS: wholeNumber(0, 3_600_000, TIMEOUT_EXPECTED)
    .refine((ms) => ms === 0 || ms >= 100, TIMEOUT_EXPECTED)
    .default(30_000),

  SLACK_BOT_TOKEN: optional.pipe(z.string().startsWith("xoxb-", "a bot token starting xoxb-").optional()),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional.pipe(z.string().startsWith("xapp-", "an app token starting xapp-").optional()),
  SLACK_API_URL: optional.pipe(z.url("a URL ending in /api/").optional()),

  FEISHU_APP_ID: optional,
  FEISHU_APP_SECRET: optional,
  FEISHU_ENCRYPT_KEY: optional,
  FEISHU_VERIFICATION_TOKEN: optional,
  FEISHU_MODE: z.enum(["ws", "webhook"], "ws or webhook").default("ws"),
  FEISHU_DOMAIN: z
    .string()
    .trim()
    .default("feishu")
    .refine((value) => value === "feishu" || value === "lark" || /^https?:\/\//.test(value), "feishu, lark, or a URL"),
});

function wholeNumber(min: number, max: number, expected: string) {
  return z.string().trim().regex(/^\d+$/, expected).transform(Number).pipe(z.number().min(min, expected).max(max, expected));
}

export type Env = z.input<typeof schema>;

/** Every variable the bot reads, by name. */
export const configVariables = Object.keys(schema.shape);

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
  /**
   * The command thread prepares its statements on each PostgreSQL connection (src/db/client.ts);
   * off for a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements: boolean;
  port: number;
  host: string;
  publicUrl: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  defaultLocale: "en" | "zh";
  defaultTimeZone: string;
  scheduler: boolean;
  /** Commands run in a worker thread of their own (PostgreSQL only; see src/command-thread). */
  commandThread: boolean;
  /**
   * How the command thread yields the cores to the thread that acknowledges (Linux): `nice`, nice 10;
   * `idle`, Linux's idle scheduling class at nice 10, a shorter tail for the acknowledgements and
   * commands that wait whenever the process's main thread is busy (README, "The command thread").
   */
  commandThreadPriority: "nice" | "idle";
  /**
   * Commands handed to the command thread and not yet answered, at most (without the thread, Slack's
   * and Feishu's commands waiting for a database connection); more are refused at once, each user told to try
   * again in a minute. At the few hundred commands a second a server runs, 2,000 is
   * seconds of work: a burst from a whole company is taken, a flood is not held in memory.
   */
  commandBacklog: number;
  /**
   * A statement the command thread sends PostgreSQL is cancelled after this long (PostgreSQL's
   * statement_timeout, sent as each connection of that pool opens): a command stuck behind a lock is
   * rolled back and its user asked to try again instead of holding its place in the backlog and its
   * connection until the lock goes. Commands' statements take milliseconds. 0: none (PgBouncer
   * refuses the setting when a connection opens; set it on the database role there instead).
   */
  commandStatementTimeoutMs: number;
  /** Who the terminal acts as when --as is not given. */
  terminalUser: string;
  slack: SlackConfig | { missing: string[] };
  feishu: FeishuConfig | { missing: string[] };
}

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken: string | undefined;
  apiUrl: string | undefined;
}

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  encryptKey: string | undefined;
  verificationToken: string | undefined;
  mode: "ws" | "webhook";
  domain: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The process environment, with a .env file in the working directory read first if there is one. */
export function processEnv(): Record<string, string | undefined> {
  try {
    process.loadEnvFile(".env");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new ConfigError(`.env could not be read: ${(error as Error).message}`);
  }
  return process.env;
}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = processEnv()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      return `${name}=${JSON.stringify(env[name] ?? "")} is not valid: expected ${issue.message}`;
    });
    throw new ConfigError(lines.join("\n"));
  }
  const e = parsed.data;
  const slackMissing = missing(e, ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]);
  const feishuMissing = missing(e, ["FEISHU_APP_ID", "FEISHU_APP_SECRET"]);
  if (e.FEISHU_MODE === "webhook" && feishuMissing.length === 0 && !e.FEISHU_VERIFICATION_TOKEN && !e.FEISHU_ENCRYPT_KEY) {
    throw new ConfigError(
      "FEISHU_MODE=webhook needs FEISHU_ENCRYPT_KEY or FEISHU_VERIFICATION_TOKEN, so that forged events can be refused",
    );
  }
  if (e.COMMAND_THREAD === "on" && !e.DATABASE_URL) {
    throw new ConfigError("COMMAND_THREAD=on needs DATABASE_URL: the embedded database can be used from one thread only");
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS === "on",
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    defaultTimeZone: e.DEFAULT_TIME_ZONE,
    scheduler: e.SCHEDULER === "on",
    commandThread: e.COMMAND_THREAD ? e.COMMAND_THREAD === "on" : e.DATABASE_URL !== undefined,
    commandThreadPriority: e.COMMAND_THREAD_PRIORITY,
    commandBacklog: e.COMMAND_BACKLOG,
    commandStatementTimeoutMs: e.COMMAND_STATEMENT_TIMEOUT_MS,
    terminalUser: e.USER,
    slack:
      slackMissing.length > 0
        ? { missing: slackMissing }
        : {
            botToken: e.SLACK_BOT_TOKEN as string,
            signingSecret: e.SLACK_SIGNING_SECRET as string,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
          },
    feishu:
      feishuMissing.length > 0
        ? { missing: feishuMissing }
        : {
            appId: e.FEISHU_APP_ID as string,
            appSecret: e.FEISHU_APP_SECRET as string,
            encryptKey: e.FEISHU_ENCRYPT_KEY,
            verificationToken: e.FEISHU_VERIFICATION_TOKEN,
            mode: e.FEISHU_MODE,
            domain: e.FEISHU_DOMAIN,
          },
  };
}

function missing<K extends string>(env: Partial<Record<K, unknown>>, names: K[]): K[] {
  return names.filter((name) => env[name] === undefined);
}

export function isConfigured<T extends object>(platform: T | { missing: string[] }): platform is T {
  return !("missing" in platform);
}
