// POST /feishu/events: verified here before the SDK's dispatcher sees it, answered at once.
import type * as lark from "@larksuiteoapi/node-sdk";
import type { Clock } from "../../domain/time.ts";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics.ts";
import { type Handler, readBody, refuseTooLarge, sendJson } from "../../web/server.ts";
import type { BackgroundWork } from "../background.ts";
import { verifyWebhook, type WebhookSecrets } from "./verify.ts";

// Events and card callbacks are a few kilobytes; a megabyte is far past anything Feishu sends.
const MAX_BODY_BYTES = 1_000_000;

export interface WebhookDeps {
  secrets: WebhookSecrets;
  dispatcher: lark.EventDispatcher;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  work: BackgroundWork;
}

/**
 * Feishu wants an answer within 3 s (1 s for the URL check) and pushes again when it gets none,
 * so an event is answered first and the work follows. A card callback is answered with what its
 * handler returns: at once too, except a form submitted on a card shown to one person, whose result
 * is the answer (within 2 s). A request that fails a check gets 401 and reaches nothing.
 */
export function feishuWebhook(deps: WebhookDeps): Handler {
  return async (req, res) => {
    const started = performance.now();
    const rawBody = await readBody(req, MAX_BODY_BYTES);
    if (!rawBody) {
      refuseTooLarge(res);
      return;
    }
    const verdict = verifyWebhook({ rawBody, headers: req.headers, now: deps.clock.now() }, deps.secrets);
    if (!verdict.ok) {
      deps.logger.warn({ status: verdict.status, reason: verdict.reason }, "feishu: webhook request refused");
      sendJson(res, verdict.status, { error: verdict.reason });
      return;
    }
    if (verdict.challenge !== undefined) {
      sendJson(res, 200, { challenge: verdict.challenge });
      return;
    }
    const { payload } = verdict;
    const callback = isCardCallback(payload);
    if (!callback) sendJson(res, 200, {});
    // Checked above, so the dispatcher is told not to check again (its check hashes re-serialised JSON).
    const handled = deps.dispatcher.invoke(payload, { needCheck: false });
    deps.work.run("webhook event", async () => {
      await handled;
    });
    if (callback) {
      // The handler's answer: {} at once, or the card that replaces the one clicked.
      const answer: unknown = await handled.catch(() => undefined);
      sendJson(res, 200, answer && typeof answer === "object" ? answer : {});
    }
    deps.metrics.ackLatency.observe({ platform: "feishu" }, (performance.now() - started) / 1000);
  };
}

function isCardCallback(payload: Record<string, unknown>): boolean {
  return (payload.header as { event_type?: unknown } | undefined)?.event_type === "card.action.trigger";
}
