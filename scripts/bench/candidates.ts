// The candidates bench (issue 12, 配送): how well GET /api/needs/:slug/candidates ranks studios for
// a need, against a bigram TF-IDF baseline in the same run.
//
// 1. On every judgments file that exists — tests/relevance/need-candidates.yaml (the seed needs)
//    and tests/relevance/luoyang/candidates.yaml (the second corpus, with its content folder) —
//    nDCG@5, "the first candidate can deliver directly", what share of the listed candidates are
//    judged fits, and whether needs judged to have no fit get an empty list. A missing file is
//    skipped with a note. Both files are written by people who have not seen the engine. A file
//    with `splits:` is reported per split: the "tune" needs may be looked at one by one (their
//    rows and the sweeps of the fit threshold, the listing floor and the ranking blend are printed),
//    the "heldout" needs only as an aggregate row. The second corpus only measures: its aggregate
//    row is printed, never a per-need row or a sweep.
// 2. The fit threshold, on each content folder without any judgment: results turned into
//    pseudo-needs (title, tags and body, the result itself hidden) must still find their own studio,
//    and invented needs about things no studio here does must find nothing. A sweep over the
//    threshold shows what each value keeps and lets through (the engine's value alone for a set
//    that only measures).

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { findCandidates } from "~/models/candidates.server";
import { evidenceIndex } from "~/models/candidates/evidence.server";
import { bestFit, MIN_SCORE, RELATIVE, SHOWN_FOR_FIT, scoreNeed, shortlist, WEIGHTS, type NeedQuery } from "~/models/candidates/score.server";
import { importContent } from "~/models/content-import.server";
import { createDb, type Db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { writeFiles } from "../../tests/fixtures/content";
import { bigrams } from "./baselines";
import { migratedDatabase, ms, summarize, table } from "./util";

/**
 * `detail`: per-need rows and threshold sweeps are printed (for the seed, on its tuning split only).
 * The second corpus only measures: its aggregate rows are printed, never a per-need row or a sweep.
 */
export const CANDIDATE_SETS: CandidateSet[] = [
  { name: "seed needs", judgments: "tests/relevance/need-candidates.yaml", content: "content", detail: true },
  { name: "xuchang (blind, for tuning)", judgments: "tests/relevance/xuchang/candidates.yaml", content: "tests/relevance/xuchang", detail: true },
  { name: "second corpus (luoyang)", judgments: "tests/relevance/luoyang/candidates.yaml", content: "tests/relevance/luoyang", detail: false },
  { name: "xinxiang (blind, held out)", judgments: "tests/relevance/xinxiang/candidates.yaml", content: "tests/relevance/xinxiang", detail: false },
];
export interface CandidateSet {
  name: string;
  judgments: string;
  content: string;
  detail: boolean;
}
const K = 5;

// ── judgments ──────────────────────────────────────────────────────────────────────────────────

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/);
const Judged = z.object({ grade: z.number().int().min(0).max(3), direct: z.boolean().default(false) });
const JudgmentsFile = z.object({
  needs: z.record(Slug, z.record(Slug, Judged).nullable()),
  /** fixed before tuning: "tune" may be looked at need by need, "heldout" only measures */
  splits: z.object({ tune: z.array(Slug), heldout: z.array(Slug) }).optional(),
});

export interface NeedJudgement {
  need: string;
  studios: Record<string, { grade: number; direct: boolean }>;
  split?: "tune" | "heldout";
}

export function loadNeedJudgements(file: string): NeedJudgement[] {
  const parsed = JudgmentsFile.parse(parse(readFileSync(file, "utf8")));
  const split = (need: string) => (parsed.splits?.tune.includes(need) ? "tune" : parsed.splits?.heldout.includes(need) ? "heldout" : undefined);
  return Object.entries(parsed.needs).map(([need, studios]) => ({ need, studios: studios ?? {}, split: split(need) }));
}

