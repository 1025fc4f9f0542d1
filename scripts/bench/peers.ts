// The peers bench (`benchPeers`): how good and how fast peer matching is.
//
// 1. Quality on the seed content: nDCG@5 of findPeers over the judged pairs in
//    tests/relevance/peers.yaml, and of a plain baseline (TF-IDF cosine over specialties, result
//    titles and tags, plus an industry bonus) on the same studios.
// 2. Speed at scale: 10,000 synthetic studios (recombined from the seed vocabulary, spread over
//    many enterprises, written as Studio/Result/Patent rows with valid JSON lists) beside the seed
//    content; findPeers latency p50/p95/p99 over 200 calls, the first call (index build) apart.
// Everything lives in a temporary folder that is removed at the end.

import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { Db } from "~/utils/db.server";
import { indexTerms } from "../../search/segment";
import { prng, type Rng } from "./corpus";
import { migratedDatabase, summarize } from "./util";

export const PEERS_JUDGED_FILE = "tests/relevance/peers.yaml";
const K = 5;

// ── the judged set ─────────────────────────────────────────────────────────────────────────────

const Grade = z.union([z.literal(1), z.literal(2), z.literal(3)]);
const Slug = z.string().regex(/^[a-z0-9-]+$/);
const JudgedFile = z.object({
  split: z.object({ tune: z.array(Slug), heldout: z.array(Slug) }).optional(),
  studios: z.record(Slug, z.record(Slug, Grade)),
});

export interface PeerJudgement {
  studio: string;
  relevant: Record<string, number>;
  /** tune: may be looked at studio by studio; heldout: only measures (a file without a split is all held out) */
  split: "tune" | "heldout";
}

export function loadPeerJudgements(file = PEERS_JUDGED_FILE): PeerJudgement[] {
  const parsed = JudgedFile.parse(parse(readFileSync(file, "utf8")));
  const tune = new Set(parsed.split?.tune ?? []);
  const heldout = new Set(parsed.split?.heldout ?? []);
  return Object.entries(parsed.studios).map(([studio, relevant]) => {
    if (parsed.split && !tune.has(studio) && !heldout.has(studio)) throw new Error(`${file}: ${studio} is in neither half of the split`);
    return { studio, relevant, split: tune.has(studio) ? "tune" : "heldout" };
  });
}

const gain = (g: number) => 2 ** g - 1;

/** nDCG@k of a ranked list of slugs against graded judgements (unjudged = 0). */
export function ndcgAt(k: number, returned: string[], relevant: Record<string, number>): number {
  let dcg = 0;
  returned.slice(0, k).forEach((slug, i) => (dcg += gain(relevant[slug] ?? 0) / Math.log2(i + 2)));
  let idcg = 0;
  Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, k)
    .forEach((g, i) => (idcg += gain(g) / Math.log2(i + 2)));
  return idcg ? dcg / idcg : 0;
}

// ── the baseline: TF-IDF cosine + industry bonus ───────────────────────────────────────────────

interface BaselineStudio {
  slug: string;
  enterpriseId: string;
  industry: string;
  text: string;
}

export class TfidfIndustryBaseline {
  private vectors = new Map<string, Map<string, number>>();

  constructor(
    private studios: BaselineStudio[],
    private related: Map<string, Set<string>>,
    private bonus = { same: 0.1, related: 0.05 },
  ) {
    const raw = studios.map((s) => {
      const v = new Map<string, number>();
      for (const [t, w] of indexTerms(s.text)) if (t.length >= 2) v.set(t, w);
      return v;
    });
    const df = new Map<string, number>();
    for (const v of raw) for (const t of v.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    studios.forEach((s, i) => {
      let norm = 0;
      const v = new Map<string, number>();
      for (const [t, tf] of raw[i]) {
        const w = (1 + Math.log(tf)) * Math.log(studios.length / (df.get(t) ?? 1));
        if (w > 0) {
          v.set(t, w);
          norm += w * w;
        }
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, w] of v) v.set(t, w / norm);
      this.vectors.set(s.slug, v);
    });
  }

