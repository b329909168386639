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