const gain = (g: number) => 2 ** g - 1;
export function ndcgAt(k: number, returned: string[], judged: NeedJudgement["studios"]): number {
  let dcg = 0;
  returned.slice(0, k).forEach((slug, i) => (dcg += gain(judged[slug]?.grade ?? 0) / Math.log2(i + 2)));
  let idcg = 0;
  Object.values(judged)
    .map((j) => j.grade)
    .sort((a, b) => b - a)
    .slice(0, k)
    .forEach((g, i) => (idcg += gain(g) / Math.log2(i + 2)));
  return idcg ? dcg / idcg : 0;
}

// ── the baseline: character-bigram TF-IDF cosine, need text vs studio evidence text ───────────

interface NeedRow {
  slug: string;
  enterpriseId: string;
  industry: string;
  title: string;
  tags: string[];
  text: string;
}

class BigramTfidf {
  private vectors: { slug: string; enterpriseId: string; v: Map<string, number> }[] = [];
  private idf = new Map<string, number>();
  constructor(studios: { slug: string; enterpriseId: string; text: string }[]) {
    const tfs = studios.map((s) => count(bigrams(s.text)));
    const df = new Map<string, number>();
    for (const tf of tfs) for (const g of tf.keys()) df.set(g, (df.get(g) ?? 0) + 1);
    for (const [g, n] of df) this.idf.set(g, Math.log(studios.length / n) + 1);
    this.vectors = studios.map((s, i) => ({ slug: s.slug, enterpriseId: s.enterpriseId, v: this.unit(tfs[i]) }));
  }
  private unit(tf: Map<string, number>) {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [g, n] of tf) {
      const w = (1 + Math.log(n)) * (this.idf.get(g) ?? 0);
      if (w > 0) {
        v.set(g, w);
        norm += w * w;
      }
    }
    norm = Math.sqrt(norm) || 1;
    for (const [g, w] of v) v.set(g, w / norm);
    return v;
  }
  rank(need: NeedRow, k = 10): string[] {
    const q = this.unit(count(bigrams(need.text)));
    return this.vectors
      .filter((s) => s.enterpriseId !== need.enterpriseId)
      .map((s) => {
        let dot = 0;
        for (const [g, w] of q) dot += w * (s.v.get(g) ?? 0);
        return { slug: s.slug, dot };
      })
      .filter((x) => x.dot > 0)
      .sort((a, b) => b.dot - a.dot || a.slug.localeCompare(b.slug))
      .slice(0, k)
      .map((x) => x.slug);
  }
}

function count(grams: string[]) {
  const m = new Map<string, number>();
  for (const g of grams) m.set(g, (m.get(g) ?? 0) + 1);
  return m;
}

export async function baselineFor(db: Db): Promise<BigramTfidf> {
  const studios = await db.studio.findMany({
    include: { results: { where: { published: true, visibility: "public" } }, patents: true },
  });
  return new BigramTfidf(
    studios.map((s) => ({
      slug: s.slug,
      enterpriseId: s.enterpriseId,
      text: [
        ...parseList(s.specialties),
        s.bodyText,
        ...s.results.flatMap((r) => [r.title, ...parseList(r.tags), ...parseList(r.benefits), r.bodyText]),
        ...s.patents.flatMap((p) => [p.title, p.bodyText]),
      ].join("\n"),
    })),
  );
}

/** The query the engine gets for a need: its title, tags and the problem as written (flattened body). */
export function needQueryOf(n: { enterpriseId: string; industry: string; title: string; tags: string[]; text?: string }): NeedQuery {
  return { enterpriseId: n.enterpriseId, industry: n.industry, title: n.title, tags: n.tags, text: n.text ?? [n.title, ...n.tags].join("\n") };
}

export async function needRows(db: Db): Promise<Map<string, NeedRow>> {
  const needs = await db.need.findMany();
  return new Map(
    needs.map((n) => [
      n.slug,
      {
        slug: n.slug,
        enterpriseId: n.enterpriseId,
        industry: n.industryKey,
        title: n.title,
        tags: parseList(n.tags),
        text: [n.title, ...parseList(n.tags), n.bodyText].join("\n"),
      },
    ]),
  );
}

