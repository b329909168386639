// The survey page's HTML: server-rendered, no script, no outside assets, one inline stylesheet
// (allowed by its hash in the Content-Security-Policy), laid out for a phone first.
import { createHash } from "node:crypto";
import type { Locale, Translate } from "../i18n/index.ts";

const STYLE = `
:root{--bg:#f4f5f7;--card:#fff;--text:#1c1f24;--muted:#5d6470;--line:#d5d9e0;--accent:#1f6feb;--accent-text:#fff;--bad:#c62828;--bad-bg:#fdecea;--good:#1a7f37}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1b1f25;--text:#e8eaed;--muted:#9aa2ad;--line:#353b45;--accent:#4c8dff;--bad:#ff6b6b;--bad-bg:#3a1d1d;--good:#3fb950}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
a,label,button{-webkit-tap-highlight-color:transparent;touch-action:manipulation}
body{margin:0;background:var(--bg);color:var(--text);font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:560px;margin:0 auto;padding:16px 16px 40px}
.card{background:var(--card);border-radius:16px;padding:24px 20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.top{display:flex;justify-content:flex-end;margin-bottom:8px}
.top a{color:var(--accent);text-decoration:none;font-size:15px;padding:10px 12px;margin:-10px -12px;min-height:44px;display:inline-block}
h1{font-size:26px;line-height:1.25;margin:0 0 6px}
.for{margin:0 0 4px;font-weight:600}
.intro,.note{color:var(--muted);margin:0;font-size:15px}
form{margin-top:20px}
fieldset{border:0;margin:0 0 26px;padding:0;min-width:0}
legend{font-weight:600;margin-bottom:12px;padding:0;font-size:18px}
.scale{display:grid;gap:8px}
.s5{grid-template-columns:repeat(5,1fr)}
.s11{grid-template-columns:repeat(6,1fr)}
@media (min-width:520px){.s11{grid-template-columns:repeat(11,1fr);gap:6px}}
.scale input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.scale label{display:flex;align-items:center;justify-content:center;min-height:52px;border:2px solid var(--line);border-radius:12px;font-size:20px;font-weight:600;cursor:pointer;user-select:none;background:var(--card)}
.scale input:checked+label{background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
.scale input:focus-visible+label{outline:3px solid var(--accent);outline-offset:2px}
.ends{display:flex;justify-content:space-between;gap:12px;color:var(--muted);font-size:14px;margin-top:8px}
.ends span:last-child{text-align:right}
.invalid legend{color:var(--bad)}
.invalid .scale label{border-color:var(--bad)}
label.comment{display:block;font-weight:600;margin-bottom:10px;font-size:18px}
textarea{width:100%;min-height:120px;padding:12px;border:2px solid var(--line);border-radius:12px;font:inherit;color:inherit;background:var(--card);resize:vertical}
textarea:focus{outline:none;border-color:var(--accent)}
button{width:100%;min-height:54px;margin-top:22px;border:0;border-radius:12px;background:var(--accent);color:var(--accent-text);font:inherit;font-size:19px;font-weight:600;cursor:pointer}
button:focus-visible{outline:3px solid var(--text);outline-offset:2px}
.errors{background:var(--bad-bg);color:var(--bad);border-radius:12px;padding:12px 16px;margin:18px 0 0}
.errors p{margin:0;font-weight:600}
.errors ul{margin:6px 0 0;padding-left:20px}
.note{margin-top:18px;text-align:center;font-size:14px}
.message{text-align:center;padding-top:8px}
.icon{width:64px;height:64px;border-radius:50%;margin:8px auto 16px;display:flex;align-items:center;justify-content:center;font-size:34px;font-weight:700;color:#fff;background:var(--muted)}
.icon.ok{background:var(--good)}
.icon.bad{background:var(--bad)}
.message p{color:var(--muted);margin:8px 0 0}
`;

