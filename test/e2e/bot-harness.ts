// Starts the real server in this process with Slack (HTTP) and Feishu (webhook) pointed at their
// fakes and every log line captured, and speaks for both platforms with correctly signed requests.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { type Env, loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { FakeFeishu } from "../fakes/feishu-api.ts";
import { cardActionEvent, encrypt, messageEvent, signedHeaders } from "../fakes/feishu-events.ts";
import { FakeSlack, slackSignature } from "../fakes/slack-api.ts";
import { type SlackPerson, type SlackRequest, slashCommand, triggerId } from "../fakes/slack-payloads.ts";
import { TestClock } from "../support/clock.ts";
import { createPostgresDatabase, dropPostgresDatabase, testDatabaseKind } from "../support/database.ts";
import { until } from "../support/poll.ts";

/** Every secret the server is given: none of them may ever reach a log line. */
export const SECRETS = {
  slackBotToken: "xoxb-9999-8888-harnessbottoken",
  slackSigningSecret: "5ec12e7-harness-signing-secret-77",
  feishuAppId: "cli_a1b2c3d4e5f60718",
  feishuAppSecret: "harness-feishu-app-secret-41",
  feishuEncryptKey: "harness-feishu-encrypt-key-52",
  feishuVerificationToken: "harness-feishu-verification-63",
};

export interface BotOptions {
  /** A PostgreSQL URL to use (a proxy's, say); by default the test project's own kind of database. */
  databaseUrl?: string;
  scheduler?: boolean;
  logLevel?: string;
  clock?: TestClock;
  /** More settings, over the harness's own. */
  env?: Partial<Env>;
}

export interface Answer {
  status: number;
  /** The request id the server gave the request (X-Request-Id). */
  requestId: string;
  body: string;
}

export class BotHarness {
  readonly logs: string[] = [];
  server!: RunningServer;
  private dropDatabase = async () => {};

  private constructor(
    readonly slack: FakeSlack,
    readonly feishu: FakeFeishu,
    readonly clock: TestClock,
  ) {}

  static async start(options: BotOptions = {}): Promise<BotHarness> {
    const h = new BotHarness(
      await FakeSlack.start(),
      await FakeFeishu.start(),
      options.clock ?? new TestClock("2026-11-25T02:00:00Z"),
    );
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl && testDatabaseKind === "postgres") {
      const { url, name } = await createPostgresDatabase();
      databaseUrl = url;
      h.dropDatabase = () => dropPostgresDatabase(name);
    }
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: "memory://",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "4",
      DEFAULT_LOCALE: "en",
      SCHEDULER: options.scheduler ? "on" : "off",
      SLACK_BOT_TOKEN: SECRETS.slackBotToken,
      SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
      SLACK_API_URL: h.slack.apiUrl,
      FEISHU_APP_ID: SECRETS.feishuAppId,
      FEISHU_APP_SECRET: SECRETS.feishuAppSecret,
      FEISHU_ENCRYPT_KEY: SECRETS.feishuEncryptKey,
      FEISHU_VERIFICATION_TOKEN: SECRETS.feishuVerificationToken,
      FEISHU_MODE: "webhook",
      FEISHU_DOMAIN: h.feishu.url,
      ...options.env,
    });
    const logs = h.logs;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    h.server = await startServer(config, { logger: createLogger(options.logLevel ?? "debug", sink), clock: h.clock });
    return h;
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  get prisma() {
    return this.server.core.deps.prisma;
  }

  /** The log lines as objects. */
  lines(): Record<string, unknown>[] {
    return this.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** A new Slack user in a new team (or in `team`), known to the fake's users.info. */
  person(team = `T${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`): SlackPerson {
    const user = `U${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
    const name = `rep-${user.slice(1, 6)}`;
    this.slack.addUser({ id: user, name });
    return { team, user, name, channel: `C${team.slice(1, 7)}` };
  }

  /** POSTs a Slack request, signed with the signing secret. */
  async sendSlack(request: SlackRequest, headers: Record<string, string> = {}): Promise<Answer> {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${this.url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": request.contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(SECRETS.slackSigningSecret, timestamp, request.body),
        ...headers,
      },
      body: request.body,
    });
    return { status: response.status, requestId: response.headers.get("x-request-id") ?? "", body: await response.text() };
  }

  /** Runs `/customer <text>` as `who`; `replyTo` names the response_url its answers go to. */
  async command(who: SlackPerson, text: string, trigger = triggerId()): Promise<Answer & { replyTo: string }> {
    const replyTo = randomUUID();
    const sent = await this.sendSlack(slashCommand(who, text, this.slack.responseUrl(replyTo), trigger));
    return { ...sent, replyTo };
  }

  /** Runs a command and waits for its first answer's text. */
  async ask(who: SlackPerson, text: string): Promise<string> {
    const sent = await this.command(who, text);
    if (sent.status !== 200) throw new Error(`/customer ${text} was answered ${sent.status}`);
    const post = await this.waitFor(() => this.slack.postsTo(sent.replyTo)[0]);
    return JSON.stringify(post.body);
  }

  /** Sends `text` to the bot in a Feishu direct chat, encrypted and signed as Feishu does. */
  async feishuMessage(openId: string, text: string): Promise<Answer & { eventId: string; chatId: string }> {
    const chatId = `oc_p2p_${openId}`;
    const event = messageEvent({
      tenantKey: "tenant_harness",
      token: SECRETS.feishuVerificationToken,
      openId,
      chatId,
      chatType: "p2p",
      text,
      createTime: this.clock.now().getTime(),
    });
    return { ...(await this.postFeishu(event)), eventId: event.header.event_id, chatId };
  }

  /** Clicks a button whose callback value is `value` on the bot's message `messageId`, in a direct chat. */
  async feishuClick(openId: string, messageId: string, value: unknown): Promise<Answer> {
    const event = cardActionEvent({
      tenantKey: "tenant_harness",
      token: SECRETS.feishuVerificationToken,
      openId,
      chatId: `oc_p2p_${openId}`,
      messageId,
      value,
      createTime: this.clock.now().getTime(),
    });
    return this.postFeishu(event);
  }

  private async postFeishu(event: unknown): Promise<Answer> {
    const body = JSON.stringify(encrypt(event, SECRETS.feishuEncryptKey));
    const headers = signedHeaders(body, SECRETS.feishuEncryptKey, Math.floor(this.clock.now().getTime() / 1000));
    const response = await fetch(`${this.url}/feishu/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    return { status: response.status, requestId: response.headers.get("x-request-id") ?? "", body: await response.text() };
  }

  /** The value of one series on /metrics (`name{labels}` exactly as printed), 0 when absent. */
  async metric(series: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const found = text.split("\n").find((line) => line.startsWith(`${series} `));
    return found ? Number(found.slice(series.length + 1)) : 0;
  }

  /** Polls `probe` until it gives a value, or fails after `timeoutMs`. */
  waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
    return until(probe, "the bot", timeoutMs);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.slack.close();
    await this.feishu.stop();
    await this.dropDatabase();
  }
}
