// Starts the real server with Slack (HTTP or Socket Mode) pointed at FakeSlack, and acts as
// Slack does towards it: signed slash commands, clicks, modal submissions, shortcuts and events.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { FakeSlack, type ResponsePost, slackSignature, visibleText } from "../fakes/slack-api.ts";
import {
  appHomeOpened,
  blockAction,
  type ClickedElement,
  homeAction,
  messageShortcut,
  type SlackPerson,
  type SlackRequest,
  slashCommand,
  triggerId,
  viewSubmission,
} from "../fakes/slack-payloads.ts";
import { TestClock } from "../support/clock.ts";
import { createPostgresDatabase, dropPostgresDatabase, testDatabaseKind } from "../support/database.ts";
import { until } from "../support/poll.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const BOT_TOKEN = "xoxb-1234-5678-secretbottoken";
export const APP_TOKEN = "xapp-1-A0FAKE-secretapptoken";

/** What a person reads in an answer posted to a response_url. */
export function said(post: { body: Record<string, unknown> }): string {
  return visibleText(post.body);
}

export interface OpenedView {
  id: string;
  title: { text: string };
  private_metadata: string;
  blocks: { type: string; block_id?: string; optional?: boolean; label?: { text: string }; element?: Record<string, unknown> }[];
}

export interface Sent {
  status: number;
  /** How long the server took to answer (the ack). */
  ms: number;
  body: string;
}