// ── one corpus ─────────────────────────────────────────────────────────────────────────────────

export async function corpusDb(tmp: string, contentDir: string, name: string): Promise<Db> {
  const file = path.join(tmp, `${name.replace(/\W+/g, "-")}.db`);
  migratedDatabase(file);
  const db = createDb(file);
  if (!existsSync(path.join(contentDir, "taxonomy.yaml"))) {
    // a folder that relies on the seed's industries gets them first
    const dir = writeFiles(mkdtempSync(path.join(tmp, "taxonomy-")), { "taxonomy.yaml": readFileSync("content/taxonomy.yaml", "utf8") });
    const t = await importContent(db, dir);
    if (!t.ok) throw new Error(`importing the seed taxonomy failed: ${JSON.stringify(t.problems.slice(0, 3))}`);
  }
  const report = await importContent(db, contentDir);
  if (!report.ok)
    throw new Error(
      `importing ${contentDir} failed:\n${report.problems
        .slice(0, 8)
        .map((p) => JSON.stringify(p))
        .join("\n")}`,
    );
  return db;
}

interface PerNeed {
  need: string;
  split?: "tune" | "heldout";
  engine: string[];
  baseline: string[];
  ndcg: number;
  baseNdcg: number;
  fits: number;
  direct: string[];
}

/** The figures over a group of needs (a split, or the whole file). */
export interface Aggregate {
  group: string;
  needs: number;
  ndcg5: number;
  baseNdcg5: number;
  direct1: number;
  baseDirect1: number;
  directNeeds: number;
  precision: number;
  basePrecision5: number;
  listed: number;
  noFit: { needs: number; engineEmpty: number; baselineEmpty: number };
}

