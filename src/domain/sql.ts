// Pieces of SQL the domain's hand-written statements share.
import { Prisma } from "../generated/prisma/client.ts";

/**
 * The database's current time as the UTC wall clock that this schema's `timestamp` columns hold
 * (Prisma writes UTC). A bare `now()` would be stored in the server's own time zone: hours off on
 * a PostgreSQL server not set to UTC.
 */
export const utcNow = Prisma.sql`(now() at time zone 'utc')`;

/**
 * A model's columns by name (its `Prisma.<Model>ScalarFieldEnum`), `alias.`-qualified if given, to
 * select instead of `*`: a prepared statement that expands a star stops running when a migration adds
 * a column (see src/db/client.ts), one that names its columns goes on as before. The field names are
 * the column names while the schema maps none of them (`@map`).
 */
export function columns(fields: Record<string, string>, alias?: string): Prisma.Sql {
  const prefix = alias ? `${alias}.` : "";
  return Prisma.raw(
    Object.values(fields)
      .map((field) => `${prefix}"${field}"`)
      .join(", "),
  );
}

/** The customer's columns, for statements that return customers as Prisma would. */
export const customerColumns = columns(Prisma.CustomerScalarFieldEnum);
