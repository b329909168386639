// Answers a Slack user where they are: a form opens as a modal, a reply goes through the
// request's response_url (else a direct message), and what cannot be delivered is logged with
// its delivery id so that it is recorded, not silently lost.
import { apology, apologyFor, Overloaded } from "../../command-thread/protocol.ts";
import { type Form, type Reply, textReply } from "../../commands/reply.ts";
import { type CommandHead, commandHead } from "../../commands/run.ts";
import { type Locale, translate } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics.ts";
import { reportFailure } from "../failures.ts";
import { Slots } from "../slots.ts";
import type { SlackApi } from "./api.ts";
import type { SlackMessenger } from "./messenger.ts";
import { type FormMeta, formModal } from "./modal.ts";
import { renderMessages, type SlackMessage } from "./render.ts";

/** Where and how a reply can reach the user who acted. */
export interface ReplyTarget {
  userId: string;
  channel?: string | undefined;
  /** The request's response_url: answers in place, even in channels the bot is not in. */
  responseUrl?: string | undefined;
  /** Opens a modal within 3 seconds of the request. */
  triggerId?: string | undefined;
  /** The request came from the App Home tab. */
  home?: boolean | undefined;
}

// Slack takes at most five posts to one response_url; further parts go by direct message.
const RESPONSE_URL_POSTS = 5;

export class ReplyDelivery {
  private readonly slots: Slots;

  constructor(
    private readonly deps: {
      api: SlackApi;
      messenger: SlackMessenger;
      logger: Logger;
      metrics: Metrics;
      defaultLocale: Locale;
      /** Commands at work at once; more would only wait for a database connection. */
      concurrency: number;
      /** Commands waiting for a slot, at most; more are refused with an apology. */
      backlog: number;
    },
  ) {
    this.slots = new Slots(deps.concurrency, deps.backlog);
  }

  /**
   * Runs a command and delivers its reply; a failure gets a short apology. The command layer counts
   * the outcomes it sees; what fails before reaching it (the database gone while the member is
   * looked up) is counted here, under the verb `command` begins with (the command's text, or a
   * form's verb). `locale` is the language of the message a button was on, for the apology.
   */
  answer(target: ReplyTarget, command: string, work: () => Promise<Reply | null>, locale?: Locale): Promise<void> {
    // The database work waits for a slot (or is refused when too many wait); posting the answer holds none.
    return this.answerStarted(target, command, this.slots.run(work), locale);
  }

  /** True while a command given to `answer` now would be refused (COMMAND_BACKLOG). */
  full(): boolean {
    return this.slots.full();
  }

  /** Delivers the reply of work already under way (a submitted form's): it holds no slot and is never refused. */
  async answerStarted(target: ReplyTarget, command: string, work: Promise<Reply | null>, locale?: Locale): Promise<void> {
    let reply: Reply | null;
    try {
      reply = await work;
    } catch (error) {
      await this.apologize(target, command, error, locale);
      return;
    }
    await this.deliver(target, reply);
  }

  /**
   * Hands a command to work that runs it and delivers its reply itself (the command thread, which
   * has slots of its own): only a failure to get it done there (the thread ended, or is starting
   * again) is answered here.
   */
  async handOver(target: ReplyTarget, command: string, work: () => Promise<void>, locale?: Locale): Promise<void> {
    try {
      await work();
    } catch (error) {
      await this.apologize(target, command, error, locale);
    }
  }

  /** Counts and logs a command (its text, or a form's verb) that failed on our side, or was refused unrun (Overloaded). */
  report(target: ReplyTarget, command: string, error: unknown): CommandHead {
    const head = commandHead(command);
    reportFailure(this.deps, "slack", head, error, { userId: target.userId });
    return head;
  }

  /** Counts and logs a command refused before it was handed over (COMMAND_BACKLOG); gives the sentence to answer with. */
  refuse(target: ReplyTarget, command: string): string {
    const head = this.report(target, command, new Overloaded("refused before it was handed over"));
    return apology("error.busy", head.locale ?? this.deps.defaultLocale);
  }

  // A button's apology in its message's language; a typed command's in the language its reply would have had.
  private async apologize(target: ReplyTarget, command: string, error: unknown, locale?: Locale): Promise<void> {
    const head = this.report(target, command, error);
    const language = locale ?? head.locale ?? this.deps.defaultLocale;
    await this.deliver(target, textReply(language, apology(apologyFor(error), language)));
  }

  async deliver(target: ReplyTarget, reply: Reply | null): Promise<void> {
    if (!reply) return;
    if (reply.openForm) {
      await this.openForm(target, reply.openForm, reply.locale);
      return;
    }
    const messages = renderMessages(reply);
    let sent = 0;
    try {
      for (const message of target.responseUrl ? messages.slice(0, RESPONSE_URL_POSTS) : []) {
        await this.respond(target.responseUrl as string, message, reply);
        sent++;
      }
    } catch {
      // The url expired or was used up (the API wrapper logged which): the rest goes by DM.
    }
    const direct = messages.slice(sent);
    if (direct.length === 0) return;
    await this.deps.messenger.postDirect(target.userId, direct).catch((error: unknown) => {
      this.deps.logger.error({ err: error, userId: target.userId, summary: reply.summary }, "Slack reply could not be delivered");
    });
  }

  /** Opens a form as a modal; the trigger must be used within 3 seconds of the request. */
  async openForm(target: ReplyTarget, form: Form, locale: Locale, extra: Partial<FormMeta> = {}): Promise<void> {
    const meta: FormMeta = {
      verb: form.verb,
      locale,
      channel: target.channel,
      hidden: form.hidden,
      responseUrl: target.responseUrl,
      home: target.home,
      ...extra,
    };
    const triggerId = target.triggerId;
    try {
      if (!triggerId) throw new Error("no trigger_id to open a modal with");
      await this.deps.api.call("views.open", (c) => c.views.open({ trigger_id: triggerId, view: formModal(form, meta) }));
    } catch (error) {
      this.deps.logger.warn({ err: error, verb: form.verb }, "Slack modal could not open");
      await this.deliver({ ...target, triggerId: undefined }, textReply(locale, `⚠️ ${translate(locale, "slack.formExpired")}`));
    }
  }

  private async respond(url: string, message: SlackMessage, reply: Reply): Promise<void> {
    await this.deps.api.respond(url, {
      response_type: reply.visibility === "channel" ? "in_channel" : "ephemeral",
      replace_original: false,
      text: message.text,
      ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
    });
  }
}
