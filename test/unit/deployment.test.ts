import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config.ts";

// No Docker engine runs on the project's machines, so the image and the compose file are checked
// here for what can be checked without one: they parse, and they say what the docs promise.
const root = path.join(import.meta.dirname, "../..");
const read = (file: string) => readFile(path.join(root, file), "utf8");

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  volumes?: string[];
}

async function compose(): Promise<Record<string, Service>> {
  const file = parse(await read("compose.yaml"), { merge: true }) as { services: Record<string, Service> };
  return file.services;
}

/** Compose's `${NAME:-default}` as compose fills it in when NAME is not set. */
function withDefaults(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, String(value).replace(/\$\{\w+:-([^}]*)\}/g, "$1")]),
  );
}

describe("compose.yaml", () => {
  it("runs PostgreSQL 15 and two replicas of the bot, both on it and both scheduling", async () => {
    const services = await compose();
    expect(services.postgres?.image).toBe("postgres:15");
    const bots = Object.entries(services).filter(([, s]) => s.build === ".");
    expect(bots.map(([name]) => name)).toEqual(["bot-1", "bot-2"]);
    for (const [, bot] of bots) {
      const env = withDefaults(bot.environment ?? {});
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/crm:[^@]+@postgres:5432\/crm$/);
      expect(env.SCHEDULER).toBe("on");
      // Slack in HTTP mode: no app token, so requests come through the proxy.
      expect(env.SLACK_APP_TOKEN).toBe("");
      expect(bot.depends_on?.postgres?.condition).toBe("service_healthy");
      // The bot's own shutdown deadline (src/main.ts) fits in the grace period.
      expect(Number.parseInt(bot.stop_grace_period ?? "10", 10)).toBeGreaterThanOrEqual(30);
      // Every variable is one the bot reads, with a value it accepts.
      const config = loadConfig(env);
      expect(config.databaseUrl).toBe(env.DATABASE_URL);
      expect(config.scheduler).toBe(true);
    }
  });

  it("puts a reverse proxy in front of both replicas, which waits until they are healthy", async () => {
    const services = await compose();
    const proxy = services.proxy;
    expect(withDefaults({ port: proxy?.ports?.[0] ?? "" }).port).toBe("8080:8080");
    expect(proxy?.depends_on).toEqual({ "bot-1": { condition: "service_healthy" }, "bot-2": { condition: "service_healthy" } });
    const mounted = proxy?.volumes?.[0]?.split(":")[0] ?? "";
    const caddyfile = await read(mounted);
    expect(caddyfile).toMatch(/reverse_proxy bot-1:3000 bot-2:3000/);
    expect(caddyfile).toContain("health_uri /healthz");
  });
});

describe("the Dockerfile", () => {
  it("builds with the README's install on node:20-slim and runs `npm start`'s command as a non-root user", async () => {
    const dockerfile = await read("Dockerfile");
    const pkg = JSON.parse(await read("package.json")) as { scripts: { start: string } };
    const readme = await read("README.md");
    expect(dockerfile.match(/^FROM (\S+)/gm)).toEqual(["FROM node:20-slim", "FROM node:20-slim"]);
    expect(readme).toContain("npm ci");
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? "[]";
    expect((JSON.parse(cmd) as string[]).join(" ")).toBe(pkg.scripts.start);
  });

  it("checks health through /healthz and keeps secrets out of the build context", async () => {
    const dockerfile = await read("Dockerfile");
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    const ignored = (await read(".dockerignore")).split("\n");
    expect(ignored).toEqual(expect.arrayContaining([".env", "node_modules", "data"]));
  });
});
