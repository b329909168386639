// The HTTP server: platform webhooks, survey pages, /healthz and /metrics on one port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Database } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

export type Handler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => void | Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export type PlatformHealth = () => { status: "connected" | "starting" | "error" | "skipped"; detail?: string };

export interface WebServer {
  server: Server;
  route(method: string, path: string, handler: Handler): void;
  addHealth(name: string, check: PlatformHealth): void;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createWebServer(deps: { db: Database; logger: Logger; metrics: Metrics }): WebServer {
  const routes: Route[] = [];
  const health = new Map<string, PlatformHealth>();
  const route = (method: string, path: string, handler: Handler) => {
    const keys: string[] = [];
    const source = path.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    const pattern = new RegExp(`^${source}$`);
    routes.push({ method, pattern, keys, handler });
  };

  route("GET", "/healthz", async (_req, res) => {
    const database = await deps.db.ping().then(
      () => ({ status: "ok" }),
      (error: Error) => ({ status: "error", detail: error.message }),
    );
    const platforms = Object.fromEntries([...health].map(([name, check]) => [name, check()]));
    const ok = database.status === "ok" && Object.values(platforms).every((p) => p.status !== "error");
    sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "degraded", database, platforms });
  });
  route("GET", "/metrics", async (_req, res) => {
    res.writeHead(200, { "content-type": deps.metrics.registry.contentType });
    res.end(await deps.metrics.registry.metrics());
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const allowed: string[] = [];
    for (const r of routes) {
      const match = r.pattern.exec(url.pathname);
      if (!match) continue;
      if (r.method !== req.method && !(r.method === "GET" && req.method === "HEAD")) {
        allowed.push(r.method);
        continue;
      }
      const params = Object.fromEntries(r.keys.map((key, i) => [key, decodeURIComponent(match[i + 1] ?? "")]));
      Promise.resolve(r.handler(req, res, params)).catch((error: unknown) => {
        deps.logger.error({ err: error, path: url.pathname }, "request failed");
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
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  return {
    server,
    route,
    addHealth: (name, check) => health.set(name, check),
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
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** Reads a request body up to `limit` bytes; larger bodies are refused before they are read whole. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
