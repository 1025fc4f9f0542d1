-- CreateTable
CREATE TABLE "SearchDoc" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "keywords" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "studio" TEXT,
    "studioSlug" TEXT,
    "enterprise" TEXT,
    "industry" TEXT,
    "kind" TEXT,
    "level" TEXT,
    "date" TEXT NOT NULL,
    "illustrative" BOOLEAN NOT NULL DEFAULT false,
    "terms" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SearchChange" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "docId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "SearchDoc_type_idx" ON "SearchDoc"("type");

