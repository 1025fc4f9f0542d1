// Relevance on a corpus: a content folder with its judged search queries and judged peers, imported
// into a database of its own. The seed content (content/, tests/relevance/queries.yaml and
// peers.yaml) is split into a tuning and a held-out half. The other corpora under tests/relevance/
// were each written blind, from their content alone, by someone who never saw the engine
// (docs/prompts/blind-corpus.md); each has one role, fixed before its first run: xuchang is for
// tuning (shown query by query), luoyang and xinxiang only measure (shown in aggregate).

import Database from "better-sqlite3";
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";
import { importContent } from "~/models/content-import.server";
import { findPeers } from "~/models/peers.server";
import { createDb } from "~/utils/db.server";
import { EmbeddedEngine } from "../../search/embedded.server";
import { BigramBM25, type BaselineDoc } from "./baselines";
import { peerQuality, type PeerQuality } from "./peers";
import { loadJudged, score, substringRecall, summarizeScores, type QueryScore, type Split } from "./relevance";
import { table } from "./util";
import { vocabularyScore, type VocabularyScore } from "./vocabulary";

export interface Corpus {
  name: string;
  content: string;
  queries: string;
  peers: string | null;
  /** the whole corpus is one set: "tune" may be looked at query by query; "heldout" only measures. Unset: the splits in its files decide. */
  role?: Split;
}

/** The blind corpora and their roles, fixed before each was first run. */
export const BLIND_CORPORA: { dir: string; name: string; role: Split }[] = [
  { dir: "tests/relevance/xuchang", name: "xuchang", role: "tune" },
  { dir: "tests/relevance/luoyang", name: "luoyang", role: "heldout" },
  { dir: "tests/relevance/xinxiang", name: "xinxiang", role: "heldout" },
];

/** A folder in the content format holding its own queries.yaml (and peers.yaml, if judged). */
export function corpusAt(dir: string, name = path.basename(path.resolve(dir)), role?: Split): Corpus {
  const peers = path.join(dir, "peers.yaml");
  return { name, content: dir, queries: path.join(dir, "queries.yaml"), peers: existsSync(peers) ? peers : null, role };
}

/** The seed corpus, the blind corpora whose folders exist, and any given with --corpus=<dir> (held out). */
export function relevanceCorpora(extra: string[] = []): Corpus[] {
  const list: Corpus[] = [{ name: "seed", content: "content", queries: "tests/relevance/queries.yaml", peers: "tests/relevance/peers.yaml" }];
  for (const c of BLIND_CORPORA) if (existsSync(path.join(c.dir, "queries.yaml"))) list.push(corpusAt(c.dir, c.name, c.role));
  for (const dir of extra) list.push(corpusAt(dir, undefined, "heldout"));
  return list;
}

export interface CorpusRelevance {
  corpus: Corpus;
  docs: number;
  engine: QueryScore[];
  baseline: QueryScore[];
  peers: PeerQuality | null;
  vocabulary: VocabularyScore;
}

export async function corpusRelevance(corpus: Corpus, baseDb: string, tmp: string): Promise<CorpusRelevance> {
  const file = path.join(tmp, `relevance-${corpus.name}.db`);
  copyFileSync(baseDb, file);
  const db = createDb(file);
  try {
    const imported = await importContent(db, path.resolve(corpus.content));
    if (!imported.ok) throw new Error(`importing ${corpus.content} failed: ${JSON.stringify(imported.problems.slice(0, 3))}`);

    const sqlite = new Database(file, { readonly: true });
    const docs = sqlite.prepare(`SELECT id, type, title, keywords, body, studio, enterprise, industry, kind, level, date FROM SearchDoc`).all() as BaselineDoc[];
    sqlite.close();
    const judged = loadJudged(corpus.queries, new Set(docs.map((d) => d.id))).map((q) => (corpus.role ? { ...q, split: corpus.role } : q));

    const engine = new EmbeddedEngine(file, { cache: false });
    const bigram = new BigramBM25(docs);
    const engineScores: QueryScore[] = [];
    const baselineScores: QueryScore[] = [];
    for (const q of judged) {
      // everything the engine returns (up to 200), for recall beyond the first page
      const ids: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const res = await engine.search({ q: q.q, filters: q.filters, page, perPage: 50 });
        ids.push(...res.hits.map((h) => `${h.type}:${h.slug}`));
        if (ids.length >= res.total || res.hits.length < 50) break;
      }
      engineScores.push(score(q, judgedTypes(ids)));
      baselineScores.push(score(q, judgedTypes(bigram.search(q.q, q.filters))));
    }
    const vocabulary = await vocabularyScore(file, engine, bigram, new Set(docs.map((d) => d.id)));
    engine.close();
    const peers = corpus.peers ? await peerQuality(db, corpus.peers, findPeers, corpus.role) : null;
    return { corpus, docs: docs.length, engine: engineScores, baseline: baselineScores, peers, vocabulary };
  } finally {
    await db.$disconnect();
  }
}

