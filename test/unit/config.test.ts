import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, configVariables, loadConfig } from "../../src/config.ts";

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

describe("COMMAND_THREAD_PRIORITY", () => {
  it("is nice unless set to idle, and nothing else", () => {
    expect(loadConfig({}).commandThreadPriority).toBe("nice");
    expect(loadConfig({ COMMAND_THREAD_PRIORITY: "idle" }).commandThreadPriority).toBe("idle");
    expect(() => loadConfig({ COMMAND_THREAD_PRIORITY: "low" })).toThrow(
      'COMMAND_THREAD_PRIORITY="low" is not valid: expected nice or idle',
    );
  });
});

describe("COMMAND_BACKLOG", () => {
  it("is 2,000 unless set, and a whole number from 1 up", () => {
    expect(loadConfig({}).commandBacklog).toBe(2_000);
    expect(loadConfig({ COMMAND_BACKLOG: " 500 " }).commandBacklog).toBe(500);
    for (const bad of ["0", "-5", "lots", "1.5"]) {
      expect(() => loadConfig({ COMMAND_BACKLOG: bad })).toThrow(
        `COMMAND_BACKLOG=${JSON.stringify(bad)} is not valid: expected a number of commands from 1 to 1000000`,
      );
    }
  });
});

describe("COMMAND_STATEMENT_TIMEOUT_MS", () => {
  it("is 30 seconds unless set: whole milliseconds from 100 to an hour, or 0 for none", () => {
    expect(loadConfig({}).commandStatementTimeoutMs).toBe(30_000);
    expect(loadConfig({ COMMAND_STATEMENT_TIMEOUT_MS: "5000" }).commandStatementTimeoutMs).toBe(5_000);
    expect(loadConfig({ COMMAND_STATEMENT_TIMEOUT_MS: "0" }).commandStatementTimeoutMs).toBe(0);
    for (const bad of ["99", "3600001", "30s", "1.5", "-1"]) {
      expect(() => loadConfig({ COMMAND_STATEMENT_TIMEOUT_MS: bad })).toThrow(
        `COMMAND_STATEMENT_TIMEOUT_MS=${JSON.stringify(bad)} is not valid: expected 0 (none) or milliseconds from 100 to 3600000`,
      );
    }
  });
});

describe("DATABASE_PREPARED_STATEMENTS", () => {
  it("is on unless turned off, and nothing but on or off", () => {
    expect(loadConfig({}).preparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: "off" }).preparedStatements).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: "no" })).toThrow(
      'DATABASE_PREPARED_STATEMENTS="no" is not valid: expected on or off',
    );
  });
});

describe("the documented configuration", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const table = readme.slice(
    readme.indexOf("\n## Configuration\n"),
    readme.indexOf("\n## ", readme.indexOf("\n## Configuration\n") + 1),
  );
  const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");

  it("lists every variable the bot reads in README's table", () => {
    expect(configVariables.length).toBeGreaterThan(20);
    expect(configVariables.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });

  it("has every variable in .env.example, except USER, which the login shell sets", () => {
    const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(configVariables.filter((name) => name !== "USER" && !listed.has(name))).toEqual([]);
    expect([...listed].filter((name) => !configVariables.includes(name as string))).toEqual([]);
  });
});
