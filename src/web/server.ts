// The HTTP server: platform webhooks, survey pages, /healthz and /metrics on one port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Database } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { inRequest, newRequestId } from "../request-context.ts";

export type Handler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => void | Promise<void>;

interface Route {
  method: string;
  /** As registered (`/s/:token`): what the access log shows, so that no token in a path is logged. */
  path: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export type PlatformHealth = () => { status: "connected" | "starting" | "error" | "skipped"; detail?: string };
/** A part of the server besides the database and the platforms (the command thread). */
export type PartHealth = () => { status: "ok" | "starting" | "error"; detail?: string };

export interface WebServer {
  server: Server;
  route(method: string, path: string, handler: Handler): void;
  addHealth(name: string, check: PlatformHealth): void;
  /** Reported at the top level of /healthz, beside the database. */
  addPart(name: string, check: PartHealth): void;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createWebServer(deps: { db: Database; logger: Logger; metrics: Metrics }): WebServer {
  const routes: Route[] = [];
  const health = new Map<string, PlatformHealth>();
  const parts = new Map<string, PartHealth>();
  const route = (method: string, path: string, handler: Handler) => {
    const keys: string[] = [];
    const source = path.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    const pattern = new RegExp(`^${source}$`);
    routes.push({ method, path, pattern, keys, handler });
  };

  route("GET", "/healthz", async (_req, res) => {
    const database = await pingWithin(deps.db, HEALTH_PING_MS);
    const platforms = Object.fromEntries([...health].map(([name, check]) => [name, check()]));
    const others = Object.fromEntries([...parts].map(([name, check]) => [name, check()]));
    const ok =
      database.status === "ok" && [...Object.values(platforms), ...Object.values(others)].every((p) => p.status !== "error");
    sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "degraded", database, ...others, platforms });
  });
  route("GET", "/metrics", async (_req, res) => {
    res.writeHead(200, { "content-type": deps.metrics.registry.contentType });
    res.end(await deps.metrics.text());
  });

  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const allowed: string[] = [];
    for (const r of routes) {
      const match = r.pattern.exec(url.pathname);
      if (!match) continue;
      if (r.method !== req.method && !(r.method === "GET" && req.method === "HEAD")) {
        allowed.push(r.method);
        continue;
      }
      const params = Object.fromEntries(r.keys.map((key, i) => [key, safeDecode(match[i + 1] ?? "")]));
      logAccess(deps.logger, req, res, r.path);
      Promise.resolve()
        .then(() => r.handler(req, res, params))
        .catch((error: unknown) => {
          deps.logger.error({ err: error, route: r.path }, "request failed");
          if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
          else res.end();
        });
      return;
    }
    if (allowed.length > 0) {
      res.writeHead(405, { allow: allowed.join(", ") }).end();
      return;
    }
    sendJson(res, 404, { error: "not found" });
  };
  let closing = false;
  const server = createServer((req, res) => {
    const requestId = newRequestId(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    if (closing) res.setHeader("connection", "close");
    inRequest(requestId, () => dispatch(req, res));
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  return {
    server,
    route,
    addHealth: (name, check) => health.set(name, check),
    addPart: (name, check) => parts.set(name, check),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        // A keep-alive connection outlives its last answer (a load balancer keeps them for
        // minutes): each is closed as soon as it falls idle, so they cannot hold the process open.
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        server.close(() => {
          clearInterval(idle);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/**
 * Reads a request body up to `limit` bytes. A larger body (by its Content-Length, or once that many
 * bytes have come) resolves null without being read further; answer it with `refuseTooLarge`.
 * A request the client abandoned half-way also resolves null.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: Buffer | null) => {
      req.off("data", onData).off("end", onEnd).off("error", onStop).off("close", onStop);
      if (body === null) req.pause();
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(null);
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onStop = () => finish(null);
    req.on("data", onData).on("end", onEnd).on("error", onStop).on("close", onStop);
  });
}

/** 413, and the connection closed after it, so that the rest of an oversized body is never read. */
export function refuseTooLarge(res: ServerResponse): void {
  if (res.headersSent) return;
  res.writeHead(413, { "content-type": "application/json; charset=utf-8", connection: "close" });
  res.end(JSON.stringify({ error: "body too large" }));
}

// Load balancers and Docker's HEALTHCHECK give up after a few seconds; a database that does not
// answer within this is reported as down rather than leaving the check hanging.
const HEALTH_PING_MS = 2_000;

async function pingWithin(db: Database, ms: number): Promise<{ status: "ok" } | { status: "error"; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([db.ping(), timeout]);
    return { status: "ok" };
  } catch (error) {
    return { status: "error", detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

// Probes and scrapes come every few seconds; they are logged only at debug level.
const quietRoutes = new Set(["/healthz", "/metrics"]);

function logAccess(logger: Logger, req: IncomingMessage, res: ServerResponse, route: string): void {
  const started = performance.now();
  res.once("close", () => {
    const line = { method: req.method, route, status: res.statusCode, ms: Math.round(performance.now() - started) };
    if (quietRoutes.has(route)) logger.debug(line, "request");
    else logger.info(line, "request");
  });
}

/** A malformed escape in a path (`/s/%E0%A4%A`) is a 404's business, not a crash. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