/**
 * People (type person) came into search after every judged set was written, and no judge had
 * people to grade: they are left out of both ranked lists before scoring (a condensed list, the
 * usual way to score documents nobody judged), for the engine and the baseline alike.
 */
const judgedTypes = (ids: string[]) => ids.filter((id) => !id.startsWith("person:"));

const f2 = (x: number) => (Number.isNaN(x) ? "—" : x.toFixed(3));
const SPLITS: Split[] = ["tune", "heldout"];
const splitName = (c: Corpus, s: Split) => `${c.name} ${s === "tune" ? "tuning" : "held-out"}`;

/** The sets a corpus is reported as: its two halves, or the whole of a corpus without a split. */
function sets<T extends { split: Split }>(c: Corpus, items: T[]): { label: string; split: Split; items: T[] }[] {
  return SPLITS.map((s) => ({ label: splitName(c, s), split: s, items: items.filter((i) => i.split === s) })).filter((x) => x.items.length);
}

/** One row per split: engine against the baseline. */
export function summaryRows(r: CorpusRelevance): string[][] {
  return sets(
    r.corpus,
    r.engine.map((s, i) => ({ split: s.query.split, e: s, b: r.baseline[i] })),
  ).map(({ label, items }) => {
    const e = summarizeScores(items.map((x) => x.e));
    const b = summarizeScores(items.map((x) => x.b));
    return [label, String(e.n), f2(e.ndcg), f2(b.ndcg), f2(e.recall10), f2(b.recall10)];
  });
}

