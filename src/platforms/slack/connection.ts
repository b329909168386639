// How Slack reaches us: HTTP (POST /slack/events on our own web server, every request's
// signature and age checked by Bolt's HTTPReceiver) or Socket Mode (an outbound WebSocket, so
// no public URL is needed), with each one's start, stop and health.
import { HTTPReceiver, type Receiver, SocketModeReceiver } from "@slack/bolt";
import type { SlackConfig } from "../../config.ts";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics.ts";
import type { PlatformHealth, WebServer } from "../../web/server.ts";
import { slackLogger } from "./logger.ts";

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
  deps.web.route("POST", "/slack/events", (req, res) => {
    const started = performance.now();
    res.once("finish", () => deps.metrics.ackLatency.observe({ platform: "slack" }, (performance.now() - started) / 1000));
    receiver.requestListener(req, res);
  });
  return { receiver, mode: "http", start: async () => {}, stop: async () => {}, health: () => ({ status: "connected" }) };
}

export function socketConnection(config: SlackConfig & { appToken: string }, logger: Logger): SlackConnection {
  const receiver = new SocketModeReceiver({
    appToken: config.appToken,
    logger: slackLogger(logger, "slack-socket-mode"),
    // The receiver passes only the installer's client options to its Web API client
    // (apps.connections.open); that is how SLACK_API_URL reaches it.
    installerOptions: { clientOptions: config.apiUrl ? { slackApiUrl: config.apiUrl } : {} },
  });
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
