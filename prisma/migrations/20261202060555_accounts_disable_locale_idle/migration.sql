-- Written by hand from Prisma's diff: SQLite adds these columns in place (Prisma would redefine
-- the User table for them, which is slower and would drop any trigger on it).
ALTER TABLE "Session" ADD COLUMN "lastSeenAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "disabledAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "locale" TEXT NOT NULL DEFAULT 'zh-CN';
