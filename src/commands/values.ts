// How option values are typed in either language (tier=重点, stage=current, 阶段=报价), as zod
// schemas whose failures name the hint shown to the user.
import { z } from "zod";
import { normalizeName } from "../domain/names.ts";
import { parseDay, parseMonthDay } from "../domain/time.ts";
import type { MessageKey } from "../i18n/index.ts";

function aliasEnum<const T extends string>(aliases: Record<T, readonly string[]>, hint: MessageKey) {
  const map = new Map<string, T>();
  for (const [value, names] of Object.entries(aliases) as [T, readonly string[]][]) {
    map.set(value, value);
    for (const name of names) map.set(normalizeName(name), value);
  }
  const values = Object.keys(aliases) as [T, ...T[]];
  return z.preprocess(
    (v) => (typeof v === "string" ? (map.get(normalizeName(v)) ?? v) : v),
    z.enum(values, { error: () => hint }),
  );
}

export const tierAliases = {
  key: ["重点", "重点客户", "关键", "vip", "a"],
  normal: ["普通", "普通客户", "一般", "b"],
  prospect: ["潜在", "潜在客户", "意向客户", "c"],
} as const;

export const stageAliases = {
  potential: ["潜在", "潜在客户"],
  prospective: ["意向", "意向客户", "prospect"],
  current: ["成交", "现有", "现有客户", "老客户", "customer"],
  lost: ["流失", "流失客户"],
} as const;

export const funnelAliases = {
  meet: ["接触", "初步接触", "初访"],
  discover: ["挖掘", "需求挖掘", "发现"],
  confirm: ["确认", "意向确认", "确认意向"],
  needs: ["方案", "需求", "需求方案", "need"],
  quote: ["报价"],
  commitment: ["签约", "承诺", "commit"],
  acceptance: ["验收", "accept"],
  payment: ["回款", "付款", "收款", "pay"],
} as const;

export const kindAliases = {
  visit: ["拜访", "上门", "走访", "登门", "visited"],
  call: ["电话", "通话", "打电话", "致电", "来电", "called", "phoned", "phone"],
  email: ["邮件", "电邮", "emailed", "mail"],
  meeting: ["会议", "开会", "会面", "见面", "面谈", "met"],
  message: ["消息", "微信", "留言", "短信", "chat", "messaged", "texted"],
  note: ["备注", "笔记", "记录"],
} as const;

export const tierValue = aliasEnum(tierAliases, "hint.tier");
export const stageValue = aliasEnum(stageAliases, "hint.stage");
export const funnelValue = aliasEnum(funnelAliases, "hint.funnel");
export const kindValue = aliasEnum(kindAliases, "hint.kind");

const han = /\p{Script=Han}/u;
const kindWords = (Object.entries(kindAliases) as [keyof typeof kindAliases, readonly string[]][])
  .flatMap(([kind, names]) => [kind, ...names].map((name) => ({ kind, name, han: han.test(name) })))
  .sort((a, b) => b.name.length - a.name.length);

/**
 * Words after which a kind names what is planned or asked for, not what happened: "约了下周拜访",
 * "wants a call". English ones are whole words; Chinese ones are matched anywhere.
 */
const plannedZh =
  "下次 下周 下个月 下月 明天 后天 改天 回头 计划 准备 打算 希望 想 需要 要求 约了 约好 约定 预约 约下 约个".split(" ");
const plannedEn =
  /\b(?:wants?|wanted|will|going|plans?|planned|planning|schedule|scheduled|needs?|should|asks?|asked|requests?|requested|next|tomorrow|later)\b/u;

/**
 * The kind of interaction a summary tells of, if it names one in its first clause (up to the first
 * comma or stop) before anything planned: "visited, wants a quote" and "拜访客户，希望报价" are
 * visits, "又打了一次电话" and "had a call with Bob" calls, "约了下周拜访" and "wants a call" neither.
 * The earliest word wins. An English word counts whole ("callback" is no call); Chinese runs words
 * together, so a Chinese one counts wherever it stands.
 */
export function kindOf(summary: string): keyof typeof kindAliases | undefined {
  const clause = summary.trim().toLowerCase().split(clauseEnd, 1)[0] ?? "";
  const told = clause.slice(0, plannedAt(clause));
  let found: { kind: keyof typeof kindAliases; at: number } | undefined;
  for (const { kind, name, han: isHan } of kindWords) {
    const at = isHan ? told.indexOf(name) : wordAt(told, name);
    if (at >= 0 && (!found || at < found.at)) found = { kind, at };
  }
  return found?.kind;
}

const clauseEnd = /[,，、;；.。!！?？:：\n]/u;

/** Where the first word of a plan starts in `clause`, or its length. */
function plannedAt(clause: string): number {
  let at = clause.search(plannedEn);
  if (at < 0) at = clause.length;
  for (const word of plannedZh) {
    const i = clause.indexOf(word);
    if (i >= 0 && i < at) at = i;
  }
  return at;
}

/** Where `word` stands whole in `text` (not inside a longer word), or -1. */
function wordAt(text: string, word: string): number {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = text.charAt(i - 1);
    const after = text.charAt(i + word.length);
    if (!letterOrDigit.test(before) && !letterOrDigit.test(after)) return i;
  }
  return -1;
}
const letterOrDigit = /[\p{L}\p{N}]/u;

export const dayValue = z.string().transform((v, ctx) => {
  const day = parseDay(v);
  if (!day) ctx.addIssue({ code: "custom", message: "hint.date" });
  return day ?? "";
});

export const monthDayValue = z.string().transform((v, ctx) => {
  const md = parseMonthDay(v);
  if (!md) ctx.addIssue({ code: "custom", message: "hint.birthday" });
  return md ?? "";
});

export const cadenceValue = z.coerce
  .number({ error: () => "hint.cadence" })
  .int({ error: () => "hint.cadence" })
  .min(1, { error: () => "hint.cadence" })
  .max(365, { error: () => "hint.cadence" });

export const amountValue = z
  .string()
  .transform((v) => v.replace(/[,，\s]/g, "").replace(/^[¥￥$]/, ""))
  .pipe(z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, { error: () => "hint.amount" }));

export const currencyValue = z
  .string()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, { error: () => "hint.currency" }));

export const shortText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: () => "hint.text" })
    .max(max, { error: () => "hint.tooLong" });

/** A member as typed: a platform mention (<@U123>, <@U123|bob>) or a name (@bob, bob). */
export const memberValue = z.string().transform((v, ctx) => {
  const mention = /^<@([A-Za-z0-9_\-.]+)(?:\|[^>]*)?>$/.exec(v.trim());
  if (mention) return { id: mention[1] as string };
  const name = v.trim().replace(/^[@＠]/, "");
  if (!name) ctx.addIssue({ code: "custom", message: "hint.member" });
  return { name };
});

export const roleValue = aliasEnum(
  { rep: ["销售", "代表", "成员", "member"], manager: ["经理", "主管", "leader"], admin: ["管理员", "administrator"] },
  "hint.role",
);
