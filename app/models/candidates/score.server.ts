import type { CanSeeResult } from "./visibility.server";
import { gramIdfOf, gramsOf, STRENGTH, termsOf, tfidf, vectorOf, type EvidenceIndex, type ResultRef, type StudioEvidence, type Unit } from "./evidence.server";
import { isCjkWord, normalize } from "../../../search/segment";

// Scoring a need against every studio's evidence (docs/decisions/0012-need-candidates.md).
// A need asks for skills (its tags) and names its problem (its title). For each skill, a studio's
// coverage is the idf-weighted share of the skill's words that one unit of its evidence shows
// (or, at a discount, its units together); a word the unit lacks may still be matched through
// pieces of it the unit uses (its character pairs and longer parts), for trade words the segmenter
// does not know or cuts differently. The list is ranked by that coverage evidence blended with a
// character-pair TF-IDF cosine of the need as written (its body too) and each studio's visible
// evidence. No list of words is involved: which words matter is read off the term statistics of
// the content itself.

export const WEIGHTS = {
  /** relevance over all the studio shows, and the one result that covers the most of the need */
  relevance: 0.6,
  bestResult: 0.4,
  /** the title's words as one more "skill", relative to an average tag */
  title: 0.75,
  /** a skill shown only by several units together counts this much of one unit showing it */
  scattered: 0.7,
  /** a word matched only through pieces of it (热成像 for 热成像仪) counts this much of the whole word, times the share it covers */
  pieces: 0.8,
  /** mild boosts: same industry (related counts half), and adopters of proven results behind the match */
  industry: 0.1,
  record: 0.05,
  /** the ranking: this share the coverage evidence, the rest the lexical similarity (both relative to the best studio) */
  blend: 0.2,
} as const;

/** A skill counts as covered by a studio from this coverage on (most of its weighted words, in one place). */
export const COVERED = 0.6;
/** A need has a real fit only when its best studio's coverage evidence reaches this. */
export const MIN_SCORE = 0.3;
/** A studio showing this many wanted skills in full, each in a specialty, result or patent, is a real fit whatever its score. */
export const SHOWN_FOR_FIT = 2;
/** A result bears on the need from this share of the need covered by it alone: cited, and its adopters count as track record. */
export const BEARS = 0.3;
export const MAX_CANDIDATES = 10;
/**
 * A need whose best checkable studio has a weaker fit is still a real fit when the studio's fit
 * reaches `LOW_FIT` and the need as written reads like some studio's work (character-pair cosine
 * from `MIN_LEXICAL`): content written by others names the same skills in other words.
 */
export const LOW_FIT = 0.2;
export const MIN_LEXICAL = 0.15;
/** Once the need has a real fit, a studio is listed from this share of the best score on (reasons.server.ts names a place to check). */
export const RELATIVE = 0.1;
/** A named place that holds the need's words worth this many average wanted skills makes a studio checkable (words in common). */
export const WORDS_FOR_REASON = 0.5;
/** A word is matched through pieces of it only when they cover this share of its characters. */
export const PIECES_NEEDED = 0.6;

function piecesOf(word: string): Word["pieces"] {
  if (!isCjkWord(word) || word.length < 3) return [];
  const out: Word["pieces"] = [];
  for (let len = 2; len < word.length; len++) for (let from = 0; from + len <= word.length; from++) out.push({ s: word.slice(from, from + len), from });
  return out;
}

const MAX_BOOST = (1 + WEIGHTS.industry) * (1 + WEIGHTS.record);

export interface NeedQuery {
  enterpriseId: string;
  industry: string;
  title: string;
  tags: string[];
  /** the need as written: title, tags and the problem (flattened body), for the lexical similarity */
  text: string;
}

interface Word {
  w: string;
  idf: number;
  /** the word's substrings of two characters or more, shorter than the word (CJK words of three or more) */
  pieces: { s: string; from: number }[];
}

