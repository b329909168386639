// The weekly digest for a manager's team or a whole workspace: satisfaction, revisit discipline,
// lifecycle changes, the funnel and feedback, each against the week before. Every figure is an
// aggregate computed in the database; only the short lists (unhappy answers, reps, changes) are
// read row by row, and those are capped.
import type { Member, Workspace } from "../generated/prisma/client.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { type FeedbackFigures, feedbackFigures, type OpenFeedbackItem, oldestOpenFeedback } from "./digest/feedback.ts";
import { type FunnelRow, funnelFigures } from "./digest/funnel.ts";
import { type RevisitFigures, revisitFigures } from "./digest/revisits.ts";
import { type StageFigures, stageFigures } from "./digest/stages.ts";
import { type SurveyFigures, surveyFigures, type UnhappyAnswer, unhappyAnswers } from "./digest/surveys.ts";
import { type DigestPeriod, type DigestScope, digestPeriod } from "./digest/window.ts";
import { UserError } from "./errors.ts";
import { reportIds } from "./members.ts";
import { addDays } from "./time.ts";
import { workspaceSettings } from "./workspaces.ts";

export type { DigestPeriod, DigestScope } from "./digest/window.ts";
export { digestPeriod, mondayOf, periodEndingOn } from "./digest/window.ts";

/** What a digest says; stored as a digest nudge's payload, so it is plain JSON. */
export interface Digest {
  scope: "team" | "workspace";
  /** The manager whose team it is, and how many people it covers (the manager included). */
  managerName: string | null;
  people: number;
  /** First and last local day of the reported week. */
  week: { first: string; last: string };
  surveys: { current: SurveyFigures; previous: SurveyFigures; unhappy: UnhappyAnswer[] };
  revisits: RevisitFigures;
  stages: StageFigures;
  funnel: FunnelRow[];
  feedback: { current: FeedbackFigures; previous: FeedbackFigures; oldest: OpenFeedbackItem[] };
}

/** A manager's team: the manager and everyone who reports to them, directly or not. */
export async function teamScope(deps: DomainDeps, workspaceId: string, manager: Pick<Member, "id">): Promise<DigestScope> {
  return { kind: "team", managerId: manager.id, memberIds: [manager.id, ...(await reportIds(deps, workspaceId, manager.id))] };
}

export async function computeDigest(
  deps: DomainDeps,
  workspace: Workspace,
  scope: DigestScope,
  period: DigestPeriod = digestPeriod(deps.clock.now(), workspace.timeZone),
): Promise<Digest> {
  const ws = workspace.id;
  // One after another: PGlite runs one query at a time anyway, and a pool is spared a burst.
  const [previousSurveys, currentSurveys] = await surveyFigures(deps, ws, scope, period);
  const unhappy = await unhappyAnswers(deps, ws, scope, period);
  const revisits = await revisitFigures(deps, ws, workspaceSettings(workspace), scope, period);
  const stages = await stageFigures(deps, ws, scope, period);
  const funnel = await funnelFigures(deps, ws, scope, period);
  const [previousFeedback, currentFeedback] = await feedbackFigures(deps, ws, scope, period);
  const oldest = await oldestOpenFeedback(deps, ws, scope, workspace.timeZone);
  const manager = scope.kind === "team" ? await deps.prisma.member.findUnique({ where: { id: scope.managerId } }) : null;
  const people =
    scope.kind === "team" ? scope.memberIds.length : await deps.prisma.member.count({ where: { workspaceId: ws, active: true } });
  return {
    scope: scope.kind,
    managerName: manager?.displayName ?? null,
    people,
    week: { first: period.current.fromDay, last: addDays(period.current.toDay, -1) },
    surveys: { current: currentSurveys, previous: previousSurveys, unhappy },
    revisits,
    stages,
    funnel,
    feedback: { current: currentFeedback, previous: previousFeedback, oldest },
  };
}

/** The digest a member asks for: a manager's team, an admin's whole workspace; reps have none. */
export async function digestFor(deps: DomainDeps, actor: Actor): Promise<Digest> {
  const { member, workspace } = actor;
  if (member.role === "admin") return computeDigest(deps, workspace, { kind: "workspace" });
  if (member.role === "manager") return computeDigest(deps, workspace, await teamScope(deps, workspace.id, member));
  throw new UserError("digest.managersOnly");
}
