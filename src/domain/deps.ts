// What the domain needs from outside: the database and the clock, passed in, never imported.
import type { Prisma } from "../db/client.ts";
import type { Member, Workspace } from "../generated/prisma/client.ts";
import type { Clock } from "./time.ts";

export interface DomainDeps {
  prisma: Prisma;
  clock: Clock;
  /** Where the bot's web pages are reached (PUBLIC_URL), for survey links; tests may leave it out. */
  publicUrl?: string | undefined;
}

/** Who is acting, in which workspace, and from which channel (for channel-linked access). */
export interface Actor {
  workspace: Workspace;
  member: Member;
  channel?: string | undefined;
}