interface Skill {
  raw: string;
  norm: string;
  words: Word[];
  wordIdf: number;
  weight: number;
  /** the whole phrase may be matched as a substring (long enough not to fall inside unrelated words) */
  phrase: boolean;
}

export interface SkillMatch {
  skill: string;
  coverage: number;
  /** the coverage by `unit` alone (without the several-units-together rule) */
  inUnit: number;
  unit: Unit | null;
  /** the skill's words the unit shows */
  matched: string[];
}

export interface Scored {
  studio: StudioEvidence;
  /** what the list is ranked by: the coverage evidence blended with the lexical similarity */
  score: number;
  /** the coverage evidence alone (skills and title covered, the best result, industry, track record) */
  fit: number;
  /** character-pair TF-IDF cosine of the need's text and the studio's visible evidence */
  lexical: number;
  relevance: number;
  bestResult: number;
  industry: 0 | 0.5 | 1;
  skills: SkillMatch[];
  title: SkillMatch;
  /** visible results that bear on the need, best first */
  results: { ref: ResultRef; fit: number }[];
  /** the named place (specialty, result, patent) holding most of the need's words, and those words */
  words: { unit: Unit; words: string[]; weight: number } | null;
  /** the weight of an average wanted skill of this need (what `words` is measured in) */
  wordUnit: number;
  /** the need's character-pair vector and the pair statistics, shared by every studio of one scoring (for `readsLike`) */
  need: { query: Map<string, number>; idf: (g: string) => number };
}

function analyze(raw: string, idf: (t: string) => number): Skill {
  const norm = normalize(raw).trim();
  const found = [...termsOf(raw)].filter(([, w]) => w >= 1).map(([t]) => t);
  const list = found.length ? [...new Set(found)] : norm.length >= 2 ? [norm] : [];
  const words = list.map((w) => {
    return { w, idf: idf(w), pieces: piecesOf(w) };
  });
  const wordIdf = words.reduce((a, w) => a + w.idf, 0);
  return { raw, norm, words, wordIdf, weight: words.length ? wordIdf / words.length : 0, phrase: norm.length >= 3 || (list.length === 1 && list[0] === norm) };
}

/** How much of a word a unit shows: the word itself (strong or weak field), or pieces of it. */
function wordIn(u: Unit, w: Word): number {
  if (u.strong.has(w.w)) return 1;
  if (u.weak.has(w.w)) return STRENGTH.weakField;
  if (!w.pieces.length) return 0;
  // pieces of the word the unit uses as words or in-word pairs (热成像 for 热成像仪): the share of
  // the word's characters they cover; a piece or two of a long word is no evidence of it
  const strong = new Uint8Array(w.w.length);
  const any = new Uint8Array(w.w.length);
  for (const p of w.pieces) {
    const inStrong = u.strong.has(p.s);
    if (!inStrong && !u.weak.has(p.s)) continue;
    for (let i = p.from; i < p.from + p.s.length; i++) {
      any[i] = 1;
      if (inStrong) strong[i] = 1;
    }
  }
  const share = (xs: Uint8Array) => xs.reduce((a, x) => a + x, 0) / xs.length;
  const s = share(strong);
  const a = share(any);
  return Math.max(s >= PIECES_NEEDED ? WEIGHTS.pieces * s : 0, a >= PIECES_NEEDED ? STRENGTH.weakField * WEIGHTS.pieces * a : 0);
}

function coverage(u: Unit, s: Skill): { cov: number; matched: string[] } {
  if (!s.wordIdf) return { cov: 0, matched: [] };
  if (s.phrase && s.norm && u.text.includes(s.norm)) return { cov: 1, matched: [s.raw] };
  let got = 0;
  const matched: string[] = [];
  for (const w of s.words) {
    const m = wordIn(u, w);
    if (m > 0) {
      got += w.idf * m;
      matched.push(w.w);
    }
  }
  return { cov: got / s.wordIdf, matched };
}

