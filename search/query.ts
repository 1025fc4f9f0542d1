import { pinyin } from "pinyin-pro";
import type { Alternative, QueryGroup } from "./memory-index";
import { FUNCTION_CHARS, isCjk, isCjkWord, normalize, queryWords, segmenter } from "./segment";
import type { SynonymMap } from "./synonyms";

export interface Vocabulary {
  df(term: string): number;
  latinTerms(): string[];
  termsWithChar(ch: string): string[];
}

export const STOPWORDS = new Set([
  "的",
  "了",
  "和",
  "与",
  "及",
  "或",
  "在",
  "是",
  "对",
  "把",
  "被",
  "为",
  "以",
  "等",
  "中",
  "上",
  "下",
  "如何",
  "怎么",
  "怎样",
  "什么",
  "哪些",
  "哪个",
  "有关",
  "关于",
  "一个",
  "一种",
  "the",
  "a",
  "an",
  "of",
  "and",
  "or",
  "for",
  "to",
  "in",
  "on",
  "with",
  "how",
  "what",
  "is",
  "are",
]);

const LATIN = /^[a-z][a-z0-9.+#-]*$/;
const LATIN_WORD = /[a-z][a-z0-9.+#-]*/g;
/** weight of a typo's correction, relative to the word as typed */
const TYPO_WEIGHT = 0.8;
/** weight of a synonym */
const SYNONYM_WEIGHT = 0.85;

export interface QueryPlan {
  groups: QueryGroup[];
  /** the whole query, normalised, typos corrected: the title bonus looks for it */
  phrase: string;
  /** the query with its typos corrected (simulater → simulator), when there were any */
  corrected: string | null;
}

/**
 * Turns a query into groups of alternatives: every group (query word) must match, by any
 * alternative.
 *
 * 1. Synonym words are kept whole (变电所, "machine vision"), the rest is cut by jieba.
 * 2. A Latin word the index does not know (four letters or more) is matched by the known words
 *    one edit away (two from nine letters), closest and most common first: simulater → simulator.
 *    A correction does not bring the corrected word's synonyms (Meilisearch does not either, and
 *    the engines answer alike: tests/integration/search-contract.test.ts).
 * 3. A one-character word and the word next to it form one group, matched as the joined term the
 *    index holds for them (新/员工 → 新员工): a short phrase that jieba splits is matched as a
 *    phrase, never as two words found anywhere.
 */
export function planQuery(q: string, vocab: Vocabulary, synonyms: SynonymMap, opts: { soundAlike?: boolean } = {}): QueryPlan {
  const typed = normalize(q).replace(/\s+/g, " ").trim();
  const corrections = new Map<string, string[]>();
  // the query with its typos corrected: for the title bonus and the suggestion
  const phrase = typed.replace(LATIN_WORD, (w) => {
    const fixes = typoCorrections(w, vocab, synonyms);
    if (!fixes.length) return w;
    corrections.set(w, fixes);
    return fixes[0];
  });
  const split = splitWithSynonyms(typed, synonyms);
  const heard = opts.soundAlike ? soundAlikes(split, vocab, synonyms) : { words: split, fixes: new Map<string, string>() };
  const words = joinSingles(heard.words, vocab);
  // a lone grammar character is never an index term (segment.ts FUNCTION_CHARS): as a query word
  // it could only block the match (过 of 过盈配合, a word jieba's dictionary lacks)
  const content = words.filter((w) => !STOPWORDS.has(w) && !(w.length === 1 && FUNCTION_CHARS.has(w)));
  const kept = content.length ? content : words;
  const groups = kept.map((word, i) => group(word, vocab, synonyms, { isLast: i === kept.length - 1 && !/\s$/.test(q), alone: kept.length === 1, typo: corrections.get(word) }));
  let fixedPhrase = phrase;
  for (const [from, to] of heard.fixes) fixedPhrase = fixedPhrase.replace(from, to);
  return { groups: dedupe(groups), phrase: fixedPhrase, corrected: corrections.size || heard.fixes.size ? fixedPhrase : null };
}

/**
 * Chinese typed through a pinyin keyboard goes wrong by picking a character that sounds the same
 * (均瓷 for 钧瓷). A run of the query that no document holds, two to four characters long, made
 * of single characters (jieba's sign of a word it does not know), is replaced by a term the index holds that differs from it in one character of the same
 * sound, the most common such term first. The correction is shown as for a Latin typo. Only
 * asked for when the query as typed finds nothing: a word the documents happen not to use (异响,
 * beside 刹车) is no typo, and its sound-alike (异项) would find the wrong documents.
 */
function soundAlikes(words: string[], vocab: Vocabulary, synonyms: SynonymMap): { words: string[]; fixes: Map<string, string> } {
  const fixes = new Map<string, string>();
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let fixed: { to: string; next: number } | null = null;
    let run = "";
    for (let j = i; j < words.length && !fixed; j++) {
      const w = words[j];
      if (!isCjkWord(w) || run.length + w.length > 4) break;
      run += w;
      if (run.length < 2 || vocab.df(run) > 0 || synonyms.has(run)) continue;
      const pieces = words.slice(i, j + 1);
      // single characters only: jieba cuts a word its dictionary lacks into characters, while a
      // word it knows (异响) is a real word the documents happen not to use, not a typo
      if (!pieces.every((p) => p.length === 1)) continue;
      const to = soundAlike(run, vocab);
      if (to) fixed = { to, next: j + 1 };
    }
    if (fixed) {
      fixes.set(words.slice(i, fixed.next).join(""), fixed.to);
      out.push(fixed.to);
      i = fixed.next - 1;
    } else out.push(words[i]);
  }
  return { words: out, fixes };
}

function soundAlike(word: string, vocab: Vocabulary): string | null {
  let best: { t: string; df: number } | null = null;
  for (let k = 0; k < word.length; k++) {
    // the term shares every character but the k-th: look among the terms holding another one
    const keep = word[k === 0 ? 1 : 0];
    for (const t of vocab.termsWithChar(keep)) {
      if (t.length !== word.length || t === word) continue;
      let differs = -1;
      for (let c = 0; c < t.length; c++) {
        if (t[c] === word[c]) continue;
        if (differs >= 0) {
          differs = -2;
          break;
        }
        differs = c;
      }
      if (differs !== k || !sameSound(t[k], word[k])) continue;
      const df = vocab.df(t);
      if (df > 0 && (!best || df > best.df)) best = { t, df };
    }
  }
  return best?.t ?? null;
}

const readings = new Map<string, string[]>();
/** Whether two characters share a reading, tones aside (heteronyms have several). */
function sameSound(a: string, b: string): boolean {
  const of = (c: string) => {
    let r = readings.get(c);
    if (!r) {
      r = pinyin(c, { toneType: "none", multiple: true, type: "array" });
      if (readings.size > 20_000) readings.clear();
      readings.set(c, r);
    }
    return r;
  };
  const rb = of(b);
  return of(a).some((x) => rb.includes(x));
}

/**
 * For a Latin word the index does not hold: the known words within one edit (two from nine
 * letters), closest and most common first; none for a known word.
 */
function typoCorrections(word: string, vocab: Vocabulary, synonyms: SynonymMap): string[] {
  if (word.length < 4 || !/^[a-z]+$/.test(word) || vocab.df(word) > 0 || synonyms.has(word)) return [];
  // the scan over the Latin vocabulary (14,000 words at 100,000 documents) is remembered until
  // the vocabulary changes
  const latin = vocab.latinTerms();
  let memo = typoMemo.get(latin);
  if (!memo || memo.size !== latin.length) typoMemo.set(latin, (memo = { size: latin.length, words: new Map() }));
  const known = memo.words.get(word);
  if (known) return known;
  const max = word.length >= 9 ? 2 : 1;
  const found: { t: string; d: number; df: number }[] = [];
  const consider = (t: string, df: number) => {
    if (Math.abs(t.length - word.length) > max) return;
    const d = damerau(word, t, max);
    if (d <= max) found.push({ t, d, df });
  };
  for (const t of latin) if (Math.abs(t.length - word.length) <= max) consider(t, vocab.df(t));
  found.sort((a, b) => a.d - b.d || b.df - a.df || (a.t < b.t ? -1 : 1));
  const result = found.map((f) => f.t);
  if (memo.words.size > 2000) memo.words.clear();
  memo.words.set(word, result);
  return result;
}
const typoMemo = new WeakMap<string[], { size: number; words: Map<string, string[]> }>();

/** A one-character word the index joins to its neighbours (segment.ts indexTerms): not grammar. */
const single = (x: string) => x.length === 1 && isCjk(x) && !FUNCTION_CHARS.has(x);

/** Whether the index holds a + b as one joined term when they are neighbours (segment.ts indexTerms). */
const joins = (a: string | undefined, b: string | undefined): a is string =>
  !!a && !!b && (single(a) || single(b)) && a.length + b.length <= 4 && !FUNCTION_CHARS.has(a) && !FUNCTION_CHARS.has(b);

/**
 * Joins a one-character word to its neighbour as the index does (segment.ts indexTerms), when
 * the index holds the joined term: 新 + 员工 → 新员工, 5 + 号 → 5号.
 */
function joinSingles(words: string[], vocab: Vocabulary): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1];
    if (joins(w, next) && vocab.df(w + next) > 0) {
      out.push(w + next);
      i++;
    } else out.push(w);
  }
  return out;
}

