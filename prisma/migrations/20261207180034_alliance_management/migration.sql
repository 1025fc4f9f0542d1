-- AlterTable
ALTER TABLE "Honour" ADD COLUMN "retiredAt" DATETIME;

-- AlterTable
ALTER TABLE "Alliance" ADD COLUMN "dissolvedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AllianceMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "allianceId" TEXT NOT NULL,
    "studioId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "invitedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondedAt" DATETIME,
    "declineReason" TEXT NOT NULL DEFAULT '',
    "reachedVia" TEXT NOT NULL DEFAULT 'studio',
    CONSTRAINT "AllianceMember_allianceId_fkey" FOREIGN KEY ("allianceId") REFERENCES "Alliance" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AllianceMember_studioId_fkey" FOREIGN KEY ("studioId") REFERENCES "Studio" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_AllianceMember" ("allianceId", "id", "invitedAt", "respondedAt", "state", "studioId") SELECT "allianceId", "id", "invitedAt", "respondedAt", "state", "studioId" FROM "AllianceMember";
DROP TABLE "AllianceMember";
ALTER TABLE "new_AllianceMember" RENAME TO "AllianceMember";
CREATE INDEX "AllianceMember_studioId_idx" ON "AllianceMember"("studioId");
CREATE UNIQUE INDEX "AllianceMember_allianceId_studioId_key" ON "AllianceMember"("allianceId", "studioId");
CREATE TABLE "new_JointProject" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "allianceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "goals" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "outcomeResultId" TEXT,
    "createdById" TEXT,
    "needId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "JointProject_allianceId_fkey" FOREIGN KEY ("allianceId") REFERENCES "Alliance" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "JointProject_outcomeResultId_fkey" FOREIGN KEY ("outcomeResultId") REFERENCES "Result" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "JointProject_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "JointProject_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_JointProject" ("allianceId", "createdAt", "goals", "id", "outcomeResultId", "slug", "status", "title", "updatedAt") SELECT "allianceId", "createdAt", "goals", "id", "outcomeResultId", "slug", "status", "title", "updatedAt" FROM "JointProject";
DROP TABLE "JointProject";
ALTER TABLE "new_JointProject" RENAME TO "JointProject";
CREATE UNIQUE INDEX "JointProject_slug_key" ON "JointProject"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- (AllianceMember and JointProject are redefined; neither has search triggers)
