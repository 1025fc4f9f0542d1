-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN "dueNotifiedAt" DATETIME;

