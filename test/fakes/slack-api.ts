// A local stand-in for Slack across the network: the Web API methods the bot calls, the
// response_url endpoint and the Socket Mode WebSocket. It records what it receives, and can
// fail the next calls to a method with 429 (Retry-After), 5xx or a Slack error code.
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { type WebSocket, WebSocketServer } from "ws";

export interface FakeUser {
  id: string;
  name: string;
  tz?: string;
  locale?: string;
  isAdmin?: boolean;
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** The Authorization header's token, to check which token each call used. */
  token: string | undefined;
  /** When the call arrived (Date.now()). */
  at: number;
  /** Answered with an injected failure, so nothing happened. */
  failed: boolean;
}

/** A message chat.postMessage posted, as conversations.history shows it. */
export interface PostedMessage {
  channel: string;
  ts: string;
  text: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface ResponsePost {
  id: string;
  /** The ts Slack gives the message the post became; clicks on it carry it as container.message_ts. */
  ts: string;
  body: Record<string, unknown>;
}

export type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

// Slack takes five posts to one response_url, then answers used_url.
const RESPONSE_URL_POSTS = 5;

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly acks: { envelope_id: string; payload?: unknown }[] = [];
  readonly posted: PostedMessage[] = [];
  /** Posts to each response_url, kept apart so that checking the limit does not read every answer (the benchmark's tens of thousands). */
  private readonly postsPerUrl = new Map<string, number>();
  private readonly outages = new Map<string, { failures: Failure[]; next: number }>();
  private readonly users = new Map<string, FakeUser>();
  private readonly failures = new Map<
    string,
    { failure: Failure; where?: ((args: Record<string, unknown>) => boolean) | undefined }[]
  >();
  private readonly delays = new Map<string, number>();
  private readonly sockets = new Set<WebSocket>();
  private readonly sockets$ = new WebSocketServer({ noServer: true });
  private nextTs = 1_700_000_000;
  private nextView = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on("upgrade", (req, socket, head) => {
      this.sockets$.handleUpgrade(req, socket, head, (ws) => this.connect(ws));
    });
  }

  static async start(): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** What SLACK_API_URL is set to. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  /**
   * Fails the next `count` calls to `method` ("response_url" for response_url posts), or with
   * `where` the next `count` of those whose arguments it accepts.
   */
  failNext(method: string, count: number, failure: Failure, where?: (args: Record<string, unknown>) => boolean): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) queue.push({ failure, where });
    this.failures.set(method, queue);
  }

  /** Makes every call to `method` take `ms` longer, as a slow Slack would (0 ends it). */
  slowDown(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Fails every call to `method` with these failures in turn, until `endOutage`. */
  outage(method: string, failures: Failure[]): void {
    this.outages.set(method, { failures, next: 0 });
  }

  endOutage(method: string): void {
    this.outages.delete(method);
  }

  /** Messages posted to `channel` (a DM channel is `D` + the user id). */
  postedTo(channel: string): PostedMessage[] {
    return this.posted.filter((m) => m.channel === channel);
  }

  /** Forgets failures queued with failNext that were not used up. */
  clearFailures(): void {
    this.failures.clear();
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  postsTo(id: string): ResponsePost[] {
    return this.responses.filter((post) => post.id === id);
  }

  get connectedSockets(): number {
    return this.sockets.size;
  }

  /** Pushes a Socket Mode envelope to every connected client. */
  pushEnvelope(envelope: {
    envelope_id: string;
    type: string;
    payload: unknown;
    accepts_response_payload?: boolean;
    retry_attempt?: number;
  }): void {
    for (const ws of this.sockets) ws.send(JSON.stringify(envelope));
  }

  /** Drops every Socket Mode connection, as Slack does when it refreshes them. */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets$.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }

  private connect(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => this.acks.push(JSON.parse(String(data))));
    ws.send(
      JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0FAKE" }, debug_info: { host: "fake" } }),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", this.url).pathname;
    if (path.startsWith("/respond/")) return this.respond(path.slice("/respond/".length), raw, res);
    if (!path.startsWith("/api/")) return send(res, 404, { ok: false, error: "not_found" });
    const method = path.slice("/api/".length);
    const args = readArgs(raw, req.headers["content-type"]);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const failure = this.queuedFailure(method, args) ?? this.outageFailure(method);
    this.calls.push({ method, args, token, at: Date.now(), failed: failure !== undefined });
    // Slack acts on a request when it arrives: a message is posted even if its answer is slow,
    // or never read because the caller died.
    const answer = failure ? undefined : this.answer(method, args);
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (failure) fail(res, failure);
    else send(res, 200, answer);
  }

  /** The first failure queued for `method` that applies to a call with these arguments, used up. */
  private queuedFailure(method: string, args: Record<string, unknown>): Failure | undefined {
    const queue = this.failures.get(method);
    const at = queue?.findIndex((queued) => !queued.where || queued.where(args)) ?? -1;
    return at < 0 ? undefined : queue?.splice(at, 1)[0]?.failure;
  }

  private outageFailure(method: string): Failure | undefined {
    const outage = this.outages.get(method);
    if (!outage) return undefined;
    return outage.failures[outage.next++ % outage.failures.length];
  }

  private respond(id: string, raw: string, res: ServerResponse): void {
    const failure = this.queuedFailure("response_url", {});
    // A response_url answers its own errors (expired_url, used_url) with 404.
    if (failure && "error" in failure) send(res, 404, { ok: false, error: failure.error });
    else if (failure) fail(res, failure);
    else if ((this.postsPerUrl.get(id) ?? 0) >= RESPONSE_URL_POSTS) send(res, 404, { ok: false, error: "used_url" });
    else {
      this.postsPerUrl.set(id, (this.postsPerUrl.get(id) ?? 0) + 1);
      this.responses.push({ id, ts: this.ts(), body: JSON.parse(raw) as Record<string, unknown> });
      send(res, 200, { ok: true });
    }
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://fake.slack.com/",
          team: "Fake",
          user: "crm",
          team_id: "T0FAKE",
          user_id: "U0BOT",
          bot_id: "B0BOT",
        };
      case "users.info":
        return this.userInfo(String(args.user));
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case "chat.postMessage": {
        const message: PostedMessage = { channel: String(args.channel), ts: this.ts(), text: args.text };
        if (args.metadata) message.metadata = args.metadata as PostedMessage["metadata"];
        this.posted.push(message);
        return { ok: true, channel: args.channel, ts: message.ts, message: { text: args.text } };
      }
      case "conversations.history":
        return this.history(args);
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.ts() };
      case "chat.getPermalink":
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://fake.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace(".", "")}`,
        };
      case "views.open":
      case "views.publish":
        return { ok: true, view: { ...(args.view as object), id: `V${this.nextView++}` } };
      case "apps.connections.open":
        return { ok: true, url: `${this.url.replace("http", "ws")}/link/?ticket=fake` };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  // Newest first, as Slack lists them; metadata only when asked for. The fake's ts are not wall-clock
  // times, so `oldest` is not applied.
  private history(args: Record<string, unknown>): Record<string, unknown> {
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true";
    const messages = this.postedTo(String(args.channel))
      .reverse()
      .slice(0, Number(args.limit ?? 100))
      .map(({ ts, text, metadata }) => ({ type: "message", ts, text, ...(withMetadata && metadata ? { metadata } : {}) }));
    return { ok: true, messages, has_more: false };
  }

  private userInfo(id: string): Record<string, unknown> {
    const user = this.users.get(id);
    if (!user) return { ok: false, error: "user_not_found" };
    return {
      ok: true,
      user: {
        id: user.id,
        name: user.name.toLowerCase(),
        real_name: user.name,
        tz: user.tz ?? "Asia/Shanghai",
        locale: user.locale ?? "en-US",
        is_admin: user.isAdmin ?? false,
        is_owner: false,
        profile: { display_name: user.name },
      },
    };
  }

  private ts(): string {
    return `${this.nextTs++}.000100`;
  }
}

function readArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(raw))) {
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    // The Web API client sends objects (blocks, views) as JSON inside the form.
    args[key] = /^[[{]/.test(text) ? JSON.parse(text) : text;
  }
  return args;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, failure: Failure): void {
  if ("error" in failure) send(res, 200, { ok: false, error: failure.error });
  else if (failure.status === 429)
    send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
  else send(res, failure.status, { ok: false, error: "fake_server_error" });
}

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** Every piece of text a person would read in a message or view: sections, fields, context, buttons. */
export function visibleText(message: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (typeof record.text === "string" && record.type !== undefined) out.push(record.text);
    for (const [key, value] of Object.entries(record)) if (key !== "value" && key !== "private_metadata") walk(value);
  };
  const { blocks, text } = message as { blocks?: unknown; text?: unknown };
  if (blocks === undefined && typeof text === "string") return text;
  walk(blocks ?? message);
  return out.join("\n").replace(/\u200b/g, "");
}
