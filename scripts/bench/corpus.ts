// Synthetic corpora for `npm run bench`: realistic Chinese documents recombined from the seed
// content's own sentences, titles, tags and industries, with invented enterprises and studios.
// Deterministic: the same seed and size always give the same documents.

import { loadContentDir } from "~/content/load.server";
import { MESSAGES } from "~/i18n/messages";
import type { DocType, SearchDocument } from "../../search/engine";
import { cut, isCjkWord } from "../../search/segment";

/** A small, fast, seeded PRNG (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick<T>(list: readonly T[]): T {
      return list[Math.floor(next() * list.length)];
    },
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

interface IndustryVocab {
  key: string;
  zh: string;
  en: string;
  sentences: string[];
  tags: string[];
  resultTitles: string[][];
  patentTitles: string[][];
  needTitles: string[][];
  benefits: string[];
}

export interface Vocab {
  industries: IndustryVocab[];
  allSentences: string[];
}

const zh = MESSAGES["zh-CN"] as Record<string, string>;
const en = MESSAGES.en as Record<string, string>;
const label = (key: string) => [zh[key], en[key]].filter(Boolean).join(" ");

// sentences that only make sense on the seed pages (demo notices, report citations)
const BOILERPLATE = /示例|演示|虚构|报告|说明：|本条|本页/;

function sentencesOf(text: string): string[] {
  return text
    .split(/[。；！？\n]+/)
    .map((s) => s.replace(/^[-*#\d.、\s>]+/, "").trim())
    .filter((s) => s.length >= 8 && s.length <= 160 && !BOILERPLATE.test(s));
}

/** Reads the seed content once and sorts its vocabulary by industry. */
export function buildVocab(dir = "content"): Vocab {
  const set = loadContentDir(dir);
  if (set.problems.length || !set.industries) throw new Error(`content in ${dir} does not load: ${JSON.stringify(set.problems[0])}`);
  const byKey = new Map<string, IndustryVocab>();
  for (const ind of set.industries) {
    byKey.set(ind.key, { key: ind.key, zh: ind.zh, en: ind.en, sentences: [], tags: [], resultTitles: [], patentTitles: [], needTitles: [], benefits: [] });
  }
  const studioIndustry = new Map(set.studios.map((s) => [s.slug, s.data.industry]));
  const all: string[] = [];
  const add = (key: string | undefined, fn: (v: IndustryVocab) => void) => {
    const v = key ? byKey.get(key) : undefined;
    if (v) fn(v);
  };
  for (const s of set.studios) {
    add(s.data.industry, (v) => {
      v.tags.push(...s.data.specialties, ...s.data.needs);
      v.sentences.push(...sentencesOf(s.bodyText));
    });
  }
  for (const r of set.results) {
    add(r.data.industry, (v) => {
      v.tags.push(...r.data.tags);
      v.resultTitles.push(cut(r.data.title));
      v.benefits.push(...r.data.benefits.filter((b) => b.length <= 40 && !BOILERPLATE.test(b)));
      v.sentences.push(...sentencesOf(r.bodyText));
    });
  }
  for (const p of set.patents) {
    add(studioIndustry.get(p.data.studio), (v) => {
      v.patentTitles.push(cut(p.data.title.replace(/^一种/, "")));
      v.sentences.push(...sentencesOf(p.bodyText));
    });
  }
  for (const n of set.needs) {
    add(n.data.industry, (v) => {
      v.tags.push(...n.data.tags);
      v.needTitles.push(cut(n.data.title));
      v.sentences.push(...sentencesOf(n.bodyText));
    });
  }
  const industries = [...byKey.values()].filter((v) => v.sentences.length > 0 && v.tags.length > 0);
  for (const v of industries) {
    v.tags = [...new Set(v.tags)];
    all.push(...v.sentences);
  }
  // industries without titles of a kind borrow from the whole pool
  const pool = (f: (v: IndustryVocab) => string[][]) => industries.flatMap(f);
  for (const v of industries) {
    if (!v.resultTitles.length) v.resultTitles = pool((x) => x.resultTitles);
    if (!v.patentTitles.length) v.patentTitles = pool((x) => x.patentTitles);
    if (!v.needTitles.length) v.needTitles = pool((x) => x.needTitles);
    if (!v.benefits.length) v.benefits = industries.flatMap((x) => x.benefits);
  }
  return { industries, allSentences: all };
}

