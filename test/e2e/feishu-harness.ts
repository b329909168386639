// Starts the real server with the Feishu adapter against the fake open API, and speaks for users:
// messages in, card clicks, form submissions, signed and encrypted as Feishu would send them.
import pino from "pino";
import { type Env, loadConfig } from "../../src/config.ts";
import type { Prisma } from "../../src/db/client.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { type Card, FakeFeishu, type SentMessage } from "../fakes/feishu-api.ts";
import { buttonValue, cardText, formOf, menuChoice } from "../fakes/feishu-cards.ts";
import { APP_ID, cardActionEvent, encrypt, type MentionSpec, messageEvent, signedHeaders } from "../fakes/feishu-events.ts";
import { TestClock } from "../support/clock.ts";
import { createPostgresDatabase, dropPostgresDatabase, testDatabaseKind } from "../support/database.ts";

export const ENCRYPT_KEY = "kT9x-test-encrypt-key";
export const TOKEN = "vT9x-test-verification-token";

export interface HarnessOptions {
  mode?: "webhook" | "ws";
  /** null: no encrypt key configured (plain bodies, token only). */
  encryptKey?: string | null;
  verificationToken?: string | null;
  /** More settings, over the harness's own. */
  env?: Partial<Env>;
}

export interface Speaker {
  openId: string;
  tenantKey?: string;
  chatId?: string;
  chatType?: "p2p" | "group";
  /** People mentioned after the bot: @_user_2, @_user_3, ... in a group, @_user_1, ... in a direct chat. */
  mentions?: MentionSpec[];
}

export interface CardAction {
  value: unknown;
  option?: string;
  tag?: string;
  formValue?: Record<string, unknown>;
  name?: string;
}