export interface JudgedOutcome {
  name: string;
  file: string;
  detail: boolean;
  /** per need: only the needs that may be looked at one by one (the tuning split, or every need of a file without splits) */
  perNeed: PerNeed[];
  missing: string[];
  groups: Aggregate[];
  sweep: { minScore: number; ndcg5: number; direct1: number; noFitEmpty: number; listed: number }[];
  /** on the same needs: the listing floor and the ranking blend swept, each with the other at the engine's value */
  floors: { value: number; ndcg5: number; direct1: number; listed: number }[];
  blends: { value: number; ndcg5: number; direct1: number; listed: number }[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const SWEEP = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];
const FLOORS = [0, 0.05, 0.1, 0.15, 0.2, 0.3];
const BLENDS = [0, 0.25, 0.4, 0.5, 0.6, 0.75, 1];
export const ALL_PUBLIC = (r: { published: boolean; visibility: string }) => r.published && r.visibility === "public";

function aggregate(group: string, perNeed: PerNeed[], judgedOf: Map<string, NeedJudgement["studios"]>): Aggregate {
  const withFit = perNeed.filter((p) => p.fits > 0);
  const withDirect = perNeed.filter((p) => p.direct.length > 0);
  const noFit = perNeed.filter((p) => p.fits === 0);
  const good = (p: PerNeed, s: string) => (judgedOf.get(p.need)![s]?.grade ?? 0) > 0;
  const listedEngine = withFit.flatMap((p) => p.engine);
  const base5 = withFit.flatMap((p) => p.baseline.slice(0, K));
  return {
    group,
    needs: perNeed.length,
    ndcg5: mean(withFit.map((p) => p.ndcg)),
    baseNdcg5: mean(withFit.map((p) => p.baseNdcg)),
    direct1: mean(withDirect.map((p) => (p.engine[0] && p.direct.includes(p.engine[0]) ? 1 : 0))),
    baseDirect1: mean(withDirect.map((p) => (p.baseline[0] && p.direct.includes(p.baseline[0]) ? 1 : 0))),
    directNeeds: withDirect.length,
    precision: listedEngine.length ? withFit.flatMap((p) => p.engine.filter((s) => good(p, s))).length / listedEngine.length : NaN,
    basePrecision5: base5.length ? withFit.flatMap((p) => p.baseline.slice(0, K).filter((s) => good(p, s))).length / base5.length : NaN,
    listed: mean(withFit.map((p) => p.engine.length)),
    noFit: { needs: noFit.length, engineEmpty: noFit.filter((p) => !p.engine.length).length, baselineEmpty: noFit.filter((p) => !p.baseline.length).length },
  };
}

async function judged(db: Db, set: CandidateSet, o: { tuneOnly: boolean }): Promise<JudgedOutcome> {
  const judgements = loadNeedJudgements(set.judgments);
  const hasSplits = judgements.some((j) => j.split);
  // while tuning (--tune-only), the held-out needs are not even run
  const run = o.tuneOnly && hasSplits ? judgements.filter((j) => j.split === "tune") : judgements;
  const lookable = (j: { split?: string }) => set.detail && (!hasSplits || j.split === "tune");
  const rows = await needRows(db);
  const baseline = await baselineFor(db);
  const index = await evidenceIndex(db);
  const perNeed: PerNeed[] = [];
  const missing: string[] = [];
  const lists = new Map<number, Map<string, string[]>>(SWEEP.map((m) => [m, new Map()]));
  const floorLists = new Map<number, Map<string, string[]>>(FLOORS.map((m) => [m, new Map()]));
  const blendLists = new Map<number, Map<string, string[]>>(BLENDS.map((m) => [m, new Map()]));
  for (const j of run) {
    const row = rows.get(j.need);
    const found = await findCandidates(j.need, { db });
    if (!row || !found) {
      missing.push(j.need);
      continue;
    }
    const engine = found.candidates.map((c) => c.slug);
    const base = baseline.rank(row);
    const fits = Object.values(j.studios).filter((s) => s.grade > 0).length;
    const direct = Object.entries(j.studios)
      .filter(([, s]) => s.direct)
      .map(([slug]) => slug);
    perNeed.push({ need: j.need, split: j.split, engine, baseline: base, ndcg: ndcgAt(K, engine, j.studios), baseNdcg: ndcgAt(K, base, j.studios), fits, direct });
    if (lookable(j)) {
      const scored = scoreNeed(index, needQueryOf(row), ALL_PUBLIC);
      const slugs = (xs: { studio: { slug: string } }[]) => xs.map((c) => c.studio.slug);
      for (const m of SWEEP) lists.get(m)!.set(j.need, slugs(shortlist(scored, row.tags.length > 0, { minScore: m })));
      for (const m of FLOORS) floorLists.get(m)!.set(j.need, slugs(shortlist(scored, row.tags.length > 0, { minScore: MIN_SCORE, relative: m })));
      for (const b of BLENDS) blendLists.get(b)!.set(j.need, slugs(shortlist(scoreNeed(index, needQueryOf(row), ALL_PUBLIC, { blend: b }), row.tags.length > 0)));
    }
  }
  const judgedOf = new Map(judgements.map((j) => [j.need, j.studios]));
  const groups = hasSplits
    ? [
        aggregate(
          "tune",
          perNeed.filter((p) => p.split === "tune"),
          judgedOf,
        ),
        ...(o.tuneOnly
          ? []
          : [
              aggregate(
                "heldout",
                perNeed.filter((p) => p.split === "heldout"),
                judgedOf,
              ),
              aggregate("all", perNeed, judgedOf),
            ]),
      ]
    : [aggregate("all", perNeed, judgedOf)];
  const looked = perNeed.filter(lookable);
  const withFit = looked.filter((p) => p.fits > 0);
  const withDirect = looked.filter((p) => p.direct.length > 0);
  const noFit = looked.filter((p) => p.fits === 0);
  const figures = (l: Map<string, string[]>) => ({
    ndcg5: mean(withFit.map((p) => ndcgAt(K, l.get(p.need) ?? [], judgedOf.get(p.need)!))),
    direct1: mean(
      withDirect.map((p) => {
        const first = l.get(p.need)?.[0];
        return first && p.direct.includes(first) ? 1 : 0;
      }),
    ),
    listed: mean(withFit.map((p) => (l.get(p.need) ?? []).length)),
  });
  return {
    name: set.name,
    file: set.judgments,
    detail: set.detail,
    perNeed: looked,
    missing,
    groups,
    floors: !looked.length ? [] : FLOORS.map((value) => ({ value, ...figures(floorLists.get(value)!) })),
    blends: !looked.length ? [] : BLENDS.map((value) => ({ value, ...figures(blendLists.get(value)!) })),
    sweep: !looked.length
      ? []
      : SWEEP.map((m) => {
          const l = lists.get(m)!;
          return {
            minScore: m,
            ndcg5: mean(withFit.map((p) => ndcgAt(K, l.get(p.need) ?? [], judgedOf.get(p.need)!))),
            direct1: mean(
              withDirect.map((p) => {
                const first = l.get(p.need)?.[0];
                return first && p.direct.includes(first) ? 1 : 0;
              }),
            ),
            noFitEmpty: noFit.filter((p) => !(l.get(p.need) ?? []).length).length,
            listed: mean(withFit.map((p) => (l.get(p.need) ?? []).length)),
          };
        }),
  };
}

// ── the threshold, without judgments ───────────────────────────────────────────────────────────

/** Needs about things an industrial studio does not do; invented here, not taken from any corpus. */
export const OFF_TOPIC = [
  { title: "跨境电商直播带货运营", tags: ["直播运营", "跨境电商"] },
  { title: "乏燃料后处理工艺咨询", tags: ["乏燃料后处理", "核化工"] },
  { title: "婚纱摄影门店客流提升", tags: ["婚纱摄影", "门店营销"] },
  { title: "幼儿园课程体系设计", tags: ["学前教育", "课程设计"] },
  { title: "古籍修复与装裱", tags: ["古籍修复", "书画装裱"] },
  { title: "葡萄酒酿造与品鉴培训", tags: ["葡萄酒酿造", "品鉴"] },
  { title: "宠物医院诊疗流程优化", tags: ["宠物诊疗", "门诊管理"] },
  { title: "短视频账号内容策划", tags: ["短视频运营", "内容策划"] },
  { title: "中药材种植基地土壤改良", tags: ["中药材种植", "土壤改良"] },
  { title: "民宿品牌设计与推广", tags: ["民宿运营", "品牌设计"] },
  { title: "法律合规审查外包", tags: ["合同审查", "法律合规"] },
  { title: "马拉松赛事组织", tags: ["赛事组织", "志愿者管理"] },
];

export interface ThresholdOutcome {
  name: string;
  pseudo: number;
  offTopic: number;
  rows: { minScore: number; ownerKept: number; ownerFirst: number; listed: number; offTopicWithAny: number }[];
  /** the fit threshold at the engine's value, and the number of wanted skills shown in full that makes a fit whatever the score */
  shown: { value: number; ownerKept: number; ownerFirst: number; listed: number; offTopicWithAny: number }[];
  /** the best score any off-topic need gives a studio that passes every cut but the score */
  offTopicMax: { score: number; need: string; studio: string };
}

async function threshold(db: Db, set: CandidateSet): Promise<ThresholdOutcome> {
  const name = set.name;
  const index = await evidenceIndex(db);
  const results = await db.result.findMany({ where: { published: true, visibility: "public" }, include: { studio: true } });
  const pseudo = results.map((r) => {
    // the result is hidden, so its own studio must be found through the rest of its evidence
    const hide = (x: { slug: string; published: boolean; visibility: string }) => ALL_PUBLIC(x) && x.slug !== r.slug;
    // its own words stand for the problem as a need would describe it
    const text = [r.title, ...parseList(r.tags), r.bodyText].join("\n");
    const scored = scoreNeed(index, needQueryOf({ enterpriseId: "", industry: r.industryKey, title: r.title, tags: parseList(r.tags), text }), hide);
    return { owner: r.studio.slug, scored, hasTags: parseList(r.tags).length > 0 };
  });
  const off = OFF_TOPIC.map((n) => ({
    title: n.title,
    scored: scoreNeed(index, needQueryOf({ enterpriseId: "", industry: "", title: n.title, tags: n.tags }), ALL_PUBLIC),
    hasTags: true,
  }));
  let offTopicMax = { score: 0, need: "—", studio: "—" };
  for (const o of off) {
    const best = bestFit(o.scored, o.hasTags);
    if (best && best.fit > offTopicMax.score) offTopicMax = { score: best.fit, need: o.title, studio: best.studio.slug };
  }
  const figures = (cut: { minScore: number; shownForFit?: number }) => {
    const lists = pseudo.map((p) => ({ owner: p.owner, list: shortlist(p.scored, p.hasTags, cut).map((c) => c.studio.slug) }));
    return {
      ownerKept: mean(lists.map((l) => (l.list.includes(l.owner) ? 1 : 0))),
      ownerFirst: mean(lists.map((l) => (l.list[0] === l.owner ? 1 : 0))),
      listed: mean(lists.map((l) => l.list.length)),
      offTopicWithAny: off.filter((o) => shortlist(o.scored, o.hasTags, cut).length > 0).length,
    };
  };
  return {
    name,
    pseudo: pseudo.length,
    offTopic: off.length,
    offTopicMax,
    shown: (set.detail ? [1, 2, 3, Infinity] : []).map((value) => ({ value, ...figures({ minScore: MIN_SCORE, shownForFit: value }) })),
    // a set that only measures gets the engine's own setting, no sweep
    rows: (set.detail ? SWEEP : [MIN_SCORE]).map((m) => {
      const cut = { minScore: m };
      const lists = pseudo.map((p) => ({ owner: p.owner, list: shortlist(p.scored, p.hasTags, cut).map((c) => c.studio.slug) }));
      return {
        minScore: m,
        ownerKept: mean(lists.map((l) => (l.list.includes(l.owner) ? 1 : 0))),
        ownerFirst: mean(lists.map((l) => (l.list[0] === l.owner ? 1 : 0))),
        listed: mean(lists.map((l) => l.list.length)),
        offTopicWithAny: off.filter((o) => shortlist(o.scored, o.hasTags, cut).length > 0).length,
      };
    }),
  };
}

// ── speed ──────────────────────────────────────────────────────────────────────────────────────

async function latency(db: Db) {
  const needs = (await db.need.findMany({ select: { slug: true } })).map((n) => n.slug);
  let t = performance.now();
  await findCandidates(needs[0] ?? "", { db });
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const slug of needs) {
      t = performance.now();
      await findCandidates(slug, { db });
      times.push(performance.now() - t);
    }
  }
  return { needs: needs.length, firstMs, ...summarize(times) };
}

