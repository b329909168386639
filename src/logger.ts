// Structured JSON logs (pino); secrets are redacted wherever they appear in a logged object, and
// every line written while a request is handled names that request.
import pino, { type Logger } from "pino";
import { requestFields } from "./request-context.ts";

export const redactPaths = [
  "*.token",
  "*.botToken",
  "*.appToken",
  "*.signingSecret",
  "*.appSecret",
  "*.encryptKey",
  "*.verificationToken",
  "*.authorization",
  "*.Authorization",
  "headers.authorization",
  "headers.cookie",
  "config.slack",
  "config.feishu",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactPaths, censor: "[redacted]" }, base: { service: "crm-bot" }, mixin: requestFields },
    destination,
  );
}

export type { Logger };