export class SlackHarness {
  private constructor(
    readonly fake: FakeSlack,
    readonly server: RunningServer,
    readonly clock: TestClock,
    /** Every log line the server wrote, to check what is logged (and that no token is). */
    readonly logs: string[],
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  /** `env` adds to or overrides the server's environment. */
  static async start(options: { socketMode?: boolean; env?: Record<string, string> } = {}): Promise<SlackHarness> {
    const fake = await FakeSlack.start();
    const logs: string[] = [];
    const env: Record<string, string> = {
      DATA_DIR: "memory://",
      PORT: "0",
      HOST: "127.0.0.1",
      DEFAULT_LOCALE: "en",
      DEFAULT_TIME_ZONE: "Asia/Shanghai",
      SCHEDULER: "off",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ...(options.socketMode ? { SLACK_APP_TOKEN: APP_TOKEN } : {}),
      ...options.env,
    };
    let drop = async () => {};
    if (testDatabaseKind === "postgres") {
      const { url, name } = await createPostgresDatabase();
      env.DATABASE_URL = url;
      drop = () => dropPostgresDatabase(name);
    }
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const clock = new TestClock("2026-11-25T02:00:00Z");
    const server = await startServer(loadConfig(env), { logger: createLogger("info", sink), clock });
    // The command thread starts beside the server; a first command would wait for it, which the
    // tests that time an answer (a modal within the trigger's 3 seconds) should not count.
    await until(async () => {
      const health = (await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()) as {
        commandThread?: { status: string };
      };
      return !health.commandThread || health.commandThread.status === "ok";
    }, "the command thread to start");
    return new SlackHarness(fake, server, clock, logs, drop);
  }

  get prisma() {
    return this.server.core.deps.prisma;
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  /** A new person in a new team (or in `team`), known to Slack's users.info. */
  person(options: { team?: string; locale?: string; admin?: boolean; name?: string } = {}): SlackPerson {
    const user = `U${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
    const name = options.name ?? `user-${user.slice(1, 5)}`;
    this.fake.addUser({ id: user, name, locale: options.locale ?? "en-US", isAdmin: options.admin ?? false });
    const team = options.team ?? `T${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
    return { team, user, name, channel: `C${team.slice(1, 7)}` };
  }

  /** Posts to /slack/events, signed with the signing secret unless told otherwise. */
  async send(
    request: SlackRequest,
    options: { secret?: string | null; timestamp?: number; headers?: Record<string, string> } = {},
  ): Promise<Sent> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const secret = options.secret === undefined ? SIGNING_SECRET : options.secret;
    const signature: Record<string, string> =
      secret === null
        ? {}
        : {
            "x-slack-signature": slackSignature(secret, timestamp, request.body),
            "x-slack-request-timestamp": String(timestamp),
          };
    const started = performance.now();
    const response = await fetch(`${this.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": request.contentType, ...signature, ...options.headers },
      body: request.body,
    });
    const body = await response.text();
    return { status: response.status, ms: performance.now() - started, body };
  }

  /** Runs `/customer <text>`; resolves with the ack, the response_url id its answers go to, and its trigger. */
  async command(who: SlackPerson, text: string, trigger = triggerId()): Promise<Sent & { replyTo: string; trigger: string }> {
    const replyTo = randomUUID();
    const sent = await this.send(slashCommand(who, text, this.fake.responseUrl(replyTo), trigger));
    return { ...sent, replyTo, trigger };
  }

  /** Waits for the `count`-th answer posted to a response_url. */
  async reply(replyTo: string, count = 1): Promise<ResponsePost> {
    return this.waitFor(() => this.fake.postsTo(replyTo)[count - 1]);
  }

  /** Runs a command and waits for its first answer. */
  async ask(who: SlackPerson, text: string): Promise<ResponsePost> {
    const { status, replyTo } = await this.command(who, text);
    if (status !== 200) throw new Error(`/customer ${text} was answered ${status}`);
    return this.reply(replyTo);
  }

  /** Clicks a button (by label) or picks a menu option (by menu placeholder and option label) on a posted message. */
  async click(
    who: SlackPerson,
    post: ResponsePost,
    label: string,
    option?: string,
    trigger = triggerId(),
  ): Promise<Sent & { trigger: string }> {
    const element = findElement(post.body.blocks, label, option);
    const message = { ts: post.ts, responseUrl: this.fake.responseUrl(post.id), blocks: post.body.blocks as unknown[] };
    return { ...(await this.send(blockAction(who, element, message, trigger))), trigger };
  }

  async clickHome(
    who: SlackPerson,
    view: { id: string; blocks: unknown[] },
    label: string,
    option?: string,
  ): Promise<Sent & { trigger: string }> {
    const trigger = triggerId();
    return { ...(await this.send(homeAction(who, findElement(view.blocks, label, option), view, trigger))), trigger };
  }

  /** The modal the bot opened with `trigger`. */
  async openedView(trigger: string): Promise<OpenedView> {
    const call = await this.waitFor(() => this.fake.callsTo("views.open").find((c) => c.args.trigger_id === trigger));
    const view = call.args.view as Omit<OpenedView, "id">;
    return { ...view, id: `V${trigger.replace(/\W/g, "").slice(-12)}` };
  }

  async submit(who: SlackPerson, view: OpenedView, inputs: Record<string, string>): Promise<Sent> {
    return this.send(viewSubmission(who, view, inputs));
  }

  async shortcut(
    who: SlackPerson,
    message: { ts: string; text: string; author: string },
  ): Promise<Sent & { replyTo: string; trigger: string }> {
    const replyTo = randomUUID();
    const trigger = triggerId();
    const sent = await this.send(messageShortcut(who, message, this.fake.responseUrl(replyTo), trigger));
    return { ...sent, replyTo, trigger };
  }

  async openHome(who: SlackPerson, eventId?: string, headers?: Record<string, string>): Promise<Sent> {
    return this.send(appHomeOpened(who, eventId), headers ? { headers } : {});
  }

  /** The value of one series on /metrics (`name{labels}` exactly as printed), 0 when absent. */
  async metric(series: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const found = text.split("\n").find((line) => line.startsWith(`${series} `));
    return found ? Number(found.slice(series.length + 1)) : 0;
  }

  async workspace(team: string) {
    return this.prisma.workspace.findUniqueOrThrow({ where: { platform_externalId: { platform: "slack", externalId: team } } });
  }

  /** Polls `probe` until it gives a value, or fails after `timeoutMs`. */
  async waitFor<T>(
    probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    timeoutMs = 10_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.fake.close();
    await this.dropDatabase();
  }
}

function findElement(blocks: unknown, label: string, option?: string): ClickedElement {
  const elements = ((blocks ?? []) as { type: string; elements?: Record<string, unknown>[] }[])
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? []);
  for (const element of elements) {
    if (element.type === "button" && (element.text as { text: string }).text === label) {
      return element as ClickedElement;
    }
    if (element.type === "static_select" && (element.placeholder as { text: string }).text === label) {
      const options = element.options as { text: { type: "plain_text"; text: string }; value: string }[];
      const chosen = options.find((o) => o.text.text === option);
      if (chosen) return { type: "static_select", action_id: String(element.action_id), option: chosen };
    }
  }
  throw new Error(`no button or menu option "${label}${option ? ` › ${option}` : ""}" in ${JSON.stringify(blocks)}`);
}
