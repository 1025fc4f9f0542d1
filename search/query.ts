import type { Alternative, QueryGroup } from "./memory-index";
import { isCjkWord, normalize, queryWords } from "./segment";
import type { SynonymMap } from "./synonyms";

export interface Vocabulary {
  df(term: string): number;
  latinTerms(): string[];
  termsWithChar(ch: string): string[];
}

export const STOPWORDS = new Set([
  "的", "了", "和", "与", "及", "或", "在", "是", "对", "把", "被", "为", "以", "等", "中", "上", "下",
  "如何", "怎么", "怎样", "什么", "哪些", "哪个", "有关", "关于", "一个", "一种",
  "the", "a", "an", "of", "and", "or", "for", "to", "in", "on", "with", "how", "what", "is", "are",
]);

const LATIN = /^[a-z][a-z0-9.+#-]*$/;

/** Turns a query into groups of alternatives: every group (query word) must match, by any alternative. */
export function planQuery(q: string, vocab: Vocabulary, synonyms: SynonymMap): { groups: QueryGroup[]; phrase: string } {
  const phrase = normalize(q).replace(/\s+/g, " ").trim();
  const words = splitWithSynonyms(phrase, synonyms);
  const content = words.filter((w) => !STOPWORDS.has(w));
  const kept = content.length ? content : words;
  const groups = kept.map((word, i) => group(word, vocab, synonyms, i === kept.length - 1 && !/\s$/.test(q), kept.length === 1));
  return { groups: dedupe(groups), phrase };
}

/**
 * Known synonym words are kept whole even where jieba would cut them (变电所 → 变电/所), so that
 * their synonyms apply; the rest is cut as usual.
 */
function splitWithSynonyms(text: string, synonyms: SynonymMap): string[] {
  const keys = [...synonyms.keys()].filter((k) => k.length > 1 && text.includes(k)).sort((a, b) => b.length - a.length);
  if (!keys.length) return queryWords(text);
  const out: string[] = [];
  let rest = text;
  while (rest) {
    let best: { at: number; key: string } | null = null;
    for (const k of keys) {
      const at = rest.indexOf(k);
      if (at >= 0 && (!best || at < best.at || (at === best.at && k.length > best.key.length))) best = { at, key: k };
    }
    if (!best) {
      out.push(...queryWords(rest));
      break;
    }
    out.push(...queryWords(rest.slice(0, best.at)), best.key);
    rest = rest.slice(best.at + best.key.length);
  }
  return out.filter((w) => w.trim());
}

function group(word: string, vocab: Vocabulary, synonyms: SynonymMap, isLast: boolean, alone: boolean): QueryGroup {
  const alternatives: Alternative[] = [];
  const add = (terms: string[], weight: number) => {
    if (terms.length && terms.every((t) => t)) alternatives.push({ terms, weight });
  };
  // a phrase the index does not hold whole (数字孪生 → 数字, 孪生; "digital twin"): all its words
  const asTerms = (text: string) => {
    if (vocab.df(text) > 0) return [text];
    const terms = queryWords(text);
    return terms.length ? terms : [text];
  };

  add([word], 1);
  if (vocab.df(word) === 0) {
    const parts = asTerms(word);
    if (parts.length > 1) add(parts, 0.9);
  }
  for (const s of synonyms.get(word) ?? []) add(asTerms(s), 0.85);

  if (isCjkWord(word) && word.length >= 3) {
    // a long word that the documents segment differently: its character pairs, all present
    const pairs: string[] = [];
    for (let i = 0; i + 2 <= word.length; i++) pairs.push(word.slice(i, i + 2));
    add([...new Set(pairs)], 0.6);
  }
  if (isCjkWord(word) && word.length === 1 && alone) {
    // a lone character (泵, 阀) finds the words that contain it
    for (const t of vocab.termsWithChar(word).slice(0, 300)) if (t !== word) add([t], 0.5);
  }
  if (LATIN.test(word)) {
    const latin = vocab.latinTerms();
    if (isLast && word.length >= 2) {
      // as-you-type: the last word may be the start of a longer one (simul → simulator)
      for (const t of prefixed(latin, word, 50)) if (t !== word) add([t], 0.8);
    }
    if (word.length >= 4 && vocab.df(word) === 0) {
      // typo tolerance: one edit for words of 4–8 letters, two from 9
      const max = word.length >= 9 ? 2 : 1;
      for (const t of latin) {
        if (Math.abs(t.length - word.length) > max) continue;
        if (damerau(word, t, max) <= max) add([t], 0.6);
      }
    }
  }
  return { word, alternatives };
}

function prefixed(sorted: string[], prefix: string, limit: number): string[] {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && out.length < limit && sorted[i].startsWith(prefix); i++) out.push(sorted[i]);
  return out;
}

/** Optimal-string-alignment distance, giving up once it exceeds `max`. */
export function damerau(a: string, b: string, max: number): number {
  const m = a.length, n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

function dedupe(groups: QueryGroup[]): QueryGroup[] {
  const seen = new Set<string>();
  return groups
    .filter((g) => !seen.has(g.word) && seen.add(g.word))
    .map((g) => {
      const alts = new Map<string, Alternative>();
      for (const a of g.alternatives) {
        const key = a.terms.join("\u0000");
        const prev = alts.get(key);
        if (!prev || prev.weight < a.weight) alts.set(key, a);
      }
      return { word: g.word, alternatives: [...alts.values()] };
    });
}
