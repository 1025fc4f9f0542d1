-- AlterTable
ALTER TABLE "Enterprise" ADD COLUMN "archivedAt" DATETIME;
ALTER TABLE "Enterprise" ADD COLUMN "mergedIntoId" TEXT;

-- AlterTable
ALTER TABLE "Activity" ADD COLUMN "after" TEXT;
ALTER TABLE "Activity" ADD COLUMN "before" TEXT;

-- CreateTable
CREATE TABLE "SiteSetting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Activity_actorId_createdAt_idx" ON "Activity"("actorId", "createdAt");

