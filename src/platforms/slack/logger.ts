// Bolt and the Slack SDKs log through our pino logger, so their lines share its format and redaction.
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../logger.ts";

const levels: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

export function slackLogger(logger: Logger, component: string): SlackLogger {
  const child = logger.child({ component });
  // The SDKs pass several values per line; joining them keeps one readable message.
  const line = (parts: unknown[]) =>
    parts.map((p) => (typeof p === "string" ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(" ");
  return {
    debug: (...parts) => child.debug(line(parts)),
    info: (...parts) => child.info(line(parts)),
    warn: (...parts) => child.warn(line(parts)),
    error: (...parts) => child.error(line(parts)),
    // Our configuration sets the level once for every component; the SDKs may not change it.
    setLevel: () => {},
    getLevel: () => levels[child.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
