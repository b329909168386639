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

/**
 * Standard output, written up to 4 KB at a time or every 100 ms, whichever comes first, instead of
 * a system call per line: at hundreds of commands a second those calls, and the reader each one
 * wakes, cost more than making the lines. What is pending is written when the process exits; a
 * process killed outright (SIGKILL) loses at most its last 100 ms of lines.
 */
function standardOutput(): pino.DestinationStream {
  // A reader that stops reading (a stuck log shipper) costs at most 16 MB of lines, then drops them.
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100, maxLength: 16 * 2 ** 20 });
}

/**
 * Lines made elsewhere (the command thread's) written to this logger's own destination one line a
 * write, as pino writes its own, so that two threads never interleave within a line on standard
 * output and a destination that reads one line a write (a transport, a test's sink) reads them too.
 */
export function writeLines(logger: Logger, lines: string[]): void {
  const stream = (logger as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym];
  for (const line of lines) stream?.write(line);
}

/**
 * A destination for a thread that does not write standard output itself: lines are handed to
 * `post` up to 4 KB at a time or every 100 ms, as standard output is written; `flush` hands over
 * what is pending (before the thread exits).
 */
export function handedOver(post: (lines: string[]) => void): pino.DestinationStream & { flush(): void } {
  let pending: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    size = 0;
    post(lines);
  };
  return {
    write(line: string) {
      pending.push(line);
      size += line.length;
      if (size >= 4096) flush();
      else timer ??= setTimeout(flush, 100).unref();
    },
    flush,
  };
}

export function createLogger(level: string, destination: pino.DestinationStream = standardOutput()): Logger {
  return pino(
    { level, redact: { paths: redactPaths, censor: "[redacted]" }, base: { service: "crm-bot" }, mixin: requestFields },
    destination,
  );
}

export type { Logger };
