// Who is acting where: the tenant as a Workspace, the user as a Member, the chat as the channel.
import type { Invocation } from "../../commands/run.ts";
import { ensureMember, findActor } from "../../domain/members.ts";
import { ensureWorkspace } from "../../domain/workspaces.ts";
import type { FeishuContext } from "./context.ts";

export interface Actor {
  /** header.tenant_key: one Feishu tenant is one workspace, and data never crosses tenants. */
  tenantKey: string;
  openId: string;
  chatId: string | undefined;
  deliveryId: string;
  /** What help shows as the way to reach the command ("@CRM" in a group). */
  invocation?: string | undefined;
}

export async function invocationFor(
  ctx: Pick<FeishuContext, "core" | "directory" | "logger" | "messenger">,
  actor: Actor,
): Promise<Invocation> {
  const { core, directory, logger, messenger } = ctx;
  const { deps, config } = core;
  // The tenant and the user in one read, as on Slack; each is written only when new or changed.
  const known = await findActor(deps, "feishu", actor.tenantKey, actor.openId);
  const defaults = { timeZone: config.defaultTimeZone, locale: config.defaultLocale };
  const workspace = await ensureWorkspace(deps, "feishu", actor.tenantKey, defaults, known?.workspace);
  const profile = (await directory.lookup(actor.openId)) ?? { externalId: actor.openId };
  const member = await ensureMember(deps, workspace, profile, directory, known?.member);
  return {
    deps,
    // The event's id reaches every log line through the request scope (request-context.ts); the
    // command layer's own key is logged with anything it reports.
    logger,
    workspace,
    member,
    channel: actor.chatId,
    source: "feishu",
    deliveryId: actor.deliveryId,
    directory,
    metrics: core.metrics,
    messenger,
    ...(actor.invocation ? { invocation: actor.invocation } : {}),
  };
}
