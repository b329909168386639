// The operator's command line: run any customer command as a member, migrate, import, export.
//   npm run cli -- --as alice customer add "Acme 北京" tier=key
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pino from "pino";
import { type Core, openCore } from "./app.ts";
import { runCommand } from "./commands/run.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { bareDirectory, ensureMember } from "./domain/members.ts";
import { ensureWorkspace } from "./domain/workspaces.ts";
import { createLogger } from "./logger.ts";
import { exportCustomersCsv } from "./platforms/terminal/export.ts";
import { importCustomersCsv } from "./platforms/terminal/import.ts";
import { renderText } from "./platforms/terminal/render.ts";
import { sweepFromTerminal } from "./platforms/terminal/sweep.ts";

const usage = `Usage: npm run cli -- [options] <command>

Commands:
  customer <verb> ...      run a customer command, as in Slack or Feishu (客户 works too)
  migrate                  apply pending database migrations
  import <file.csv>        add customers from a CSV file (all rows or none)
  export [file.csv]        write the customers you can see as CSV (to stdout without a file)
  sweep [--dry-run]        run the morning reminder sweep now (--dry-run: show what it would send)

Options:
  --as <member>            who runs the command (default: $USER); the first member is admin
  --channel <name>         the channel the command is used in (default: terminal)
  --yes                    confirm a preview at once (e.g. a log matched by initials)
  --help                   this text

Try: npm run cli -- --as alice customer help`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      as: { type: "string" },
      channel: { type: "string" },
      yes: { type: "boolean" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  // The terminal shows replies, not the server's info logs.
  const logger = createLogger(["debug", "trace"].includes(config.logLevel) ? config.logLevel : "warn", pino.destination(2));
  if (!["customer", "客户", "crm", "migrate", "import", "export", "sweep"].includes(command)) {
    console.error(`Unknown command: ${command}\n\n${usage}`);
    return 2;
  }
  const core = await openCore(config, logger);
  try {
    const actor = await terminalActor(core, values.as ?? config.terminalUser);
    switch (command) {
      case "migrate":
        console.log("Database is up to date.");
        return 0;
      case "import":
        return await importCustomersCsv(core, actor, rest[0]);
      case "export":
        return await exportCustomersCsv(core, actor, rest[0]);
      case "sweep":
        return await sweepFromTerminal(core, values["dry-run"] ?? false);
      default:
        return await runCustomerCommand(core, actor, rest.join(" "), values.channel ?? "terminal", values.yes ?? false);
    }
  } finally {
    await core.db.close();
  }
}

export async function terminalActor(core: Core, name: string) {
  const workspace = await ensureWorkspace(core.deps, "cli", "local", {
    name: "terminal",
    timeZone: core.config.defaultTimeZone,
    locale: core.config.defaultLocale,
  });
  const member = await ensureMember(core.deps, workspace, { externalId: name, displayName: name });
  return { workspace, member };
}

async function runCustomerCommand(
  core: Core,
  actor: Awaited<ReturnType<typeof terminalActor>>,
  text: string,
  channel: string,
  confirm: boolean,
): Promise<number> {
  const invocation = {
    deps: core.deps,
    logger: core.logger,
    ...actor,
    channel,
    source: "cli" as const,
    deliveryId: `cli:${randomUUID()}`,
    directory: bareDirectory,
    invocation: "customer",
  };
  let reply = await runCommand(invocation, text);
  const primary = reply?.blocks
    .flatMap((b) => (b.type === "actions" ? b.actions : []))
    .find((a) => a.kind === "command" && a.style === "primary");
  if (confirm && reply && primary?.kind === "command") {
    reply = await runCommand({ ...invocation, deliveryId: `cli:${randomUUID()}` }, primary.command, reply.locale);
  }
  if (!reply) return 0;
  console.log(renderText(reply, "customer"));
  return reply.error ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
    else if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
      console.error(`${error.message}\n\n${usage}`);
    else console.error(error);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
