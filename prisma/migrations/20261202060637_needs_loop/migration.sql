-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "needId" TEXT NOT NULL,
    "dispatchId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "people" TEXT NOT NULL DEFAULT '[]',
    "hours" REAL NOT NULL,
    "work" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "attachments" TEXT NOT NULL DEFAULT '[]',
    "recordedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Delivery_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_dispatchId_fkey" FOREIGN KEY ("dispatchId") REFERENCES "NeedDispatch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NeedEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "needId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "fromStatus" TEXT NOT NULL,
    "toStatus" TEXT NOT NULL,
    "actorId" TEXT,
    "studioId" TEXT,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NeedEvent_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NeedEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "NeedEvent_studioId_fkey" FOREIGN KEY ("studioId") REFERENCES "Studio" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EnterpriseContact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "enterpriseId" TEXT,
    "proposedName" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "phone" TEXT NOT NULL DEFAULT '',
    "confirmedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "EnterpriseContact_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EnterpriseContact_enterpriseId_fkey" FOREIGN KEY ("enterpriseId") REFERENCES "Enterprise" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Need" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "industryKey" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "bodyText" TEXT NOT NULL DEFAULT '',
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "district" TEXT NOT NULL DEFAULT '',
    "timeframe" TEXT NOT NULL DEFAULT '',
    "contactName" TEXT NOT NULL DEFAULT '',
    "contactPhone" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "statusAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rating" INTEGER,
    "ratingComment" TEXT,
    "illustrative" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Need_enterpriseId_fkey" FOREIGN KEY ("enterpriseId") REFERENCES "Enterprise" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Need_industryKey_fkey" FOREIGN KEY ("industryKey") REFERENCES "Industry" ("key") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Need_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Need" ("body", "bodyText", "createdAt", "enterpriseId", "id", "illustrative", "industryKey", "rating", "ratingComment", "slug", "status", "tags", "title", "updatedAt", "version") SELECT "body", "bodyText", "createdAt", "enterpriseId", "id", "illustrative", "industryKey", "rating", "ratingComment", "slug", "status", "tags", "title", "updatedAt", "version" FROM "Need";
DROP TABLE "Need";
ALTER TABLE "new_Need" RENAME TO "Need";
CREATE UNIQUE INDEX "Need_slug_key" ON "Need"("slug");
CREATE INDEX "Need_status_idx" ON "Need"("status");
CREATE INDEX "Need_industryKey_idx" ON "Need"("industryKey");
CREATE INDEX "Need_enterpriseId_idx" ON "Need"("enterpriseId");
CREATE TABLE "new_NeedDispatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "needId" TEXT NOT NULL,
    "studioId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'dispatched',
    "note" TEXT NOT NULL DEFAULT '',
    "declineReason" TEXT NOT NULL DEFAULT '',
    "visitDate" TEXT NOT NULL DEFAULT '',
    "people" TEXT NOT NULL DEFAULT '[]',
    "dispatchedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "NeedDispatch_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NeedDispatch_studioId_fkey" FOREIGN KEY ("studioId") REFERENCES "Studio" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_NeedDispatch" ("createdAt", "id", "needId", "note", "state", "studioId", "updatedAt") SELECT "createdAt", "id", "needId", "note", "state", "studioId", "updatedAt" FROM "NeedDispatch";
DROP TABLE "NeedDispatch";
ALTER TABLE "new_NeedDispatch" RENAME TO "NeedDispatch";
CREATE UNIQUE INDEX "NeedDispatch_needId_studioId_key" ON "NeedDispatch"("needId", "studioId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "NeedEvent_needId_createdAt_idx" ON "NeedEvent"("needId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "EnterpriseContact_userId_key" ON "EnterpriseContact"("userId");

-- CreateIndex
CREATE INDEX "EnterpriseContact_enterpriseId_idx" ON "EnterpriseContact"("enterpriseId");

-- CreateIndex
CREATE INDEX "EnterpriseContact_status_idx" ON "EnterpriseContact"("status");