// ── the whole bench ────────────────────────────────────────────────────────────────────────────

/** `tuneOnly`: only the seed's tuning needs are run (while changing the engine); nothing else is printed. */
export async function benchCandidates(out: (s?: string) => void, log: (s: string) => void = () => {}, sets = CANDIDATE_SETS, o = { tuneOnly: false }): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), "hub-candidates-"));
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");
  const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : "—");
  try {
    const outcomes: JudgedOutcome[] = [];
    const thresholds: (ThresholdOutcome & { detail: boolean })[] = [];
    const speeds: { name: string; needs: number; firstMs: number; p50: number; p95: number }[] = [];
    for (const set of o.tuneOnly ? sets.filter((x) => x.detail) : sets) {
      if (!existsSync(set.content)) {
        out(`\n_${set.name}: content folder ${set.content} does not exist yet — skipped._`);
        continue;
      }
      log(`candidates: ${set.name} …`);
      const db = await corpusDb(tmp, set.content, set.name);
      try {
        speeds.push({ name: set.name, ...(await latency(db)) });
        thresholds.push({ ...(await threshold(db, set)), detail: set.detail });
        if (existsSync(set.judgments)) outcomes.push(await judged(db, set, o));
        else out(`\n_${set.name}: ${set.judgments} does not exist yet — no judged figures for it._`);
      } finally {
        await db.$disconnect();
      }
    }

    if (outcomes.length) {
      out(`\n## Need → studio candidates, judged (nDCG@${K}; engine as served, baseline: character-bigram TF-IDF, need text vs studio evidence text)\n`);
      out(
        table(
          [
            "set",
            "split",
            "needs",
            `engine nDCG@${K}`,
            `baseline nDCG@${K}`,
            "1st can deliver directly: engine",
            "baseline",
            "listed that are fits (engine)",
            `baseline top ${K} that are fits`,
            "mean list length (engine)",
            "no-fit needs left empty: engine",
            "baseline",
          ],
          outcomes.flatMap((o) =>
            o.groups.map((g) => [
              o.name,
              g.group,
              g.needs,
              f(g.ndcg5),
              f(g.baseNdcg5),
              `${pct(g.direct1)} of ${g.directNeeds}`,
              pct(g.baseDirect1),
              pct(g.precision),
              pct(g.basePrecision5),
              g.listed.toFixed(1),
              `${g.noFit.engineEmpty} of ${g.noFit.needs}`,
              `${g.noFit.baselineEmpty} of ${g.noFit.needs}`,
            ]),
          ),
        ),
      );
      out(`\ntargets (issue 12): nDCG@${K} ≥ 0.93 and the first candidate able to deliver directly for ≥ 90% of needs, on every set`);
      for (const o of outcomes) {
        if (o.missing.length) out(`\n${o.name}: judged needs not in the content: ${o.missing.join(", ")}`);
        if (!o.perNeed.length) continue; // a set that only measures: no per-need rows, no sweep
        const judgedStudios = new Map(loadNeedJudgements(o.file).map((j) => [j.need, j.studios]));
        out(`\n### ${o.name}: the tuning needs, worst first (${o.file})\n`);
        out(
          table(
            ["need", "engine", "baseline", "engine's list (grade, * = direct)", "judged fits"],
            [...o.perNeed]
              .sort((a, b) => a.ndcg - b.ndcg || a.need.localeCompare(b.need))
              .map((p) => {
                const js = judgedStudios.get(p.need)!;
                const mark = (s: string) => `${s}(${js[s]?.grade ?? 0}${js[s]?.direct ? "*" : ""})`;
                return [
                  p.need,
                  p.fits ? f(p.ndcg) : p.engine.length ? "listed" : "empty ✓",
                  p.fits ? f(p.baseNdcg) : "—",
                  p.engine.slice(0, K).map(mark).join(" ") || "—",
                  String(p.fits),
                ];
              }),
          ),
        );
        out(`\n${o.name}, tuning needs: the fit threshold swept (the engine's is ${MIN_SCORE})\n`);
        out(
          table(
            ["min score", `nDCG@${K}`, "1st direct", "no-fit needs left empty", "mean list length"],
            o.sweep.map((s) => [
              s.minScore === MIN_SCORE ? `${s.minScore} ←` : String(s.minScore),
              f(s.ndcg5),
              pct(s.direct1),
              `${s.noFitEmpty} of ${o.perNeed.filter((p) => !p.fits).length}`,
              s.listed.toFixed(1),
            ]),
          ),
        );
        const swept = (rows: { value: number; ndcg5: number; direct1: number; listed: number }[], engine: number) =>
          rows.map((s) => [s.value === engine ? `${s.value} ←` : String(s.value), f(s.ndcg5), pct(s.direct1), s.listed.toFixed(1)]);
        out(`\n${o.name}, tuning needs: the share of the best score other studios are listed from, once the need has a fit (the engine's is ${RELATIVE})\n`);
        out(table(["share of the best", `nDCG@${K}`, "1st direct", "mean list length"], swept(o.floors, RELATIVE)));
        out(`\n${o.name}, tuning needs: the ranking blend, coverage evidence share (the rest the character-pair TF-IDF cosine; the engine's is ${WEIGHTS.blend})\n`);
        out(table(["coverage share", `nDCG@${K}`, "1st direct", "mean list length"], swept(o.blends, WEIGHTS.blend)));
      }
    }

    if (thresholds.length) {
      out(`\n## Need → studio candidates: the score threshold, without judgments\n`);
      out(
        `Each public result as a pseudo-need (its title and tags, its body as the problem, the result itself hidden, no enterprise excluded): is its own studio still listed, and first? And ${OFF_TOPIC.length} invented needs about things no studio here does (scripts/bench/candidates.ts OFF_TOPIC): how many get any candidate?\n`,
      );
      for (const t of thresholds) {
        out(`\n### ${t.name}: ${t.pseudo} pseudo-needs, ${t.offTopic} off-topic needs\n`);
        out(
          table(
            ["min score", "own studio listed", "own studio first", "mean list length", "off-topic needs with a candidate"],
            t.rows.map((r) => [
              r.minScore === MIN_SCORE ? `${r.minScore} ←` : String(r.minScore),
              pct(r.ownerKept),
              pct(r.ownerFirst),
              r.listed.toFixed(1),
              `${r.offTopicWithAny} of ${t.offTopic}`,
            ]),
          ),
        );
        if (t.shown.length) {
          out(
            `\n${t.name}: the number of wanted skills one studio shows in full (each in a specialty, result or patent) that makes a real fit whatever the score (the engine's is ${SHOWN_FOR_FIT}; ∞: the score alone decides)\n`,
          );
          out(
            table(
              ["skills shown in full", "own studio listed", "own studio first", "mean list length", "off-topic needs with a candidate"],
              t.shown.map((r) => [
                r.value === SHOWN_FOR_FIT ? `${r.value} ←` : r.value === Infinity ? "∞" : String(r.value),
                pct(r.ownerKept),
                pct(r.ownerFirst),
                r.listed.toFixed(1),
                `${r.offTopicWithAny} of ${t.offTopic}`,
              ]),
            ),
          );
        }
        if (t.detail)
          out(`
highest score of an off-topic need: ${f(t.offTopicMax.score)} (${t.offTopicMax.need} → ${t.offTopicMax.studio}); the engine suggests nothing below ${MIN_SCORE}`);
      }
    }
    if (speeds.length) {
      out(`\n## findCandidates latency (every need of the folder, 20 rounds)\n`);
      out(
        table(
          ["set", "needs", "first call (builds the evidence index)", "p50", "p95"],
          speeds.map((x) => [x.name, x.needs, `${ms(x.firstMs)} ms`, `${ms(x.p50)} ms`, `${ms(x.p95)} ms`]),
        ),
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// npx tsx scripts/bench/candidates.ts [--tune-only] [--set=<content folder>:<judgments file>] — this bench
// on its own, on the judged sets or on another folder (to try the bench itself on a made-up one).
// --tune-only runs the seed's tuning needs and nothing else: what to look at while changing the engine.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve("scripts/bench/candidates.ts")) {
  const given = process.argv
    .filter((a) => a.startsWith("--set="))
    .map((a) => {
      const [content, judgments] = a.slice("--set=".length).split(":");
      return { name: content, content, judgments, detail: true };
    });
  const tuneOnly = process.argv.includes("--tune-only");
  await benchCandidates(
    (s = "") => console.log(s),
    (s) => console.error(`· ${s}`),
    given.length ? given : CANDIDATE_SETS,
    { tuneOnly },
  );
}
