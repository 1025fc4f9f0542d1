// A content file whose Markdown would take @lexical/markdown minutes to convert (found by probing:
// the cost of `~~a` repeated grows faster than the square of its length — 3,000 characters 0.2 s,
// 12,000 characters 2.7 s) is reported as that file's body problem within the deadline, and the
// import writes nothing.
import { afterAll, afterEach, expect, test } from "vitest";
import { MARKDOWN_DEADLINE_MS, markdownToLexical } from "~/lexical/markdown.server";
import { formatReport, importContent } from "~/models/content-import.server";
import type { Db } from "~/utils/db.server";
import { industry, md, removeTempDirs, result, resultBody, studio, studioBody, taxonomy, tempDir, writeFiles } from "../fixtures/content";
import { freshDb } from "../setup/db";

const open: Db[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.$disconnect()));
});
afterAll(removeTempDirs);

// 90 KB, well inside the 256 KB file limit
const PATHOLOGICAL = `正文开头。\n\n${"~~a".repeat(30_000)}`;

test("a pathological body is reported as `file: body: …` within the deadline, and nothing is imported", async () => {
  const { db } = freshDb();
  open.push(db);
  const dir = writeFiles(tempDir(), {
    "taxonomy.yaml": taxonomy([industry({ key: "equipment-manufacturing", zh: "装备制造", en: "Equipment manufacturing" })]),
    "studios/hengtian-cnc.md": md(studio(), studioBody),
    "results/spindle-compensation.md": md(result(), resultBody),
    "results/strikethrough-bomb.md": md(result({ title: "删除线炸弹" }), PATHOLOGICAL),
  });
  const started = Date.now();
  const report = await importContent(db, dir);
  const took = Date.now() - started;
  expect(report.ok).toBe(false);
  expect(report.problems).toEqual([
    { file: "results/strikethrough-bomb.md", field: "body", message: expect.stringContaining(`could not be converted within ${MARKDOWN_DEADLINE_MS / 1000} s`) },
  ]);
  expect(formatReport(report)).toContain("results/strikethrough-bomb.md: body: could not be converted within");
  expect(took).toBeLessThan(MARKDOWN_DEADLINE_MS + 3_000);
  expect(await Promise.all([db.studio.count(), db.result.count(), db.industry.count()])).toEqual([0, 0, 0]);
}, 30_000);

test("after a conversion is stopped, the next file converts as usual", () => {
  const started = Date.now();
  expect(markdownToLexical(PATHOLOGICAL, { deadlineMs: 300 })).toMatchObject({ ok: false, message: expect.stringContaining("within 0.3 s") });
  expect(Date.now() - started).toBeLessThan(2_000);
  const next = markdownToLexical("## 做法\n\n在主轴前端布置**温度传感器**。");
  expect(next.ok).toBe(true);
  expect(next.ok && next.json).toContain("温度传感器");
});
