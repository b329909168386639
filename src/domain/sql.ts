// Pieces of SQL the domain's hand-written statements share.
import { Prisma } from "../generated/prisma/client.ts";

/**
 * The database's current time as the UTC wall clock that this schema's `timestamp` columns hold
 * (Prisma writes UTC). A bare `now()` would be stored in the server's own time zone: hours off on
 * a PostgreSQL server not set to UTC.
 */
export const utcNow = Prisma.sql`(now() at time zone 'utc')`;
