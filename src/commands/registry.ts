// Every verb the bot knows. Help is generated from this list; adding a verb means adding it here.
import { normalizeName } from "../domain/names.ts";
import type { Locale } from "../i18n/index.ts";
import type { Verb } from "./types.ts";
import { add } from "./verbs/add.ts";
import { cancel } from "./verbs/cancel.ts";
import { deal } from "./verbs/deal.ts";
import { digest } from "./verbs/digest.ts";
import { edit } from "./verbs/edit.ts";
import { feedback } from "./verbs/feedback.ts";
import { help } from "./verbs/help.ts";
import { link } from "./verbs/link.ts";
import { list } from "./verbs/list.ts";
import { log } from "./verbs/log.ts";
import { lost } from "./verbs/lost.ts";
import { nudges } from "./verbs/nudges.ts";
import { settings } from "./verbs/settings.ts";
import { show } from "./verbs/show.ts";
import { snooze } from "./verbs/snooze.ts";
import { survey } from "./verbs/survey.ts";
import { team } from "./verbs/team.ts";
import { winback } from "./verbs/winback.ts";

export const verbs: Verb[] = [
  add,
  log,
  show,
  list,
  edit,
  deal,
  lost,
  winback,
  snooze,
  link,
  survey,
  feedback,
  digest,
  team,
  nudges,
  settings,
  help,
  cancel,
] as Verb[];

const byName = new Map<string, { verb: Verb; locale: Locale }>();
for (const verb of verbs) {
  for (const name of verb.names.en) byName.set(normalizeName(name), { verb, locale: "en" });
  for (const name of verb.names.zh) byName.set(normalizeName(name), { verb, locale: "zh" });
}

export function findVerb(word: string): { verb: Verb; locale: Locale } | undefined {
  return byName.get(normalizeName(word));
}
