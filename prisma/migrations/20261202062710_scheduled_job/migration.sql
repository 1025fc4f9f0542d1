-- CreateTable
CREATE TABLE "ScheduledJob" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "nextRunAt" DATETIME NOT NULL,
    "holder" TEXT,
    "lastRunAt" DATETIME,
    "lastError" TEXT
);

