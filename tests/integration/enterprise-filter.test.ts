// A list's enterprise filter at a province's size: thousands of enterprises would make /studios a page
// of megabytes, so the filter offers the enterprises with the most studios, always with the one chosen.
import { beforeAll, expect, test } from "vitest";
import { ENTERPRISE_FILTER_CHOICES, enterpriseFilterChoices } from "~/models/enterprise.server";
import { db } from "~/utils/db.server";

const many = ENTERPRISE_FILTER_CHOICES + 5;

beforeAll(async () => {
  await db.industry.create({ data: { key: "filter-test", nameZh: "筛选测试", nameEn: "Filter test", sector: "traditional" } });
  for (let i = 0; i < many; i++) {
    const e = await db.enterprise.create({ data: { slug: `filter-co-${i}`, name: `筛选测试企业${String(i).padStart(3, "0")}` } });
    // the first five enterprises have three studios each, the rest one
    for (let j = 0; j < (i < 5 ? 3 : 1); j++) {
      await db.studio.create({
        data: {
          slug: `filter-studio-${i}-${j}`,
          name: `筛选测试工作室${i}-${j}`,
          enterpriseId: e.id,
          level: "municipal",
          industryKey: "filter-test",
          sector: "traditional",
          founded: 2020,
          body: "{}",
        },
      });
    }
  }
  await db.enterprise.create({ data: { slug: "no-studios-co", name: "没有工作室的企业" } });
}, 60_000);

test("the filter offers at most ENTERPRISE_FILTER_CHOICES enterprises, those with most studios first, in name order", async () => {
  const choices = await enterpriseFilterChoices("studios");
  expect(choices).toHaveLength(ENTERPRISE_FILTER_CHOICES);
  const slugs = choices.map((c) => c.slug);
  for (let i = 0; i < 5; i++) expect(slugs).toContain(`filter-co-${i}`);
  expect(slugs).not.toContain("no-studios-co");
  expect(choices.map((c) => c.name)).toEqual([...choices.map((c) => c.name)].sort(new Intl.Collator("zh-CN").compare));
});

test("the enterprise chosen is always among the choices, even when it is not among the busiest", async () => {
  const without = (await enterpriseFilterChoices("studios")).map((c) => c.slug);
  const left = Array.from({ length: many }, (_, i) => `filter-co-${i}`).find((s) => !without.includes(s))!;
  expect(left).toBeTruthy();
  const withChosen = (await enterpriseFilterChoices("studios", left)).map((c) => c.slug);
  expect(withChosen).toContain(left);
  expect(withChosen).toHaveLength(ENTERPRISE_FILTER_CHOICES + 1);
  // a slug that names no enterprise adds nothing
  expect(await enterpriseFilterChoices("studios", "no-such-enterprise")).toHaveLength(ENTERPRISE_FILTER_CHOICES);
});
