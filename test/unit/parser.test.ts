import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArgs, splitList } from "../../src/commands/args.ts";
import { kindOf } from "../../src/commands/log-kind.ts";
import { findVerb, verbs } from "../../src/commands/registry.ts";
import { tokenize } from "../../src/commands/tokenize.ts";
import { funnelValue, memberValue, stageValue, tierValue } from "../../src/commands/values.ts";

const words = (text: string) => tokenize(text).map((t) => t.value);

describe("tokenizing", () => {
  it("keeps quoted names together, with straight, curly and corner quotes", () => {
    expect(words('add "Acme 北京" tier=key')).toEqual(["add", "Acme 北京", "tier=key"]);
    expect(words("添加 “北京 科技” 等级=重点")).toEqual(["添加", "北京 科技", "等级=重点"]);
    expect(words("添加 「上海 贸易」")).toEqual(["添加", "上海 贸易"]);
  });

  it("splits on full-width spaces as on ordinary ones", () => {
    expect(words("添加\u3000北京科技\u3000等级=重点")).toEqual(["添加", "北京科技", "等级=重点"]);
  });

  it("reads a quoted value after key=", () => {
    expect(words('add Acme tags="big deal,north"')).toEqual(["add", "Acme", "tags=big deal,north"]);
  });

  it("keeps an unclosed quote as an ordinary character", () => {
    expect(words('log Acme said "maybe')).toEqual(["log", "Acme", "said", '"maybe']);
  });

  it("never throws, and every word comes from the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        for (const token of tokenize(text)) {
          expect(token.start).toBeGreaterThanOrEqual(0);
          expect(token.end).toBeLessThanOrEqual(text.length);
          expect(token.end).toBeGreaterThan(token.start);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("options", () => {
  const names = { tier: ["等级"], region: ["地区"] } as const;
  const parse = (text: string) => parseArgs(text, tokenize(text), names);

  it("reads English and Chinese option names, with = or full-width ＝", () => {
    expect(parse("Acme tier=key 地区＝华北").options).toEqual({ tier: "key", region: "华北" });
  });

  it("keeps the free text exactly as typed, options left out", () => {
    const args = parse("Acme visited, wants a quote！ tier=key   by Friday");
    expect(args.rest(1)).toBe("visited, wants a quote！ by Friday");
  });

  it("marks unknown key=value words, but not text with a colon", () => {
    const args = parse("Acme colour=red note: hello");
    expect(args.unknown.map((t) => t.value)).toEqual(["colour=red"]);
  });

  it("splits lists on ASCII, full-width and Chinese enumeration commas", () => {
    expect(splitList("a, b，c、d")).toEqual(["a", "b", "c", "d"]);
  });
});

describe("values in either language", () => {
  it("reads tiers, stages, funnel stages and kinds", () => {
    expect(tierValue.parse("重点")).toBe("key");
    expect(tierValue.parse("KEY")).toBe("key");
    expect(stageValue.parse("流失")).toBe("lost");
    expect(funnelValue.parse("报价")).toBe("quote");
    expect(funnelValue.parse("回款")).toBe("payment");
    expect(kindOf("拜访")).toBe("visit");
    expect(kindOf("Called,")).toBe("call");
    expect(kindOf("wants")).toBeUndefined();
    expect(kindOf("拜访客户，希望报价")).toBe("visit");
    expect(kindOf("callback requested")).toBeUndefined();
  });

  it("reads the kind from how a summary opens, not from what is only planned or did not happen", () => {
    const told: [string, string | undefined][] = [
      ["又打了一次电话", "call"],
      ["今天上门拜访了张总，他想要报价", "visit"],
      ["和李总开会讨论方案", "meeting"],
      ["客户来电询问价格", "call"],
      ["发了邮件给王经理", "email"],
      ["微信沟通了交期", "message"],
      ["电话沟通，约下周拜访", "call"],
      ["昨天下午，上门拜访了张总", "visit"],
      ["未能见面，改为电话沟通", "call"],
      ["跟客户call了一下", "call"],
      ["下午3:00电话沟通", "call"],
      ["和理想汽车开会", "meeting"],
      ["拜访记录：张总很满意", "visit"],
      ["约了下周拜访", undefined],
      ["客户希望上门演示", undefined],
      ["讨论了合同条款，之后发邮件", undefined],
      ["客户换了电话号码", undefined],
      ["查看了通话记录", "note"],
      ["整理会议纪要", undefined],
      ["取消了会议", undefined],
      ["会议定在下周三", undefined],
      ["Had a quick call with Bob", "call"],
      ["Sent the quote by e-mail", "email"],
      ["Phone: no answer", "call"],
      ["Mr. Wang called about the invoice", "call"],
      ["10:30 meeting with the CTO", "meeting"],
      ["This morning, called Bob", "call"],
      ["Discussed pricing, then emailed the deck", "email"],
      ["Bob wants a call back", undefined],
      ["Will visit them on Friday", undefined],
      ["Meeting cancelled", undefined],
      ["Call scheduled next Tuesday", undefined],
      ["Updated phone number", undefined],
      ["New email address for Bob", undefined],
      ["Callbacks pending", undefined],
    ];
    expect(told.map(([summary]) => [summary, kindOf(summary)])).toEqual(told);
  });

  it("names the hint when a value is wrong", () => {
    const result = tierValue.safeParse("gold");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("hint.tier");
  });

  it("reads platform mentions and typed names as members", () => {
    expect(memberValue.parse("<@U123|bob>")).toEqual({ id: "U123" });
    expect(memberValue.parse("@alice")).toEqual({ name: "alice" });
    expect(memberValue.parse("＠张三")).toEqual({ name: "张三" });
  });
});

describe("verbs", () => {
  it("every verb is found by each of its English and Chinese names, and no name is taken twice", () => {
    const seen = new Set<string>();
    for (const verb of verbs) {
      for (const name of verb.names.en) {
        expect(findVerb(name)).toEqual({ verb, locale: "en" });
        expect(seen.has(name), name).toBe(false);
        seen.add(name);
      }
      for (const name of verb.names.zh) {
        expect(findVerb(name)).toEqual({ verb, locale: "zh" });
        expect(seen.has(name), name).toBe(false);
        seen.add(name);
      }
    }
    expect(findVerb("ADD")?.verb.name).toBe("add");
    expect(findVerb("添加")?.locale).toBe("zh");
  });
});