/**
 * The index terms a document holding these words in a row would have, all of which must be
 * present: the words themselves, except that a single character is represented by its joins with
 * its neighbours, as the index makes them (segment.ts indexTerms: 师/带/徒 → 师带, 带徒). A lone
 * character on its own would match it anywhere in a document (新 of 新/入/职/员工, scattered
 * through any text); when a join is in no document, nothing holds the phrase: null.
 */
function phraseTerms(words: string[], vocab: Vocabulary): string[] | null {
  if (!words.length) return null;
  if (words.length === 1 || !words.some(single)) return words;
  const terms = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (FUNCTION_CHARS.has(w)) continue;
    if (!single(w)) terms.add(w);
    let joined = false;
    for (const [a, b] of [
      [words[i - 1], w],
      [w, words[i + 1]],
    ]) {
      if (joins(a, b)) {
        terms.add(a + b);
        joined = true;
      }
    }
    if (single(w) && !joined) terms.add(w);
  }
  const list = [...terms];
  return list.every((t) => vocab.df(t) > 0) ? list : null;
}

/**
 * Known synonym words are kept whole even where jieba would cut them (变电所 → 变电/所), so that
 * their synonyms apply; the rest is cut as usual. Latin synonym words count only as whole words
 * ("ai" is not a synonym word inside "maintenance").
 */
