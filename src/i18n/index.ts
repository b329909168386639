// Message catalogues: every sentence a user reads, in English and Chinese, looked up by key.
import { en } from "./en.ts";
import { zh } from "./zh.ts";

export type Locale = "en" | "zh";
export type MessageKey = keyof typeof en;
/** A catalogue must have every key of the English one: a missing translation fails the build. */
export type Catalogue = Record<MessageKey, string>;

const catalogues: Record<Locale, Catalogue> = { en, zh };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

// {days|day|days} picks a word by the number in `days`; {days} is the value itself.
const PLACEHOLDER = /\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g;

export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  const template = catalogues[locale][key] ?? en[key] ?? key;
  // Most sentences (labels, buttons) have no placeholder: returned as they are, without a pass of
  // the pattern (a morning sweep translates some hundred thousand of them).
  if (!template.includes("{")) return template;
  return template.replace(PLACEHOLDER, (whole, name: string, one: string | undefined, other: string | undefined) => {
    const value = params[name];
    if (one !== undefined) return Number(value) === 1 ? one : (other as string);
    return value === undefined ? whole : String(value);
  });
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}

export function toLocale(value: string | null | undefined, fallback: Locale): Locale {
  if (!value) return fallback;
  const v = value.toLowerCase();
  if (v.startsWith("zh")) return "zh";
  if (v.startsWith("en")) return "en";
  return fallback;
}
