// A corpus's own vocabulary: every tag of its results and needs and every specialty of its studios,
// searched as typed, must find the documents that carry it. Judged by the content itself (the
// document lists the word), so it measures any folder, including one nobody judged, and it shows
// whether trade words the dictionaries lack (those jieba cuts into pieces) are findable.

import Database from "better-sqlite3";
import type { SearchEngine } from "../../search/engine";
import { isCjk, queryWords } from "../../search/segment";
import type { BigramBM25 } from "./baselines";

export interface VocabularyScore {
  /** distinct Chinese terms checked */
  terms: number;
  /** of those, the ones jieba cuts into two or more words (not in its dictionary nor in dict.txt) */
  cutApart: number;
  /** terms whose every carrier was returned (engine; baseline in the first 200) */
  engineComplete: number;
  baselineComplete: number;
  cutApartEngineComplete: number;
  cutApartBaselineComplete: number;
  /** carriers found in the first 10 / min(10, carriers), averaged over terms */
  engineRecall10: number;
  baselineRecall10: number;
  /** the terms the engine misses a carrier of, for reading */
  missed: string[];
}

const list = (json: string | null): string[] => {
  try {
    const v = JSON.parse(json ?? "[]") as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/** term → ids of the documents that list it (result and need tags, studio specialties). */
function carriers(file: string): Map<string, Set<string>> {
  const sql = new Database(file, { readonly: true });
  const out = new Map<string, Set<string>>();
  const add = (term: string, id: string) => {
    const t = term.trim();
    if (!t || !isCjk(t)) return;
    if (!out.has(t)) out.set(t, new Set());
    out.get(t)!.add(id);
  };
  for (const r of sql.prepare(`SELECT slug, tags FROM Result WHERE published = 1 AND visibility = 'public'`).all() as { slug: string; tags: string }[])
    for (const t of list(r.tags)) add(t, `result:${r.slug}`);
  for (const n of sql.prepare(`SELECT slug, tags FROM Need`).all() as { slug: string; tags: string }[]) for (const t of list(n.tags)) add(t, `need:${n.slug}`);
  for (const s of sql.prepare(`SELECT slug, specialties FROM Studio`).all() as { slug: string; specialties: string }[])
    for (const t of list(s.specialties)) add(t, `studio:${s.slug}`);
  sql.close();
  return out;
}

export async function vocabularyScore(file: string, engine: SearchEngine, baseline: BigramBM25, known: Set<string>): Promise<VocabularyScore> {
  const terms = [...carriers(file)].map(([t, ids]) => [t, new Set([...ids].filter((id) => known.has(id)))] as const).filter(([, ids]) => ids.size > 0);
  const s: VocabularyScore = {
    terms: terms.length,
    cutApart: 0,
    engineComplete: 0,
    baselineComplete: 0,
    cutApartEngineComplete: 0,
    cutApartBaselineComplete: 0,
    engineRecall10: 0,
    baselineRecall10: 0,
    missed: [],
  };
  for (const [term, ids] of terms) {
    const returned: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const r = await engine.search({ q: term, page, perPage: 50 });
      returned.push(...r.hits.map((h) => `${h.type}:${h.slug}`));
      if (returned.length >= r.total || r.hits.length < 50) break;
    }
    const base = baseline.search(term).slice(0, 200);
    const all = (list: string[]) => [...ids].every((id) => list.includes(id));
    const at10 = (list: string[]) => list.slice(0, 10).filter((id) => ids.has(id)).length / Math.min(10, ids.size);
    const cut = queryWords(term).length > 1;
    if (cut) s.cutApart++;
    if (all(returned)) {
      s.engineComplete++;
      if (cut) s.cutApartEngineComplete++;
    } else s.missed.push(term);
    if (all(base)) {
      s.baselineComplete++;
      if (cut) s.cutApartBaselineComplete++;
    }
    s.engineRecall10 += at10(returned) / terms.length;
    s.baselineRecall10 += at10(base) / terms.length;
  }
  return s;
}
