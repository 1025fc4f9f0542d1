-- CreateTable
CREATE TABLE "SearchMeta" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

