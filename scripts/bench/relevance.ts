// Relevance over the judged query set (tests/relevance/queries.yaml): nDCG@10, recall@10 and,
// for words inside longer words, recall over everything returned.

import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { FACETS, type FacetName } from "../../search/engine";

const Judged = z.strictObject({
  q: z.string().min(1),
  category: z.string().min(1),
  /** tune: may be looked at query by query; heldout: only measures (a file without splits is all held out) */
  split: z.enum(["tune", "heldout"]).optional(),
  substring: z.boolean().optional(),
  filters: z.partialRecord(z.enum(FACETS), z.string()).optional(),
  expect: z.literal("empty").optional(),
  relevant: z.record(z.string().regex(/^(studio|result|patent|need):[a-z0-9-]+$/), z.union([z.literal(1), z.literal(2), z.literal(3)])).optional(),
});
export type Split = "tune" | "heldout";
export type JudgedQuery = Omit<z.infer<typeof Judged>, "split"> & { split: Split; filters: Partial<Record<FacetName, string>>; relevant: Record<string, number> };

export function loadJudged(file: string, knownIds?: Set<string>): JudgedQuery[] {
  const raw = parse(readFileSync(file, "utf8")) as { queries?: unknown };
  const list = z.array(Judged).min(1).parse(raw.queries);
  return list.map((q, i) => {
    if (!q.expect && !q.relevant) throw new Error(`${file}: query ${i + 1} (${q.q}) lists no relevant documents and does not expect an empty result`);
    if (q.expect && q.relevant && Object.keys(q.relevant).length) throw new Error(`${file}: query ${i + 1} (${q.q}) expects nothing but lists relevant documents`);
    for (const id of Object.keys(q.relevant ?? {})) {
      if (knownIds && !knownIds.has(id)) throw new Error(`${file}: query ${i + 1} (${q.q}) judges ${id}, which is not a document of its content folder`);
    }
    return { ...q, split: q.split ?? "heldout", filters: q.filters ?? {}, relevant: q.relevant ?? {} };
  });
}

export interface QueryScore {
  query: JudgedQuery;
  ndcg: number;
  recall10: number;
  /** share of the judged documents returned anywhere in the result list */
  recallAll: number;
  returned: string[];
}

const gain = (g: number) => 2 ** g - 1;

/** Scores one ranked list. A query that expects nothing is right only when nothing comes back. */
export function score(query: JudgedQuery, returned: string[]): QueryScore {
  if (query.expect === "empty") {
    const ok = returned.length === 0 ? 1 : 0;
    return { query, ndcg: ok, recall10: ok, recallAll: ok, returned };
  }
  const rel = query.relevant;
  const top = returned.slice(0, 10);
  let dcg = 0;
  top.forEach((id, i) => (dcg += gain(rel[id] ?? 0) / Math.log2(i + 2)));
  const ideal = Object.values(rel)
    .sort((a, b) => b - a)
    .slice(0, 10);
  let idcg = 0;
  ideal.forEach((g, i) => (idcg += gain(g) / Math.log2(i + 2)));
  const judged = Object.keys(rel);
  const found10 = top.filter((id) => rel[id]).length;
  const all = new Set(returned);
  const foundAll = judged.filter((id) => all.has(id)).length;
  return {
    query,
    ndcg: idcg ? dcg / idcg : 0,
    recall10: found10 / Math.min(10, judged.length),
    recallAll: foundAll / judged.length,
    returned,
  };
}

export interface Summary {
  n: number;
  ndcg: number;
  recall10: number;
}

export function summarizeScores(scores: QueryScore[]): Summary {
  const n = scores.length;
  const avg = (f: (s: QueryScore) => number) => (n ? scores.reduce((a, s) => a + f(s), 0) / n : NaN);
  return { n, ndcg: avg((s) => s.ndcg), recall10: avg((s) => s.recall10) };
}

/** Recall over the substring queries: judged documents found anywhere / judged documents. */
export function substringRecall(scores: QueryScore[]): { found: number; judged: number; recall10: number } {
  let found = 0,
    judged = 0,
    r10 = 0,
    n = 0;
  for (const s of scores) {
    if (!s.query.substring) continue;
    const ids = Object.keys(s.query.relevant);
    judged += ids.length;
    found += Math.round(s.recallAll * ids.length);
    r10 += s.recall10;
    n++;
  }
  return { found, judged, recall10: n ? r10 / n : NaN };
}
