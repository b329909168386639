// Structured JSON logs (pino); secrets are redacted wherever they appear in a logged object, and
// every line written while a request is handled names that request.
import pino, { type Logger } from "pino";
import { requestFields } from "./request-context.ts";

/** Keys whose values are secrets: replaced in a logged object's own fields and in its fields' fields. */
const SECRET_KEYS = [
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "appSecret",
  "encryptKey",
  "verificationToken",
  "authorization",
  "Authorization",
  "cookie",
];
/** A logged `config` loses its platforms' settings whole (tokens, secrets, keys). */
const CONFIG_SECRETS = [...SECRET_KEYS, "slack", "feishu"];
const CENSOR = "[redacted]";

/**
 * The logged object with its secrets replaced (the caller's objects are left as they were): its
 * own fields named in SECRET_KEYS, and those of each field's value one level down. pino's own
 * `redact` did the same with wildcard paths, but parsed the paths and cloned the object for every
 * line: a fifth of what the thread that acknowledges requests allocated, and so of its pauses for
 * garbage collection.
 */
export function withoutSecrets(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    const value = object[key];
    if (value === undefined) continue;
    const inside = key === "config" ? CONFIG_SECRETS : SECRET_KEYS;
    let clean = value;
    if (SECRET_KEYS.includes(key)) clean = CENSOR;
    else if (typeof value === "object" && value !== null) clean = censored(value, inside);
    if (clean !== value) {
      copy ??= { ...object };
      copy[key] = clean;
    }
  }
  return copy ?? object;
}

/**
 * `value` itself when it holds none of `secrets`; else a copy with them replaced, of the same
 * prototype (an error stays an error) and made from its fields' descriptors, so that a frozen
 * object or a getter is copied too rather than making the log call throw.
 */
function censored(value: object, secrets: readonly string[]): object {
  let fields: PropertyDescriptorMap | undefined;
  for (const key of secrets) {
    if (!Object.hasOwn(value, key) || (value as Record<string, unknown>)[key] === undefined) continue;
    fields ??= Object.getOwnPropertyDescriptors(value);
    fields[key] = { value: CENSOR, enumerable: true, writable: true, configurable: true };
  }
  return fields ? Object.create(Object.getPrototypeOf(value), fields) : value;
}

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
    {
      level,
      formatters: { log: withoutSecrets, bindings: withoutSecrets },
      base: { service: "crm-bot" },
      mixin: requestFields,
    },
    destination,
  );
}

export type { Logger };
