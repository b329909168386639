// How Slack reaches us: HTTP (POST /slack/events on our own web server, every request's
// signature and age checked by Bolt's HTTPReceiver) or Socket Mode (an outbound WebSocket, so
// no public URL is needed), with each one's start, stop and health.
import { parse as parseForm } from "node:querystring";
import { HTTPReceiver, type Receiver, SocketModeReceiver } from "@slack/bolt";
import type { SlackConfig } from "../../config.ts";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics.ts";
import { type PlatformHealth, readBody, refuseTooLarge, type WebServer } from "../../web/server.ts";
import { slackLogger } from "./logger.ts";

// Slack's largest payloads (a view submission with its whole view) stay far below this.
export const MAX_BODY_BYTES = 1_000_000;

export interface SlackConnection {
  receiver: Receiver;
  mode: "http" | "socket";
  start(): Promise<void>;
  stop(): Promise<void>;
  health: PlatformHealth;
}

export function httpConnection(config: SlackConfig, deps: { web: WebServer; metrics: Metrics; logger: Logger }): SlackConnection {
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: "/slack/events",
    logger: slackLogger(deps.logger, "bolt"),
    // Acknowledge first and work after: Slack gives up on a request after 3 seconds.
    processBeforeResponse: false,
  });
  deps.web.route("POST", "/slack/events", async (req, res) => {
    const started = performance.now();
    res.once("finish", () => deps.metrics.ackLatency.observe({ platform: "slack" }, (performance.now() - started) / 1000));
    // Read here, within our limit, rather than by the receiver: an oversized body is refused by
    // its Content-Length (or at the limit) and the connection closed, instead of read to the end.
    const rawBody = await readBody(req, MAX_BODY_BYTES);
    if (!rawBody) {
      refuseTooLarge(res);
      return;
    }
    // Bolt reads a body that parses to no object (JSON `null`, a form whose payload is `1`) with
    // an exception it never catches, even when the request is correctly signed: refuse it here.
    if (!parsesToObject(rawBody.toString("utf8"), req.headers["content-type"])) {
      res.writeHead(400, { "content-type": "text/plain" }).end("Bad Request");
      return;
    }
    // The receiver takes a request whose body was already read as `rawBody`.
    receiver.requestListener(Object.assign(req, { rawBody }), res);
  });
  return { receiver, mode: "http", start: async () => {}, stop: async () => {}, health: () => ({ status: "connected" }) };
}

export function socketConnection(config: SlackConfig & { appToken: string }, logger: Logger, metrics: Metrics): SlackConnection {
  const receiver = new SocketModeReceiver({
    appToken: config.appToken,
    logger: slackLogger(logger, "slack-socket-mode"),
    // The receiver passes only the installer's client options to its Web API client
    // (apps.connections.open); that is how SLACK_API_URL reaches it.
    installerOptions: { clientOptions: config.apiUrl ? { slackApiUrl: config.apiUrl } : {} },
  });
  timeSocketAcks(receiver, metrics);
  let state: ReturnType<PlatformHealth> = { status: "starting" };
  receiver.client.on("connected", () => {
    state = { status: "connected" };
  });
  // A dropped socket is reopened after a pause; Slack also drops them now and then on purpose,
  // so this is "starting", not an error, until the client gives up ("disconnected").
  const reconnecting = () => {
    state = { status: "starting", detail: "reconnecting" };
  };
  receiver.client.on("close", reconnecting);
  receiver.client.on("reconnecting", reconnecting);
  receiver.client.on("disconnected", () => {
    state = { status: "error", detail: "disconnected" };
  });
  return {
    receiver,
    mode: "socket",
    start: async () => {
      await receiver.start();
    },
    stop: () => receiver.stop(),
    health: () => state,
  };
}

/**
 * Socket Mode acknowledges with a message on the socket, not an HTTP answer. Every listener of the
 * client's `slack_event` gets the same envelope object, so a listener placed ahead of the
 * receiver's own (the client's emitter has no prepend: the receiver's is taken off and put back
 * after ours) can time the envelope's `ack` as the receiver will call it.
 */
function timeSocketAcks(receiver: SocketModeReceiver, metrics: Metrics): void {
  type Envelope = { ack?: (response?: unknown) => Promise<void> };
  const client = receiver.client;
  const theirs = client.listeners("slack_event");
  client.removeAllListeners("slack_event");
  client.on("slack_event", (envelope: Envelope) => {
    const ack = envelope.ack;
    if (typeof ack !== "function") return;
    const started = performance.now();
    envelope.ack = async (response?: unknown) => {
      metrics.ackLatency.observe({ platform: "slack" }, (performance.now() - started) / 1000);
      await ack(response);
    };
  });
  for (const listener of theirs) client.on("slack_event", listener);
}

/** A form field named payload, or one whose name is escaped (and so might decode to payload). */
const FORM_PAYLOAD = /(?:^|&)(?:payload|[^=&]*%[^=&]*)=/;

/**
 * Whether Bolt's body parser would make an object of this body, as its handlers expect. Bolt reads
 * a body as a form only under exactly this content type (with a charset it is read as JSON), with
 * node:querystring, and then a single `payload` field as JSON.
 */
export function parsesToObject(body: string, contentType: string | undefined): boolean {
  const isObject = (text: string) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === "object" && value !== null;
    } catch {
      return false;
    }
  };
  if (contentType === "application/x-www-form-urlencoded") {
    // A slash command's form has no payload field: only an interaction's form is parsed again here.
    if (!FORM_PAYLOAD.test(body)) return true;
    const { payload } = parseForm(body);
    return typeof payload !== "string" || isObject(payload);
  }
  return isObject(body);
}