/** The stylesheet's hash: the page's only allowed style, so injected markup could not restyle it. */
export const STYLE_HASH = `sha256-${createHash("sha256").update(STYLE).digest("base64")}`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function page(locale: Locale, t: Translate, title: string, body: string): string {
  const other: Locale = locale === "en" ? "zh" : "en";
  return `<!doctype html>
<html lang="${locale === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="card">
<nav class="top" aria-label="${escapeHtml(t("survey.page.language"))}"><a href="?lang=${other}" hreflang="${other}" lang="${other === "zh" ? "zh-CN" : "en"}">${escapeHtml(t("survey.page.switch"))}</a></nav>
${body}
</div>
</main>
</body>
</html>
`;
}

export interface FormView {
  customerName: string;
  expiresDay: string;
  values: { csat?: string | undefined; nps?: string | undefined; comment?: string | undefined };
  errors: string[];
  /** Fields whose answer is missing or wrong, to mark them. */
  invalid: Set<"csat" | "nps" | "comment">;
  maxComment: number;
}

function scale(name: "csat" | "nps", from: number, to: number, chosen: string | undefined): string {
  const items: string[] = [];
  for (let n = from; n <= to; n++) {
    const id = `${name}-${n}`;
    const checked = chosen === String(n) ? " checked" : "";
    items.push(`<input type="radio" id="${id}" name="${name}" value="${n}" required${checked}><label for="${id}">${n}</label>`);
  }
  return `<div class="scale ${to - from === 4 ? "s5" : "s11"}">${items.join("")}</div>`;
}

function question(view: FormView, t: Translate, name: "csat" | "nps"): string {
  const [from, to] = name === "csat" ? [1, 5] : [0, 10];
  const low = t(name === "csat" ? "survey.page.csatLow" : "survey.page.npsLow");
  const high = t(name === "csat" ? "survey.page.csatHigh" : "survey.page.npsHigh");
  return `<fieldset${view.invalid.has(name) ? ' class="invalid"' : ""}>
<legend>${escapeHtml(t(name === "csat" ? "survey.page.csat" : "survey.page.nps"))}</legend>
${scale(name, from, to, view.values[name])}
<div class="ends" aria-hidden="true"><span>${from} · ${escapeHtml(low)}</span><span>${to} · ${escapeHtml(high)}</span></div>
</fieldset>`;
}

export function formPage(locale: Locale, t: Translate, view: FormView): string {
  const errors = view.errors.length
    ? `<div class="errors" role="alert"><p>${escapeHtml(t("survey.page.invalidTitle"))}</p><ul>${view.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join("")}</ul></div>`
    : "";
  // No action attribute: the form posts back to this very URL, whose token is the only credential.
  const body = `<h1>${escapeHtml(t("survey.page.title"))}</h1>
<p class="for">${escapeHtml(t("survey.page.for", { customer: view.customerName }))}</p>
<p class="intro">${escapeHtml(t("survey.page.intro"))}</p>
${errors}
<form method="post" enctype="multipart/form-data" accept-charset="utf-8">
<input type="hidden" name="lang" value="${locale}">
${question(view, t, "csat")}
${question(view, t, "nps")}
<label class="comment" for="comment">${escapeHtml(t("survey.page.comment"))}</label>
<textarea id="comment" name="comment" maxlength="${view.maxComment}" rows="4">${escapeHtml(view.values.comment ?? "")}</textarea>
<button type="submit">${escapeHtml(t("survey.page.submit"))}</button>
</form>
<p class="note">${escapeHtml(t("survey.page.expires", { day: view.expiresDay }))}</p>`;
  return page(locale, t, t("survey.page.title"), body);
}

export type MessageTone = "ok" | "info" | "bad";

export function messagePage(
  locale: Locale,
  t: Translate,
  message: { title: string; lines: string[]; tone: MessageTone },
): string {
  const symbol = { ok: "✓", info: "i", bad: "!" }[message.tone];
  const body = `<div class="message">
<div class="icon ${message.tone}" aria-hidden="true">${symbol}</div>
<h1>${escapeHtml(message.title)}</h1>
${message.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}
</div>`;
  return page(locale, t, message.title, body);
}
