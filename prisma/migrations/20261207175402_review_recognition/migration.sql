-- AlterTable
ALTER TABLE "Result" ADD COLUMN "review" TEXT;

-- AlterTable
ALTER TABLE "Patent" ADD COLUMN "review" TEXT;

-- AlterTable
ALTER TABLE "Need" ADD COLUMN "review" TEXT;

-- CreateTable
CREATE TABLE "RecognitionRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "studioId" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "honours" TEXT NOT NULL DEFAULT '[]',
    "evidence" TEXT NOT NULL,
    "attachment" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT NOT NULL DEFAULT '',
    "requestedById" TEXT,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RecognitionRequest_studioId_fkey" FOREIGN KEY ("studioId") REFERENCES "Studio" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RecognitionRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StudioApplication" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "applicantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enterpriseId" TEXT,
    "enterpriseName" TEXT NOT NULL DEFAULT '',
    "leader" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "industryKey" TEXT NOT NULL,
    "specialties" TEXT NOT NULL DEFAULT '[]',
    "introduction" TEXT NOT NULL,
    "attachment" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT NOT NULL DEFAULT '',
    "studioId" TEXT,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StudioApplication_applicantId_fkey" FOREIGN KEY ("applicantId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StudioApplication_enterpriseId_fkey" FOREIGN KEY ("enterpriseId") REFERENCES "Enterprise" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "StudioApplication_industryKey_fkey" FOREIGN KEY ("industryKey") REFERENCES "Industry" ("key") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StudioApplication_studioId_fkey" FOREIGN KEY ("studioId") REFERENCES "Studio" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReviewItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "studioId" TEXT,
    "enterpriseId" TEXT,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "values" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT NOT NULL DEFAULT '',
    "submittedById" TEXT,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewItem_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RecognitionRequest_status_createdAt_idx" ON "RecognitionRequest"("status", "createdAt");

-- CreateIndex
CREATE INDEX "RecognitionRequest_studioId_idx" ON "RecognitionRequest"("studioId");

-- CreateIndex
CREATE INDEX "StudioApplication_status_createdAt_idx" ON "StudioApplication"("status", "createdAt");

-- CreateIndex
CREATE INDEX "StudioApplication_applicantId_idx" ON "StudioApplication"("applicantId");

-- CreateIndex
CREATE INDEX "ReviewItem_status_createdAt_idx" ON "ReviewItem"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewItem_subjectType_subjectId_idx" ON "ReviewItem"("subjectType", "subjectId");