function matchSkill(units: Unit[], s: Skill): SkillMatch & { perUnit: number[] } {
  let best = 0;
  let unit: Unit | null = null;
  let matched: string[] = [];
  const perUnit = units.map((u) => {
    const c = coverage(u, s);
    const v = u.strength * c.cov;
    if (v > best) {
      best = v;
      unit = u;
      matched = c.matched;
    }
    return c.cov;
  });
  const inUnit = best;
  // the skill's words spread over several units: each word where it shows best
  if (s.wordIdf) {
    let got = 0;
    for (const w of s.words) {
      let m = 0;
      for (const u of units) m = Math.max(m, u.strength * wordIn(u, w));
      got += w.idf * m;
    }
    const spread = (WEIGHTS.scattered * got) / s.wordIdf;
    if (spread > best) best = spread;
  }
  return { skill: s.raw, coverage: Math.min(1, best), inUnit: Math.min(1, inUnit), unit, matched, perUnit };
}

function lexicalOf(query: Map<string, number>, units: Unit[], idf: (g: string) => number): number {
  if (!query.size) return 0;
  const v = vectorOf(units, idf);
  let dot = 0;
  for (const [g, w] of query) dot += w * (v.get(g) ?? 0);
  return dot;
}

/** Every studio of another enterprise that fits the need, scored; the caller applies the cut-offs. */
export function scoreNeed(index: EvidenceIndex, need: NeedQuery, canSee: CanSeeResult, o: { blend?: number } = {}): Scored[] {
  const blend = o.blend ?? WEIGHTS.blend;
  const N = index.studios.length;
  const idf = (t: string) => Math.log((N + 1) / ((index.df.get(t) ?? 0) + 0.5));
  const skills = [...new Set(need.tags.map((t) => t.trim()).filter(Boolean))].map((t) => analyze(t, idf)).filter((s) => s.words.length);
  const title = analyze(need.title, idf);
  const avg = skills.length ? skills.reduce((a, s) => a + s.weight, 0) / skills.length : title.weight;
  const titleWeight = title.words.length ? WEIGHTS.title * avg : 0;
  const total = skills.reduce((a, s) => a + s.weight, 0) + titleWeight;
  if (!total) return [];
  const related = index.related.get(need.industry);
  const gramIdf = gramIdfOf(index);
  const query = tfidf(gramsOf(need.text), gramIdf);
  // the need's own words (title and tags), each once, for the words-in-common reason
  const shared = { query, idf: gramIdf };
  const needWords = [...new Map([...skills, title].flatMap((s) => s.words).map((w) => [w.w, w])).values()].filter((w) => w.w.length >= 2);

  // what a unit must hold for any wanted skill or the title to match in it: one of their words, a
  // piece of one, or a whole phrase. A studio none of whose units holds any is scored on the lexical
  // similarity alone, without matching each skill against each unit (most studios, at scale).
  const probe = new Set<string>();
  for (const s of [...skills, title]) for (const w of s.words) for (const t of [w.w, ...w.pieces.map((p) => p.s)]) probe.add(t);
  const phrases = [...skills, title].filter((s) => s.phrase && s.norm).map((s) => s.norm);
  const touches = (u: Unit) => {
    for (const t of probe) if (u.strong.has(t) || u.weak.has(t)) return true;
    return phrases.some((ph) => u.text.includes(ph));
  };
  const unmatched = (s: Skill): SkillMatch & { perUnit: number[] } => ({ skill: s.raw, coverage: 0, inUnit: 0, unit: null, matched: [], perUnit: [] });

  // the lexical similarity of every studio seeing all its units, and the studios any unit of which
  // holds a word, a piece or a phrase of the need, from the inverted lists
  const lookup = index.lookup;
  const lexicalAll = new Float64Array(N);
  for (const [g, w] of query) {
    const list = lookup.grams.get(g);
    if (list) for (let k = 0; k < list.studios.length; k++) lexicalAll[list.studios[k]] += w * list.weights[k];
  }
  const touchedAll = new Uint8Array(N);
  for (const t of probe) {
    const list = lookup.terms.get(t);
    if (list) for (const i of list) touchedAll[i] = 1;
  }
  if (phrases.length)
    index.studios.forEach((studio, i) => {
      if (!touchedAll[i] && studio.units.some((u) => phrases.some((ph) => u.text.includes(ph)))) touchedAll[i] = 1;
    });

  const out: Scored[] = [];
  for (let i = 0; i < N; i++) {
    const studio = index.studios[i];
    if (studio.enterpriseId === need.enterpriseId) continue; // never the requesting enterprise's own studios
    const hidden = studio.units.some((u) => u.result && !canSee(u.result));
    // a studio with results this visitor may not see is measured on what the visitor sees
    const units = hidden ? studio.units.filter((u) => !u.result || canSee(u.result)) : studio.units;
    const lexical = hidden ? lexicalOf(query, units, gramIdf) : lexicalAll[i];
    const touched = hidden ? units.some(touches) : touchedAll[i] === 1;
    if (!touched && lexical <= 0) continue;
    const matches = skills.map((s) => (touched ? matchSkill(units, s) : unmatched(s)));
    const t = touched ? matchSkill(units, title) : unmatched(title);
    const relevance = (matches.reduce((a, m, k) => a + skills[k].weight * m.coverage, 0) + titleWeight * t.coverage) / total;
    if (relevance <= 0 && lexical <= 0) continue;
    // the results, each on its own: how much of the whole need one result covers
    const results: Scored["results"] = [];
    units.forEach((u, k) => {
      if (!u.result || !touched) return;
      const fit = (u.strength * (matches.reduce((a, m, j) => a + skills[j].weight * m.perUnit[k], 0) + titleWeight * t.perUnit[k])) / total;
      if (fit > 0) results.push({ ref: u.result, fit });
    });
    results.sort((a, b) => b.fit - a.fit || a.ref.slug.localeCompare(b.ref.slug));
    const bestResult = results[0]?.fit ?? 0;
    const industry = studio.industry === need.industry ? 1 : related?.has(studio.industry) ? 0.5 : 0;
    const adopters = results.filter((r) => r.ref.status !== "piloting" && r.fit >= BEARS).reduce((a, r) => a + r.ref.adopters, 0);
    const record = Math.min(1, adopters / 3);
    const base = WEIGHTS.relevance * relevance + WEIGHTS.bestResult * bestResult;
    const fit = (base * (1 + WEIGHTS.industry * industry) * (1 + WEIGHTS.record * record)) / MAX_BOOST;
    // the named place that holds the most of the need's words, whole (its title's and tags' words)
    let words: Scored["words"] = null;
    for (const u of touched ? units : []) {
      if (!NAMED.has(u.kind)) continue;
      const got = needWords.filter((w) => u.strong.has(w.w) || u.weak.has(w.w));
      const weight = got.reduce((a, w) => a + w.idf * (u.strong.has(w.w) ? 1 : STRENGTH.weakField), 0) * u.strength;
      if (got.length && (!words || weight > words.weight)) words = { unit: u, words: got.map((w) => w.w), weight };
    }
    out.push({
      studio,
      score: fit,
      fit,
      lexical,
      relevance,
      bestResult,
      industry,
      skills: matches.map(({ perUnit: _, ...m }) => m),
      title: (({ perUnit: _, ...m }) => m)(t),
      results,
      words,
      wordUnit: avg,
      need: shared,
    });
  }
  // both evidences relative to the best studio for this need, so neither scale dominates; the
  // result is brought back to the best fit's scale, so a weak need keeps low scores
  const maxFit = Math.max(0, ...out.map((c) => c.fit));
  const maxLex = Math.max(0, ...out.map((c) => c.lexical));
  for (const c of out) c.score = maxFit * (blend * (c.fit / (maxFit || 1)) + (1 - blend) * (c.lexical / (maxLex || 1)));
  out.sort((a, b) => b.score - a.score || a.studio.slug.localeCompare(b.studio.slug));
  return out;
}

