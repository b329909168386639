// Sends an automatic survey nudge. The survey and its link are made at the first attempt (a retry
// gives the same survey a new link: the token is kept only hashed, so the first cannot be
// recovered), then the link is posted into the customer's linked channel, or handed to the owner.
import type { DomainDeps } from "../domain/deps.ts";
import type { SurveyNudgePayload } from "../domain/nudges/surveys.ts";
import { createSurvey, type IssuedSurvey, reissueSurvey } from "../domain/surveys.ts";
import { localDay } from "../domain/time.ts";
import type { Customer, Member, Nudge, Prisma as PrismaNS, Workspace } from "../generated/prisma/client.ts";
import { DeliveryError, type Messenger } from "../platforms/types.ts";
import { messageContext } from "./messages/context.ts";
import { renderSurveyForward, renderSurveyInvitation } from "./messages/survey.ts";

export async function sendSurveyNudge(
  deps: DomainDeps,
  workspace: Workspace,
  recipient: Member,
  nudge: Nudge,
  messenger: Messenger,
): Promise<void> {
  const payload = nudge.payload as unknown as SurveyNudgePayload;
  const customer = await deps.prisma.customer.findUnique({ where: { id: payload.customerId } });
  if (!customer) throw new DeliveryError("the customer was deleted", "customer_gone", false);
  const issued = await issueLink(deps, workspace, recipient, nudge, customer);
  // Answered already: an earlier attempt reached the customer after all.
  if (!issued) return;
  const link = {
    customerName: customer.name,
    url: issued.url,
    expiresDay: localDay(issued.survey.expiresAt, workspace.timeZone),
  };
  if (customer.linkedChannel) {
    const locale = issued.survey.locale === "en" ? "en" : "zh";
    await messenger.postToChannel(workspace, customer.linkedChannel, renderSurveyInvitation(locale, link));
    return;
  }
  const reply = renderSurveyForward(messageContext(workspace, recipient, nudge.day), link, payload.reason);
  await messenger.sendDirect(workspace, recipient, reply, { idempotencyKey: nudge.id });
}

async function issueLink(
  deps: DomainDeps,
  workspace: Workspace,
  recipient: Member,
  nudge: Nudge,
  customer: Customer,
): Promise<IssuedSurvey | null> {
  const payload = nudge.payload as unknown as SurveyNudgePayload;
  if (payload.surveyId) return reissueSurvey(deps, payload.surveyId);
  // The survey and the note of it on the nudge are written together, so a retry finds it.
  return deps.prisma.$transaction(async (tx) => {
    const issued = await createSurvey(deps, workspace, customer, { sentById: recipient.id }, tx);
    const next: SurveyNudgePayload = { ...payload, surveyId: issued.survey.id };
    await tx.nudge.update({ where: { id: nudge.id }, data: { payload: next as unknown as PrismaNS.InputJsonValue } });
    return issued;
  });
}