const CITIES = ["郑州", "洛阳", "开封", "新乡", "许昌", "平顶山", "焦作", "安阳", "南阳", "商丘", "信阳", "周口", "驻马店", "漯河", "三门峡", "鹤壁", "濮阳", "济源"];
const BRAND = "华中宏达新天瑞恒豫嵩岳绿能锦绣康源博远金穗顺捷汇通清鼎力广川翔宇惠民中原飞腾光明东方兴盛鑫泰安和信诚利";
const TRADE: Record<string, string[]> = {
  default: ["科技", "实业", "装备", "机械", "电气", "工程"],
};
const SUFFIX = ["有限公司", "股份有限公司", "集团有限公司"];
const SURNAMES =
  "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
const GIVEN =
  "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽";
const STUDIO_SUFFIX = ["创新工作室", "劳模创新工作室", "工匠创新工作室", "劳模和工匠人才创新工作室", "技能大师工作室"];
const LEVELS = [
  ["national", 0.03],
  ["provincial", 0.2],
  ["municipal", 0.5],
  ["enterprise", 0.27],
] as const;
const KINDS = [
  ["software", 0.22],
  ["process", 0.26],
  ["equipment", 0.22],
  ["standard", 0.1],
  ["training", 0.12],
  ["other", 0.08],
] as const;
// studios are every tenth document; the rest split like the seed content
const TYPES: [DocType, number][] = [
  ["result", 0.6],
  ["patent", 0.23],
  ["need", 0.17],
];
const PATENT_KINDS = ["invention", "utility-model", "software-copyright"] as const;
const NEED_STATUSES = ["open", "dispatched", "accepted", "delivered", "closed"] as const;
const RESULT_SUFFIX: Record<string, string[]> = {
  software: ["系统", "平台", "软件", "管理系统"],
  process: ["工艺", "方法", "作业法", "工艺法"],
  equipment: ["装置", "工装", "设备改造", "检测装置"],
  standard: ["规范", "作业标准", "技术导则", "作业指导书"],
  training: ["培训课程", "实训平台", "培训体系", "仿真培训系统"],
  other: ["管理法", "服务包", "工作法"],
};

function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  let x = rng.next();
  for (const [v, w] of table) {
    if (x < w) return v;
    x -= w;
  }
  return table[table.length - 1][0];
}

interface Studio {
  slug: string;
  name: string;
  enterprise: string;
  industry: IndustryVocab;
  level: string;
}

/**
 * Produces `size` documents one at a time (so a 100,000-document corpus never sits in memory).
 * About one document in ten is a studio; each result and patent belongs to one of them.
 */
export class CorpusGenerator {
  private rng: Rng;
  private enterprises: { name: string; industry: IndustryVocab }[] = [];
  private studios: Studio[] = [];
  private i = 0;

  constructor(
    private vocab: Vocab,
    readonly size: number,
    seed = 20261125,
  ) {
    this.rng = prng(seed ^ size);
    const rng = this.rng;
    const nEnterprises = Math.max(20, Math.round(size / 60));
    const names = new Set<string>();
    while (this.enterprises.length < nEnterprises) {
      const industry = rng.pick(vocab.industries);
      const trade = rng.chance(0.6) ? industry.zh.slice(0, 2) : rng.pick(TRADE.default);
      const name = rng.pick(CITIES) + BRAND[rng.int(BRAND.length)] + BRAND[rng.int(BRAND.length)] + trade + rng.pick(SUFFIX);
      if (names.has(name)) continue;
      names.add(name);
      this.enterprises.push({ name, industry });
    }
    const nStudios = Math.max(10, Math.round(size / 10));
    for (let s = 0; s < nStudios; s++) {
      const ent = rng.pick(this.enterprises);
      const industry = rng.chance(0.85) ? ent.industry : rng.pick(vocab.industries);
      const person = SURNAMES[rng.int(SURNAMES.length)] + GIVEN[rng.int(GIVEN.length)] + (rng.chance(0.6) ? GIVEN[rng.int(GIVEN.length)] : "");
      const topic = rng.pick(industry.tags).replace(/[A-Za-z0-9]+/g, "");
      const base = rng.chance(0.5) || topic.length < 2 ? person : topic;
      this.studios.push({ slug: `syn-studio-${s}`, name: base + rng.pick(STUDIO_SUFFIX), enterprise: ent.name, industry, level: weighted(rng, LEVELS) });
    }
  }

  get done() {
    return this.i >= this.size;
  }

