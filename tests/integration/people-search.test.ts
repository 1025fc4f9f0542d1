import { beforeAll, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import * as apiSearch from "~/routes/api.search";
import { db } from "~/utils/db.server";

// People in search: `type=person` documents, with the highest honour's level as the level facet.

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
});

interface Answer {
  total: number;
  hits: { type: string; slug: string; title: string; url: string; studio: string | null; enterprise: string | null }[];
  facets: Record<string, { value: string; count: number }[]>;
}
async function search(query: string): Promise<Answer> {
  const res = (await apiSearch.loader({ request: new Request(`http://localhost/api/search?${query}`), params: {}, context: {} })) as Response;
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}
const q = (s: string) => encodeURIComponent(s);

test("a person is found by name, with studio, enterprise and the page's address", async () => {
  const a = await search(`q=${q("张铁柱")}&type=person`);
  expect(a.hits[0]).toMatchObject({
    type: "person",
    slug: "zhang-tiezhu",
    title: "张铁柱",
    url: "/people/zhang-tiezhu",
    studio: "液压支架创新工作室",
    enterprise: "豫中煤矿机械集团有限公司",
  });
  expect(a.hits.every((h) => h.type === "person")).toBe(true);
});

test("an honour's controlled name finds the people who hold it, also when their text differs", async () => {
  // the seed writes 中华技能大奖获得者; the controlled name 中华技能大奖 and the English name both find it
  const zh = await search(`q=${q("中华技能大奖")}&type=person`);
  const en = await search(`q=${q("China Skills Award")}&type=person`);
  const holder = await db.personHonour.findFirstOrThrow({ where: { honourKey: "china-skills-award" }, include: { person: true } });
  expect(zh.hits.map((h) => h.slug)).toContain(holder.person.slug);
  expect(en.hits.map((h) => h.slug)).toContain(holder.person.slug);
});

test("the type facet counts people, and the level facet of people is their highest honour's level", async () => {
  const all = await search(`q=${q("劳动模范")}`);
  expect(all.facets.type.find((f) => f.value === "person")?.count).toBeGreaterThan(1);
  const people = await search(`q=${q("劳动模范")}&type=person`);
  const levels = Object.fromEntries(people.facets.level.map((f) => [f.value, f.count]));
  expect(levels.national).toBeGreaterThan(0);
  expect(levels.municipal).toBeGreaterThan(0);
  const national = await search(`q=${q("劳动模范")}&type=person&level=national`);
  expect(national.total).toBe(levels.national);
  const slugs = national.hits.map((h) => h.slug);
  const nationalHolders = await db.person.findMany({
    where: { honourLinks: { some: { honour: { level: "national" } } }, honours: { contains: "劳动模范" } },
    select: { slug: true },
  });
  expect(slugs.sort()).toEqual(nationalHolders.map((p) => p.slug).sort());
});

test("a person dropped from a studio file leaves search with them", async () => {
  const before = await search(`q=${q("王建伟")}&type=person`);
  expect(before.hits.map((h) => h.title)).toContain("王建伟");
  const studio = await db.studio.findUniqueOrThrow({ where: { slug: "yuzhong-hydraulic-support" } });
  const { removePeople } = await import("~/models/person.server");
  const p = await db.person.findFirstOrThrow({ where: { studioId: studio.id, name: "王建伟" } });
  await db.$transaction((tx) => removePeople(tx, [p.id]));
  const after = await search(`q=${q("王建伟")}&type=person`);
  expect(after.hits.map((h) => h.title)).not.toContain("王建伟");
});
