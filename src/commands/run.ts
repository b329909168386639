// The one way into the command layer: text (or a submitted form) in, a platform-neutral reply out.
import type { Logger } from "pino";
import type { ZodError } from "zod";
import { claimDelivery, releaseDelivery } from "../domain/deliveries.ts";
import type { DomainDeps } from "../domain/deps.ts";
import { UserError } from "../domain/errors.ts";
import type { MemberDirectory } from "../domain/members.ts";
import { han } from "../domain/names.ts";
import type { Member, Workspace } from "../generated/prisma/client.ts";
import { isMessageKey, type Locale, toLocale, translator } from "../i18n/index.ts";
import type { Metrics } from "../metrics.ts";
import { type ParsedArgs, parseArgs } from "./args.ts";
import { findVerb } from "./registry.ts";
import { type Reply, textReply } from "./reply.ts";
import { tokenize } from "./tokenize.ts";
import type { ChannelPoster, CommandContext, Source, Verb } from "./types.ts";
import { helpReply, usageText } from "./verbs/help.ts";

export interface Invocation {
  deps: DomainDeps;
  logger: Logger;
  workspace: Workspace;
  member: Member;
  channel?: string | undefined;
  source: Source;
  /** The platform's id for this delivery; a second delivery with the same id does nothing. */
  deliveryId: string;
  directory: MemberDirectory;
  invocation?: string;
  /** The platform's Messenger: lets `survey` post the link into the customer's linked channel. */
  messenger?: ChannelPoster | undefined;
  /** Where each command's verb and outcome is counted (the server's /metrics); tests may leave it out. */
  metrics?: Pick<Metrics, "commands"> | undefined;
}

type Outcome = "ok" | "user_error" | "error" | "duplicate";
type Count = (outcome: Outcome) => void;

/** Counts a command by verb and outcome, with one log line each (the request scope names the delivery). */
function counter(inv: Invocation, verb: string): Count {
  return (outcome) => {
    inv.metrics?.commands.inc({ platform: inv.source, verb, outcome });
    inv.logger.info({ verb, outcome, source: inv.source }, "command");
  };
}

/** Words that may stand before the verb: the slash command itself, or the bot's name on Feishu. */
const prefixes = /^\s*(\/?customer|\/?crm|\/?客户)(?=\s|$)/i;
export const MAX_COMMAND_LENGTH = 4_000;

/**
 * Runs a typed command, or the command of a clicked button (then `locale` is the language of the
 * message the button was on). Returns null when this delivery was handled before.
 */
export async function runCommand(inv: Invocation, rawText: string, locale?: Locale): Promise<Reply | null> {
  const { text, first, found, locale: told } = readHead(rawText);
  locale ??= told ?? preferredLocale(inv);
  const ctx = context(inv, locale);
  const refuse = (error: UserError) => {
    counter(inv, "unknown")("user_error");
    return errorReply(ctx, error);
  };
  if (text.length > MAX_COMMAND_LENGTH) return refuse(new UserError("error.tooLong", { max: MAX_COMMAND_LENGTH }));
  if (!first) {
    counter(inv, "help")("ok");
    return helpReply(ctx);
  }
  if (!found) return refuse(new UserError("error.unknownVerb", { verb: first.value, cmd: ctx.invocation }));
  const body = text.slice(first.end);
  const readArgs = () => parseArgs(body, tokenize(body), found.verb.options);
  return execute(ctx, found.verb, readArgs, body.trim() === "", counter(inv, found.verb.name));
}

/** Runs a verb with the values of a submitted form (a Slack modal, a Feishu card form). */
export async function runForm(
  inv: Invocation,
  verbName: string,
  values: Record<string, string>,
  locale?: Locale,
): Promise<Reply | null> {
  const found = findVerb(verbName);
  const ctx = context(inv, locale ?? preferredLocale(inv));
  if (!found) {
    counter(inv, "unknown")("user_error");
    return errorReply(ctx, new UserError("error.unknownVerb", { verb: verbName, cmd: ctx.invocation }));
  }
  return execute(ctx, found.verb, () => formArgs(values), false, counter(inv, found.verb.name));
}

/**
 * A command's text without its prefix, its first token, the verb that token names, and the
 * language the text is written in as far as it tells: its verb's, else Chinese for any Han character.
 */
function readHead(rawText: string) {
  const text = rawText.replace(prefixes, "").trim();
  const first = tokenize(text)[0];
  const found = first ? findVerb(first.value) : undefined;
  const locale: Locale | undefined = found ? found.locale : han.test(text) ? "zh" : undefined;
  return { text, first, found, locale };
}

