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

export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  const template = catalogues[locale][key] ?? en[key] ?? key;
  // {days|day|days} picks a word by the number in `days`; {days} is the value itself.
  return template
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (_, name: string, one: string, other: string) =>
      Number(params[name]) === 1 ? one : other,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
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
