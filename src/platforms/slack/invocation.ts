// Turns who and where of a Slack payload into the command layer's Invocation: the workspace by
// team id, the member through users.info, and a delivery id that a repeat of the payload shares.
import { createHash } from "node:crypto";
import type { Core } from "../../app.ts";
import type { Invocation } from "../../commands/run.ts";
import { ensureMember, findActor } from "../../domain/members.ts";
import { ensureWorkspace } from "../../domain/workspaces.ts";
import type { Messenger } from "../types.ts";
import type { SlackDirectory } from "./directory.ts";

/** Who acts, in which team and channel, as a payload says. */
export interface SlackActor {
  teamId: string;
  teamName?: string | undefined;
  userId: string;
  userName?: string | undefined;
  channel?: string | undefined;
}

export type Invocations = (actor: SlackActor, deliveryId: string, command?: string) => Promise<Invocation>;

/** `messenger` lets a command post into a channel (a survey link into the customer's channel). */
export function createInvocations(core: Core, directory: SlackDirectory, messenger: Messenger): Invocations {
  const { deps, config, logger, metrics } = core;
  return async (actor, deliveryId, command = "/customer") => {
    const known = await findActor(deps, "slack", actor.teamId, actor.userId);
    const defaults = {
      ...(actor.teamName ? { name: actor.teamName } : {}),
      timeZone: config.defaultTimeZone,
      locale: config.defaultLocale,
    };
    const workspace = await ensureWorkspace(deps, "slack", actor.teamId, defaults, known?.workspace);
    const teamDirectory = directory.forTeam(actor.teamId);
    const profile = (await teamDirectory.lookup(actor.userId)) ?? { externalId: actor.userId, displayName: actor.userName };
    const member = await ensureMember(deps, workspace, profile, teamDirectory, known?.member);
    return {
      deps,
      // The delivery id reaches every log line through the request scope (request-context.ts).
      logger: logger.child({ platform: "slack" }),
      workspace,
      member,
      channel: actor.channel,
      source: "slack",
      deliveryId,
      directory: teamDirectory,
      invocation: command,
      metrics,
      messenger,
    };
  };
}

/** The team a payload belongs to; an org-wide install may name only the user's team or the org. */
export function teamOf(body: {
  team?: { id: string } | null;
  team_id?: string;
  user?: { team_id?: string };
  enterprise?: { id: string } | null;
}): string {
  return body.team?.id ?? body.team_id ?? body.user?.team_id ?? body.enterprise?.id ?? "unknown";
}

/** A short, stable id made of the parts that make a delivery itself. */
export function deliveryKey(kind: string, ...parts: (string | undefined)[]): string {
  const hash = createHash("sha256")
    .update(parts.map((p) => p ?? "").join("\u0000"))
    .digest("base64url");
  return `slack:${kind}:${hash.slice(0, 32)}`;
}

/** Slash command text arrives HTML-escaped (should_escape); mentions stay <@U…> markup. */
export function unescapeText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
