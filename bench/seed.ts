// Seeds a workspace of the given size straight in SQL (generate_series), for the benchmarks.
import pg from "pg";

export interface Seeded {
  workspaceId: string;
  reps: number;
  customers: number;
}

/** `customers` spread over `reps` reps (50 per manager); next revisits spread so about half are overdue. */
export async function seedWorkspace(url: string, customers: number, reps: number): Promise<Seeded> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into "Workspace" (id, platform, "externalId", "timeZone", locale, settings, "updatedAt")
       values (gen_random_uuid(), 'slack', 'T-bench-' || gen_random_uuid(), 'Asia/Shanghai', 'en', '{"digestHour": 23}', now()) returning id`,
    );
    const workspaceId = rows[0]?.id as string;
    const managers = Math.max(1, Math.ceil(reps / 50));
    await client.query(
      `insert into "Member" (id, "workspaceId", "externalId", "displayName", role, "updatedAt")
       select gen_random_uuid(), $1, 'M' || g, 'manager ' || g, 'manager', now() from generate_series(1, $2) g`,
      [workspaceId, managers],
    );
    await client.query(
      `with m as (select array_agg(id order by "externalId") ids from "Member" where "workspaceId" = $1 and role = 'manager')
       insert into "Member" (id, "workspaceId", "externalId", "displayName", role, "managerId", "updatedAt")
       select gen_random_uuid(), $1, 'U' || g, 'rep ' || g, 'rep', m.ids[1 + g % $3], now() from generate_series(1, $2) g, m`,
      [workspaceId, reps, managers],
    );
    await client.query(
      `with r as (select array_agg(id order by "externalId") ids from "Member" where "workspaceId" = $1 and role = 'rep')
       insert into "Customer" (id, "workspaceId", name, "normalizedName", initials, tier, stage, "ownerId",
                               "lastContactAt", "lastKind", "lastSummary", "nextRevisitAt", "createdAt", "updatedAt")
       select gen_random_uuid(), $1, 'Customer ' || g, 'customer ' || g, 'c' || g,
              (array['key','normal','prospect'])[1 + g % 3]::"Tier", 'current', r.ids[1 + g % $3],
              now() - interval '1 day' * (g % 60), 'visit', 'visited, talked about the renewal',
              now() - interval '1 day' * (g % 60) + interval '30 days', now(), now()
       from generate_series(1, $2) g, r`,
      [workspaceId, customers, reps],
    );
    await client.query(
      `insert into "Interaction" (id, "workspaceId", "customerId", kind, summary, "occurredAt", source, "sourceRef")
       select gen_random_uuid(), $1, c.id, 'visit', 'visited, talked about the renewal', c."lastContactAt", 'bench', c.id::text
       from "Customer" c where c."workspaceId" = $1`,
      [workspaceId],
    );
    // What autovacuum does to a table soon after a bulk insert (PostgreSQL 13 and later vacuum on
    // inserts too): statistics, and the visibility map that lets the sweep count from its index.
    await client.query("vacuum analyze");
    return { workspaceId, reps, customers };
  } finally {
    await client.end();
  }
}
