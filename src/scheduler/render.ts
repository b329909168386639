// Turns a recorded nudge into the reply its recipient reads, by kind.
import type { Reply } from "../commands/reply.ts";
import type { Digest } from "../domain/digest.ts";
import type { CarePayload } from "../domain/nudges/care.ts";
import type { FeedbackReminderPayload } from "../domain/nudges/feedback.ts";
import type { EscalationPayload, RevisitPayload } from "../domain/nudges/plan.ts";
import type { DetractorPayload } from "../domain/surveys.ts";
import type { Member, NudgeKind, Workspace } from "../generated/prisma/client.ts";
import { renderCare } from "./messages/care.ts";
import { type MessageContext, messageContext } from "./messages/context.ts";
import { renderDigest } from "./messages/digest.ts";
import { renderEscalation } from "./messages/escalation.ts";
import { renderDetractor, renderFeedbackReminder } from "./messages/feedback.ts";
import { renderRevisit } from "./messages/revisit.ts";

type Renderer = (ctx: MessageContext, payload: never) => Reply;

/** One renderer per kind of nudge; a kind without one cannot be sent and is marked failed. */
export const nudgeRenderers: Partial<Record<NudgeKind, Renderer>> = {
  revisit: renderRevisit as (ctx: MessageContext, payload: RevisitPayload) => Reply,
  escalation: renderEscalation as (ctx: MessageContext, payload: EscalationPayload) => Reply,
  care: renderCare as (ctx: MessageContext, payload: CarePayload) => Reply,
  feedback: renderFeedbackReminder as (ctx: MessageContext, payload: FeedbackReminderPayload) => Reply,
  detractor: renderDetractor as (ctx: MessageContext, payload: DetractorPayload) => Reply,
  digest: renderDigest as (ctx: MessageContext, payload: Digest) => Reply,
};

export function renderNudge(
  workspace: Workspace,
  recipient: Member,
  nudge: { kind: NudgeKind; day: string; payload: unknown },
): Reply | null {
  const render = nudgeRenderers[nudge.kind];
  if (!render) return null;
  return (render as (ctx: MessageContext, payload: unknown) => Reply)(
    messageContext(workspace, recipient, nudge.day),
    nudge.payload,
  );
}
