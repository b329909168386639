// Cards shown to one person in a group ("only visible to you"): their buttons carry a mark, so that
// a click on one is answered to that person again, whichever replica receives it.
import type { Card } from "./card.ts";

/** The card with `e: 1` added to every callback value (buttons, menus, a form's submit button). */
export function markEphemeral(card: Card): Card {
  return mark(card) as Card;
}

function mark(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mark);
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = mark(child);
  if (out.type === "callback" && out.value && typeof out.value === "object") out.value = { ...out.value, e: 1 };
  return out;
}

/** Whether a callback value came from a card shown with markEphemeral. */
export function fromEphemeralCard(value: unknown): boolean {
  const object = typeof value === "string" ? parse(value) : value;
  return Boolean(object && typeof object === "object" && (object as { e?: unknown }).e === 1);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
