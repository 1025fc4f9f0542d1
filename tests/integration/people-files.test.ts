import { afterAll, afterEach, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import type { Db } from "~/utils/db.server";
import { freshDb } from "../setup/db";
import { industry, md, removeTempDirs, result, resultBody, studio, studioBody, taxonomy, tempDir, writeFiles } from "../fixtures/content";

// people/<slug>.md in the content format: optional, describes one person of a studio.

const open: Db[] = [];
function database(): Db {
  const { db } = freshDb();
  open.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.$disconnect()));
});
afterAll(removeTempDirs);

const base = () => ({
  "taxonomy.yaml": taxonomy([industry({ key: "equipment-manufacturing", zh: "装备制造", en: "Equipment manufacturing" })]),
  "studios/grinding.md": md(studio({ leader: "王建国", members: ["李娜"] }), studioBody),
  "results/spindle-compensation.md": md(result({ studio: "grinding", industry: "equipment-manufacturing" }), resultBody),
});

test("a good file adds skills, honours, profile and results to the person its studio file names, under the file's slug", async () => {
  const db = database();
  const dir = writeFiles(tempDir(), {
    ...base(),
    "people/wang-jianguo-grinding.md": md(
      { name: "王建国", studio: "grinding", role: "leader", honours: ["全国技术能手", "厂级优秀员工"], skills: ["数控磨削", "误差补偿"], results: ["spindle-compensation"] },
      "三十年磨床一线经验，主持主轴热变形补偿攻关。",
    ),
  });
  const report = await importContent(db, dir);
  expect(report.problems).toEqual([]);
  expect(report.counts.people).toEqual({ created: 0, updated: 1, unchanged: 0 });
  const p = await db.person.findUniqueOrThrow({
    where: { slug: "wang-jianguo-grinding" },
    include: { honourLinks: { orderBy: { sortOrder: "asc" } }, resultLinks: { include: { result: true } } },
  });
  expect(p).toMatchObject({ name: "王建国", role: "leader", origin: "file", skills: '["数控磨削","误差补偿"]', bio: "三十年磨床一线经验，主持主轴热变形补偿攻关。" });
  expect(p.honourLinks.map((h) => [h.text, h.honourKey])).toEqual([
    ["全国技术能手", "national-technical-expert"],
    ["厂级优秀员工", null],
  ]);
  expect(p.resultLinks.map((l) => l.result.slug)).toEqual(["spindle-compensation"]);
  expect(await db.person.count()).toBe(2);

  // importing again changes nothing; the person keeps the file's slug
  const again = await importContent(db, dir);
  expect(again.counts.people).toEqual({ created: 0, updated: 0, unchanged: 1 });
  expect((await db.person.findUniqueOrThrow({ where: { id: p.id } })).slug).toBe("wang-jianguo-grinding");
});

test("a bad file is refused with its file and fields named, and nothing of the folder is written", async () => {
  const db = database();
  const dir = writeFiles(tempDir(), {
    ...base(),
    "people/zhao-lei.md": md({ name: "赵磊", studio: "grinding", phone: "13800000000", results: [] }, "焊接骨干。"),
    "people/qian-li.md": md({ name: "钱立", studio: "no-such-studio", results: ["spindle-compensation"] }, "简介。"),
  });
  const report = await importContent(db, dir);
  expect(report.ok).toBe(false);
  expect(report.problems).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ file: "people/zhao-lei.md", field: "phone" }),
      expect.objectContaining({ file: "people/qian-li.md", field: "studio", message: 'unknown studio "no-such-studio" (no studios/no-such-studio.md)' }),
      expect.objectContaining({ file: "people/qian-li.md", field: "results[0]", message: 'result "spindle-compensation" belongs to studio "grinding", not "no-such-studio"' }),
    ]),
  );
  expect(await db.studio.count()).toBe(0);
  expect(await db.person.count()).toBe(0);
});
