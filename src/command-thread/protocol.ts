// The messages between the main thread and the command thread.
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import type { Config } from "../config.ts";
import { type Locale, translate } from "../i18n/index.ts";
import type { RequestScope } from "../request-context.ts";

export type Platform = "slack" | "feishu";

export interface ThreadData {
  config: Config;
  /** The main thread's logger's level, which the thread's lines follow. */
  logLevel: string;
  /** When run from source (tsx): the worker module the source loader should import. */
  entry?: string;
}

export type Request =
  | {
      type: "call";
      platform: Platform;
      op: string;
      args: unknown[];
      /** The request being served, for the log lines the call writes. */
      scope: RequestScope | Record<string, never>;
      /** The command's time: when its request reached the main thread, by the server's clock. */
      now: number;
    }
  | { type: "metrics" };

export type ToThread = (Request & { id: number }) | { type: "close" };

export type FromThread =
  | { type: "ready" }
  | { type: "result"; id: number; value: unknown }
  | { type: "error"; id: number; error: WireError }
  | { type: "metrics"; id: number; value: MetricObjectWithValues<MetricValue<string>>[] }
  | { type: "log"; lines: string[] };

/**
 * The command thread ended while it held the command: it may have written or not, so the user is
 * told to look before trying again rather than that nothing was saved.
 */
export class CommandInterrupted extends Error {
  override name = "CommandInterrupted";
}

/**
 * Refused before it ran: too many commands are already waiting their turn (config.commandBacklog). Run, each would only
 * be answered long after its user gave up, and held in memory until then.
 */
export class Overloaded extends Error {
  override name = "Overloaded";
}

/** Overloaded, also as it comes back from the command thread (by name: the class does not cross threads). */
export function isOverloaded(error: unknown): error is Error {
  return error instanceof Error && error.name === "Overloaded";
}

/** An apology as the user reads it. */
export function apology(key: ReturnType<typeof apologyFor>, locale: Locale): string {
  return `⚠️ ${translate(locale, key)}`;
}

/** The apology for a command that failed on our side, or was not run. */
export function apologyFor(error: unknown): "error.internal" | "error.interrupted" | "error.busy" {
  if (isOverloaded(error)) return "error.busy";
  return error instanceof CommandInterrupted ? "error.interrupted" : "error.internal";
}

export interface WireError {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: string | undefined;
}

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    code: typeof code === "string" || typeof code === "number" ? String(code) : undefined,
  };
}

/** An error thrown in the command thread, as the main thread rethrows it (name, message, code, stack). */
export function fromWire(wire: WireError): Error {
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  if (wire.code) Object.assign(error, { code: wire.code });
  return error;
}
