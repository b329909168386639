// Which request the code now running serves, carried through every await, so that each log line
// about it (outbound API calls included) names it without a logger being passed down by hand.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface RequestScope {
  /** One inbound request, scheduled sweep or CLI run; from the proxy's X-Request-Id when it sent one. */
  requestId: string;
  /** The platform's id for what the request delivers (a Slack trigger, a Feishu event, a nudge). */
  deliveryId?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

// A proxy's id is kept for correlation only if it looks like an id: it ends up in every log line.
const acceptable = /^[\w.:@-]{1,128}$/;

export function newRequestId(given?: string | string[] | undefined): string {
  return typeof given === "string" && acceptable.test(given) ? given : randomUUID();
}

/** Runs `fn` as the handling of one request. */
export function inRequest<T>(requestId: string, fn: () => T): T {
  return scopes.run({ requestId }, fn);
}

/** Runs `fn` in a scope carried over from another thread (the command thread's calls). */
export function inScope<T>(scope: RequestScope | Record<string, never>, fn: () => T): T {
  return typeof scope.requestId === "string" ? scopes.run(scope as RequestScope, fn) : fn();
}

/** Runs `fn` for one delivery of the current request, or of a request of its own when there is none. */
export function withDelivery<T>(deliveryId: string | undefined, fn: () => T): T {
  const current = scopes.getStore();
  if (!deliveryId) return current ? fn() : inRequest(newRequestId(), fn);
  return scopes.run({ requestId: current?.requestId ?? newRequestId(), deliveryId }, fn);
}

/** The fields every log line gets: none outside a request. */
export function requestFields(): RequestScope | Record<string, never> {
  const scope = scopes.getStore();
  if (!scope) return {};
  return scope.deliveryId ? { requestId: scope.requestId, deliveryId: scope.deliveryId } : { requestId: scope.requestId };
}
