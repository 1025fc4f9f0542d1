import { describe, expect, test } from "vitest";
import { HONOURS, matchHonour, normalizeHonourText, topHonourLevel } from "~/content/honours";
import { personSlugBase } from "~/models/person.server";
import { db } from "~/utils/db.server";

describe("matching honour text onto the controlled list", () => {
  test.each([
    ["全国劳动模范", "national-model-worker"],
    ["全国劳模", "national-model-worker"],
    ["全国五一劳动奖章获得者", "national-may-day-medal"],
    ["荣获全国五一劳动奖章", "national-may-day-medal"],
    ["中华技能大奖获得者", "china-skills-award"],
    ["2021年大国工匠", "great-craftsman"],
    ["大国工匠年度人物", "great-craftsman"],
    ["中原大工匠", "zhongyuan-craftsman"],
    ["河南省劳动模范", "provincial-model-worker"],
    ["省级劳模", "provincial-model-worker"],
    ["河南省五一劳动奖章", "provincial-may-day-medal"],
    ["郑州大工匠", "zhengzhou-craftsman"],
    ["郑州市劳动模范", "municipal-model-worker"],
    ["洛阳市劳动模范称号", "municipal-model-worker"],
    ["郑州市五一劳动奖章", "municipal-may-day-medal"],
    [" 市级劳模 ", "municipal-model-worker"],
  ])("%s → %s", (text, key) => {
    expect(matchHonour(text)?.key).toBe(key);
  });

  test.each(["全国纺织工业劳动模范", "郑州市青年岗位能手", "优秀共产党员", "", "劳动模范"])("%s stays free text", (text) => {
    expect(matchHonour(text)).toBeNull();
  });

  test("normalizing drops a year, 荣获 and 获得者 but keeps the honour's own words", () => {
    expect(normalizeHonourText("2019年度 荣获 全国五一劳动奖章获得者")).toBe("全国五一劳动奖章");
  });

  test("the highest level wins, and free text has none", () => {
    expect(topHonourLevel(["zhengzhou-craftsman", "national-may-day-medal"])).toBe("national");
    expect(topHonourLevel(["municipal-model-worker", null])).toBe("municipal");
    expect(topHonourLevel([null])).toBeNull();
  });

  test("every controlled honour's own name matches itself, and ranks are 1…n", () => {
    for (const h of HONOURS) expect(matchHonour(h.nameZh)?.key).toBe(h.key);
    expect(HONOURS.map((h) => h.rank)).toEqual(HONOURS.map((_, i) => i + 1));
  });
});

test("the Honour table the migration seeded is the registry (site admins change it from there, /admin/honours)", async () => {
  const rows = await db.honour.findMany({ orderBy: { rank: "asc" }, select: { key: true, nameZh: true, nameEn: true, level: true, rank: true } });
  expect(rows).toEqual(HONOURS.map(({ key, nameZh, nameEn, level, rank }) => ({ key, nameZh, nameEn, level, rank })));
});

test("person slugs: surname, then given name, in pinyin", () => {
  expect(personSlugBase("王建军")).toBe("wang-jianjun");
  expect(personSlugBase("欧阳明辉")).toBe("ouyang-minghui");
  expect(personSlugBase("吕志强")).toBe("lv-zhiqiang");
  expect(personSlugBase("单田芳")).toBe("shan-tianfang");
  expect(personSlugBase("Anna Müller")).toBe("anna-muller");
});
