// A user's mistake: a message key and its parameters, turned into a sentence by the catalogues.
import type { MessageKey } from "../i18n/index.ts";

export class UserError extends Error {
  override name = "UserError";
  constructor(
    readonly code: MessageKey,
    readonly params: Record<string, string | number> = {},
    /** The verb whose usage should follow the message, if any. */
    readonly usageOf?: string,
  ) {
    super(code);
  }
}

/** True for Prisma's unique-constraint violation (P2002), however the adapter reports it, raw SQL's (P2010) included. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as {
    code?: string;
    message?: string;
    cause?: { code?: string };
    meta?: { driverAdapterError?: { cause?: { originalCode?: string } } };
  };
  return (
    e.code === "P2002" ||
    e.cause?.code === "23505" ||
    e.meta?.driverAdapterError?.cause?.originalCode === "23505" ||
    /Unique constraint failed/.test(e.message ?? "")
  );
}

/** True for Prisma's "record to update not found" (P2025): the row is gone, or no longer as the update required. */
export function isRecordNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2025";
}
