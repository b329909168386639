import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const postgres = "postgres://crm@db:5432/crm";

describe("COMMAND_THREAD", () => {
  it("is on by default with PostgreSQL and off with the embedded database", () => {
    expect(loadConfig({ DATABASE_URL: postgres }).commandThread).toBe(true);
    expect(loadConfig({}).commandThread).toBe(false);
    expect(loadConfig({ DATABASE_URL: postgres, COMMAND_THREAD: "off" }).commandThread).toBe(false);
  });

  it("refuses to be on without PostgreSQL, and anything but on or off", () => {
    expect(() => loadConfig({ COMMAND_THREAD: "on" })).toThrow(ConfigError);
    expect(() => loadConfig({ COMMAND_THREAD: "on" })).toThrow(/needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: postgres, COMMAND_THREAD: "yes" })).toThrow(
      'COMMAND_THREAD="yes" is not valid: expected on or off',
    );
  });
});