  rank(slug: string): string[] {
    const me = this.studios.find((s) => s.slug === slug);
    if (!me) return [];
    const mine = this.vectors.get(slug)!;
    return this.studios
      .filter((s) => s.enterpriseId !== me.enterpriseId)
      .map((s) => {
        let cos = 0;
        const theirs = this.vectors.get(s.slug)!;
        for (const [t, w] of mine) cos += w * (theirs.get(t) ?? 0);
        const industry = s.industry === me.industry ? this.bonus.same : this.related.get(me.industry)?.has(s.industry) ? this.bonus.related : 0;
        return { slug: s.slug, score: cos + industry };
      })
      .sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug))
      .map((s) => s.slug);
  }
}

const list = (json: string): string[] => {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? v.map(String) : [];
};

async function baselineFor(db: Db): Promise<TfidfIndustryBaseline> {
  const [studios, industries] = await Promise.all([
    db.studio.findMany({ include: { results: { where: { published: true, visibility: "public" }, select: { title: true, tags: true } } } }),
    db.industry.findMany(),
  ]);
  const related = new Map(industries.map((i) => [i.key, new Set(list(i.related))]));
  return new TfidfIndustryBaseline(
    studios.map((s) => ({
      slug: s.slug,
      enterpriseId: s.enterpriseId,
      industry: s.industryKey,
      text: [...list(s.specialties), ...s.results.flatMap((r) => [r.title, ...list(r.tags)])].join("\n"),
    })),
    related,
  );
}

// ── synthetic studios ──────────────────────────────────────────────────────────────────────────

const PLACES = [
  "郑州",
  "开封",
  "洛阳",
  "新乡",
  "许昌",
  "焦作",
  "平顶山",
  "安阳",
  "鹤壁",
  "漯河",
  "南阳",
  "商丘",
  "信阳",
  "周口",
  "驻马店",
  "济源",
  "巩义",
  "登封",
  "新郑",
  "荥阳",
  "中牟",
  "新密",
];
const NAME_WORDS = [
  "宏",
  "远",
  "华",
  "达",
  "恒",
  "信",
  "诚",
  "鑫",
  "源",
  "瑞",
  "兴",
  "盛",
  "泰",
  "通",
  "中",
  "原",
  "嵩",
  "豫",
  "金",
  "银",
  "天",
  "海",
  "博",
  "创",
  "新",
  "益",
  "和",
  "安",
  "力",
  "科",
];
const SUFFIX: Record<string, string> = {
  construction: "建设工程有限公司",
  "power-grid": "供电有限公司",
  "rail-transit": "轨道交通有限公司",
  "coal-mining": "煤矿机械有限公司",
  textiles: "纺织有限公司",
  "water-gas": "水务燃气有限公司",
  "equipment-manufacturing": "重工机械有限公司",
  automotive: "汽车零部件有限公司",
  electronics: "电子科技有限公司",
  "new-materials": "新材料股份有限公司",
  food: "食品有限公司",
  biomedicine: "生物医药有限公司",
  "aviation-equipment": "航空装备有限公司",
  "smart-building": "智能科技有限公司",
  "new-energy-vehicles": "新能源汽车有限公司",
  "energy-storage": "储能科技有限公司",
  "ai-bigdata": "数据科技有限公司",
  "smart-logistics": "智慧物流有限公司",
};
const LEVELS = ["national", "provincial", "municipal", "municipal", "municipal", "enterprise", "enterprise"];
const STATUSES = ["piloting", "in-use", "in-use", "transferred"];
const PATENT_KINDS = ["invention", "utility-model", "utility-model", "software-copyright"];

