// The care DM: birthdays coming up, and festivals to send greetings for.
import type { Block, Reply } from "../../commands/reply.ts";
import type { CarePayload } from "../../domain/nudges/care.ts";
import type { MessageKey } from "../../i18n/index.ts";
import type { MessageContext } from "./context.ts";

export function renderCare(ctx: MessageContext, payload: CarePayload): Reply {
  const { t } = ctx;
  const blocks: Block[] = [{ type: "header", text: t("care.title") }];
  if (payload.birthdays.length > 0) {
    const names = payload.birthdays.map((b) => `**${b.name}** (${b.birthday})`).join(", ");
    blocks.push({ type: "text", text: `🎂 ${t("care.birthdays", { names })}` });
  }
  for (const f of payload.festivals) {
    const festival = f.key.includes(":") ? f.key.slice(6) : t(`festival.${f.key}` as MessageKey);
    const names = payload.greet.map((g) => g.name).join(", ");
    const more = payload.greetTotal - payload.greet.length;
    blocks.push({
      type: "text",
      text: `🏮 ${t("care.festival", { festival, day: f.day, names: names || "—" })}${more > 0 ? ` ${t("nudge.more", { count: more })}` : ""}`,
    });
  }
  return { visibility: "ephemeral", locale: ctx.locale, summary: t("care.title"), blocks };
}