/** What a command's text says of itself before it is run: its first word, the verb that word names, its language. */
export interface CommandHead {
  word: string;
  /** The verb's name ("log" for 记录), if the word is one. */
  verb: string | undefined;
  /** As the command's answer would be in, if the text tells (else the member's, which only running it finds). */
  locale: Locale | undefined;
}

/** For a command answered without running it: refused as over the backlog, or failed on our side. */
export function commandHead(rawText: string): CommandHead {
  const { first, found, locale } = readHead(rawText);
  return { word: first?.value ?? "", verb: found?.verb.name, locale };
}

function preferredLocale(inv: Invocation): Locale {
  return toLocale(inv.member.locale, toLocale(inv.workspace.locale, "zh"));
}

export function context(inv: Invocation, locale: Locale): CommandContext & { logger: Logger } {
  return {
    deps: inv.deps,
    logger: inv.logger,
    workspace: inv.workspace,
    member: inv.member,
    channel: inv.channel,
    locale,
    t: translator(locale),
    source: inv.source,
    deliveryId: inv.deliveryId,
    directory: inv.directory,
    invocation: inv.invocation ?? "/customer",
    messenger: inv.messenger,
  };
}

async function execute(
  ctx: CommandContext & { logger: Logger },
  verb: Verb,
  readArgs: () => ParsedArgs,
  empty: boolean,
  count: Count,
): Promise<Reply | null> {
  if (empty && verb.emptyForm) {
    const form = verb.emptyForm(ctx);
    count("ok");
    return { ...textReply(ctx.locale, form.title), openForm: form };
  }
  let input: unknown;
  let args: ParsedArgs;
  try {
    args = readArgs();
    const unknown = verb.freeText ? [] : args.unknown;
    if (unknown[0]) throw new UserError("error.unknownOption", { option: unknown[0].value }, verb.name);
    const parsed = verb.schema.safeParse(verb.parse(args, ctx));
    if (!parsed.success) throw zodToUserError(parsed.error, args, verb);
    input = parsed.data;
  } catch (error) {
    count(error instanceof UserError ? "user_error" : "error");
    if (error instanceof UserError) return errorReply(ctx, error);
    throw error;
  }
  // The delivery to claim first, unless the verb's own write is keyed by it.
  const claim = ctx.deliveryId && !verb.keysWritesByDelivery?.(input) ? ctx.deliveryId : undefined;
  try {
    const claimed = !claim || (await claimDelivery(ctx.deps, ctx.workspace.id, claim));
    const reply = claimed ? await verb.run(ctx, input) : null;
    count(reply ? "ok" : "duplicate");
    return reply;
  } catch (error) {
    count(error instanceof UserError ? "user_error" : "error");
    if (error instanceof UserError) return errorReply(ctx, error);
    if (claim) await releaseDelivery(ctx.deps, ctx.workspace.id, claim).catch(() => {});
    ctx.logger.error({ err: error, verb: verb.name, deliveryId: ctx.deliveryId }, "command failed");
    return textReply(ctx.locale, `⚠️ ${ctx.t("error.internal")}`);
  }
}

export function formArgs(values: Record<string, string>): ParsedArgs {
  const positional = values._ ?? "";
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (key !== "_" && value !== "") options[key] = value;
  const words = positional ? [{ value: positional, quoted: true, start: 0, end: positional.length }] : [];
  return { words, options, typedNames: {}, unknown: [], rest: (i) => (i === 0 ? positional : "") };
}

export function zodToUserError(error: ZodError, args: ParsedArgs, verb: Verb): UserError {
  const issue = error.issues[0];
  const field = String(issue?.path[0] ?? "");
  const hint = issue && isMessageKey(issue.message) ? issue.message : "hint.text";
  const value = args.options[field];
  if (value === undefined) return new UserError(hint, {}, verb.name);
  return new UserError("error.badValue", { option: args.typedNames[field] ?? field, value, hint }, verb.name);
}

/** The sentence for a user's mistake, in the context's language. */
export function errorMessage(ctx: Pick<CommandContext, "t">, error: UserError): string {
  const params = { ...error.params };
  if (typeof params.hint === "string" && isMessageKey(params.hint)) params.hint = ctx.t(params.hint);
  return ctx.t(error.code, params);
}

export function errorReply(ctx: CommandContext, error: UserError): Reply {
  const message = `⚠️ ${errorMessage(ctx, error)}`;
  const usage = error.usageOf ? usageText(ctx, error.usageOf) : "";
  return {
    ...textReply(ctx.locale, message),
    error: true,
    blocks: [{ type: "text", text: message }, ...(usage ? [{ type: "context" as const, text: usage }] : [])],
  };
}
