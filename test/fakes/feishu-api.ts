// A local server that answers like the Feishu open API (token, messages, cards shown to one person,
// contacts, bot info, the long-connection endpoint) and records what it was sent, so tests assert
// on what users would see.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LongConnectionFake } from "./feishu-ws.ts";

export type Card = { schema?: string; header?: { title?: { content?: string } }; body?: { elements?: unknown[] } } & Record<
  string,
  unknown
>;

export interface SentMessage {
  id: string;
  /** "ephemeral": shown in the chat `receiveId` to `openId` alone (ephemeral/v1/send). */
  kind: "create" | "reply" | "ephemeral";
  receiveIdType?: string;
  receiveId?: string;
  openId?: string;
  replyTo?: string;
  uuid?: string;
  card: Card;
}

export interface FakeUser {
  open_id: string;
  name: string;
  en_name?: string;
  leader_user_id?: string;
  is_tenant_manager?: boolean;
}

export interface InjectedFailure {
  status: number;
  code: number;
  msg?: string;
  headers?: Record<string, string>;
}

type Route =
  | "token"
  | "im.message.create"
  | "im.message.reply"
  | "im.message.patch"
  | "ephemeral.send"
  | "contact.user.get"
  | "bot.info"
  | "ws.endpoint";

/** Feishu's limit on a card's JSON. */
export const CARD_LIMIT_BYTES = 30 * 1024;

export class FakeFeishu {
  readonly messages: SentMessage[] = [];
  /** Cards replaced: through PATCH im/v1/messages/:id, or by the bot's answer to a card callback. */
  readonly updates: { messageId: string; card: Card; via: "patch" | "callback" }[] = [];
  readonly calls: { route: Route; status: number }[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly longConnection = new LongConnectionFake("/ws/v2");
  bot = { open_id: "ou_bot", app_name: "CRM" };
  private readonly failures: { route: Route; failure: InjectedFailure }[] = [];
  private readonly delays: { route: Route; ms: number }[] = [];
  private readonly tokens = new Set<string>();
  private readonly byUuid = new Map<string, string>();
  private sequence = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeFeishu> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const fake = new FakeFeishu(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("request", (req, res) => void fake.handle(req, res));
    fake.longConnection.attach(server);
    return fake;
  }

  async stop(): Promise<void> {
    this.longConnection.disconnectAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addUser(user: FakeUser): void {
    this.users.set(user.open_id, user);
  }

  /** The next `times` calls to `route` fail this way. */
  failNext(route: Route, failure: InjectedFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ route, failure });
  }

  /** The next call to `route` is answered only after `ms`, as a slow open API would. */
  slowNext(route: Route, ms: number): void {
    this.delays.push({ route, ms });
  }

  count(route: Route): number {
    return this.calls.filter((c) => c.route === route).length;
  }

  /** The bot answered a click on `messageId` with this card, which Feishu shows in its place. */
  replaceByCallback(messageId: string, card: Card): void {
    this.updates.push({ messageId, card, via: "callback" });
  }

  /** Cards shown to one person: in `chatId`, to `openId`. */
  ephemerals(chatId?: string, openId?: string): SentMessage[] {
    return this.messages.filter(
      (m) => m.kind === "ephemeral" && (!chatId || m.receiveId === chatId) && (!openId || m.openId === openId),
    );
  }

