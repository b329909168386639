// The bot's own open_id and name, asked of Feishu once (and again a minute after a failure).
import type { FeishuApi } from "./api.ts";

const RETRY_AFTER_MS = 60_000;

export class BotIdentity {
  private known: { openId: string; name: string } | null = null;
  private triedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | null = null;

  constructor(private readonly api: Pick<FeishuApi, "botInfo">) {}

  get openId(): string | undefined {
    return this.known?.openId;
  }

  /** How a group member reaches the bot, for help text: "@CRM". */
  get mention(): string | undefined {
    return this.known?.name ? `@${this.known.name}` : undefined;
  }

  async load(): Promise<void> {
    if (this.known || Date.now() - this.triedAt < RETRY_AFTER_MS) return;
    this.pending ??= (async () => {
      this.triedAt = Date.now();
      this.known = await this.api.botInfo();
    })().finally(() => {
      this.pending = null;
    });
    await this.pending;
  }
}