export async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export class FeishuHarness {
  readonly clock = new TestClock("2026-11-25T02:00:00Z");
  /** The server's log lines at warn level and above, parsed. */
  readonly logs: Record<string, unknown>[] = [];
  server!: RunningServer;
  fake!: FakeFeishu;
  private pgName: string | undefined;

  private constructor(readonly options: Required<HarnessOptions>) {}

  static async start(options: HarnessOptions = {}): Promise<FeishuHarness> {
    const h = new FeishuHarness({
      mode: options.mode ?? "webhook",
      encryptKey: options.encryptKey === undefined ? ENCRYPT_KEY : options.encryptKey,
      verificationToken: options.verificationToken === undefined ? TOKEN : options.verificationToken,
      env: options.env ?? {},
    });
    h.fake = await FakeFeishu.start();
    let databaseUrl: string | undefined;
    if (testDatabaseKind === "postgres") {
      const created = await createPostgresDatabase();
      databaseUrl = created.url;
      h.pgName = created.name;
    }
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: "memory://",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "4",
      LOG_LEVEL: "silent",
      SCHEDULER: "off",
      DEFAULT_LOCALE: "zh",
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: "test-app-secret",
      FEISHU_ENCRYPT_KEY: h.options.encryptKey ?? undefined,
      FEISHU_VERIFICATION_TOKEN: h.options.verificationToken ?? undefined,
      FEISHU_MODE: h.options.mode,
      FEISHU_DOMAIN: h.fake.url,
      ...h.options.env,
    });
    const logLines = { write: (line: string) => void h.logs.push(JSON.parse(line) as Record<string, unknown>) };
    h.server = await startServer(config, { logger: pino({ level: "warn" }, logLines), clock: h.clock });
    if (h.options.mode === "ws") await until(() => h.health() === "connected", "the long connection");
    return h;
  }

  get prisma(): Prisma {
    return this.server.core.db.prisma;
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  health(): string | undefined {
    return this.server.platforms.find((p) => p.platform === "feishu")?.health().status;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.fake.stop();
    if (this.pgName) await dropPostgresDatabase(this.pgName);
  }

  /** POSTs to /feishu/events as Feishu would: encrypted and signed when an encrypt key is set. */
  async post(payload: unknown, o: { timestampSeconds?: number; headers?: Record<string, string> } = {}): Promise<Response> {
    const key = this.options.encryptKey;
    const body = JSON.stringify(key ? encrypt(payload, key) : payload);
    const timestamp = o.timestampSeconds ?? Math.floor(this.clock.now().getTime() / 1000);
    const signed = key
      ? signedHeaders(body, key, timestamp)
      : { "x-lark-request-timestamp": String(timestamp), "x-lark-request-nonce": "n" };
    return fetch(`${this.url}/feishu/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signed, ...o.headers },
      body,
    });
  }

  /** Warn lines whose message contains `text`. */
  warnings(text: string): Record<string, unknown>[] {
    return this.logs.filter((line) => line.level === 40 && String(line.msg).includes(text));
  }

  /** Hands an event to the bot over the configured transport; resolves with the bot's answer to it. */
  async deliver(payload: unknown): Promise<unknown> {
    if (this.options.mode === "ws") {
      const messageId = this.fake.longConnection.push(payload);
      const ack = await until(
        () => this.fake.longConnection.acknowledgements.find((a) => a.messageId === messageId),
        "the acknowledgement",
      );
      return ack.data;
    }
    const response = await this.post(payload);
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  token(): string {
    return this.options.verificationToken ?? "";
  }

  /** Who an event comes from and where, stamped now with this app's token. */
  private from(who: Speaker) {
    return {
      tenantKey: who.tenantKey ?? "tenant_a",
      token: this.token(),
      createTime: this.clock.now().getTime(),
      openId: who.openId,
      chatId: who.chatId ?? `oc_p2p_${who.openId}`,
    };
  }

  /** Sends `text` as `who` and waits for the bot's answer (the first card, or all cards once `cards` have come). */
  async say(text: string, who: Speaker, cards = 1): Promise<SentMessage[]> {
    const chatType = who.chatType ?? "p2p";
    const chatId = who.chatId ?? `oc_p2p_${who.openId}`;
    const group = chatType === "group";
    const bot = { openId: this.fake.bot.open_id, name: this.fake.bot.app_name };
    const event = messageEvent({
      ...this.from({ ...who, chatId }),
      chatType,
      text: group ? `@_user_1 ${text}` : text,
      mentions: group ? [bot, ...(who.mentions ?? [])] : (who.mentions ?? []),
    });
    const before = this.fake.messages.length;
    await this.deliver(event);
    const messageId = event.event.message.message_id;
    // In a group an answer quotes the question, or is shown to the asker alone.
    const shownToAsker = (m: SentMessage, i: number) =>
      i >= before && m.kind === "ephemeral" && m.receiveId === chatId && m.openId === who.openId;
    return until(() => {
      const answers = this.fake.messages.filter((m, i) =>
        group ? m.replyTo === messageId || shownToAsker(m, i) : m.receiveId === chatId && m.kind === "create",
      );
      const fresh = group ? answers : answers.filter((m) => !this.seen.has(m.id));
      if (fresh.length < cards) return null;
      for (const m of fresh) this.seen.add(m.id);
      return fresh;
    }, `an answer to "${text}"`);
  }

  private readonly seen = new Set<string>();

  /** Waits for an answer in a direct chat, after an event delivered by hand, and marks it read. */
  async answerIn(chatId: string, contains: string): Promise<SentMessage> {
    const found = await until(
      () => this.fake.messages.find((m) => m.receiveId === chatId && !this.seen.has(m.id) && cardText(m.card).includes(contains)),
      `an answer containing "${contains}"`,
    );
    this.seen.add(found.id);
    return found;
  }

  /** Clicks the button labelled `label` on `message`'s card; resolves with what the bot sent or updated. */
  async click(message: SentMessage, label: string, who: Speaker): Promise<Card> {
    return this.act(message, who, { value: buttonValue(this.fake.currentCard(message.id), label) });
  }

  /** Picks `option` in the menu `placeholder`. */
  async choose(message: SentMessage, placeholder: string, option: string, who: Speaker): Promise<Card> {
    const choice = menuChoice(this.fake.currentCard(message.id), placeholder, option);
    return this.act(message, who, { value: choice.value, option: choice.option, tag: "select_static" });
  }

  /** Fills the form on `message`'s card (by field order: values[i] for field i) and submits it. */
  async submit(message: SentMessage, values: Record<number, unknown>, who: Speaker): Promise<Card> {
    const form = formOf(this.fake.currentCard(message.id));
    // Feishu submits every field: what was typed, or what the field held to begin with.
    const formValue: Record<string, unknown> = {};
    form.fields.forEach((field, i) => {
      const value = values[i] ?? field.initial;
      if (value !== undefined) formValue[field.name] = value;
    });
    return this.act(message, who, { value: form.submit, formValue, name: "submit" });
  }

  /** The callback Feishu sends when `who` acts on `message`'s card; deliver it to click by hand. */
  cardEvent(message: SentMessage, who: Speaker, action: CardAction) {
    return cardActionEvent({ ...this.from(who), messageId: message.id, ...action });
  }

  /**
   * The answer to a click: the card replaced (by the callback's answer or an update), a new message
   * quoting it, or a new card shown to the clicker alone.
   */
  private async act(message: SentMessage, who: Speaker, action: CardAction): Promise<Card> {
    const before = { messages: this.fake.messages.length, updates: this.fake.updates.length };
    const answer = (await this.deliver(this.cardEvent(message, who, action))) as { card?: { type?: string; data?: Card } };
    if (answer?.card?.type === "raw" && answer.card.data) this.fake.replaceByCallback(message.id, answer.card.data);
    return until(() => {
      const update = this.fake.updates.slice(before.updates).find((u) => u.messageId === message.id);
      if (update) return update.card;
      const fresh = this.fake.messages.slice(before.messages);
      const shown = fresh.find((m) => m.kind === "ephemeral" && m.openId === who.openId);
      return (fresh.find((m) => m.replyTo === message.id) ?? shown)?.card ?? null;
    }, `an answer to a click on ${message.id}`);
  }
}