interface Vocab {
  industries: { key: string; sector: string }[];
  specialties: Map<string, string[]>; // industry → specialties used there
  allSpecialties: string[];
  needs: string[];
  results: Map<string, { title: string; tags: string[]; kind: string }[]>;
  allResults: { title: string; tags: string[]; kind: string }[];
  patents: string[];
  /** sentences of the seed studios' and results' profiles, to give synthetic rows pages of a real length */
  sentences: string[];
}

const sentencesOf = (text: string) =>
  text
    .split(/[。；\n]+/)
    .map((x) => x.trim())
    .filter((x) => x.length >= 8 && !/示例|演示|虚构|报告/.test(x));

export async function vocabulary(db: Db): Promise<Vocab> {
  const [industries, studios, results, patents] = await Promise.all([
    db.industry.findMany({ orderBy: { sortOrder: "asc" } }),
    db.studio.findMany(),
    db.result.findMany({ where: { published: true } }),
    db.patent.findMany(),
  ]);
  const specialties = new Map<string, string[]>();
  for (const s of studios) specialties.set(s.industryKey, [...new Set([...(specialties.get(s.industryKey) ?? []), ...list(s.specialties)])]);
  const byIndustry = new Map<string, { title: string; tags: string[]; kind: string }[]>();
  for (const r of results) byIndustry.set(r.industryKey, [...(byIndustry.get(r.industryKey) ?? []), { title: r.title, tags: list(r.tags), kind: r.kind }]);
  const allSpecialties = [...new Set(studios.flatMap((s) => list(s.specialties)))];
  return {
    industries: industries.map((i) => ({ key: i.key, sector: i.sector })),
    specialties,
    allSpecialties,
    needs: [...new Set([...studios.flatMap((s) => list(s.skillNeeds)), ...allSpecialties])],
    results: byIndustry,
    allResults: [...byIndustry.values()].flat(),
    patents: patents.map((p) => p.title),
    sentences: [...studios.map((s) => s.bodyText), ...results.map((r) => r.bodyText)].flatMap(sentencesOf),
  };
}

const QUALIFIERS = ["新一代", "改进型", "轻量化", "模块化", "便携式", "智能化", "标准化", "数字化", "第二代", "多场景"];

function sample<T>(rng: Rng, from: readonly T[], n: number): T[] {
  const out = new Set<T>();
  for (let guard = 0; out.size < Math.min(n, from.length) && guard < n * 20; guard++) out.add(rng.pick(from));
  return [...out];
}

const lexical = (text: string) =>
  JSON.stringify({
    root: {
      type: "root",
      version: 1,
      direction: "ltr",
      format: "",
      indent: 0,
      children: [
        { type: "paragraph", version: 1, direction: "ltr", format: "", indent: 0, children: [{ type: "text", version: 1, text, format: 0, detail: 0, mode: "normal", style: "" }] },
      ],
    },
  });

/**
 * Writes `size` synthetic studios (with results and patents) into an imported database: many
 * enterprises of one to a dozen studios each, specialties mostly from the studio's own industry,
 * needs from what other studios offer.
 */