function splitWithSynonyms(text: string, synonyms: SynonymMap): string[] {
  const find = (k: string, within: string): number => {
    let at = within.indexOf(k);
    if (!/^[a-z0-9]/.test(k)) return at;
    while (at >= 0) {
      const before = at > 0 ? within[at - 1] : " ";
      const after = at + k.length < within.length ? within[at + k.length] : " ";
      if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return at;
      at = within.indexOf(k, at + 1);
    }
    return -1;
  };
  const keys = [...synonyms.keys()].filter((k) => k.length > 1 && find(k, text) >= 0).sort((a, b) => b.length - a.length);
  if (!keys.length) return queryWords(text);
  const out: string[] = [];
  let rest = text;
  while (rest) {
    let best: { at: number; key: string } | null = null;
    for (const k of keys) {
      const at = find(k, rest);
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

function group(word: string, vocab: Vocabulary, synonyms: SynonymMap, opts: { isLast: boolean; alone: boolean; typo?: string[] }): QueryGroup {
  const alternatives: Alternative[] = [];
  // literal: the alternative's terms are the word as typed, or pieces of it (the title bonus)
  const add = (terms: string[], weight: number, literal = false) => {
    if (terms.length && terms.every((t) => t)) alternatives.push({ terms, weight, literal });
  };
  // a phrase the index does not hold whole (数字孪生 → 数字, 孪生; "digital twin"): all its words
  const asTerms = (text: string) => {
    if (vocab.df(text) > 0) return [text];
    const terms = phraseTerms(queryWords(text), vocab);
    return terms ?? [];
  };
  add([word], 1, true);
  if (vocab.df(word) === 0) {
    const parts = asTerms(word);
    if (parts.length > 1) add(parts, 0.9, true);
  }
  for (const s of synonyms.get(word) ?? []) add(asTerms(s), SYNONYM_WEIGHT);
  // a typo: the known words closest to it (the closest and most common weighs most)
  opts.typo?.slice(0, 5).forEach((t, i) => add([t], i === 0 ? TYPO_WEIGHT : 0.6));

  if (isCjkWord(word) && word.length >= 3) {
    // a long word that the documents segment differently: its character pairs, all present
    const pairs: string[] = [];
    for (let i = 0; i + 2 <= word.length; i++) pairs.push(word.slice(i, i + 2));
    add([...new Set(pairs)], 0.6, true);
    if (vocab.df(word) === 0) {
      // a word no document holds whole (人工成本, 巡检机器人 where the documents cut it otherwise):
      // the dictionary words inside it, all present, below the word itself. Pairs that cross a
      // word boundary (工成) are never among them: the index holds pairs inside words only.
      const inside = subWords(word).filter((w) => vocab.df(w) > 0);
      if (inside.length > 1 && inside.join("").length >= word.length - 1) add(inside, 0.5, true);
    }
  }
  if (isCjkWord(word) && word.length === 1 && opts.alone) {
    // a lone character (泵, 阀) finds the words that contain it
    for (const t of vocab.termsWithChar(word).slice(0, 300)) if (t !== word) add([t], 0.5);
  }
  if (LATIN.test(word) && opts.isLast && word.length >= 2 && !opts.typo) {
    // as-you-type: the last word may be the start of a longer one (simul → simulator)
    for (const t of prefixed(vocab.latinTerms(), word, 50)) if (t !== word) add([t], 0.8);
  }
  return { word, alternatives };
}

/** The longest dictionary words of two or more characters inside a word, none inside another. */
function subWords(word: string): string[] {
  const all = [
    ...new Set(
      segmenter()
        .cutForSearch(word, false)
        .filter((w) => w.length >= 2 && w !== word && isCjkWord(w)),
    ),
  ];
  return all.filter((w) => !all.some((o) => o !== w && o.includes(w)));
}

function prefixed(sorted: string[], prefix: string, limit: number): string[] {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && out.length < limit && sorted[i].startsWith(prefix); i++) out.push(sorted[i]);
  return out;
}

/** Optimal-string-alignment distance, giving up once it exceeds `max` (rows reused, no allocation). */
export function damerau(a: string, b: string, max: number): number {
  const m = a.length,
    n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  if (rows[0].length < n + 1) rows = [new Int32Array(n + 16), new Int32Array(n + 16), new Int32Array(n + 16)];
  let prev2 = rows[0],
    prev = rows[1],
    cur = rows[2];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n];
}
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

function dedupe(groups: QueryGroup[]): QueryGroup[] {
  const seen = new Set<string>();
  return groups
    .filter((g) => !seen.has(g.word) && seen.add(g.word))
    .map((g) => {
      const alts = new Map<string, Alternative>();
      for (const a of g.alternatives) {
        const key = a.terms.join("\u0000");
        const prev = alts.get(key);
        if (!prev || prev.weight < a.weight) alts.set(key, { ...a, literal: a.literal || prev?.literal });
      }
      return { word: g.word, alternatives: [...alts.values()] };
    });
}
