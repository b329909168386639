// Members as Feishu's contact API knows them: name, whether they own the tenant, and their manager.
import type { MemberDirectory, MemberProfile } from "../../domain/members.ts";
import type { Clock } from "../../domain/time.ts";
import type { FeishuApi } from "./api.ts";

/**
 * Every command looks its member up, so answers are kept briefly; a manager changed in the org
 * chart reaches the bot within PROFILE_TTL_MS. A failed look-up is kept for less, then tried again.
 */
export const PROFILE_TTL_MS = 10 * 60_000;
const MISS_TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;

export class ContactDirectory implements MemberDirectory {
  private readonly cache = new Map<string, { profile: MemberProfile | null; expires: number }>();

  constructor(
    private readonly api: Pick<FeishuApi, "user">,
    private readonly clock: Clock,
  ) {}

  async lookup(openId: string): Promise<MemberProfile | null> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(openId);
    if (hit && hit.expires > now) return hit.profile;
    const user = await this.api.user(openId);
    const profile = user ? profileOf(openId, user) : null;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(openId, { profile, expires: now + (profile ? PROFILE_TTL_MS : MISS_TTL_MS) });
    return profile;
  }
}

function profileOf(openId: string, user: NonNullable<Awaited<ReturnType<FeishuApi["user"]>>>): MemberProfile {
  // leader_user_id is absent when the app may not read it: then the manager is left as it is.
  // It is "" for someone with no manager: then a manager learnt earlier is cleared.
  const leader = user.leader_user_id;
  return {
    externalId: openId,
    displayName: user.name || user.en_name || undefined,
    managerExternalId: leader === undefined ? undefined : leader === openId ? "" : leader,
    // The tenant's super administrator administers the CRM too. Anyone else is left unknown, so
    // that a workspace keeps an admin (its first member) even where the owner never uses the bot.
    isAdmin: user.is_tenant_manager === true ? true : undefined,
  };
}