export function printCorpusRelevance(r: CorpusRelevance, out: (s?: string) => void) {
  const c = r.corpus;
  out(`## Search relevance: ${c.name} (${r.docs} documents from ${c.content}, ${r.engine.length} judged queries in ${c.queries})`);
  out();
  out(table(["set", "queries", "engine nDCG@10", "BM25 nDCG@10", "engine recall@10", "BM25 recall@10"], summaryRows(r)));
  out();
  const empties = (s: QueryScore[]) => s.filter((x) => x.query.expect === "empty");
  const emptyOk = (s: QueryScore[]) => `${empties(s).filter((x) => x.ndcg === 1).length} / ${empties(s).length}`;
  const es = substringRecall(r.engine);
  const bs = substringRecall(r.baseline);
  out(
    table(
      ["all queries", "embedded engine", "bigram BM25 baseline"],
      [
        ["substring queries: judged documents returned (anywhere)", `${es.found} / ${es.judged}`, `${bs.found} / ${bs.judged}`],
        ["queries expecting nothing that got nothing", emptyOk(r.engine), emptyOk(r.baseline)],
      ],
    ),
  );
  out();
  for (const { label, split } of sets(
    c,
    r.engine.map((s) => ({ split: s.query.split })),
  )) {
    const e = r.engine.filter((s) => s.query.split === split);
    const b = r.baseline.filter((s) => s.query.split === split);
    const cats = [...new Set(e.map((s) => s.query.category))];
    out(`By category, ${label}:`);
    out();
    out(
      table(
        ["category", "queries", "engine nDCG@10", "BM25 nDCG@10", "engine recall@10", "BM25 recall@10"],
        cats.map((cat) => {
          const se = summarizeScores(e.filter((s) => s.query.category === cat));
          const sb = summarizeScores(b.filter((s) => s.query.category === cat));
          return [cat, se.n, f2(se.ndcg), f2(sb.ndcg), f2(se.recall10), f2(sb.recall10)];
        }),
      ),
    );
    out();
  }
  const tune = r.engine.filter((s) => s.query.split === "tune");
  if (tune.length) {
    const worst = [...tune].sort((a, b) => a.ndcg - b.ndcg || a.recall10 - b.recall10).slice(0, 10);
    out(`Worst queries of the tuning half (the held-out half is shown only in aggregate):`);
    out();
    out(
      table(
        ["query", "category", "nDCG@10", "recall@10", "judged 2–3 missing from the first 10", "first three returned"],
        worst.map((s) => {
          const q = s.query;
          const top = s.returned.slice(0, 10);
          const missing = Object.entries(q.relevant)
            .filter(([id, g]) => g >= 2 && !top.includes(id))
            .map(([id, g]) => `${id} (${g})`);
          const label =
            q.q +
            (Object.keys(q.filters).length
              ? ` [${Object.entries(q.filters)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(",")}]`
              : "");
          return [
            label,
            q.category,
            f2(s.ndcg),
            f2(s.recall10),
            missing.slice(0, 3).join(", ") + (missing.length > 3 ? ` +${missing.length - 3}` : "") || "—",
            s.returned.slice(0, 3).join(", ") || "(nothing)",
          ];
        }),
      ),
    );
    out();
  }
  out("recall@10 = judged documents in the first 10 / min(10, judged documents); grades 3/2/1 give gains 7/3/1.");
  out();
  const v = r.vocabulary;
  out(
    `The corpus's own vocabulary: each of its ${v.terms} Chinese tags and specialties searched as typed; a term is complete when every document listing it is returned (${v.cutApart} of them jieba cuts into two or more words: phrases, and words neither its dictionary nor search/dict.txt has).`,
  );
  out();
  out(
    table(
      ["own vocabulary", "embedded engine", "bigram BM25 (first 200)"],
      [
        ["terms with every carrier returned", `${v.engineComplete} / ${v.terms}`, `${v.baselineComplete} / ${v.terms}`],
        ["… of the terms jieba cuts apart", `${v.cutApartEngineComplete} / ${v.cutApart}`, `${v.cutApartBaselineComplete} / ${v.cutApart}`],
        ["carriers in the first 10 (mean recall@10)", f2(v.engineRecall10), f2(v.baselineRecall10)],
      ],
    ),
  );
  out();
  if (c.name === "seed" && v.missed.length) {
    out(`Terms with a carrier the engine does not return: ${v.missed.slice(0, 20).join(", ")}${v.missed.length > 20 ? ` +${v.missed.length - 20}` : ""}`);
    out();
  }
  if (r.peers) printPeers(r, out);
}

export function peerRows(r: CorpusRelevance): string[][] {
  if (!r.peers) return [];
  return sets(r.corpus, r.peers.perStudio).map(({ label, items }) => {
    const mean = (f: (p: (typeof items)[number]) => number) => items.reduce((a, p) => a + f(p), 0) / items.length;
    return [label, String(items.length), f2(mean((p) => p.ndcg5)), f2(mean((p) => p.baseline))];
  });
}

function printPeers(r: CorpusRelevance, out: (s?: string) => void) {
  const p = r.peers!;
  out(`## Peer matching: ${r.corpus.name} (${p.perStudio.length} judged studios in ${r.corpus.peers})`);
  out();
  out(table(["set", "studios", "findPeers nDCG@5", "TF-IDF + industry nDCG@5"], peerRows(r)));
  out();
  out(`same-enterprise peers shown: ${p.sameEnterprise}; peers without a reason: ${p.withoutReasons} (both must be 0)`);
  out();
  const tune = p.perStudio.filter((s) => s.split === "tune");
  if (tune.length) {
    out("Tuning studios, worst first:");
    out();
    out(
      table(
        ["studio", "findPeers", "baseline", "top 5 (grade)", "grade-3 peers missed"],
        [...tune]
          .sort((a, b) => a.ndcg5 - b.ndcg5 || a.studio.localeCompare(b.studio))
          .map((s) => [s.studio, f2(s.ndcg5), f2(s.baseline), s.top5.map((t) => `${t.slug}(${t.grade})`).join(" "), s.missed.join(" ") || "—"]),
      ),
    );
    out();
  }
}
