// Shared pieces of replies: labels, dates, mentions, and the customer card with its buttons.

import type { CustomerCard } from "../domain/customer-views.ts";
import type { CustomerWithOwner } from "../domain/customers.ts";
import { daysBetween, localDay } from "../domain/time.ts";
import type { Member, Stage } from "../generated/prisma/client.ts";
import { type Locale, type MessageKey, type Translate, translator } from "../i18n/index.ts";
import type { Action, Block, Form } from "./reply.ts";
import type { CommandContext } from "./types.ts";
import { kindAliases } from "./values.ts";

export function mention(member: Pick<Member, "externalId" | "displayName"> | null | undefined, t: Translate): string {
  if (!member) return t("label.nobody");
  return `<@${member.externalId}|${member.displayName.replace(/[|>]/g, "")}>`;
}

export function label(t: Translate, group: "tier" | "stage" | "funnel" | "kind" | "role", value: string): string {
  return t(`${group}.${value}` as MessageKey);
}

/** A label inside a sentence: lower case in English ("logged a visit"), as is in Chinese. */
export function word(ctx: Pick<CommandContext, "t" | "locale">, group: "tier" | "kind" | "role", value: string): string {
  const text = label(ctx.t, group, value);
  return ctx.locale === "en" ? text.toLowerCase() : text;
}

/** A revisit date with how far away it is: "2026-11-20 (5 days overdue)". */
export function dueText(
  ctx: Pick<CommandContext, "deps" | "workspace" | "t">,
  due: Date | null,
  snoozedUntil?: Date | null,
): string {
  if (!due) return ctx.t("label.none");
  const tz = ctx.workspace.timeZone;
  const today = localDay(ctx.deps.clock.now(), tz);
  const day = localDay(due, tz);
  const diff = daysBetween(today, day);
  const relative =
    diff < 0 ? ctx.t("due.overdue", { days: -diff }) : diff === 0 ? ctx.t("due.today") : ctx.t("due.in", { days: diff });
  const snoozed =
    snoozedUntil && snoozedUntil > ctx.deps.clock.now() ? ` · ${ctx.t("due.snoozed", { day: localDay(snoozedUntil, tz) })}` : "";
  return `${ctx.t("due.with", { day, relative })}${snoozed}`;
}

export function dayText(ctx: Pick<CommandContext, "workspace">, date: Date | null): string {
  return date ? localDay(date, ctx.workspace.timeZone) : "—";
}

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The reference a button uses for a customer: its id, which no rename or lookalike can change. */
export function ref(customer: { id: string }): string {
  return `#${customer.id}`;
}

/**
 * What depends on the language alone, made once for each: a morning sweep's DMs show the log
 * form's kinds and the snooze menu for every customer listed, some twenty thousand times. The
 * values are shared between replies, so nothing may change them.
 */
function perLocale<T>(make: (t: Translate) => T): (locale: Locale) => T {
  const made = new Map<Locale, T>();
  return (locale) => {
    let value = made.get(locale);
    if (value === undefined) {
      value = make(translator(locale));
      made.set(locale, value);
    }
    return value;
  };
}

const kindOptions = perLocale((t) => Object.keys(kindAliases).map((k) => ({ label: label(t, "kind", k), value: k })));
const SNOOZE_DAYS = [1, 3, 7];
const snoozeLabels = perLocale((t) => SNOOZE_DAYS.map((days) => t("action.snoozeDays", { days })));

export function logForm(ctx: Pick<CommandContext, "t" | "locale">, customer: { id: string; name: string }): Form {
  const { t } = ctx;
  return {
    verb: "log",
    title: clip(t("form.log.title", { name: customer.name }), 24),
    submitLabel: t("form.save"),
    hidden: { customer: ref(customer) },
    fields: [
      {
        name: "kind",
        label: t("form.kind"),
        kind: "select",
        initial: "visit",
        options: kindOptions(ctx.locale),
      },
      { name: "_", label: t("form.summary"), kind: "multiline", placeholder: t("form.summary.placeholder") },
    ],
  };
}

