-- CreateTable
CREATE TABLE "SynonymGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "words" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

