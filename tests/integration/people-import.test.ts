import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import type { Db } from "~/utils/db.server";
import { freshDb } from "../setup/db";
import { copyOfSeedContent, industry, md, removeTempDirs, studio, studioBody, taxonomy, tempDir, writeFiles } from "../fixtures/content";

// The talent base as the importer builds it from the studio files' leader, leader_honours, members.

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

test("a leader's honour text is linked to the controlled list, with the text kept as written", async () => {
  const db = database();
  const dir = copyOfSeedContent();
  expect((await importContent(db, dir)).ok).toBe(true);
  const leader = await db.person.findFirstOrThrow({
    where: { name: "张铁柱", studio: { slug: "yuzhong-hydraulic-support" } },
    include: { honourLinks: { orderBy: { sortOrder: "asc" }, include: { honour: true } } },
  });
  expect(leader.slug).toBe("zhang-tiezhu");
  expect(leader.honourLinks.map((l) => [l.text, l.honour?.nameZh ?? null])).toEqual([
    // people/zhang-tiezhu.md gives the honours as written there
    ["全国五一劳动奖章获得者", "全国五一劳动奖章"],
    ["中原大工匠", "中原大工匠"],
  ]);
  const textile = await db.personHonour.findFirstOrThrow({ where: { text: "全国纺织工业劳动模范" } });
  expect(textile.honourKey).toBeNull();
  const slugs = await db.person.findMany({ select: { slug: true, id: true } });
  expect(new Set(slugs.map((s) => s.slug)).size).toBe(slugs.length);
  expect(slugs.filter((s) => s.slug === s.id)).toEqual([]);
});

test("re-importing keeps every person's id and slug; a member dropped from the file leaves, the rest stay", async () => {
  const db = database();
  const dir = copyOfSeedContent();
  await importContent(db, dir);
  const before = await db.person.findMany({ where: { studio: { slug: "yuzhong-hydraulic-support" } }, orderBy: { name: "asc" } });
  await db.person.update({ where: { id: before.find((p) => p.name === "赵红卫")!.id }, data: { skills: '["液压试验"]' } });

  const file = path.join(dir, "studios/yuzhong-hydraulic-support.md");
  writeFileSync(file, readFileSync(file, "utf8").replace("members: [王建伟, 李志刚, 赵红卫, 马小龙]", "members: [李志刚, 赵红卫, 马小龙]"));
  const report = await importContent(db, dir);
  expect(report.ok).toBe(true);
  expect(report.counts.studios.updated).toBe(1);

  const after = await db.person.findMany({ where: { studio: { slug: "yuzhong-hydraulic-support" } }, orderBy: { name: "asc" } });
  expect(after.map((p) => p.name)).toEqual(before.map((p) => p.name).filter((n) => n !== "王建伟"));
  for (const p of after) {
    const old = before.find((b) => b.name === p.name)!;
    expect([p.id, p.slug]).toEqual([old.id, old.slug]);
  }
  // the studio file says nothing about skills: what an editor wrote stays
  expect(after.find((p) => p.name === "赵红卫")!.skills).toBe('["液压试验"]');
});

test("two people of the same name in two studios get two slugs, the second numbered", async () => {
  const db = database();
  const dir = writeFiles(tempDir(), {
    "taxonomy.yaml": taxonomy([industry({ key: "equipment-manufacturing", zh: "装备制造", en: "Equipment manufacturing" })]),
    "studios/a.md": md(studio({ leader: "王建国", members: ["李娜"] }), studioBody),
    "studios/b.md": md(studio({ name: "焊接工作室", leader: "王建国", leader_honours: ["郑州市劳动模范"] }), studioBody),
  });
  expect((await importContent(db, dir)).ok).toBe(true);
  const people = await db.person.findMany({ where: { name: "王建国" }, include: { studio: true }, orderBy: { slug: "asc" } });
  expect(people.map((p) => [p.studio.slug, p.slug])).toEqual([
    ["a", "wang-jianguo"],
    ["b", "wang-jianguo-2"],
  ]);
  expect(await db.personHonour.findMany({ where: { personId: people[1].id }, select: { honourKey: true } })).toEqual([{ honourKey: "municipal-model-worker" }]);
});
