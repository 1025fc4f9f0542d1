import { expect, test } from "vitest";
import { freshDb } from "../setup/db";
import { importContent } from "~/models/content-import.server";

test("the seed content imports into an empty database", async () => {
  const { db } = freshDb();
  const report = await importContent(db, "content");
  expect(report.problems).toEqual([]);
  expect(report.counts.studios.created).toBeGreaterThanOrEqual(24);
  await db.$disconnect();
});
