// `cli import customers.csv`: checks every row with the add verb's own rules, then writes all or none.
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import type { Core } from "../../app.ts";
import { context, errorMessage, formArgs, zodToUserError } from "../../commands/run.ts";
import { add, customerFields } from "../../commands/verbs/add.ts";
import { customerOptions } from "../../commands/verbs/shared.ts";
import { checkImport, type ImportRow, importCustomers } from "../../domain/customer-import.ts";
import type { Actor } from "../../domain/deps.ts";
import { UserError } from "../../domain/errors.ts";
import { bareDirectory } from "../../domain/members.ts";
import { normalizeName } from "../../domain/names.ts";
import { plain } from "./render.ts";

/** Column headers, in either language, mapped to the add verb's option names. */
const headerNames = new Map<string, string>([
  ["name", "_"],
  ["名称", "_"],
  ["客户", "_"],
  ["客户名称", "_"],
  // Written by `export`, derived from the history, and so read-only here.
  ["lastcontact", ""],
  ["nextrevisit", ""],
]);
for (const [option, aliases] of Object.entries(customerOptions)) {
  headerNames.set(option, option);
  for (const alias of aliases) headerNames.set(normalizeName(alias), option);
}

const MAX_REPORTED = 20;

export async function importCustomersCsv(
  core: Core,
  actor: Actor & { member: Actor["member"] },
  file: string | undefined,
): Promise<number> {
  const ctx = context(
    { deps: core.deps, logger: core.logger, ...actor, source: "cli", deliveryId: "", directory: bareDirectory },
    actor.workspace.locale === "en" ? "en" : "zh",
  );
  const { t } = ctx;
  if (!file) {
    console.error(t("import.noFile"));
    return 2;
  }
  const text = await readFile(file, "utf8").catch((error: Error) => {
    console.error(t("import.unreadable", { file, reason: error.message }));
    return null;
  });
  if (text === null) return 2;
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (error) {
    console.error(t("import.badCsv", { reason: (error as Error).message }));
    return 1;
  }
  const headers = Object.keys(records[0] ?? {});
  const unknown = headers.filter((h) => !headerNames.has(normalizeName(h)));
  if (unknown.length > 0) {
    console.error(
      t("import.unknownColumns", { columns: unknown.join(", "), known: [...new Set(headerNames.keys())].join(", ") }),
    );
    return 1;
  }
  if (!headers.some((h) => headerNames.get(normalizeName(h)) === "_")) {
    console.error(t("import.noNameColumn"));
    return 1;
  }

  const rows: ImportRow[] = [];
  const errors: string[] = [];
  for (const [index, record] of records.entries()) {
    const line = index + 2;
    const values: Record<string, string> = {};
    for (const [header, value] of Object.entries(record)) {
      const option = headerNames.get(normalizeName(header));
      if (option) values[option] = value;
    }
    try {
      rows.push(await readRow(ctx, line, values));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      errors.push(t("import.rowError", { line, message: plain(errorMessage(ctx, error)) }));
    }
    if ((index + 1) % 5_000 === 0) console.error(t("import.checked", { done: index + 1, total: records.length }));
  }
  for (const problem of await checkImport(core.deps, actor, rows)) {
    errors.push(
      t("import.rowError", {
        line: problem.line,
        message: t(`import.${problem.code}`, { name: problem.name, other: problem.otherLine ?? "" }),
      }),
    );
  }
  if (errors.length > 0) {
    console.error(errors.slice(0, MAX_REPORTED).join("\n"));
    if (errors.length > MAX_REPORTED) console.error(t("import.moreErrors", { count: errors.length - MAX_REPORTED }));
    console.error(t("import.nothingWritten", { count: errors.length }));
    return 1;
  }
  const written = await importCustomers(core.deps, actor, rows, (n) => {
    if (rows.length >= 5_000) console.error(t("import.written", { done: n, total: rows.length }));
  });
  console.log(t("import.done", { count: written }));
  return 0;
}

async function readRow(ctx: ReturnType<typeof context>, line: number, values: Record<string, string>): Promise<ImportRow> {
  const args = formArgs(values);
  const parsed = add.schema.safeParse(add.parse(args, ctx));
  if (!parsed.success) throw zodToUserError(parsed.error, args, add);
  const input = parsed.data;
  if (!input.name.trim()) throw new UserError("customer.nameMissing");
  return { line, name: input.name.replace(/\s+/g, " ").trim(), ...(await customerFields(ctx, input)) };
}