  /** A message's card as it shows now, updates included. */
  currentCard(messageId: string): Card | undefined {
    const updated = this.updates.filter((u) => u.messageId === messageId).at(-1);
    return updated?.card ?? this.messages.find((m) => m.id === messageId)?.card;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const body = await readJson(req);
    const route = routeOf(req.method ?? "", url.pathname);
    if (!route) return answer(res, 404, { code: 404, msg: "not found" });
    const delay = this.delays.findIndex((d) => d.route === route.name);
    if (delay >= 0) {
      const ms = this.delays.splice(delay, 1)[0]?.ms ?? 0;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    const failure = this.takeFailure(route.name);
    if (failure) {
      this.calls.push({ route: route.name, status: failure.status });
      return answer(res, failure.status, { code: failure.code, msg: failure.msg ?? "injected" }, failure.headers);
    }
    if (route.name !== "token" && route.name !== "ws.endpoint" && !this.tokens.has(bearer(req))) {
      this.calls.push({ route: route.name, status: 401 });
      return answer(res, 401, { code: 99991661, msg: "Missing access token for authorization" });
    }
    this.calls.push({ route: route.name, status: 200 });
    switch (route.name) {
      case "token":
        return this.issueToken(res, body);
      case "ws.endpoint":
        return answer(res, 200, {
          code: 0,
          msg: "ok",
          data: {
            URL: `${this.url.replace(/^http/, "ws")}/ws/v2?device_id=fake-device&service_id=1`,
            ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 },
          },
        });
      case "bot.info":
        return answer(res, 200, { code: 0, msg: "ok", bot: { ...this.bot, activate_status: 2 } });
      case "contact.user.get": {
        const user = this.users.get(route.id);
        if (!user || url.searchParams.get("user_id_type") !== "open_id") {
          return answer(res, 400, { code: 41050, msg: "no user authority error" });
        }
        return answer(res, 200, { code: 0, msg: "success", data: { user: { ...user, union_id: `on_${user.open_id}` } } });
      }
      case "im.message.create":
        return this.storeMessage(res, route.name, route.id, url, body);
      case "im.message.reply":
        if (this.isEphemeral(route.id)) return answer(res, 400, EPHEMERAL_REFUSAL);
        return this.storeMessage(res, route.name, route.id, url, body);
      case "ephemeral.send":
        return this.storeEphemeral(res, body);
      case "im.message.patch": {
        // Feishu's documentation: PATCH does not update a card shown to one person.
        if (this.isEphemeral(route.id)) return answer(res, 400, EPHEMERAL_REFUSAL);
        const card = cardOf(body?.content);
        if (!card.ok) return answer(res, 400, { code: card.code, msg: card.msg });
        this.updates.push({ messageId: route.id, card: card.card, via: "patch" });
        return answer(res, 200, { code: 0, msg: "success", data: {} });
      }
    }
  }

  private issueToken(res: ServerResponse, body: Record<string, unknown> | null) {
    if (typeof body?.app_id !== "string" || typeof body.app_secret !== "string") {
      return answer(res, 400, { code: 10003, msg: "invalid param" });
    }
    const token = `t-fake-${++this.sequence}`;
    this.tokens.add(token);
    return answer(res, 200, { code: 0, msg: "ok", tenant_access_token: token, expire: 7200 });
  }

  private storeMessage(res: ServerResponse, name: Route, replyTo: string, url: URL, body: Record<string, unknown> | null) {
    if (body?.msg_type !== "interactive") return answer(res, 400, { code: 230001, msg: "only cards are expected here" });
    const card = cardOf(body.content);
    if (!card.ok) return answer(res, 400, { code: card.code, msg: card.msg });
    const uuid = typeof body.uuid === "string" ? body.uuid : undefined;
    // Feishu sends at most one message per uuid within an hour.
    const known = uuid ? this.byUuid.get(uuid) : undefined;
    if (known) return answer(res, 200, { code: 0, msg: "success", data: { message_id: known } });
    const id = `om_fake_${++this.sequence}`;
    if (uuid) this.byUuid.set(uuid, id);
    const message: SentMessage =
      name === "im.message.reply"
        ? { id, kind: "reply", replyTo, uuid, card: card.card }
        : {
            id,
            kind: "create",
            receiveIdType: url.searchParams.get("receive_id_type") ?? "",
            receiveId: String(body.receive_id ?? ""),
            uuid,
            card: card.card,
          };
    this.messages.push(message);
    return answer(res, 200, { code: 0, msg: "success", data: { message_id: id, msg_type: "interactive" } });
  }

