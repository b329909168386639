// The App Home tab: the member's own overdue and upcoming revisits, each with buttons to open
// the card, log an interaction and snooze, published with views.publish.
import type { types } from "@slack/bolt";
import type { Block } from "../../commands/reply.ts";
import { context } from "../../commands/run.ts";
import type { CommandContext } from "../../commands/types.ts";
import { dayText, dueText, label, logForm, ref, snoozeAction } from "../../commands/views.ts";
import type { CustomerWithOwner } from "../../domain/customers.ts";
import { type MemberRevisits, memberRevisits } from "../../domain/revisits.ts";
import { toLocale } from "../../i18n/index.ts";
import type { SlackApi } from "./api.ts";
import type { Invocations, SlackActor } from "./invocation.ts";
import { renderBlocks } from "./render.ts";

const UPCOMING_DAYS = 7;
// Ten of each keeps the tab well inside Slack's 100 blocks (two per customer).
const PER_LIST = 10;

export class HomeTab {
  constructor(private readonly deps: { api: SlackApi; invocations: Invocations }) {}

  /** Builds and publishes the tab for one member. */
  async publish(actor: SlackActor, deliveryId: string): Promise<void> {
    const inv = await this.deps.invocations(actor, deliveryId);
    const locale = toLocale(inv.member.locale, toLocale(inv.workspace.locale, "zh"));
    const ctx = context(inv, locale);
    const revisits = await memberRevisits(inv.deps, inv.workspace, inv.member, { upcomingDays: UPCOMING_DAYS, limit: PER_LIST });
    const view = homeView(ctx, revisits);
    await this.deps.api.call("views.publish", (c) => c.views.publish({ user_id: actor.userId, view }));
  }
}

export function homeView(ctx: CommandContext, revisits: MemberRevisits): types.HomeView {
  const { t } = ctx;
  const blocks: Block[] = [{ type: "header", text: t("slack.home.title") }];
  if (revisits.overdueTotal + revisits.upcomingTotal === 0) blocks.push({ type: "text", text: t("slack.home.none") });
  if (revisits.overdueTotal > 0) {
    blocks.push({ type: "text", text: `**${t("slack.home.overdue", { count: revisits.overdueTotal })}**` });
    blocks.push(...revisits.overdue.flatMap((c) => customerBlocks(ctx, c)));
    const more = revisits.overdueTotal - revisits.overdue.length;
    if (more > 0) blocks.push({ type: "context", text: t("slack.home.moreOverdue", { count: more, cmd: ctx.invocation }) });
  }
  if (revisits.upcomingTotal > 0) {
    blocks.push({ type: "divider" });
    blocks.push({
      type: "text",
      text: `**${t("slack.home.upcoming", { days: UPCOMING_DAYS, count: revisits.upcomingTotal })}**`,
    });
    blocks.push(...revisits.upcoming.flatMap((c) => customerBlocks(ctx, c)));
    const more = revisits.upcomingTotal - revisits.upcoming.length;
    if (more > 0) blocks.push({ type: "context", text: t("slack.home.moreUpcoming", { count: more, cmd: ctx.invocation }) });
  }
  blocks.push({ type: "divider" }, { type: "context", text: t("slack.home.help", { cmd: ctx.invocation }) });
  return { type: "home", blocks: renderBlocks(blocks, ctx.locale).slice(0, 100) };
}

function customerBlocks(ctx: CommandContext, customer: CustomerWithOwner): Block[] {
  const { t } = ctx;
  const line = [
    `**${customer.name}** · ${label(t, "tier", customer.tier)} · ${label(t, "stage", customer.stage)}`,
    `${t("field.nextRevisit")}: ${dueText(ctx, customer.nextRevisitAt, customer.snoozedUntil)} · ${t("field.lastContact")}: ${customer.lastContactAt ? dayText(ctx, customer.lastContactAt) : t("label.never")}`,
  ].join("\n");
  return [
    { type: "text", text: line },
    {
      type: "actions",
      actions: [
        { kind: "command", label: t("action.show"), command: `show ${ref(customer)}` },
        { kind: "form", label: t("action.log"), form: logForm(ctx, customer), style: "primary" },
        snoozeAction(ctx, customer),
      ],
    },
  ];
}