/**
 * A studio a coordinator can check: one specialty, result or patent of it shows a wanted skill in
 * full, or a result matches the need's title; reasons.server.ts cites exactly these.
 */
const NAMED: ReadonlySet<string> = new Set(["specialty", "result", "patent"]);
const showsSkill = (c: Scored) => c.skills.some((m) => m.inUnit >= COVERED && NAMED.has(m.unit?.kind ?? ""));
const showsTitle = (c: Scored) => c.title.inUnit >= COVERED && c.title.unit?.kind === "result";
/** A named place holds enough of the need's own words to be checked (words in common). */
export const hasWords = (c: Scored) => (c.words?.words.length ?? 0) >= 2 && (c.words?.weight ?? 0) >= WORDS_FOR_REASON * c.wordUnit;

/** The studio with the strongest coverage evidence among those that show a wanted skill in one named place (the title, for a need without tags). */
export function bestFit(scored: Scored[], hasSkills: boolean): Scored | undefined {
  let best: Scored | undefined;
  for (const c of scored) if ((hasSkills ? showsSkill(c) : showsTitle(c)) && (!best || c.fit > best.fit)) best = c;
  return best;
}

/**
 * The cut-offs. Whether the need has any real fit is decided by the best studios alone: the best
 * studio that shows a wanted skill in a named place reaches `minScore` (or `LOW_FIT` when the need
 * reads like some studio's work), or some studio shows `SHOWN_FOR_FIT` wanted skills in full or
 * reaches `minScore` with words in common. Then the list holds every studio from `RELATIVE` of
 * the best score on (partners that show part of the need, in their own words), ranked by the
 * blended score; reasons.server.ts names the place a coordinator can check for each, and a studio
 * with none is left out by the caller.
 */
