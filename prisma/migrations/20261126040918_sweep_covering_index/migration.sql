-- CreateIndex (before the old one is dropped, so that reads are not blocked while it is built)
CREATE INDEX "Customer_workspaceId_ownerId_nextRevisitAt_id_tier_snoozedU_idx" ON "Customer"("workspaceId", "ownerId", "nextRevisitAt", "id", "tier", "snoozedUntil");

-- DropIndex
DROP INDEX "Customer_workspaceId_ownerId_nextRevisitAt_idx";
