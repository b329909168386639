-- DropIndex
DROP INDEX "Customer_workspaceId_ownerId_nextRevisitAt_idx";

-- CreateIndex
CREATE INDEX "Customer_workspaceId_ownerId_nextRevisitAt_id_tier_snoozedU_idx" ON "Customer"("workspaceId", "ownerId", "nextRevisitAt", "id", "tier", "snoozedUntil");