export function snoozeAction(ctx: Pick<CommandContext, "t" | "locale">, customer: { id: string }): Action {
  const labels = snoozeLabels(ctx.locale);
  return {
    kind: "select",
    placeholder: ctx.t("action.snooze"),
    options: SNOOZE_DAYS.map((days, i) => ({ label: labels[i] as string, command: `snooze ${ref(customer)} ${days}` })),
  };
}

const stages: Stage[] = ["potential", "prospective", "current", "lost"];

export function customerActions(ctx: CommandContext, customer: { id: string; name: string; stage: Stage }): Action[] {
  return [
    { kind: "form", label: ctx.t("action.log"), form: logForm(ctx, customer), style: "primary" },
    snoozeAction(ctx, customer),
    {
      kind: "select",
      placeholder: ctx.t("action.stage"),
      options: stages
        .filter((s) => s !== customer.stage)
        .map((s) => ({
          label: label(ctx.t, "stage", s),
          command:
            s === "lost"
              ? `lost ${ref(customer)}`
              : customer.stage === "lost" && s === "current"
                ? `winback ${ref(customer)}`
                : `edit ${ref(customer)} stage=${s}`,
        })),
    },
  ];
}

export function customerSummaryFields(ctx: CommandContext, customer: CustomerWithOwner) {
  const { t } = ctx;
  return [
    { label: t("field.tier"), value: label(t, "tier", customer.tier) },
    { label: t("field.stage"), value: label(t, "stage", customer.stage) },
    { label: t("field.owner"), value: mention(customer.owner, t) },
    { label: t("field.nextRevisit"), value: dueText(ctx, customer.nextRevisitAt, customer.snoozedUntil) },
  ];
}

export function customerCardBlocks(ctx: CommandContext, card: CustomerCard): Block[] {
  const { t } = ctx;
  const { customer } = card;
  const fields = [
    ...customerSummaryFields(ctx, customer),
    { label: t("field.lastContact"), value: lastContactText(ctx, card) },
    { label: t("field.region"), value: customer.region ?? "—" },
    { label: t("field.tags"), value: customer.tags.length ? customer.tags.join(", ") : "—" },
  ];
  if (customer.birthday) fields.push({ label: t("field.birthday"), value: customer.birthday });
  if (customer.linkedChannel) fields.push({ label: t("field.channel"), value: `<#${customer.linkedChannel}>` });
  if (customer.cadenceDays) fields.push({ label: t("field.cadence"), value: t("unit.days", { days: customer.cadenceDays }) });
  const blocks: Block[] = [
    { type: "header", text: customer.name },
    { type: "fields", fields },
  ];
  if (card.opportunities.length > 0) {
    const lines = card.opportunities.map(
      (o) =>
        `• ${clip(o.title, 80)} · ${label(t, "funnel", o.stage)}${o.amount ? ` · ${o.currency} ${o.amount.toString()}` : ""}${o.expectedClose ? ` · ${t("deal.expected", { day: o.expectedClose.toISOString().slice(0, 10) })}` : ""}`,
    );
    blocks.push({ type: "text", text: `**${t("field.opportunities")}**\n${lines.join("\n")}` });
  }
  const satisfaction = card.survey
    ? t("card.satisfaction", {
        csat: card.survey.csat ?? "—",
        nps: card.survey.nps ?? "—",
        day: dayText(ctx, card.survey.respondedAt),
      })
    : t("card.noSurvey");
  const feedback = card.openFeedback > 0 ? ` · ${t("card.openFeedback", { count: card.openFeedback })}` : "";
  blocks.push({ type: "context", text: `${satisfaction}${feedback}` });
  if (customer.stage === "lost" && customer.lostAt) {
    blocks.push({
      type: "context",
      text: t("card.lost", { day: dayText(ctx, customer.lostAt), reason: customer.lostReason ?? "—" }),
    });
  }
  blocks.push({ type: "actions", actions: customerActions(ctx, customer) });
  return blocks;
}

function lastContactText(ctx: CommandContext, card: CustomerCard): string {
  const last = card.interactions[0];
  if (!last) return ctx.t("label.never");
  return `${dayText(ctx, last.occurredAt)} · ${label(ctx.t, "kind", last.kind)} · ${clip(last.summary, 120)}`;
}