  next(): SearchDocument {
    const rng = this.rng;
    const n = this.i++;
    const type = n % 10 === 0 && n / 10 < this.studios.length ? "studio" : weighted(rng, TYPES);
    const studio = type === "studio" ? this.studios[n / 10] : rng.pick(this.studios);
    const ind = studio.industry;
    const year = 2010 + rng.int(16);
    const date = `${year}-${String(1 + rng.int(12)).padStart(2, "0")}-${String(1 + rng.int(28)).padStart(2, "0")}`;
    const tags = this.tags(ind, 3 + rng.int(5));
    const body = this.body(ind, type === "patent" ? 4 + rng.int(5) : 7 + rng.int(16));
    const slug = `syn-${type}-${n}`;
    const common = { id: `${type}:${slug}`, type, slug, url: `/${type}s/${slug}`, date, illustrative: true } as const;
    switch (type) {
      case "studio": {
        const needs = this.tags(rng.pick(this.vocab.industries), 2);
        return {
          ...common,
          title: studio.name,
          keywords: [...tags, ...needs, label(`level.${studio.level}`), ind.zh, ind.en].join(" "),
          body,
          studio: studio.name,
          studioSlug: studio.slug,
          enterprise: studio.enterprise,
          industry: ind.key,
          kind: null,
          level: studio.level,
        };
      }
      case "result": {
        const kind = weighted(rng, KINDS);
        const title = this.title(rng.pick(ind.resultTitles), ind, rng.chance(0.3) ? rng.pick(RESULT_SUFFIX[kind]) : "");
        const benefits = [rng.pick(ind.benefits), ...(rng.chance(0.5) ? [rng.pick(ind.benefits)] : [])];
        const adopters = rng.chance(0.6) ? [rng.pick(this.enterprises).name] : [];
        return {
          ...common,
          title,
          keywords: [...tags, ...benefits, ...adopters, label(`kind.${kind}`), ind.zh, ind.en].join(" "),
          body,
          studio: studio.name,
          studioSlug: studio.slug,
          enterprise: studio.enterprise,
          industry: ind.key,
          kind,
          level: studio.level,
        };
      }
      case "patent": {
        const kind = rng.pick(PATENT_KINDS);
        const title = (kind === "software-copyright" ? "" : "一种") + this.title(rng.pick(ind.patentTitles), ind, "") + (kind === "software-copyright" ? "V1.0" : "");
        const number =
          kind === "software-copyright" ? `${year}SR${100000 + rng.int(899999)}` : `ZL${year}${rng.chance(0.5) ? 1 : 2}${String(rng.int(1e7)).padStart(7, "0")}.${rng.int(10)}`;
        return {
          ...common,
          title,
          keywords: [number, label(`patentKind.${kind}`), label("nav.patents"), ind.zh].join(" "),
          body,
          studio: studio.name,
          studioSlug: studio.slug,
          enterprise: studio.enterprise,
          industry: ind.key,
          kind: null,
          level: studio.level,
        };
      }
      default: {
        const ent = rng.chance(0.7)
          ? rng.pick(
              this.enterprises
                .filter((e) => e.industry === ind)
                .slice(0, 50)
                .concat(this.enterprises[0]),
            )
          : rng.pick(this.enterprises);
        const title = this.title(rng.pick(ind.needTitles), ind, "");
        return {
          ...common,
          title,
          keywords: [...tags, label(`needStatus.${rng.pick(NEED_STATUSES)}`), ind.zh, ind.en].join(" "),
          body,
          studio: null,
          studioSlug: null,
          enterprise: ent.name,
          industry: ind.key,
          kind: null,
          level: null,
        };
      }
    }
  }

  private tags(ind: IndustryVocab, n: number): string[] {
    const out = new Set<string>();
    for (let k = 0; k < n * 2 && out.size < n; k++) out.add(this.rng.pick(ind.tags));
    return [...out];
  }

  /** Mostly this industry's sentences, some from elsewhere: real documents wander too. */
  private body(ind: IndustryVocab, n: number): string {
    const parts: string[] = [];
    for (let k = 0; k < n; k++) parts.push(this.rng.chance(0.78) ? this.rng.pick(ind.sentences) : this.rng.pick(this.vocab.allSentences));
    return parts.join("。") + "。";
  }

  /** A seed title with one or two of its words swapped for tags of the same industry. */
  private title(words: string[], ind: IndustryVocab, suffix: string): string {
    const out = [...words];
    const slots = out.map((w, i) => (w.length >= 2 && isCjkWord(w) ? i : -1)).filter((i) => i >= 0);
    const swaps = Math.min(slots.length, 1 + this.rng.int(2));
    for (let k = 0; k < swaps; k++) {
      const at = this.rng.pick(slots);
      const tag = this.rng.pick(ind.tags);
      if (tag.length <= 8) out[at] = tag;
    }
    return (out.join("") + suffix).slice(0, 60);
  }
}