export function writeSyntheticStudios(
  file: string,
  vocab: Vocab,
  size: number,
  seed = 20260501,
  o: { resultsPerStudio?: number } = {},
): { studios: number; results: number; patents: number; enterprises: number } {
  const rng = prng(seed);
  const sql = new Database(file);
  sql.pragma("journal_mode = WAL");
  const now = new Date().toISOString().replace("Z", "+00:00");
  const insEnterprise = sql.prepare(`INSERT INTO Enterprise (id, slug, name, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)`);
  const insStudio = sql.prepare(
    `INSERT INTO Studio (id, slug, name, enterpriseId, level, industryKey, sector, specialties, founded, honours, skillNeeds, body, bodyText, illustrative, version, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, 1, 1, ?, ?)`,
  );
  const insResult = sql.prepare(
    `INSERT INTO Result (id, slug, title, studioId, kind, industryKey, tags, benefits, status, adopters, year, awards, body, bodyText, published, visibility, illustrative, version, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, '[]', ?, ?, 1, ?, 1, 1, ?, ?)`,
  );
  const insPatent = sql.prepare(
    `INSERT INTO Patent (id, slug, number, title, kind, status, studioId, filedOn, body, bodyText, illustrative, version, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?)`,
  );
  let results = 0,
    patents = 0,
    enterprises = 0;
  const names = new Set<string>();
  const enterpriseNames: string[] = [];
  sql.transaction(() => {
    let made = 0;
    while (made < size) {
      const industry = rng.pick(vocab.industries);
      let name = `${rng.pick(PLACES)}${rng.pick(NAME_WORDS)}${rng.pick(NAME_WORDS)}${SUFFIX[industry.key] ?? "有限公司"}`;
      if (names.has(name)) name = name.replace("有限公司", `${enterprises}号有限公司`);
      names.add(name);
      const eid = `synent${enterprises}`;
      insEnterprise.run(eid, `syn-enterprise-${enterprises}`, name, now, now);
      enterpriseNames.push(name);
      enterprises++;
      // most enterprises host one to four studios; a few large groups host a dozen
      const count = Math.min(size - made, rng.chance(0.1) ? 6 + rng.int(7) : 1 + rng.int(4));
      for (let j = 0; j < count; j++, made++) {
        const ind = j === 0 || rng.chance(0.6) ? industry : rng.pick(vocab.industries);
        const own = vocab.specialties.get(ind.key) ?? vocab.allSpecialties;
        const specialties = [...new Set([...sample(rng, own, 3 + rng.int(3)), ...sample(rng, vocab.allSpecialties, 1 + rng.int(2))])];
        const needs = sample(rng, vocab.needs, rng.int(4)).filter((n) => !specialties.includes(n));
        const sid = `synstu${made}`;
        const studioName = `${enterpriseNames[enterpriseNames.length - 1].slice(0, 4)}${specialties[0]}创新工作室${made}`;
        const text = `${studioName}围绕${specialties.join("、")}开展技术攻关。${sample(rng, vocab.sentences, 8).join("。")}。${needs.length ? `工作室希望在${needs.join("、")}方面寻找合作伙伴。` : ""}`;
        insStudio.run(
          sid,
          `syn-studio-${made}`,
          studioName,
          eid,
          rng.pick(LEVELS),
          ind.key,
          ind.sector,
          JSON.stringify(specialties),
          2010 + rng.int(15),
          JSON.stringify(needs),
          lexical(text),
          text,
          now,
          now,
        );
        const pool = vocab.results.get(ind.key) ?? vocab.allResults;
        for (let r = o.resultsPerStudio ?? rng.int(4); r > 0; r--) {
          const base = rng.chance(0.8) ? rng.pick(pool) : rng.pick(vocab.allResults);
          const title = `${rng.pick(QUALIFIERS)}${base.title}`;
          const tags = [...new Set([...sample(rng, base.tags, 3 + rng.int(3)), ...(rng.chance(0.5) ? [rng.pick(specialties)] : [])])];
          const adopters = [enterpriseNames[enterpriseNames.length - 1], ...(rng.chance(0.4) ? [rng.pick(enterpriseNames)] : [])];
          const body = `${title}：${tags.join("、")}。${sample(rng, vocab.sentences, 6).join("。")}。`;
          insResult.run(
            `synres${results}`,
            `syn-result-${results}`,
            title,
            sid,
            base.kind,
            ind.key,
            JSON.stringify(tags),
            rng.pick(STATUSES),
            JSON.stringify([...new Set(adopters)]),
            2015 + rng.int(10),
            lexical(body),
            body,
            rng.chance(0.05) ? "alliance" : "public",
            now,
            now,
          );
          results++;
        }
        for (let p = rng.chance(0.5) ? 1 + rng.int(2) : 0; p > 0; p--) {
          const title = rng.pick(vocab.patents);
          insPatent.run(
            `synpat${patents}`,
            `syn-patent-${patents}`,
            `SYN${String(patents).padStart(9, "0")}.X`,
            title,
            rng.pick(PATENT_KINDS),
            "granted",
            sid,
            "2022-03-01",
            lexical(title),
            title,
            now,
            now,
          );
          patents++;
        }
      }
    }
  })();
  sql.close();
  return { studios: size, results, patents, enterprises };
}

