-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "lastKind" "InteractionKind",
ADD COLUMN     "lastSummary" TEXT;

-- CreateIndex
CREATE INDEX "Customer_workspaceId_birthday_idx" ON "Customer"("workspaceId", "birthday");

-- Backfill: each customer's latest interaction (the same one the sweep used to look up).
UPDATE "Customer" c SET "lastKind" = last."kind", "lastSummary" = left(last."summary", 200)
FROM (
  SELECT DISTINCT ON (i."customerId") i."customerId", i."kind", i."summary"
  FROM "Interaction" i
  ORDER BY i."customerId", i."occurredAt" DESC
) last
WHERE last."customerId" = c."id";
