// The weekly digest as a message: satisfaction, revisit discipline, lifecycle changes, the funnel and
// feedback, each figure followed by its change on the week before (▲ up, ▼ down, ±0 the same).
import type { Block, Reply } from "../../commands/reply.ts";
import { clip, label, mention } from "../../commands/views.ts";
import { npsOf, type SurveyFigures } from "../../domain/digest/surveys.ts";
import type { Digest } from "../../domain/digest.ts";
import { shortId } from "../../domain/feedback.ts";
import type { Stage } from "../../generated/prisma/client.ts";
import type { MessageContext } from "./context.ts";

type Ctx = Pick<MessageContext, "t" | "locale">;

const stageOrder: Stage[] = ["potential", "prospective", "current", "lost"];

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** " (▲3)", " (▼0.5)", " (±0)" (full-width brackets in Chinese); nothing when either week has no figure. */
function change(
  ctx: Ctx,
  current: number | null,
  previous: number | null,
  digits = 0,
  unit: (n: string) => string = (n) => n,
): string {
  if (current === null || previous === null) return "";
  const d = round(current - previous, digits);
  const text = d === 0 ? "±0" : `${d > 0 ? "▲" : "▼"}${unit(formatNumber(Math.abs(d), digits))}`;
  return ctx.locale === "zh" ? `（${text}）` : ` (${text})`;
}

function formatNumber(n: number, digits = 2): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(n);
}

function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

function pointsChange(ctx: Ctx, current: number | null, previous: number | null): string {
  return change(ctx, current, previous, 0, (n) => ctx.t("digest.points", { n }));
}

function satisfaction(ctx: Ctx, d: Digest): string {
  const { t } = ctx;
  const cur = d.surveys.current;
  const prev = d.surveys.previous;
  const rate = percent(cur.answeredOfSent, cur.sent);
  const lines = [
    t("digest.surveys", {
      sent: cur.sent,
      delta: change(ctx, cur.sent, prev.sent),
      answered: cur.answeredOfSent,
      rate: rate === null ? "—" : `${rate}%`,
      rateDelta: pointsChange(ctx, rate, percent(prev.answeredOfSent, prev.sent)),
    }),
    ...answerLines(ctx, cur, prev),
  ];
  if (cur.unhappy > 0) {
    lines.push(t("digest.unhappy", { count: cur.unhappy, delta: change(ctx, cur.unhappy, prev.unhappy) }));
    for (const u of d.surveys.unhappy) {
      const line = t("digest.unhappyLine", { name: u.customerName, day: u.day, csat: u.csat ?? "—", nps: u.nps ?? "—" });
      lines.push(`   – ${line}${u.comment ? `\n     > ${clip(u.comment, 200)}` : ""}`);
    }
  }
  return `**${t("digest.satisfaction")}**\n${lines.map((l) => (l.startsWith("   ") ? l : `• ${l}`)).join("\n")}`;
}

function answerLines(ctx: Ctx, cur: SurveyFigures, prev: SurveyFigures): string[] {
  const { t } = ctx;
  if (cur.responses === 0) return [t("digest.noAnswers")];
  const lines: string[] = [];
  if (cur.csat !== null) {
    lines.push(
      t("digest.csat", {
        csat: cur.csat.toFixed(1),
        delta: change(ctx, round(cur.csat, 1), prev.csat === null ? null : round(prev.csat, 1), 1),
        count: cur.responses,
      }),
    );
  }
  const nps = npsOf(cur);
  if (nps !== null) {
    lines.push(
      t("digest.nps", {
        nps: nps > 0 ? `+${nps}` : String(nps),
        delta: change(ctx, nps, npsOf(prev)),
        promoters: cur.promoters,
        detractors: cur.npsDetractors,
        count: cur.npsAnswers,
      }),
    );
  }
  return lines;
}

function revisits(ctx: Ctx, d: Digest): string {
  const { t } = ctx;
  const r = d.revisits;
  const title = `**${t("digest.revisits")}**`;
  if (r.due === 0 && r.overdueNow === 0) return `${title}\n• ${t("digest.revisitNone")}`;
  const figures = (x: { due: number; onTime: number; previousDue: number; previousOnTime: number; overdueNow: number }) => {
    const rate = percent(x.onTime, x.due);
    return {
      onTime: x.onTime,
      due: x.due,
      rate: rate === null ? "" : ` · ${rate}%`,
      delta: pointsChange(ctx, rate, percent(x.previousOnTime, x.previousDue)),
      overdue: x.overdueNow,
    };
  };
  const lines = [t("digest.revisitTeam", figures(r))];
  for (const rep of r.reps) {
    const who = mention({ externalId: rep.externalId, displayName: rep.name }, t);
    lines.push(
      rep.due > 0
        ? t("digest.revisitRep", { rep: who, ...figures(rep) })
        : t("digest.revisitRepIdle", { rep: who, overdue: rep.overdueNow }),
    );
  }
  const more = r.repsTotal - r.reps.length;
  if (more > 0) lines.push(t("nudge.moreReps", { count: more }));
  return `${title}\n${lines.map((l) => `• ${l}`).join("\n")}`;
}

