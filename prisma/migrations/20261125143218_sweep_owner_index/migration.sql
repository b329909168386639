-- DropIndex
DROP INDEX "Customer_workspaceId_ownerId_idx";

-- CreateIndex
CREATE INDEX "Customer_workspaceId_ownerId_nextRevisitAt_idx" ON "Customer"("workspaceId", "ownerId", "nextRevisitAt");
