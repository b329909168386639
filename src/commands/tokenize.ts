// Splits a command into words, honouring straight, curly and corner quotes and full-width spaces,
// and keeping each word's place so free text after it is taken exactly as typed.

export interface Token {
  /** The word without its quotes. */
  value: string;
  /** True when the word was quoted: it is never read as key=value. */
  quoted: boolean;
  start: number;
  end: number;
}

const quotePairs: Record<string, string> = {
  '"': '"',
  "'": "'",
  "“": "”",
  "‘": "’",
  "「": "」",
  "『": "』",
  "＂": "＂",
};

const space = /[\s\u3000]/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (space.test(char)) {
      i++;
      continue;
    }
    const start = i;
    const close = quotePairs[char];
    if (close) {
      const end = text.indexOf(close, i + 1);
      if (end > i) {
        tokens.push({ value: text.slice(i + 1, end), quoted: true, start, end: end + 1 });
        i = end + 1;
        continue;
      }
    }
    // A word may hold a quoted value after key=: tags="a b".
    let value = "";
    while (i < text.length && !space.test(text[i] as string)) {
      const c = text[i] as string;
      const q = quotePairs[c];
      const prev = text[i - 1];
      if (q && (prev === "=" || prev === "＝" || prev === ":" || prev === "：")) {
        const end = text.indexOf(q, i + 1);
        if (end > i) {
          value += text.slice(i + 1, end);
          i = end + 1;
          continue;
        }
      }
      value += c;
      i++;
    }
    tokens.push({ value, quoted: false, start, end: i });
  }
  return tokens;
}