// ── the bench ──────────────────────────────────────────────────────────────────────────────────

export interface PerStudio {
  studio: string;
  ndcg5: number;
  baseline: number;
  /** the top five findPeers returned, each with its grade (0 when unjudged) */
  top5: { slug: string; grade: number }[];
  /** judged peers of grade 3 that are not in the top five */
  missed: string[];
}

export interface PeersBench {
  ndcg5: number;
  baselineNdcg5: number;
  perStudio: PerStudio[];
  /** every peer of every seed studio: none may share the studio's enterprise, each has a reason */
  sameEnterprise: number;
  withoutReasons: number;
  latency: {
    p50: number;
    p95: number;
    p99: number;
    mean: number;
    max: number;
    /** the first call, which builds the index */
    firstMs: number;
    /** median of calls made right after an unrelated write */
    afterWriteP50: number;
    calls: number;
    studios: number;
    results: number;
    enterprises: number;
    buildMs: number;
  };
}

export interface BenchPeersOptions {
  size?: number;
  calls?: number;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface PeerQuality {
  perStudio: (PerStudio & { split: "tune" | "heldout" })[];
  sameEnterprise: number;
  withoutReasons: number;
}

type FindPeers = (slug: string, limit: number, db: Db) => Promise<{ peers: { slug: string; reasons: unknown[] }[] } | null>;

/**
 * nDCG@5 of findPeers and of the TF-IDF + industry baseline for every judged studio of a database
 * that holds one content folder, and the two rules every peer list must keep.
 */
export async function peerQuality(db: Db, judgedFile: string, findPeers: FindPeers, role?: "tune" | "heldout"): Promise<PeerQuality> {
  const judged = loadPeerJudgements(judgedFile).map((j) => (role ? { ...j, split: role } : j));
  const studios = await db.studio.findMany({ select: { slug: true, enterpriseId: true } });
  const enterpriseOf = new Map(studios.map((s) => [s.slug, s.enterpriseId]));
  for (const j of judged) {
    if (!enterpriseOf.has(j.studio)) throw new Error(`${judgedFile}: ${j.studio} is not a studio of its content folder`);
    for (const p of Object.keys(j.relevant)) {
      if (!enterpriseOf.has(p)) throw new Error(`${judgedFile}: ${j.studio} → ${p} is not a studio of its content folder`);
      if (enterpriseOf.get(p) === enterpriseOf.get(j.studio)) throw new Error(`${judgedFile}: ${j.studio} → ${p} are of the same enterprise`);
    }
  }
  const baseline = await baselineFor(db);
  const perStudio: PeerQuality["perStudio"] = [];
  for (const j of judged) {
    const found = await findPeers(j.studio, 10, db);
    const slugs = found?.peers.map((p) => p.slug) ?? [];
    const top5 = slugs.slice(0, K);
    perStudio.push({
      studio: j.studio,
      split: j.split,
      ndcg5: ndcgAt(K, slugs, j.relevant),
      baseline: ndcgAt(K, baseline.rank(j.studio), j.relevant),
      top5: top5.map((slug) => ({ slug, grade: j.relevant[slug] ?? 0 })),
      missed: Object.entries(j.relevant)
        .filter(([s, g]) => g === 3 && !top5.includes(s))
        .map(([s]) => s),
    });
  }
  let sameEnterprise = 0,
    withoutReasons = 0;
  for (const s of studios) {
    const found = await findPeers(s.slug, 50, db);
    for (const p of found?.peers ?? []) {
      if (enterpriseOf.get(p.slug) === s.enterpriseId) sameEnterprise++;
      if (!p.reasons.length) withoutReasons++;
    }
  }
  return { perStudio, sameEnterprise, withoutReasons };
}

export async function benchPeers(o: BenchPeersOptions = {}): Promise<PeersBench> {
  const size = o.size ?? 10_000;
  const calls = o.calls ?? 200;
  const log = o.log ?? ((s: string) => console.error(`· ${s}`));
  const tmp = mkdtempSync(path.join(tmpdir(), "hub-peers-"));
  // the app's modules read the environment once, on first import
  process.env.DATABASE_URL ??= `file:${path.join(tmp, "unused.db")}`;
  process.env.SESSION_SECRET ??= "bench-session-secret-0123456789";
  const { createDb } = await import("~/utils/db.server");
  const { importContent } = await import("~/models/content-import.server");
  const { findPeers } = await import("~/models/peers.server");
  const opened: Db[] = [];
  try {
    // 1. quality on the seed content
    const seedFile = path.join(tmp, "seed.db");
    migratedDatabase(seedFile);
    const seed = createDb(seedFile);
    opened.push(seed);
    const report = await importContent(seed, path.resolve("content"));
    if (!report.ok) throw new Error(`importing content/ failed: ${JSON.stringify(report.problems)}`);
    const quality = await peerQuality(seed, PEERS_JUDGED_FILE, findPeers);
    const { perStudio, sameEnterprise, withoutReasons } = quality;
    const mean = (f: (p: PerStudio) => number) => perStudio.reduce((a, p) => a + f(p), 0) / perStudio.length;

    // 2. latency among 10,000 synthetic studios
    const bigFile = path.join(tmp, "synthetic.db");
    migratedDatabase(bigFile);
    const big = createDb(bigFile);
    opened.push(big);
    const bigReport = await importContent(big, path.resolve("content"));
    if (!bigReport.ok) throw new Error("importing content/ into the synthetic database failed");
    const vocab = await vocabulary(big);
    let started = performance.now();
    const made = writeSyntheticStudios(bigFile, vocab, size);
    const buildMs = performance.now() - started;
    log(`${made.studios} synthetic studios, ${made.results} results, ${made.patents} patents, ${made.enterprises} enterprises written in ${Math.round(buildMs)} ms`);
    const slugs = (await big.studio.findMany({ select: { slug: true }, orderBy: { slug: "asc" } })).map((s) => s.slug);
    const rng = prng(7);
    started = performance.now();
    const first = await findPeers(rng.pick(slugs), 8, big);
    const firstMs = performance.now() - started;
    if (!first) throw new Error("findPeers found no studio in the synthetic database");
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const slug = i % 10 === 0 ? rng.pick(perStudio).studio : rng.pick(slugs);
      const t = performance.now();
      await findPeers(slug, 8, big);
      times.push(performance.now() - t);
    }
    const lat = summarize(times);
    // any write (a session, a notification) makes the next call check the content stamp exactly
    const afterWrite: number[] = [];
    for (let i = 0; i < 20; i++) {
      await big.loginAttempt.create({ data: { key: `bench:${i}` } });
      const t = performance.now();
      await findPeers(rng.pick(slugs), 8, big);
      afterWrite.push(performance.now() - t);
    }
    return {
      ndcg5: mean((p) => p.ndcg5),
      baselineNdcg5: mean((p) => p.baseline),
      perStudio,
      sameEnterprise,
      withoutReasons,
      latency: {
        p50: lat.p50,
        p95: lat.p95,
        p99: lat.p99,
        mean: lat.mean,
        max: lat.max,
        firstMs,
        afterWriteP50: summarize(afterWrite).p50,
        calls,
        studios: slugs.length,
        results: made.results,
        enterprises: made.enterprises,
        buildMs,
      },
    };
  } finally {
    for (const d of opened) await d.$disconnect();
    if (o.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}