function stages(ctx: Ctx, d: Digest): string {
  const { t } = ctx;
  const s = d.stages;
  const head = t("digest.stages", { count: s.customers, delta: change(ctx, s.customers, s.previousCustomers) });
  const byStage = stageOrder
    .filter((stage) => s.byStage[stage])
    .map((stage) => `→ ${label(t, "stage", stage)}${ctx.locale === "zh" ? "：" : ": "}${s.byStage[stage]}`)
    .join(" · ");
  const lines = s.list.map(
    (c) =>
      `• ${t("digest.stageLine", { name: c.customerName, from: c.from ? label(t, "stage", c.from) : "—", to: label(t, "stage", c.to), day: c.day })}`,
  );
  const more = s.customers - s.list.length;
  if (more > 0) lines.push(t("nudge.more", { count: more }));
  return [`**${head}**`, byStage, ...lines].filter(Boolean).join("\n");
}

function funnel(ctx: Ctx, d: Digest): string {
  const { t } = ctx;
  const rows = d.funnel.filter((f) => f.count > 0 || f.previousCount > 0);
  if (rows.length === 0) return `**${t("digest.funnel")}**\n• ${t("digest.funnelEmpty")}`;
  const lines = rows.map((f) =>
    t("digest.funnelLine", {
      stage: label(t, "funnel", f.stage),
      count: f.count,
      countDelta: change(ctx, f.count, f.previousCount),
      currency: f.currency,
      amount: formatNumber(Number(f.amount)),
      amountDelta: change(ctx, Number(f.amount), Number(f.previousAmount), 2),
    }),
  );
  return `**${t("digest.funnel")}**\n${lines.map((l) => `• ${l}`).join("\n")}`;
}

function feedback(ctx: Ctx, d: Digest): string {
  const { t } = ctx;
  const { current: cur, previous: prev, oldest } = d.feedback;
  const lines = [
    t("digest.feedbackLine", {
      open: cur.open,
      openDelta: change(ctx, cur.open, prev.open),
      opened: cur.opened,
      openedDelta: change(ctx, cur.opened, prev.opened),
      resolved: cur.resolved,
      resolvedDelta: change(ctx, cur.resolved, prev.resolved),
    }),
  ];
  const days = (hours: number | null) => (hours === null ? null : round(hours / 24, 1));
  if (cur.resolveHours !== null) {
    const now = days(cur.resolveHours) as number;
    lines.push(t("digest.resolveTime", { days: formatNumber(now, 1), delta: change(ctx, now, days(prev.resolveHours), 1) }));
  }
  for (const item of oldest) {
    lines.push(
      t("digest.feedbackItem", { id: shortId(item), name: item.customerName, days: item.daysOpen, text: clip(item.text, 100) }),
    );
  }
  return `**${t("digest.feedback")}**\n${lines.map((l) => `• ${l}`).join("\n")}`;
}

export function renderDigest(ctx: Ctx, d: Digest): Reply {
  const { t } = ctx;
  const title = t("digest.title", { first: d.week.first, last: d.week.last });
  const who =
    d.scope === "team"
      ? t("digest.team", { manager: d.managerName ?? "—", people: d.people })
      : t("digest.workspace", { people: d.people });
  const sections = [satisfaction(ctx, d), revisits(ctx, d), stages(ctx, d), funnel(ctx, d), feedback(ctx, d)];
  const blocks: Block[] = [
    { type: "header", text: title },
    { type: "context", text: who },
    ...sections.flatMap((text, i): Block[] =>
      i === 0 ? [{ type: "text", text }] : [{ type: "divider" }, { type: "text", text }],
    ),
    {
      type: "actions",
      actions: [
        { kind: "command", label: t("digest.showFeedback"), command: "feedback list" },
        { kind: "command", label: t("digest.showFunnel"), command: "deal list" },
      ],
    },
  ];
  return { visibility: "ephemeral", locale: ctx.locale, summary: title, blocks };
}
