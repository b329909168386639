// Builds workspaces and members on a real test database, and runs commands as a member would.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll } from "vitest";
import type { Reply } from "../../src/commands/reply.ts";
import { runCommand, runForm } from "../../src/commands/run.ts";
import type { Database } from "../../src/db/client.ts";
import type { DomainDeps } from "../../src/domain/deps.ts";
import { bareDirectory, ensureMember, type MemberDirectory } from "../../src/domain/members.ts";
import type { Member, Platform, Role, Workspace } from "../../src/generated/prisma/client.ts";
import { plain, renderText } from "../../src/platforms/terminal/render.ts";
import { TestClock } from "./clock.ts";
import { openTestDatabase, type TestDatabase } from "./database.ts";

export const silentLogger = pino({ level: "silent" });

export class World {
  #db: Database | undefined;
  #deps: DomainDeps | undefined;

  /** Without `db`, the World is usable once `attach` has given it one (see worldForFile). */
  constructor(
    db?: Database,
    readonly clock = new TestClock("2026-11-25T02:00:00Z"),
  ) {
    if (db) this.attach(db);
  }

  /** The PostgreSQL URL of the World's database (for more connections to it); undefined for PGlite. */
  databaseUrl: string | undefined;

  attach(db: Database, url?: string): void {
    this.#db = db;
    this.databaseUrl = url;
    this.#deps = { prisma: db.prisma, clock: this.clock };
  }

  get db(): Database {
    if (!this.#db) throw new Error("the World has no database yet: use it inside a test or a hook");
    return this.#db;
  }

  get deps(): DomainDeps {
    if (!this.#deps) throw new Error("the World has no database yet: use it inside a test or a hook");
    return this.#deps;
  }

  /** A new workspace of its own, so tests never see each other's data. */
  async workspace(overrides: Partial<Pick<Workspace, "timeZone" | "locale" | "settings">> & { platform?: Platform } = {}) {
    return this.db.prisma.workspace.create({
      data: {
        platform: overrides.platform ?? "cli",
        externalId: randomUUID(),
        timeZone: overrides.timeZone ?? "Asia/Shanghai",
        locale: overrides.locale ?? "en",
        settings: (overrides.settings ?? {}) as object,
      },
    });
  }

  async member(workspace: Workspace, name: string, role: Role = "rep", manager?: Member): Promise<Member> {
    const member = await ensureMember(this.deps, workspace, { externalId: name, displayName: name, isAdmin: role === "admin" });
    return this.db.prisma.member.update({
      where: { id: member.id },
      data: { role, roleManual: true, managerId: manager?.id ?? null },
    });
  }

  /** Runs a command as `member`, as the terminal, Slack or Feishu would. */
  async run(
    workspace: Workspace,
    member: Member,
    text: string,
    options: { channel?: string; deliveryId?: string; directory?: MemberDirectory } = {},
  ): Promise<Reply> {
    const reply = await runCommand(this.invocation(workspace, member, options), text);
    if (!reply) throw new Error(`no reply to "${text}" (treated as a repeated delivery)`);
    return reply;
  }

  /** Clicks the button labelled `label` on `reply`, as the platforms do: in the reply's language. */
  async click(workspace: Workspace, member: Member, reply: Reply, label: string, options: { channel?: string } = {}) {
    const action = reply.blocks
      .flatMap((b) => (b.type === "actions" ? b.actions : []))
      .flatMap((a): { label: string; command?: string }[] => (a.kind === "select" ? a.options : [a]))
      .find((a) => a.label === label);
    if (!action?.command) throw new Error(`no button "${label}" on the reply`);
    const result = await runCommand(this.invocation(workspace, member, options), action.command, reply.locale);
    if (!result) throw new Error(`no reply to the click on "${label}"`);
    return result;
  }

  /** Like run, but a repeated delivery gives null instead of failing the test. */
  async runOrNull(
    workspace: Workspace,
    member: Member,
    text: string,
    options: { channel?: string; deliveryId?: string; directory?: MemberDirectory } = {},
  ): Promise<Reply | null> {
    return runCommand(this.invocation(workspace, member, options), text);
  }

  async runForm(workspace: Workspace, member: Member, verb: string, values: Record<string, string>) {
    return runForm(this.invocation(workspace, member, {}), verb, values);
  }

  invocation(
    workspace: Workspace,
    member: Member,
    options: { channel?: string; deliveryId?: string; directory?: MemberDirectory },
  ) {
    return {
      deps: this.deps,
      logger: silentLogger,
      workspace,
      member,
      channel: options.channel ?? "terminal",
      source: "cli" as const,
      deliveryId: options.deliveryId ?? randomUUID(),
      directory: options.directory ?? bareDirectory,
      invocation: "/customer",
    };
  }
}

/**
 * A test file's own database and World: the database is opened before the file's tests (hooks
 * registered after this call see it) and dropped after them.
 */
export function worldForFile(): World {
  const world = new World();
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    test = await openTestDatabase();
    world.attach(test.db, test.url);
  });
  afterAll(() => test?.drop());
  return world;
}

/** The reply as a person reads it in the terminal. */
export function textOf(reply: Reply | null): string {
  return reply ? plain(renderText(reply, "/customer")) : "";
}
