// The kind of interaction a log's summary tells of, when `kind=` does not say: read from how the
// summary opens, as a colleague would read it. "visited, wants a quote", "今天上门拜访了张总" and
// "昨天下午，打了个电话" tell of a visit, a visit and a call; "约了下周拜访", "Meeting cancelled" and
// "Updated phone number" of none (the log is then a note).
import { han } from "../domain/names.ts";
import { kindAliases } from "./values.ts";

type Kind = keyof typeof kindAliases;

const kindWords = (Object.entries(kindAliases) as [Kind, readonly string[]][])
  .flatMap(([kind, names]) => [kind, ...names].map((name) => ({ kind, name, han: han.test(name) })))
  .sort((a, b) => b.name.length - a.name.length);

/** Words after which a kind is only planned or asked for: "约了下周拜访", "wants a call". */
const plannedZh =
  "下次 下周 下个月 下月 明天 后天 改天 回头 之后 稍后 计划 准备 打算 希望 想要 想约 想让 需要 要求 约了 约好 约定 预约 约下 约个".split(
    " ",
  );
const plannedEn =
  /\b(?:wants?|wanted|will|going|plans?|planning|needs?|should|asks?|asked|requests?|requested|next|tomorrow|later)\b/u;
/** Words that make a whole clause tell of no interaction: it is scheduled, or did not happen. */
const voidZh = "取消 未能 没能 推迟 改期 定在 安排在 约在".split(" ");
const voidEn = /\b(?:scheduled|planned|cancell?ed|postponed|rescheduled|no-show|didn't|couldn't)\b/u;
/** What a kind word does not mean when these follow it: "电话号码", "email address", "会议纪要", "通话记录". */
const notAnInteraction = /^\s*(?:号码|地址|纪要|numbers?|address(?:es)?)/u;
const notACall = /^记录/u;
const letterOrDigit = /(?!\p{Script=Han})[\p{L}\p{N}]/u;
/** How many of the opening clauses are read: a summary tells what happened first. */
const CLAUSES_READ = 2;

export function kindOf(summary: string): Kind | undefined {
  for (const clause of clauses(summary.trim().toLowerCase()).slice(0, CLAUSES_READ)) {
    if (voided(clause)) continue;
    const told = clause.slice(0, plannedAt(clause));
    let found: { kind: Kind; at: number } | undefined;
    for (const { kind, name, han: isHan } of kindWords) {
      const at = isHan ? hanAt(told, name, kind) : wordAt(told, name);
      if (at >= 0 && (!found || at < found.at)) found = { kind, at };
    }
    if (found) return found.kind;
  }
  return undefined;
}

/**
 * The summary's clauses: split at commas, stops, semicolons and colons, except a full stop after
 * a title ("Mr. Wang") and a stop or colon inside a number or a time ("3.5", "10:30").
 */
function clauses(text: string): string[] {
  return text.split(clauseEnd).filter((clause) => clause.trim());
}

const clauseEnd = /[,，、;；。!！?？：\n]|(?<!\b(?:mr|mrs|ms|dr|prof)|\d)\.|(?<=\d)\.(?!\d)|(?<!\d):|:(?!\d)/u;

function voided(clause: string): boolean {
  return voidEn.test(clause) || voidZh.some((word) => clause.includes(word));
}

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

/** Where a Chinese kind word stands in `text` (Chinese puts no spaces between words), or -1. */
function hanAt(text: string, word: string, kind: Kind): number {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const rest = text.slice(i + word.length);
    if (!notAnInteraction.test(rest) && !(kind === "call" && notACall.test(rest))) return i;
  }
  return -1;
}

/** Where an English kind word stands whole in `text` ("callback" is no call), or -1. */
function wordAt(text: string, word: string): number {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const whole = !letterOrDigit.test(text.charAt(i - 1)) && !letterOrDigit.test(text.charAt(i + word.length));
    if (whole && !notAnInteraction.test(text.slice(i + word.length))) return i;
  }
  return -1;
}