  /**
   * ephemeral/v1/send: the card is an object here, not a JSON string as in im/v1/messages. Whether
   * Feishu takes card JSON 2.0 on this endpoint is not documented; the fake takes it, and a test
   * makes it refuse with failNext to check the fallback.
   */
  private storeEphemeral(res: ServerResponse, body: Record<string, unknown> | null) {
    const chatId = body?.chat_id;
    const openId = body?.open_id;
    if (typeof chatId !== "string" || !chatId.startsWith("oc_")) return answer(res, 400, INVALID_PARAM("chat_id"));
    if (typeof openId !== "string" || !openId.startsWith("ou_")) return answer(res, 400, INVALID_PARAM("open_id"));
    if (body?.msg_type !== "interactive") return answer(res, 400, INVALID_PARAM("msg_type"));
    if (!body.card || typeof body.card !== "object" || Array.isArray(body.card)) return answer(res, 400, INVALID_PARAM("card"));
    const card = cardOf(JSON.stringify(body.card));
    if (!card.ok) return answer(res, 400, { code: card.code, msg: card.msg });
    const id = `om_fake_ephemeral_${++this.sequence}`;
    this.messages.push({ id, kind: "ephemeral", receiveIdType: "chat_id", receiveId: chatId, openId, card: card.card });
    return answer(res, 200, { code: 0, msg: "ok", data: { message_id: id } });
  }

  private isEphemeral(messageId: string): boolean {
    return this.messages.some((m) => m.id === messageId && m.kind === "ephemeral");
  }

  private takeFailure(route: Route): InjectedFailure | undefined {
    const index = this.failures.findIndex((f) => f.route === route);
    if (index < 0) return undefined;
    return this.failures.splice(index, 1)[0]?.failure;
  }
}

function routeOf(method: string, path: string): { name: Route; id: string } | null {
  const match = (pattern: RegExp) => pattern.exec(path)?.[1];
  if (method === "POST" && path === "/open-apis/auth/v3/tenant_access_token/internal") return { name: "token", id: "" };
  if (method === "POST" && path === "/callback/ws/endpoint") return { name: "ws.endpoint", id: "" };
  if (method === "GET" && path === "/open-apis/bot/v3/info") return { name: "bot.info", id: "" };
  if (method === "POST" && path === "/open-apis/im/v1/messages") return { name: "im.message.create", id: "" };
  if (method === "POST" && path === "/open-apis/ephemeral/v1/send") return { name: "ephemeral.send", id: "" };
  const reply = match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/);
  if (method === "POST" && reply) return { name: "im.message.reply", id: decodeURIComponent(reply) };
  const patch = match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/);
  if (method === "PATCH" && patch) return { name: "im.message.patch", id: decodeURIComponent(patch) };
  const user = match(/^\/open-apis\/contact\/v3\/users\/([^/]+)$/);
  if (method === "GET" && user) return { name: "contact.user.get", id: decodeURIComponent(user) };
  return null;
}

// The codes for these two refusals are the fake's own: Feishu documents the refusals, not their codes.
const EPHEMERAL_REFUSAL = { code: 230099, msg: "a card shown to one person cannot be updated or quoted" };
const INVALID_PARAM = (field: string) => ({ code: 99992402, msg: `field validation failed: ${field}` });

/** Feishu's own checks on a card: JSON, schema 2.0 with a body, at most 30 KB. */
function cardOf(content: unknown): { ok: true; card: Card } | { ok: false; code: number; msg: string } {
  if (typeof content !== "string") return { ok: false, code: 230001, msg: "content missing" };
  if (Buffer.byteLength(content) > CARD_LIMIT_BYTES) return { ok: false, code: 230025, msg: "card content too long" };
  try {
    const card = JSON.parse(content) as Card;
    if (card.schema !== "2.0" || !Array.isArray(card.body?.elements)) return { ok: false, code: 200621, msg: "not a card 2.0" };
    return { ok: true, card };
  } catch {
    return { ok: false, code: 230001, msg: "content is not JSON" };
  }
}

function bearer(req: IncomingMessage): string {
  return (req.headers.authorization ?? "").replace(/^Bearer /, "");
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}
