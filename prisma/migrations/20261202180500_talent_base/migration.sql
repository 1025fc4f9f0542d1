-- CreateTable
CREATE TABLE "Honour" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "rank" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "PersonResult" (
    "personId" TEXT NOT NULL,
    "resultId" TEXT NOT NULL,

    PRIMARY KEY ("personId", "resultId"),
    CONSTRAINT "PersonResult_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PersonResult_resultId_fkey" FOREIGN KEY ("resultId") REFERENCES "Result" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PersonHonour" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "honourKey" TEXT,
    "text" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "PersonHonour_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PersonHonour_honourKey_fkey" FOREIGN KEY ("honourKey") REFERENCES "Honour" ("key") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "studioId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "title" TEXT,
    "honours" TEXT NOT NULL DEFAULT '[]',
    "skills" TEXT NOT NULL DEFAULT '[]',
    "bio" TEXT NOT NULL DEFAULT '',
    "origin" TEXT NOT NULL DEFAULT 'studio',
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Person_studioId_fkey" FOREIGN KEY ("studioId") REFERENCES "Studio" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- existing people get their id as a placeholder slug; app/models/person.server.ts gives them a pinyin
-- slug the next time their studio is imported or saved (a slug equal to the id is never kept)
INSERT INTO "new_Person" ("honours", "id", "slug", "name", "role", "sortOrder", "studioId", "title") SELECT "honours", "id", "id", "name", "role", "sortOrder", "studioId", "title" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE UNIQUE INDEX "Person_slug_key" ON "Person"("slug");
CREATE UNIQUE INDEX "Person_studioId_name_key" ON "Person"("studioId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PersonResult_resultId_idx" ON "PersonResult"("resultId");

-- CreateIndex
CREATE INDEX "PersonHonour_personId_idx" ON "PersonHonour"("personId");

-- CreateIndex
CREATE INDEX "PersonHonour_honourKey_idx" ON "PersonHonour"("honourKey");


-- The controlled list of honours (app/content/honours.ts; tests/unit/honours.test.ts checks they agree).
-- Person has no triggers, so the redefinition above drops none.
INSERT INTO "Honour" ("key", "nameZh", "nameEn", "level", "rank") VALUES
    ('national-model-worker', '全国劳动模范', 'National Model Worker', 'national', 1),
    ('national-may-day-medal', '全国五一劳动奖章', 'National May Day Labour Medal', 'national', 2),
    ('china-skills-award', '中华技能大奖', 'China Skills Award', 'national', 3),
    ('great-craftsman', '大国工匠', 'Great Craftsman of China', 'national', 4),
    ('national-technical-expert', '全国技术能手', 'National Technical Expert', 'national', 5),
    ('zhongyuan-craftsman', '中原大工匠', 'Great Craftsman of the Central Plains', 'provincial', 6),
    ('provincial-model-worker', '省级劳模', 'Provincial Model Worker', 'provincial', 7),
    ('provincial-may-day-medal', '省五一劳动奖章', 'Provincial May Day Labour Medal', 'provincial', 8),
    ('zhengzhou-craftsman', '郑州大工匠', 'Great Craftsman of Zhengzhou', 'municipal', 9),
    ('municipal-model-worker', '市级劳模', 'Municipal Model Worker', 'municipal', 10),
    ('municipal-may-day-medal', '市五一劳动奖章', 'Municipal May Day Labour Medal', 'municipal', 11);
