import { describe, expect, it } from "vitest";
import { verbs } from "../../src/commands/registry.ts";
import { nameInitials, normalizeName } from "../../src/domain/names.ts";
import { en } from "../../src/i18n/en.ts";
import { translate } from "../../src/i18n/index.ts";
import { zh } from "../../src/i18n/zh.ts";

/** The names of a sentence's placeholders, plain or choosing a word by number. */
const params = (s: string) => [...s.matchAll(/\{(\w+)[}|]/g)].map((m) => m[1] as string).sort();

describe("message catalogues", () => {
  it("have the same keys in both languages, and every verb has its help in both", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const verb of verbs) {
      for (const part of ["summary", "usage", "details"])
        expect(`verb.${verb.name}.${part}` in en, `${verb.name} ${part}`).toBe(true);
    }
  });

  it("use the same parameters in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(new Set(params(zh[key])), key).toEqual(new Set(params(en[key])));
    }
  });

  it("choose singular or plural words by number in English", () => {
    expect(translate("en", "due.overdue", { days: 1 })).toBe("1 day overdue");
    expect(translate("en", "due.overdue", { days: 3 })).toBe("3 days overdue");
    expect(translate("zh", "due.overdue", { days: 3 })).toBe("已逾期 3 天");
  });

  it("fill every placeholder of every sentence, leave one without its value as written, and give a plain sentence as it is", () => {
    for (const [locale, catalogue] of [
      ["en", en],
      ["zh", zh],
    ] as const) {
      for (const key of Object.keys(catalogue) as (keyof typeof en)[]) {
        const names = params(catalogue[key]);
        const filled = translate(locale, key, Object.fromEntries(names.map((name) => [name, 7])));
        expect(filled, key).not.toMatch(/\{\w+(\|[^}]*)?\}/);
        if (names.length === 0) expect(translate(locale, key), key).toBe(catalogue[key]);
      }
    }
    expect(translate("en", "due.overdue")).toBe("{days} days overdue");
    expect(translate("en", "due.overdue", { days: "{days}" })).toBe("{days} days overdue");
  });
});

describe("customer names", () => {
  it("fold width, case and spacing", () => {
    expect(normalizeName("  ＡＣＭＥ   北京 ")).toBe("acme 北京");
  });

  it("have pinyin initials for Chinese and first letters for other words", () => {
    expect(nameInitials("北京科技")).toBe("bjkj");
    expect(nameInitials("Acme 北京")).toBe("abj");
    expect(nameInitials("重庆银行")).toBe("cqyh");
  });
});
