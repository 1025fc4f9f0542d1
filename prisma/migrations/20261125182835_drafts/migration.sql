-- AlterTable
ALTER TABLE "Studio" ADD COLUMN "draft" TEXT;
ALTER TABLE "Studio" ADD COLUMN "draftAt" DATETIME;

-- AlterTable
ALTER TABLE "Patent" ADD COLUMN "draft" TEXT;
ALTER TABLE "Patent" ADD COLUMN "draftAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Result" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "studioId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "industryKey" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "benefits" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL,
    "adopters" TEXT NOT NULL DEFAULT '[]',
    "year" INTEGER NOT NULL,
    "awards" TEXT NOT NULL DEFAULT '[]',
    "body" TEXT NOT NULL,
    "bodyText" TEXT NOT NULL DEFAULT '',
    "draft" TEXT,
    "draftAt" DATETIME,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "illustrative" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Result_studioId_fkey" FOREIGN KEY ("studioId") REFERENCES "Studio" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Result_industryKey_fkey" FOREIGN KEY ("industryKey") REFERENCES "Industry" ("key") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Result" ("adopters", "awards", "benefits", "body", "bodyText", "createdAt", "id", "illustrative", "industryKey", "kind", "published", "slug", "status", "studioId", "tags", "title", "updatedAt", "version", "visibility", "year") SELECT "adopters", "awards", "benefits", "body", "bodyText", "createdAt", "id", "illustrative", "industryKey", "kind", "published", "slug", "status", "studioId", "tags", "title", "updatedAt", "version", "visibility", "year" FROM "Result";
DROP TABLE "Result";
ALTER TABLE "new_Result" RENAME TO "Result";
CREATE UNIQUE INDEX "Result_slug_key" ON "Result"("slug");
CREATE INDEX "Result_studioId_idx" ON "Result"("studioId");
CREATE INDEX "Result_industryKey_idx" ON "Result"("industryKey");
CREATE INDEX "Result_kind_idx" ON "Result"("kind");
CREATE INDEX "Result_year_idx" ON "Result"("year");
CREATE INDEX "Result_createdAt_idx" ON "Result"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- NOTE: this migration redefines tables. Prisma drops triggers on redefined tables:
-- re-create the search triggers here (see the search migration) and run the search tests.
