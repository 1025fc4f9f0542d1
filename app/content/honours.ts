// 荣誉 — the controlled list of honours a person can hold, highest first. The one registry: the
// migration that created the Honour table seeded it from this list (tests/unit/honours.test.ts checks
// they agree), the importer and the studio editors match honour text onto it, the people directory
// filters by it. An honour text that matches none stays free text.

export const HONOUR_LEVELS = ["national", "provincial", "municipal"] as const;
export type HonourLevel = (typeof HONOUR_LEVELS)[number];

export interface HonourDef {
  key: string;
  nameZh: string;
  nameEn: string;
  level: HonourLevel;
  /** 1 is the highest */
  rank: number;
  /** matched against the normalized text (see normalizeHonourText) */
  pattern: RegExp;
}

// A place name before 省/市 (河南省, 郑州市) is allowed; anything else before or after is not, so
// 全国纺织工业劳动模范 (an industry's honour) does not become 全国劳动模范.
const PLACE = "(?:[\\u4e00-\\u9fff]{2,4})?";

export const HONOURS: readonly HonourDef[] = [
  { key: "national-model-worker", nameZh: "全国劳动模范", nameEn: "National Model Worker", level: "national", rank: 1, pattern: /^全国(?:劳动模范|劳模|先进工作者)$/ },
  { key: "national-may-day-medal", nameZh: "全国五一劳动奖章", nameEn: "National May Day Labour Medal", level: "national", rank: 2, pattern: /^全国五一劳动奖章$/ },
  { key: "china-skills-award", nameZh: "中华技能大奖", nameEn: "China Skills Award", level: "national", rank: 3, pattern: /^中华技能大奖$/ },
  { key: "great-craftsman", nameZh: "大国工匠", nameEn: "Great Craftsman of China", level: "national", rank: 4, pattern: /^大国工匠(?:年度人物)?$/ },
  { key: "national-technical-expert", nameZh: "全国技术能手", nameEn: "National Technical Expert", level: "national", rank: 5, pattern: /^全国技术能手$/ },
  { key: "zhongyuan-craftsman", nameZh: "中原大工匠", nameEn: "Great Craftsman of the Central Plains", level: "provincial", rank: 6, pattern: /^中原大工匠$/ },
  { key: "provincial-model-worker", nameZh: "省级劳模", nameEn: "Provincial Model Worker", level: "provincial", rank: 7, pattern: new RegExp(`^${PLACE}省级?(?:劳动模范|劳模|先进工作者)$`) },
  { key: "provincial-may-day-medal", nameZh: "省五一劳动奖章", nameEn: "Provincial May Day Labour Medal", level: "provincial", rank: 8, pattern: new RegExp(`^${PLACE}省五一劳动奖章$`) },
  { key: "zhengzhou-craftsman", nameZh: "郑州大工匠", nameEn: "Great Craftsman of Zhengzhou", level: "municipal", rank: 9, pattern: /^郑州(?:市)?大工匠$/ },
  { key: "municipal-model-worker", nameZh: "市级劳模", nameEn: "Municipal Model Worker", level: "municipal", rank: 10, pattern: new RegExp(`^${PLACE}市级?(?:劳动模范|劳模|先进工作者)$`) },
  { key: "municipal-may-day-medal", nameZh: "市五一劳动奖章", nameEn: "Municipal May Day Labour Medal", level: "municipal", rank: 11, pattern: new RegExp(`^${PLACE}市五一劳动奖章$`) },
];

export const HONOUR_BY_KEY: ReadonlyMap<string, HonourDef> = new Map(HONOURS.map((h) => [h.key, h]));

/** The text without what does not change the honour: spaces, a year, 荣获/获得者/称号, brackets. */
export function normalizeHonourText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/^(?:\d{4}年(?:度)?)/, "")
    .replace(/^(?:荣获|获得|获)/, "")
    .replace(/[“”"《》「」]/g, "")
    .replace(/(?:\(\d{4}\)|（\d{4}）)$/, "")
    .replace(/(?:获得者|获奖者|称号|荣誉称号|荣誉)$/, "");
}

/** The controlled honour that `text` names, or null when it is free text only. */
export function matchHonour(text: string): HonourDef | null {
  const t = normalizeHonourText(text);
  if (!t) return null;
  return HONOURS.find((h) => h.key === t || h.nameZh === t || h.pattern.test(t)) ?? null;
}

/** The highest level among honours (by key), or null when none is controlled. */
export function topHonourLevel(keys: readonly (string | null)[]): HonourLevel | null {
  const ranks = keys.map((k) => (k ? HONOUR_BY_KEY.get(k) : undefined)).filter((h): h is HonourDef => !!h);
  if (!ranks.length) return null;
  return ranks.reduce((a, b) => (b.rank < a.rank ? b : a)).level;
}

/** The highest level among honours as the Honour table has them now (national > provincial > municipal), or null. */
export function topLevel(honours: readonly ({ level: string; rank: number } | null)[]): HonourLevel | null {
  const held = honours.filter((h): h is { level: string; rank: number } => !!h && (HONOUR_LEVELS as readonly string[]).includes(h.level));
  if (!held.length) return null;
  const levelIndex = (l: string) => HONOUR_LEVELS.indexOf(l as HonourLevel);
  return held.reduce((a, b) => (levelIndex(b.level) < levelIndex(a.level) || (b.level === a.level && b.rank < a.rank) ? b : a)).level as HonourLevel;
}

/** An honour's name in the page's language. */
export function honourName(h: { nameZh: string; nameEn: string }, locale: string): string {
  return locale === "en" ? h.nameEn : h.nameZh;
}
