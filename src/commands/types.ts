// What a verb is, and what it is given when it runs.
import type { z } from "zod";
import type { Actor, DomainDeps } from "../domain/deps.ts";
import type { MemberDirectory } from "../domain/members.ts";
import type { Workspace } from "../generated/prisma/client.ts";
import type { Locale, Translate } from "../i18n/index.ts";
import type { ParsedArgs } from "./args.ts";
import type { Form, Reply } from "./reply.ts";

export type Source = "slack" | "feishu" | "cli";

/** What a verb may post outside its reply (a survey link into a customer's channel); a platform's Messenger fits. */
export interface ChannelPoster {
  postToChannel(workspace: Workspace, channel: string, reply: Reply): Promise<string>;
}

export interface CommandContext extends Actor {
  deps: DomainDeps;
  locale: Locale;
  t: Translate;
  source: Source;
  /** The platform's id for this delivery (a Slack trigger, a Feishu message id): dedupes writes. */
  deliveryId: string;
  directory: MemberDirectory;
  /** The words the user typed to reach the command (`/customer`, `客户`), for help text. */
  invocation: string;
  /** The platform's sender, when it gave one: without it, posting verbs hand the rep a link instead. */
  messenger?: ChannelPoster | undefined;
}

export interface Verb<Input = unknown> {
  /** The canonical English name; help and message keys use it. */
  name: string;
  /** Every name the verb may be typed as, by language. The first of each is shown in help. */
  names: { en: readonly string[]; zh: readonly string[] };
  /** Canonical option name -> every name it may be typed as. */
  options: Record<string, readonly string[]>;
  /** Left out of the help list (e.g. `cancel`, which only buttons use). */
  hidden?: boolean;
  /** True when words after the verb are free text, so unknown key=value words are kept as text. */
  freeText?: boolean;
  /** Turns the words and options into the verb's input, checked by `schema`. */
  parse(args: ParsedArgs, ctx: CommandContext): unknown;
  schema: z.ZodType<Input>;
  /**
   * Runs the verb. Null only where `keysWritesByDelivery`: this delivery was handled before, and
   * nothing is said again.
   */
  run(ctx: CommandContext, input: Input): Promise<Reply | null>;
  /**
   * True when, for this input, the verb's write is keyed by the delivery id itself (a typed log's
   * interaction, by its source ref), so that a repeated delivery writes nothing on its own: the
   * command layer does not claim the delivery first, one statement (and commit) fewer on the
   * commonest command.
   */
  keysWritesByDelivery?(input: Input): boolean;
  /** A form to open when the verb is typed with nothing after it (`add` alone opens a modal). */
  emptyForm?(ctx: CommandContext): Form;
}

/** Helps a verb file declare itself with its input type inferred from its schema. */
export function defineVerb<S extends z.ZodType>(verb: Verb<z.infer<S>> & { schema: S }): Verb<z.infer<S>> {
  return verb;
}
