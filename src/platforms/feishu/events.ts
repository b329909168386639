// The shapes of the events and callbacks the adapter subscribes to, as the SDK hands them over
// (schema 2.0: the header's fields and the event's fields side by side), checked before use.
import { z } from "zod";

const mention = z.object({
  key: z.string(),
  id: z.object({ open_id: z.string().optional() }).partial().optional(),
  name: z.string().optional(),
});

export const messageEvent = z.object({
  event_id: z.string().optional(),
  tenant_key: z.string().optional(),
  sender: z.object({
    sender_id: z.object({ open_id: z.string().optional() }).optional(),
    sender_type: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  message: z.object({
    message_id: z.string(),
    chat_id: z.string(),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(mention).optional(),
  }),
});
export type MessageEvent = z.infer<typeof messageEvent>;
export type Mention = z.infer<typeof mention>;

export const cardActionEvent = z.object({
  event_id: z.string().optional(),
  create_time: z.string().optional(),
  tenant_key: z.string().optional(),
  operator: z.object({ open_id: z.string(), tenant_key: z.string().optional() }),
  action: z.object({
    tag: z.string().optional(),
    name: z.string().optional(),
    value: z.unknown().optional(),
    option: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});
export type CardActionEvent = z.infer<typeof cardActionEvent>;

export const botAddedEvent = z.object({
  event_id: z.string().optional(),
  tenant_key: z.string().optional(),
  chat_id: z.string(),
  operator_id: z.object({ open_id: z.string().optional() }).optional(),
});
export type BotAddedEvent = z.infer<typeof botAddedEvent>;
