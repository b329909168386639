// Who a Slack user is, from users.info (name, time zone, locale, admin), remembered for a few
// minutes so that a busy channel does not cost a Web API call per command.
import type { MemberDirectory, MemberProfile } from "../../domain/members.ts";
import type { Logger } from "../../logger.ts";
import type { SlackApi } from "./api.ts";

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;

export class SlackDirectory {
  private readonly cache = new Map<string, { profile: MemberProfile; until: number }>();

  constructor(
    private readonly api: SlackApi,
    private readonly logger: Logger,
  ) {}

  /** The directory of one team: data never crosses teams, and neither do cache entries. */
  forTeam(teamId: string): MemberDirectory {
    return { lookup: (userId) => this.lookup(teamId, userId) };
  }

  private async lookup(teamId: string, userId: string): Promise<MemberProfile | null> {
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > performance.now()) return cached.profile;
    try {
      const { user } = await this.api.call("users.info", (c) => c.users.info({ user: userId, include_locale: true }));
      if (!user?.id) return null;
      const profile: MemberProfile = {
        externalId: user.id,
        displayName: user.profile?.display_name || user.real_name || user.name || user.id,
        timeZone: user.tz || undefined,
        locale: user.locale || undefined,
        // Workspace admins and owners administer the CRM unless an admin sets roles by hand.
        isAdmin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
      };
      this.remember(key, profile);
      return profile;
    } catch (error) {
      // Slack being unreachable must not stop a command: the member is known by id until next time.
      this.logger.warn({ err: error, teamId, userId }, "Slack user lookup failed");
      return null;
    }
  }

  private remember(key: string, profile: MemberProfile): void {
    this.cache.delete(key);
    this.cache.set(key, { profile, until: performance.now() + TTL_MS });
    // Maps keep insertion order: the first key is the least recently refreshed.
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
  }
}
