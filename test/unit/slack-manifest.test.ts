import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LOG_SHORTCUT } from "../../src/platforms/slack/listeners/shortcut.ts";
import { FORM_CALLBACK } from "../../src/platforms/slack/modal.ts";

/**
 * The bot scope each Web API method needs (from the method's page at docs.slack.dev/reference/methods).
 * A method missing here fails the test: look its scope up and add it.
 */
const scopeOf: Record<string, string | null> = {
  "auth.test": null,
  "chat.getPermalink": null,
  "chat.postEphemeral": "chat:write",
  "chat.postMessage": "chat:write",
  "chat.update": "chat:write",
  "conversations.history": "im:history",
  "conversations.open": "im:write",
  "users.info": "users:read",
  "views.open": null,
  "views.publish": null,
  "views.update": null,
};

const sourceDir = path.join(import.meta.dirname, "../../src/platforms/slack");

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    ),
  );
  return nested.flat();
}

/** Every Web API method the adapter calls: `c.chat.postMessage(`, `client.users.info(`, `.call("views.open"`. */
async function calledMethods(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const file of await sources(sourceDir)) {
    const text = await readFile(file, "utf8");
    const patterns = [
      /\b(?:c|client)\.([a-z]+)\.([a-zA-Z]+)\(/g,
      /\.call\(\s*"([a-z]+)\.([a-zA-Z.]+)"/g,
      /apiCall\(\s*"([a-z]+)\.([a-zA-Z.]+)"/g,
    ];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const method = `${match[1]}.${match[2]}`;
        found.set(method, [...(found.get(method) ?? []), path.relative(sourceDir, file)]);
      }
    }
  }
  return found;
}

interface Manifest {
  features: {
    app_home: { home_tab_enabled: boolean };
    slash_commands: { command: string; should_escape: boolean }[];
    shortcuts: { type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
}

async function manifest(): Promise<Manifest> {
  return parse(await readFile(path.join(import.meta.dirname, "../../manifests/slack.yaml"), "utf8")) as Manifest;
}

describe("the Slack app manifest", () => {
  it("grants a bot scope for every Web API method the adapter calls", async () => {
    const methods = await calledMethods();
    expect(methods.size).toBeGreaterThanOrEqual(6);
    const granted = new Set((await manifest()).oauth_config.scopes.bot);
    for (const [method, files] of methods) {
      expect(scopeOf, `${method} (called in ${files.join(", ")}) needs an entry in scopeOf`).toHaveProperty([method]);
      const scope = scopeOf[method];
      if (scope) expect(granted.has(scope), `${method} needs ${scope}`).toBe(true);
    }
  });

  it("asks for no scope the code does not use", async () => {
    const used = new Set([...(await calledMethods()).keys()].map((m) => scopeOf[m]).filter((s): s is string => Boolean(s)));
    // Slash commands and shortcuts need `commands`; no Web API method does.
    used.add("commands");
    expect([...(await manifest()).oauth_config.scopes.bot].sort()).toEqual([...used].sort());
  });

  it("declares the slash command, the shortcut, interactivity, the Home tab and its event", async () => {
    const m = await manifest();
    expect(m.features.slash_commands).toContainEqual(expect.objectContaining({ command: "/customer", should_escape: true }));
    expect(m.features.shortcuts).toContainEqual(expect.objectContaining({ type: "message", callback_id: LOG_SHORTCUT }));
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
    // The modal callback is ours alone; it must not collide with the shortcut's.
    expect(FORM_CALLBACK).not.toBe(LOG_SHORTCUT);
  });
});
