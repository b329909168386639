// A verb's words and key=value options, read from the tokens with the verb's option names.
import { normalizeName } from "../domain/names.ts";
import type { Token } from "./tokenize.ts";

export interface ParsedArgs {
  /** The words that are not options, in order. */
  words: Token[];
  /** Options by their canonical name, with the value as typed. */
  options: Record<string, string>;
  /** The option names as the user typed them, for error messages. */
  typedNames: Record<string, string>;
  /** Option-looking words whose key this verb does not know. */
  unknown: Token[];
  /** The original text from word `index` to the end, options left out, spacing kept. */
  rest(index: number): string;
}

const optionPattern = /^([^=＝:：]+)[=＝:：](.*)$/s;

/** `names`: canonical option name -> every name it may be typed as (any language). */
export function parseArgs(text: string, tokens: Token[], names: Record<string, readonly string[]>): ParsedArgs {
  const lookup = new Map<string, string>();
  for (const [canonical, aliases] of Object.entries(names)) {
    lookup.set(normalizeName(canonical), canonical);
    for (const alias of aliases) lookup.set(normalizeName(alias), canonical);
  }
  const words: Token[] = [];
  const options: Record<string, string> = {};
  const typedNames: Record<string, string> = {};
  const unknown: Token[] = [];
  for (const token of tokens) {
    const match = token.quoted ? null : optionPattern.exec(token.value);
    const canonical = match ? lookup.get(normalizeName(match[1] as string)) : undefined;
    if (match && canonical) {
      options[canonical] = (match[2] as string).trim();
      typedNames[canonical] = match[1] as string;
      continue;
    }
    // "=" marks an attempted option; ":" is too common in free text to mean one.
    if (match && /[=＝]/.test(token.value)) unknown.push(token);
    words.push(token);
  }
  const rest = (index: number): string => {
    const from = words[index];
    if (!from) return "";
    const kept = words.slice(index);
    let out = "";
    for (let i = 0; i < kept.length; i++) {
      const word = kept[i] as Token;
      const next = kept[i + 1];
      out += word.quoted ? word.value : text.slice(word.start, word.end);
      if (next) out += text.slice(word.end, next.start).includes("\n") ? "\n" : " ";
    }
    return out.trim();
  };
  return { words, options, typedNames, unknown, rest };
}

/** Splits a list typed as "a,b", "a，b" or "a、b". */
export function splitList(value: string): string[] {
  return value
    .split(/[,，、;；]/)
    .map((item) => item.trim())
    .filter(Boolean);
}
