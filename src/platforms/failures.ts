// A command answered without being run, counted and logged alike on every platform: refused as
// over the backlog (a warning), or failed on our side outside the command layer (an error), under
// the verb its text names ("unknown" when it names none).
import { isOverloaded, type Platform } from "../command-thread/protocol.ts";
import type { CommandHead } from "../commands/run.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

export function reportFailure(
  d: { logger: Logger; metrics: Pick<Metrics, "commands"> },
  platform: Platform,
  head: CommandHead,
  error: unknown,
  fields: Record<string, unknown> = {},
): void {
  const busy = isOverloaded(error);
  d.metrics.commands.inc({ platform, verb: head.verb ?? "unknown", outcome: busy ? "busy" : "error" });
  const logged = { ...fields, verb: head.word };
  if (busy) d.logger.warn({ ...logged, reason: (error as Error).message }, "command refused: too many waiting");
  else d.logger.error({ ...logged, err: error }, "command failed on our side");
}
