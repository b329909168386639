// How customer names are compared: width-folded, case-folded, and by pinyin initials.
import { pinyin } from "pinyin-pro";

/** Folds full-width forms, case and runs of spaces, so "ＡＣＭＥ  北京" equals "acme 北京". */
export function normalizeName(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** A Han character (Chinese). */
export const han = /\p{Script=Han}/u;

/** Pinyin initials for Han characters and first letters of other words: 北京科技 -> bjkj. */
export function nameInitials(name: string): string {
  const out: string[] = [];
  for (const word of normalizeName(name).split(/[\s\-_.,·]+/)) {
    if (!word) continue;
    if (!han.test(word)) {
      out.push(word[0] ?? "");
      continue;
    }
    // The whole word at once, so that polyphones read as in their phrase: 重庆 is cq, not zq.
    const letters = pinyin(word, { pattern: "first", toneType: "none", type: "array" });
    for (const letter of letters) if (/^[a-z0-9]$/i.test(letter)) out.push(letter.toLowerCase());
  }
  return out.join("");
}