export function shortlist(scored: Scored[], hasSkills: boolean, cut: { minScore: number; relative?: number; shownForFit?: number } = { minScore: MIN_SCORE }): Scored[] {
  const best = bestFit(scored, hasSkills);
  const shown = (c: Scored) => c.skills.filter((m) => m.inUnit >= COVERED && NAMED.has(m.unit?.kind ?? "")).length;
  const maxLexical = Math.max(0, ...scored.map((c) => c.lexical));
  // the fit is a mean over the wanted skills, so a need that lists many of them scores low even
  // where one studio shows several in full: that too is a real fit; and so is a weaker fit when
  // the need as written reads like some studio's work
  const real =
    (best && (best.fit >= cut.minScore || (best.fit >= LOW_FIT && maxLexical >= MIN_LEXICAL))) ||
    scored.some((c) => shown(c) >= (cut.shownForFit ?? SHOWN_FOR_FIT) || (c.fit >= cut.minScore && hasWords(c)));
  if (!real) return [];
  const top = Math.max(0, ...scored.map((c) => c.score));
  const from = (cut.relative ?? RELATIVE) * top;
  return scored.filter((c) => c === best || c.score >= from).slice(0, MAX_CANDIDATES);
}

/**
 * The named place (specialty, result, patent) of a studio whose text reads most like the need:
 * the character-pair TF-IDF cosine of the need and each place, for a listed studio that shows no
 * wanted skill in full and no two of the need's words in one place. Null when no place shares a pair.
 */
export function readsLike(c: Scored, canSee: (u: Unit) => boolean): Unit | null {
  let best: Unit | null = null;
  let bestDot = 0;
  for (const u of c.studio.units) {
    if (!NAMED.has(u.kind) || !canSee(u)) continue;
    const v = tfidf(u.grams, c.need.idf);
    let dot = 0;
    for (const [g, w] of c.need.query) dot += w * (v.get(g) ?? 0);
    if (dot > bestDot) {
      bestDot = dot;
      best = u;
    }
  }
  return best;
}
