import { translator as translatorFor } from "~/i18n/locale.server";
import type { Locale } from "~/i18n/messages";
import Database from "better-sqlite3";
import { db as defaultDb, type Db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { changeStamp, watchTables } from "~/utils/change-stamp.server";
import { isPostgres } from "~/utils/db-provider.server";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { isResultVisibleTo, PUBLIC_VIEWER } from "./result-visibility";
import { cut, FUNCTION_CHARS, normalize } from "../../search/segment";

// Peer matching (DESIGN.md "Peer matching", docs/decisions/0006-peer-matching.md): for one studio,
// studios of *other* enterprises ranked by what a coordinator looks for — they meet this studio's
// listed needs, it meets theirs, they share its skills, their work reads alike — made stronger by a
// related industry and by results in use that prove the match. Every reason names evidence that
// is on the two studios' pages (a specialty, a need, a result title or tag, the industry).

/**
 * Weights of the evidence (they sum to 1) and of what strengthens it. Chosen on the seed's tuning
 * half and the xuchang corpus (docs/decisions/0006-peer-matching.md has the figures).
 */
export const WEIGHTS = {
  evidence: { needsMet: 0.45, needsWeMeet: 0.25, sharedSkills: 0.15, similarity: 0.15 },
  /** multipliers on the evidence: same industry (related counts half), proven results behind it */
  boost: { industry: 0, proof: 0.2 },
  /** small additive terms, so that ties break towards related industries and proven studios */
  extra: { industry: 0.3, record: 0.02, adopted: 0.2 },
} as const;
const MAX_SCORE = 1 + WEIGHTS.boost.industry + WEIGHTS.boost.proof + WEIGHTS.extra.industry + WEIGHTS.extra.record + WEIGHTS.extra.adopted;

/**
 * How a phrase (a need, a specialty) is matched on a page: word by word, each word by its
 * character pairs, so that 嵌入式软件测试 is read in 电能表嵌入式固件 … 软件工程师 without any list of
 * words. A place shows the phrase from `SHOWN` on (idf-weighted share of its words' pairs, times
 * where it is: a specialty, title or tag counts fully, a body `WEAK`, the studio's own text `PROFILE`).
 */
export const MATCH = { SHOWN: 0.4, CLAIMED: 0.6, WEAK: 0.7, PROFILE: 0.8, PILOTING: 0.9, PATENT: 0.9 } as const;

/** A reason is data; its text is made from message keys in the reader's language (localizeReasons). */
export type PeerReason =
  | { type: "meets-needs"; needs: string[]; evidence?: Evidence[] }
  | { type: "shared-skills"; skills: string[]; evidence?: Evidence[] }
  | { type: "needs-met-by-us"; needs: string[]; evidence?: Evidence[] }
  | { type: "similar-work"; words: string[] }
  | { type: "same-industry"; industry: string }
  | { type: "related-industry"; industry: string }
  | { type: "adopted-by-us"; enterprise: string; results: { slug: string; title: string }[] }
  | { type: "track-record"; results: { slug: string; title: string }[] };

export type RenderedPeerReason = PeerReason & { text: string };

/** Where one need or skill shows: the place (a specialty, a result, a patent, the studio's text) and the pieces of it found there. */
export interface Evidence {
  item: string;
  place: "specialty" | "result" | "patent" | "profile";
  /** the specialty, result title or patent title; the studio's name for its own text */
  label: string;
  result?: { slug: string; title: string };
  /** the phrase itself when it is there whole, else the pieces of it that are */
  pieces: string[];
}

export interface Peer {
  slug: string;
  name: string;
  enterprise: string;
  enterpriseSlug: string;
  industry: string;
  score: number;
  parts: { needsMet: number; needsWeMeet: number; sharedSkills: number; similarity: number; industry: number; proof: number };
  reasons: PeerReason[];
}

export interface PeersOf {
  studio: { slug: string; name: string; enterprise: string };
  peers: Peer[];
}

// —— the index ——

interface ResultRef {
  slug: string;
  title: string;
  proven: boolean; // in use or transferred
  adopters: Set<string>; // enterprise names, from the result's content and adoption records
}

/** A place on a studio's page a phrase can be read in: a specialty, a result, a patent, the studio's own text. */
interface Unit {
  place: Evidence["place"];
  label: string;
  result: number; // index into results, -1 otherwise
  /** how much a match here counts (a piloting result, a patent, the studio's text a little less) */
  strength: number;
  /** normalised specialty, title and tags: a phrase inside them is shown whole */
  text: string;
  /** Latin words of the specialty, title and tags, and of the body (a Latin word matches only as a word) */
  latin: Set<string> | null;
  latinWeak: Set<string> | null;
  /** the body, normalised, for naming the pieces found */
  body: string;
}

interface Profile {
  id: string;
  slug: string;
  name: string;
  enterpriseId: string;
  enterprise: string;
  enterpriseSlug: string;
  industry: string;
  industryName: string;
  specialties: string[];
  needs: string[];
  results: ResultRef[];
  units: Unit[];
  /** enterprise names that adopted any of its results, its own left out */
  adoptedBy: Set<string>;
  proven: number;
  /** every place's text together, and its Latin words: a word missing here is in none of its places */
  all: string;
  latinAll: Set<string>;
}

interface Word {
  w: string;
  latin: boolean;
  /** its character pairs (the word itself when it is two characters or a Latin word) */
  grams: string[];
  weight: number;
}

interface Phrase {
  raw: string;
  norm: string;
  words: Word[];
  total: number;
}

interface Match {
  /** strength × coverage in the best place, in [0, 1] */
  value: number;
  unit: number;
}

interface PeerIndex {
  profiles: Profile[];
  bySlug: Map<string, number>;
  byId: Map<string, number>;
  related: Map<string, Set<string>>;
  /** character pair → number of studios whose page has it */
  df: Map<string, number>;
  /** term id → [profile, weight, profile, weight, …] (weights of unit-length vectors) */
  postings: Float64Array[];
  vectors: { terms: Int32Array; weights: Float64Array }[];
  /** term id → the character pair, for naming the words two pages share */
  termOf: string[];
  /** normalised need → the profiles that list it */
  needers: Map<string, { phrase: Phrase; who: number[] }>;
  /** character pair → the profiles whose units contain it */
  grams: Map<string, Int32Array>;
  /** phrase → profile → where it shows; filled as phrases are asked about */
  offers: Map<string, { phrase: Phrase; found: Map<number, Match> }>;
  /** per profile, what its score needs besides the evidence, as numbers (a call reads them for every studio) */
  enterpriseOf: Int32Array;
  enterpriseIds: Map<string, number>;
  industryOf: Int32Array;
  /** industry key → its number in industryOf */
  industryIds: Map<string, number>;
  needCount: Int32Array;
  /** the track-record term, min(1, ln(1 + proven) / ln 5) */
  record: Float64Array;
  /** enterprise name → the profiles with a result it adopted (profile.adoptedBy) */
  adoptedBy: Map<string, number[]>;
  /** the term ids and document frequencies of the build, and how many studios it read */
  terms: Terms;
  dfOf: Float64Array;
  builtN: number;
  /** profiles read again since the build (patch): the postings and pair index may not hold them as they are now */
  changed: Set<number>;
  /** profiles whose studio is gone */
  gone: Uint8Array;
}

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z][a-z0-9]+|[0-9]+[a-z][a-z0-9]*/g;

/** Character pairs of each CJK run (a lone character for itself), Latin words whole; bare numbers left out. */
function pairsOf(text: string, into: (g: string) => void) {
  for (const m of normalize(text).matchAll(CJK_RUN)) {
    const run = m[0];
    if (run.length === 1 || !/^[\u3400-\u9fff\uf900-\ufaff]/.test(run)) into(run);
    else for (let i = 0; i + 2 <= run.length; i++) into(run.slice(i, i + 2));
  }
}
/** A CJK character's place in a dense numbering of the ranges pairsOf reads (-1 for any other character). */
const cjkIndex = (c: number) => (c >= 0x4e00 && c <= 0x9fff ? c - 0x4e00 : c >= 0x3400 && c <= 0x4dbf ? 20992 + c - 0x3400 : c >= 0xf900 && c <= 0xfaff ? 27584 + c - 0xf900 : -1);
const CJK_COUNT = 28096;
const CJK_CHARS: number[] = [];
for (let c = 0x4e00; c <= 0x9fff; c++) CJK_CHARS.push(c);
for (let c = 0x3400; c <= 0x4dbf; c++) CJK_CHARS.push(c);
for (let c = 0xf900; c <= 0xfaff; c++) CJK_CHARS.push(c);

/**
 * The same pairs as pairsOf, as small integers (a pair of CJK characters, or one alone) and Latin
 * words as strings: building the index for 10,000 studios reads millions of pairs, and numbers
 * are much cheaper keys than new strings.
 */
function pairKeysOf(normalized: string, key: (k: number) => void, latin: (w: string) => void) {
  for (const m of normalized.matchAll(CJK_RUN)) {
    const run = m[0];
    const first = cjkIndex(run.charCodeAt(0));
    if (first < 0) latin(run);
    else if (run.length === 1) key(CJK_COUNT * CJK_COUNT + first);
    else {
      let a = first;
      for (let i = 1; i < run.length; i++) {
        const b = cjkIndex(run.charCodeAt(i));
        key(a * CJK_COUNT + b);
        a = b;
      }
    }
  }
}
const keyText = (k: number) =>
  k >= CJK_COUNT * CJK_COUNT ? String.fromCharCode(CJK_CHARS[k - CJK_COUNT * CJK_COUNT]) : String.fromCharCode(CJK_CHARS[Math.floor(k / CJK_COUNT)], CJK_CHARS[k % CJK_COUNT]);

/** The Latin words of a normalised text, or null when there are none (most places). */
const latinOfNormalized = (normalized: string) => {
  if (!/[a-z0-9]/.test(normalized)) return null;
  let s: Set<string> | null = null;
  for (const m of normalized.matchAll(CJK_RUN)) if (cjkIndex(m[0].charCodeAt(0)) < 0) (s ??= new Set()).add(m[0]);
  return s;
};

function phraseOf(raw: string, idf: (g: string) => number): Phrase {
  const norm = normalize(raw).trim();
  const words: Word[] = [];
  // jieba leaves rare words in single characters (产地/趁/鲜/加工): a run of them is read as one word
  const tokens: string[] = [];
  let run = "";
  for (const x of cut(norm).map((t) => t.trim())) {
    if (x.length === 1 && /[\u3400-\u9fff]/.test(x) && !FUNCTION_CHARS.has(x)) run += x;
    else if (x) {
      // a lone character belongs to the word after it (物/联网 → 物联网)
      if (run.length === 1 && /[\u3400-\u9fff]/.test(x[0])) tokens.push(run + x);
      else {
        if (run) tokens.push(run);
        tokens.push(x);
      }
      run = "";
    } else if (run) {
      tokens.push(run);
      run = "";
    }
  }
  if (run.length === 1 && tokens.length) tokens[tokens.length - 1] += run;
  else if (run) tokens.push(run);
  for (const w of new Set(tokens)) {
    const grams: string[] = [];
    pairsOf(w, (g) => grams.push(g));
    if (!grams.length || (grams.length === 1 && grams[0].length < 2)) continue;
    const weight = grams.reduce((a, g) => a + idf(g), 0) / grams.length;
    words.push({ w, grams, weight, latin: grams.length === 1 && grams[0] === w && !/[\u3400-\u9fff]/.test(w) });
  }
  return { raw, norm, words, total: words.reduce((a, w) => a + w.weight, 0) };
}

/** The longest part of a word (two characters or more) that a text holds, as a share of the word's characters. */
function longestPart(text: string, w: string): number {
  for (let len = w.length - 1; len >= 2; len--) for (let from = 0; from + len <= w.length; from++) if (text.includes(w.slice(from, from + len))) return len / w.length;
  return 0;
}

/**
 * How much of the phrase one unit shows: 1 when it is there whole; else word by word (idf-weighted),
 * a word counting when it is there (in a body `WEAK`), or, for a long word, when most of it is
 * (嵌入式 of 嵌入式软件) — never a pair or two of a short word (机器 is not 机器人).
 */
function coverage(u: Unit, phrase: Phrase, page?: PageHint): number {
  if (!phrase.total) return 0;
  if (phrase.norm.length >= 2 && (!page || page.whole) && u.text.includes(phrase.norm)) return 1;
  let got = 0;
  for (let k = 0; k < phrase.words.length; k++) {
    const w = phrase.words[k];
    // a Latin word is a word of its own (plc is not in hplc); a CJK word may sit inside a longer one
    let m = w.latin
      ? u.latin?.has(w.w)
        ? 1
        : u.latinWeak?.has(w.w)
          ? MATCH.WEAK
          : 0
      : page && page.part[k] < 1
        ? 0
        : u.text.includes(w.w)
          ? 1
          : u.body.includes(w.w)
            ? MATCH.WEAK
            : 0;
    if (!m && !w.latin && w.w.length >= 4 && (!page || page.part[k] >= PART)) {
      const strong = longestPart(u.text, w.w);
      const weak = longestPart(u.body, w.w);
      const best = Math.max(strong >= PART ? strong : 0, weak >= PART ? weak * MATCH.WEAK : 0);
      m = PART_WEIGHT * best;
    }
    got += w.weight * m;
  }
  return got / phrase.total;
}
/** Among many studios, a phrase is read place by place in at most this many of those holding most of its pairs. */
const MAX_OFFERERS = 400;
/** A long word counts through a part of it from this share of its characters, at this weight times the share. */
const PART = 0.6;
const PART_WEIGHT = 0.8;

/**
 * What a whole page holds of a phrase, so that its places need not be searched for what it lacks:
 * whether the phrase is on it, and per word 1 when the word is, else its longest part there (a
 * place holds no more of a word than the page it is on).
 */
interface PageHint {
  whole: boolean;
  part: Float64Array;
}

function bestPlace(p: Profile, phrase: Phrase, page?: PageHint): Match | null {
  let best: Match | null = null;
  p.units.forEach((u, k) => {
    const v = u.strength * coverage(u, phrase, page);
    if (v >= MATCH.SHOWN && (!best || v > best.value)) best = { value: v, unit: k };
  });
  return best;
}

/**
 * Profiles whose pages show the phrase, memoised in the index (phrases repeat across studios).
 * Only profiles holding enough of the phrase's pairs somewhere are looked at unit by unit.
 */
function offerersOf(index: PeerIndex, phrase: Phrase): Map<number, Match> {
  const memo = index.offers.get(phrase.norm);
  if (memo) return memo.found;
  const found = new Map<number, Match>();
  if (phrase.total) {
    // the phrase's pairs each profile holds, weighted (every share is positive: 0 means not yet seen)
    const acc = new Float64Array(index.profiles.length);
    const holding: number[] = [];
    for (const w of phrase.words) {
      const share = w.weight / w.grams.length;
      for (const g of w.grams) {
        const list = index.grams.get(g);
        if (!list) continue;
        for (let k = 0; k < list.length; k++) {
          const i = list[k];
          if (acc[i] === 0) holding.push(i);
          acc[i] += share;
        }
      }
    }
    // the profiles holding most of the phrase's pairs first; among many studios only the first
    // MAX_OFFERERS are read place by place (a phrase every page uses tells little anyway)
    const likely = holding.filter((i) => acc[i] / phrase.total >= MATCH.SHOWN).sort((a, b) => acc[b] - acc[a] || a - b);
    let read = 0;
    const page: PageHint = { whole: false, part: new Float64Array(phrase.words.length) };
    for (const i of likely) {
      if (read >= MAX_OFFERERS) break;
      const p = index.profiles[i];
      // a tighter bound, word by word over the whole page: a word the page lacks is in none of its places
      let bound = 0;
      for (let k = 0; k < phrase.words.length; k++) {
        const w = phrase.words[k];
        page.part[k] = 0;
        if (w.latin ? p.latinAll.has(w.w) : p.all.includes(w.w)) {
          bound += w.weight;
          page.part[k] = 1;
        } else if (!w.latin && w.w.length >= 4) {
          const part = longestPart(p.all, w.w);
          page.part[k] = part;
          if (part >= PART) bound += w.weight * PART_WEIGHT * part;
        }
      }
      if (bound / phrase.total < MATCH.SHOWN) continue;
      read++;
      page.whole = phrase.norm.length >= 2 && p.all.includes(phrase.norm);
      const m = bestPlace(p, phrase, page);
      if (m) found.set(i, m);
    }
  }
  const entry = { phrase, found };
  // studios read since the build are read as they are now, whatever the pair index says
  for (const i of index.changed) placeIn(index, entry, i);
  index.offers.set(phrase.norm, entry);
  return found;
}

interface StudioRow {
  id: string;
  slug: string;
  name: string;
  enterpriseId: string;
  enterprise: string;
  enterpriseSlug: string;
  industry: string;
  industryName: string;
  specialties: string;
  needs: string;
  bodyText: string;
}
interface ResultRow {
  id: string;
  studioId: string;
  slug: string;
  title: string;
  tags: string;
  benefits: string;
  bodyText: string;
  status: string;
  adopters: string;
}
interface PatentRow {
  studioId: string;
  title: string;
  bodyText: string;
}

/** Some studios (the next `limit` after a slug, in slug order, or the given ids) with what their pages show. */
interface Batch {
  studios: StudioRow[];
  /** studio id → its public results (newest first), their confirmed adopters, its reviewed patents */
  results: Map<string, ResultRow[]>;
  adoptions: Map<string, string[]>;
  patents: Map<string, PatentRow[]>;
}

const STUDIO_COLUMNS = `s.id, s.slug, s.name, s.enterpriseId, e.name AS enterprise, e.slug AS enterpriseSlug, s.industryKey AS industry, i.nameZh AS industryName,
              s.specialties, s.skillNeeds AS needs, s.bodyText
         FROM Studio s JOIN Enterprise e ON e.id = s.enterpriseId JOIN Industry i ON i.key = s.industryKey`;

function readBatch(sql: Database.Database, which: { after: string; limit: number } | { ids: string[] }): Batch {
  const studios = (
    "ids" in which
      ? sql.prepare(`SELECT ${STUDIO_COLUMNS} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.slug`).all(JSON.stringify(which.ids))
      : sql.prepare(`SELECT ${STUDIO_COLUMNS} WHERE s.slug > ? ORDER BY s.slug LIMIT ?`).all(which.after, which.limit)
  ) as StudioRow[];
  const ids = JSON.stringify(studios.map((s) => s.id));
  const results = new Map<string, ResultRow[]>();
  const adoptions = new Map<string, string[]>();
  const patents = new Map<string, PatentRow[]>();
  if (!studios.length) return { studios, results, adoptions, patents };
  // only what anyone can check on the pages: the results a visitor who is not signed in sees
  const rows = sql
    .prepare(
      `SELECT id, studioId, slug, title, tags, benefits, bodyText, status, adopters, published, visibility, review FROM Result
        WHERE studioId IN (SELECT value FROM json_each(?)) ORDER BY year DESC, slug`,
    )
    .all(ids) as (ResultRow & { published: number | bigint; visibility: string; review: string | null })[];
  for (const r of rows) {
    if (!isResultVisibleTo(PUBLIC_VIEWER, { ...r, published: Number(r.published) === 1 })) continue;
    const list = results.get(r.studioId);
    if (list) list.push(r);
    else results.set(r.studioId, [r]);
  }
  const adopted = sql
    .prepare(
      `SELECT a.resultId, e.name AS enterprise FROM Adoption a JOIN Enterprise e ON e.id = a.enterpriseId JOIN Result r ON r.id = a.resultId
        WHERE a.status = 'confirmed' AND r.studioId IN (SELECT value FROM json_each(?))`,
    )
    .all(ids) as { resultId: string; enterprise: string }[];
  for (const a of adopted) adoptions.set(a.resultId, [...(adoptions.get(a.resultId) ?? []), a.enterprise]);
  // patents waiting for review (审核) are not evidence anyone may check yet
  const pats = sql
    .prepare(`SELECT studioId, title, bodyText FROM Patent WHERE review IS NULL AND studioId IN (SELECT value FROM json_each(?)) ORDER BY rowid`)
    .all(ids) as PatentRow[];
  for (const p of pats) patents.set(p.studioId, [...(patents.get(p.studioId) ?? []), p]);
  return { studios, results, adoptions, patents };
}

/**
 * On PostgreSQL build reads from memory: every row it would read in batches from SQLite, read first
 * through the client's own pool in the same order (slugs compared bytewise, as SQLite does).
 */
async function postgresSource(db: Db): Promise<PeerSource> {
  const [studios, results, adoptions, patents, industries] = await Promise.all([
    db.$queryRawUnsafe<StudioRow[]>(
      `SELECT s.id, s.slug, s.name, s."enterpriseId", e.name AS enterprise, e.slug AS "enterpriseSlug", s."industryKey" AS industry, i."nameZh" AS "industryName",
              s.specialties, s."skillNeeds" AS needs, s."bodyText"
         FROM "Studio" s JOIN "Enterprise" e ON e.id = s."enterpriseId" JOIN "Industry" i ON i.key = s."industryKey" ORDER BY s.slug COLLATE "C"`,
    ),
    db.$queryRawUnsafe<(ResultRow & { published: boolean; visibility: string; review: string | null })[]>(
      `SELECT id, "studioId", slug, title, tags, benefits, "bodyText", status, adopters, published, visibility, review FROM "Result" ORDER BY year DESC, slug COLLATE "C"`,
    ),
    db.$queryRawUnsafe<{ resultId: string; enterprise: string }[]>(
      `SELECT a."resultId", e.name AS enterprise FROM "Adoption" a JOIN "Enterprise" e ON e.id = a."enterpriseId" WHERE a.status = 'confirmed'`,
    ),
    db.$queryRawUnsafe<PatentRow[]>(`SELECT "studioId", title, "bodyText" FROM "Patent" WHERE review IS NULL ORDER BY "createdAt", id`),
    db.$queryRawUnsafe<{ key: string; related: string }[]>(`SELECT key, related FROM "Industry"`),
  ]);
  const resultsOf = new Map<string, ResultRow[]>();
  for (const r of results) {
    if (!isResultVisibleTo(PUBLIC_VIEWER, r)) continue;
    resultsOf.set(r.studioId, [...(resultsOf.get(r.studioId) ?? []), r]);
  }
  const adoptionsOf = new Map<string, string[]>();
  for (const a of adoptions) adoptionsOf.set(a.resultId, [...(adoptionsOf.get(a.resultId) ?? []), a.enterprise]);
  const patentsOf = new Map<string, PatentRow[]>();
  for (const p of patents) patentsOf.set(p.studioId, [...(patentsOf.get(p.studioId) ?? []), p]);
  const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return {
    industries: () => industries,
    batch(which) {
      const chosen = "ids" in which ? studios.filter((s) => which.ids.includes(s.id)) : studios.filter((s) => bytewise(s.slug, which.after) > 0).slice(0, which.limit);
      const batch: Batch = { studios: chosen, results: new Map(), adoptions: new Map(), patents: new Map() };
      for (const s of chosen) {
        const rs = resultsOf.get(s.id);
        if (rs) batch.results.set(s.id, rs);
        for (const r of rs ?? []) {
          const a = adoptionsOf.get(r.id);
          if (a) batch.adoptions.set(r.id, a);
        }
        const ps = patentsOf.get(s.id);
        if (ps) batch.patents.set(s.id, ps);
      }
      return batch;
    },
    begin() {},
    end() {},
  };
}

/** Weights of the places in the similarity vector: what a studio names as its skills counts more than its prose. */
const FIELD = { specialty: 3, title: 2, tag: 2, body: 1, profile: 1, patent: 1 } as const;

/** Pair keys and Latin words → term ids, kept with the index so that a studio read later gets the same ids. */
class Terms {
  keyIds = new Map<number, number>();
  latinIds = new Map<string, number>();
  texts: (number | string)[] = [];
  get size() {
    return this.texts.length;
  }
  ofKey(k: number) {
    let id = this.keyIds.get(k);
    if (id === undefined) {
      this.keyIds.set(k, (id = this.texts.length));
      this.texts.push(k);
    }
    return id;
  }
  ofLatin(g: string) {
    let id = this.latinIds.get(g);
    if (id === undefined) {
      this.latinIds.set(g, (id = this.texts.length));
      this.texts.push(g);
    }
    return id;
  }
  text(id: number) {
    const t = this.texts[id];
    return typeof t === "string" ? t : keyText(t);
  }
}

/** One studio's profile, its pair counts (the similarity vector before weighting) and the pairs of its patents' bodies. */
/** A studio's pair counts: term ids in the order first met, and their weighted counts. */
interface RawVector {
  terms: Int32Array;
  tf: Float64Array;
}
/** Counts of the studio being read, by term id (every count is positive: 0 means not met yet), and the ids met. */
let counts = new Float64Array(1 << 16);
const met: number[] = [];

function readStudio(s: StudioRow, batch: Batch, terms: Terms): { profile: Profile; vector: RawVector; extra: Set<number> | undefined } {
  const specialties = parseList(s.specialties);
  const results: ResultRef[] = [];
  const units: Unit[] = [];
  let patentPairs: Set<number> | undefined;
  const add = (id: number, w: number) => {
    if (id >= counts.length) counts = grow(counts, Math.max(id + 1, counts.length * 2));
    if (counts[id] === 0) met.push(id);
    counts[id] += w;
  };
  const inVector = (id: number) => id < counts.length && counts[id] !== 0;
  const addText = (text: string, w: number) => {
    if (!w) return;
    pairKeysOf(
      text,
      (k) => add(terms.ofKey(k), w),
      (g) => add(terms.ofLatin(g), w),
    );
  };
  // each text is normalised once (NFKC is the costly part of reading 10,000 pages)
  for (const x of specialties) {
    const nx = normalize(x);
    units.push({ place: "specialty", label: x, result: -1, strength: 1, text: nx, latin: latinOfNormalized(nx), latinWeak: null, body: "" });
    addText(nx, FIELD.specialty);
  }
  for (const r of batch.results.get(s.id) ?? []) {
    const tags = parseList(r.tags);
    const benefits = parseList(r.benefits);
    const i = results.length;
    const proven = r.status !== "piloting";
    results.push({ slug: r.slug, title: r.title, proven, adopters: new Set([...parseList(r.adopters), ...(batch.adoptions.get(r.id) ?? [])]) });
    const strong = [r.title, ...tags].map(normalize);
    const body = normalize([r.bodyText, ...benefits].join("\n"));
    const text = strong.join("\u0001");
    units.push({
      place: "result",
      label: r.title,
      result: i,
      strength: proven ? 1 : MATCH.PILOTING,
      text,
      latin: latinOfNormalized(text),
      latinWeak: latinOfNormalized(body),
      body,
    });
    addText(strong[0], FIELD.title);
    for (const tag of strong.slice(1)) addText(tag, FIELD.tag);
    addText(body, FIELD.body);
  }
  for (const p of batch.patents.get(s.id) ?? []) {
    const text = normalize(p.title);
    const body = normalize(p.bodyText);
    units.push({ place: "patent", label: p.title, result: -1, strength: MATCH.PATENT, text, latin: latinOfNormalized(text), latinWeak: latinOfNormalized(body), body });
    addText(text, FIELD.patent);
    // a patent's body is a place a phrase can be read in, though not part of the similarity
    const hold = (id: number) => inVector(id) || (patentPairs ??= new Set()).add(id);
    pairKeysOf(
      body,
      (k) => hold(terms.ofKey(k)),
      (g) => hold(terms.ofLatin(g)),
    );
  }
  if (s.bodyText) {
    const body = normalize(s.bodyText);
    units.push({ place: "profile", label: s.name, result: -1, strength: MATCH.PROFILE, text: "", latin: null, latinWeak: latinOfNormalized(body), body });
    addText(body, FIELD.profile);
  }
  const adoptedBy = new Set(results.flatMap((r) => [...r.adopters]));
  adoptedBy.delete(s.enterprise);
  const vector = { terms: Int32Array.from(met), tf: Float64Array.from(met, (id) => counts[id]) };
  for (const id of met) counts[id] = 0;
  met.length = 0;
  const profile: Profile = {
    id: s.id,
    slug: s.slug,
    name: s.name,
    enterpriseId: s.enterpriseId,
    enterprise: s.enterprise,
    enterpriseSlug: s.enterpriseSlug,
    industry: s.industry,
    industryName: s.industryName,
    specialties,
    needs: parseList(s.needs),
    results,
    units,
    adoptedBy,
    proven: results.filter((r) => r.proven).length,
    all: units.map((u) => u.text + "\u0001" + u.body).join("\u0002"),
    latinAll: new Set(units.flatMap((u) => [...(u.latin ?? []), ...(u.latinWeak ?? [])])),
  };
  return { profile, vector, extra: patentPairs };
}

/** Studios read per step of a build: a build in the background gives way to requests between steps. */
const BATCH = 25;

const idOf = (m: Map<string, number>, k: string) => {
  let id = m.get(k);
  if (id === undefined) m.set(k, (id = m.size));
  return id;
};

/**
 * Builds the index from one read transaction of `sql`, yielding between steps of a few
 * milliseconds; run to its end at once for the first build, or a step at a time in the background.
 */
/** Where build reads: the SQLite connection, or rows already read from PostgreSQL (postgresSource). */
interface PeerSource {
  industries(): { key: string; related: string }[];
  batch(which: { after: string; limit: number } | { ids: string[] }): Batch;
  begin(): void;
  end(): void;
}

function sqliteSource(sql: Database.Database): PeerSource {
  let own = false;
  return {
    industries: () => sql.prepare(`SELECT key, related FROM Industry`).all() as { key: string; related: string }[],
    batch: (which) => readBatch(sql, which),
    begin() {
      own = !sql.inTransaction;
      if (own) sql.exec("BEGIN");
    },
    end() {
      if (own) sql.exec("COMMIT");
    },
  };
}

function* build(from: Database.Database | PeerSource, warm: string[] = []): Generator<void, PeerIndex> {
  const source = "prepare" in from ? sqliteSource(from) : from;
  const terms = new Terms();
  const raw: RawVector[] = [];
  /** per profile: pairs of its patents' bodies that its similarity vector does not hold */
  const extra: (Set<number> | undefined)[] = [];
  const profiles: Profile[] = [];
  let industries: { key: string; related: string }[];
  source.begin();
  try {
    industries = source.industries();
    for (let after = ""; ;) {
      const batch = source.batch({ after, limit: BATCH });
      if (!batch.studios.length) break;
      for (const s of batch.studios) {
        const r = readStudio(s, batch, terms);
        profiles.push(r.profile);
        raw.push(r.vector);
        extra.push(r.extra);
      }
      after = batch.studios[batch.studios.length - 1].slug;
      yield;
    }
  } finally {
    source.end();
  }

  // tf-idf over studios, so that pairs every studio uses count for little; vectors of unit length
  const N = profiles.length;
  const T = terms.size;
  const dfOf = new Float64Array(T);
  for (const v of raw) for (const t of v.terms) dfOf[t]++;
  const termOf: string[] = new Array(T);
  for (let id = 0; id < T; id++) {
    termOf[id] = terms.text(id);
    if (id % 16384 === 16383) yield;
  }
  // each term's postings [profile, weight, …] in profile order, in arrays of their final size
  const postings: Float64Array[] = new Array(T);
  for (let t = 0; t < T; t++) postings[t] = new Float64Array(2 * dfOf[t]);
  const filled = new Int32Array(T);
  const vectors: PeerIndex["vectors"] = [];
  for (let i = 0; i < N; i++) {
    const { terms: ts, tf } = raw[i];
    const ws = new Float64Array(ts.length);
    let norm = 0;
    for (let k = 0; k < ts.length; k++) {
      const w = (1 + Math.log(tf[k])) * Math.log(1 + N / dfOf[ts[k]]);
      ws[k] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < ws.length; k++) {
      ws[k] /= norm;
      const t = ts[k];
      postings[t][filled[t]++] = i;
      postings[t][filled[t]++] = ws[k];
    }
    vectors.push({ terms: ts, weights: ws });
    if (i % 256 === 255) yield;
  }
  yield;

  // character pair → the profiles whose places hold it (the similarity's pairs and the patents'
  // bodies), in profile order; a patent's pair the vector holds after all is not counted twice
  const held = new Int32Array(T);
  const mark = new Int32Array(T);
  for (let i = 0; i < N; i++) {
    if (i % 1024 === 1023) yield;
    for (const t of raw[i].terms) {
      held[t]++;
      mark[t] = i + 1;
    }
    const more = extra[i];
    if (!more) continue;
    for (const t of more) {
      if (mark[t] === i + 1) more.delete(t);
      else held[t]++;
    }
  }
  const holders: Int32Array[] = new Array(T);
  for (let t = 0; t < T; t++) holders[t] = new Int32Array(held[t]);
  filled.fill(0);
  for (let i = 0; i < N; i++) {
    if (i % 1024 === 1023) yield;
    for (const t of raw[i].terms) holders[t][filled[t]++] = i;
    for (const t of extra[i] ?? []) holders[t][filled[t]++] = i;
  }
  yield;
  const df = new Map<string, number>();
  const grams = new Map<string, Int32Array>();
  for (let t = 0; t < T; t++) {
    if (t % 16384 === 16383) yield;
    if (!held[t]) continue;
    df.set(termOf[t], held[t]);
    grams.set(termOf[t], holders[t]);
  }
  yield;
  const idf = (g: string) => Math.log(1 + N / ((df.get(g) ?? 0) + 1));
  const needers = new Map<string, { phrase: Phrase; who: number[] }>();
  profiles.forEach((p, i) => {
    for (const n of p.needs) {
      const phrase = phraseOf(n, idf);
      const entry = needers.get(phrase.norm) ?? { phrase, who: [] };
      entry.who.push(i);
      needers.set(phrase.norm, entry);
    }
  });
  const enterpriseIds = new Map<string, number>();
  const industryIds = new Map<string, number>();
  const adoptedBy = new Map<string, number[]>();
  profiles.forEach((p, i) => {
    for (const e of p.adoptedBy) adoptedBy.set(e, [...(adoptedBy.get(e) ?? []), i]);
  });
  const index: PeerIndex = {
    profiles,
    bySlug: new Map(profiles.map((p, i) => [p.slug, i])),
    byId: new Map(profiles.map((p, i) => [p.id, i])),
    enterpriseOf: Int32Array.from(profiles, (p) => idOf(enterpriseIds, p.enterpriseId)),
    enterpriseIds,
    industryOf: Int32Array.from(profiles, (p) => idOf(industryIds, p.industry)),
    industryIds,
    needCount: Int32Array.from(profiles, (p) => p.needs.length),
    record: Float64Array.from(profiles, recordOf),
    adoptedBy,
    related: new Map(industries.map((i) => [i.key, new Set(parseList(i.related))])),
    df,
    postings,
    vectors,
    termOf,
    needers,
    grams,
    offers: new Map(),
    terms,
    dfOf,
    builtN: N,
    changed: new Set(),
    gone: new Uint8Array(N),
  };
  // where every need and specialty shows, asked now rather than by the first requests that list
  // it (findPeers asks about no other phrases); and any the index it replaces was asked about
  const idfNow = idfOf(index);
  const phrases = new Set(warm);
  for (const p of profiles) for (const x of [...p.needs, ...p.specialties]) phrases.add(x);
  for (const raw of phrases) {
    offerersOf(index, phraseOf(raw, idfNow));
    yield;
  }
  return index;
}

const recordOf = (p: Profile) => Math.min(1, Math.log1p(p.proven) / Math.log1p(4));

const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T => {
  if (a.length >= n) return a;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
};

/**
 * Reads the given studios again and puts them into the index in place: their profiles, needs,
 * vectors (weighted by the build's document frequencies), and where the phrases asked about so
 * far show on their pages. A studio that is gone is left out from then on. Until the next full
 * build the index reads these studios one by one (`changed`) instead of through its postings.
 */
function patch(index: PeerIndex, sql: Database.Database, ids: string[]) {
  const batch = readBatch(sql, { ids });
  const read = new Set(batch.studios.map((s) => s.id));
  const forget = (i: number) => {
    const old = index.profiles[i];
    if (index.bySlug.get(old.slug) === i) index.bySlug.delete(old.slug);
    for (const e of old.adoptedBy) {
      const list = index.adoptedBy.get(e)?.filter((j) => j !== i);
      if (list) index.adoptedBy.set(e, list);
    }
    for (const n of new Set(old.needs)) {
      const norm = normalize(n).trim();
      const entry = index.needers.get(norm);
      if (!entry) continue;
      entry.who = entry.who.filter((j) => j !== i);
      if (!entry.who.length) index.needers.delete(norm);
    }
  };
  for (const id of ids) {
    const i = index.byId.get(id);
    if (i === undefined || read.has(id)) continue;
    forget(i);
    index.byId.delete(id);
    index.gone[i] = 1;
    index.changed.add(i);
  }
  const N = index.builtN;
  const idf = idfOf(index);
  for (const s of batch.studios) {
    let i = index.byId.get(s.id);
    if (i === undefined) {
      i = index.profiles.length;
      const n = i + 1;
      index.enterpriseOf = grow(index.enterpriseOf, n);
      index.industryOf = grow(index.industryOf, n);
      index.needCount = grow(index.needCount, n);
      index.record = grow(index.record, n);
      index.gone = grow(index.gone, n);
      index.byId.set(s.id, i);
    } else forget(i);
    // (the pairs of its patents' bodies matter only to the pair index, which a changed studio bypasses)
    const { profile, vector } = readStudio(s, batch, index.terms);
    for (let id = index.termOf.length; id < index.terms.size; id++) index.termOf.push(index.terms.text(id));
    // weighted as the build weighted it: a pair the build never saw is this studio's alone
    const ws = Float64Array.from(vector.terms, (t, k) => (1 + Math.log(vector.tf[k])) * Math.log(1 + N / (index.dfOf[t] || 1)));
    const norm = Math.sqrt(ws.reduce((a, w) => a + w * w, 0)) || 1;
    index.vectors[i] = { terms: vector.terms, weights: ws.map((w) => w / norm) };
    index.profiles[i] = profile;
    index.bySlug.set(profile.slug, i);
    index.enterpriseOf[i] = idOf(index.enterpriseIds, profile.enterpriseId);
    index.industryOf[i] = idOf(index.industryIds, profile.industry);
    index.needCount[i] = profile.needs.length;
    index.record[i] = recordOf(profile);
    index.gone[i] = 0;
    for (const e of profile.adoptedBy) index.adoptedBy.set(e, [...(index.adoptedBy.get(e) ?? []), i]);
    for (const n of profile.needs) {
      const phrase = phraseOf(n, idf);
      const entry = index.needers.get(phrase.norm) ?? { phrase, who: [] };
      if (!entry.who.includes(i)) entry.who.push(i);
      index.needers.set(phrase.norm, entry);
    }
    index.changed.add(i);
  }
  // the phrases asked about so far: where they show on the studios just read
  for (const memo of index.offers.values()) for (const i of index.changed) placeIn(index, memo, i);
}

/** Where a phrase shows on one studio read since the build (or nowhere, when it is gone). */
function placeIn(index: PeerIndex, memo: { phrase: Phrase; found: Map<number, Match> }, i: number) {
  const m = index.gone[i] ? null : bestPlace(index.profiles[i], memo.phrase);
  if (m) memo.found.set(i, m);
  else memo.found.delete(i);
}

// —— keeping the index current ——

/** The columns the index is built from: a write to any of them brings the index up to date. */
const WATCHED: Record<string, string[]> = {
  Studio: ["slug", "name", "enterpriseId", "industryKey", "specialties", "skillNeeds", "bodyText"],
  Result: ["slug", "title", "studioId", "tags", "benefits", "bodyText", "status", "adopters", "published", "visibility", "review", "year"],
  Patent: ["studioId", "title", "bodyText", "review"],
  Adoption: ["resultId", "enterpriseId", "status"],
  Enterprise: ["name", "slug"],
  Industry: ["nameZh", "related"],
};

/** Which studio a write to a watched table changes ('*': every studio, read at the next full build). */
const STUDIO_OF: Record<string, (row: "NEW" | "OLD") => string> = {
  Studio: (row) => `${row}.id`,
  Result: (row) => `${row}.studioId`,
  Patent: (row) => `${row}.studioId`,
  Adoption: (row) => `(SELECT studioId FROM main."Result" WHERE id = ${row}.resultId)`,
  Enterprise: () => `'*'`,
  Industry: () => `'*'`,
};

/**
 * Counts this connection's writes to the watched columns and notes which studios they change,
 * with TEMP triggers: they live only on this connection, so the database file and its migrations
 * never see them. Checking is then one read of a one-row table instead of a scan of every studio
 * and result (~60 ms at 10,000 studios).
 */
function watchContent(sql: Database.Database) {
  const ddl = [
    "CREATE TEMP TABLE IF NOT EXISTS peers_changes (n INTEGER NOT NULL)",
    "INSERT INTO peers_changes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM peers_changes)",
    "CREATE TEMP TABLE IF NOT EXISTS peers_changed_studios (id TEXT PRIMARY KEY)",
  ];
  for (const [table, columns] of Object.entries(WATCHED)) {
    const note = (...rows: ("NEW" | "OLD")[]) =>
      `BEGIN UPDATE peers_changes SET n = n + 1; ${rows.map((r) => `INSERT OR IGNORE INTO peers_changed_studios (id) SELECT ${STUDIO_OF[table](r)};`).join(" ")} END`;
    ddl.push(
      `CREATE TEMP TRIGGER IF NOT EXISTS peers_${table}_insert AFTER INSERT ON main."${table}" ${note("NEW")}`,
      `CREATE TEMP TRIGGER IF NOT EXISTS peers_${table}_delete AFTER DELETE ON main."${table}" ${note("OLD")}`,
      `CREATE TEMP TRIGGER IF NOT EXISTS peers_${table}_update AFTER UPDATE OF ${columns.map((c) => `"${c}"`).join(", ")} ON main."${table}" ${note("OLD", "NEW")}`,
    );
  }
  sql.exec(ddl.map((d) => `${d};`).join("\n"));
}

interface Cached {
  index: PeerIndex;
  /** the connection builds and patches read from: committed rows only, and never busy with a request's query */
  reader: Database.Database;
  /** PRAGMA data_version: changes when another connection (an import, another process) commits */
  dataVersion: number;
  /** this connection's writes to the watched columns */
  local: number;
  /** counts and latest updates of what the index is built from, for writes by other connections (null: not read since this connection wrote) */
  content: string | null;
  /** the latest updatedAt of studios, results and patents already read, and the latest adoption */
  since: { s: string; r: string; p: string; a: string };
  /** the full build under way in the background, the studios patched since it started reading, and whether another is due */
  rebuild: { done: Promise<void>; patched: Set<string>; again: boolean; now: () => void } | null;
  /** when the last full build ended (Date.now()) */
  built: number;
  /** false for a database in memory, which has no second connection: its builds run at once */
  background: boolean;
  builds: number;
  patched: number;
}
const caches = new WeakMap<Database.Database, Cached>();

/**
 * Counts and latest updates of what the index is built from (a scan of every studio and result,
 * ~60 ms at 10,000 studios), and the latest updates alone, from which the studios written later
 * are found.
 */
function contentOf(sql: Database.Database): { stamp: string; since: Cached["since"] } {
  const row = sql
    .prepare(
      `SELECT (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Studio) AS s,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Result) AS r,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Patent) AS p,
            (SELECT count(*) || '/' || ifnull(max(createdAt), '') || '/' || total(status = 'confirmed') FROM Adoption) AS a,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Enterprise) AS e,
            (SELECT ifnull(group_concat(key || nameZh || related), '') FROM Industry) AS i`,
    )
    .get() as Record<"s" | "r" | "p" | "a" | "e" | "i", string>;
  const latest = (x: string) => x.split("/")[1] ?? "";
  return { stamp: Object.values(row).join("|"), since: { s: latest(row.s), r: latest(row.r), p: latest(row.p), a: latest(row.a) } };
}

/** Studios changed since the index last read them: noted by this connection's triggers, or updated later than it read (other connections). */
function changedStudios(sql: Database.Database, since: Cached["since"] | null): Set<string> {
  const ids = new Set(sql.prepare("SELECT id FROM temp.peers_changed_studios WHERE id IS NOT NULL").pluck().all() as string[]);
  sql.exec("DELETE FROM temp.peers_changed_studios");
  if (!since) return ids;
  const later = sql
    .prepare(
      `SELECT id FROM Studio WHERE updatedAt > :s UNION SELECT studioId FROM Result WHERE updatedAt > :r UNION SELECT studioId FROM Patent WHERE updatedAt > :p
       UNION SELECT r.studioId FROM Adoption a JOIN Result r ON r.id = a.resultId WHERE a.createdAt > :a`,
    )
    .pluck()
    .all(since) as string[];
  for (const id of later) ids.add(id);
  return ids;
}

/** The same database on a connection of its own (read only), or the connection itself for a database in memory. */
function readerFor(sql: Database.Database): Database.Database {
  if (sql.memory || !sql.name) return sql;
  const reader = new Database(sql.name, { readonly: true, fileMustExist: true });
  reader.pragma("busy_timeout = 5000");
  return reader;
}

/**
 * Whether the database is in WAL mode, where a reader's long transaction never holds up a writer.
 * In rollback-journal mode it would: a background build's read transaction, held across steps,
 * keeps every other process's commit waiting (their waits block their event loops), so there the
 * build runs to its end at once, as the first one does.
 */
function walMode(sql: Database.Database): boolean {
  return String(sql.pragma("journal_mode", { simple: true })).toLowerCase() === "wal";
}

/** How long one step of a background build may hold the event loop (requests run between steps). */
const STEP_MS = 12;
/**
 * A background build starts at least this long after the last one ended: under a steady trickle
 * of writes the machine builds at most about a quarter of the time, and the patches keep every
 * list current meanwhile (only the term weights wait for the build).
 */
const BUILD_GAP_MS = 30_000;

/** A full build in the background, a few milliseconds at a time; the old index answers meanwhile. */
function rebuildLater(c: Cached) {
  if (!c.background) {
    c.index = runToEnd(build(c.reader));
    c.builds++;
    return;
  }
  if (c.rebuild) {
    c.rebuild.again = true;
    return;
  }
  const run: NonNullable<Cached["rebuild"]> = { patched: new Set<string>(), again: false, done: Promise.resolve(), now: () => {} };
  c.rebuild = run;
  run.done = new Promise<void>((resolve) => {
    let steps: Generator<void, PeerIndex>;
    const begin = () => {
      run.now = () => {};
      // the rows are read from here on: only studios patched after this are read again at the end
      run.patched.clear();
      run.again = false;
      steps = build(
        c.reader,
        [...c.index.offers.values()].map((m) => m.phrase.raw),
      );
      step();
    };
    const step = () => {
      try {
        const until = performance.now() + STEP_MS;
        let r = steps.next();
        while (!r.done && performance.now() < until) r = steps.next();
        if (!r.done) {
          setImmediate(step);
          return;
        }
        // the new index read the rows as they were when it started: studios patched since then are read again
        const index = r.value;
        if (run.patched.size) patch(index, c.reader, [...run.patched]);
        c.index = index;
        c.builds++;
        c.built = Date.now();
      } catch (error) {
        // the patched index goes on answering; the next write that changes the content tries again
        console.error("peers: rebuilding the index failed", error);
        run.again = false;
        run.patched.clear();
      }
      c.rebuild = null;
      resolve();
      if (run.again || run.patched.size) rebuildLater(c);
    };
    const wait = c.built + BUILD_GAP_MS - Date.now();
    if (wait <= 0) setImmediate(begin);
    else {
      const timer = setTimeout(begin, wait);
      timer.unref();
      run.now = () => {
        clearTimeout(timer);
        begin();
      };
    }
  });
}

/** Counts of full builds and patched studios for a database, and whether a build is under way (tests and benches). */
export async function peerIndexState(db: Db = defaultDb): Promise<{ builds: number; patched: number; rebuilding: boolean }> {
  if (isPostgres(db)) {
    // on PostgreSQL a change rebuilds the index whole, at once (peerIndexPostgres)
    const p = postgresCaches.get((db as { _originalClient?: object })._originalClient ?? db);
    return { builds: p?.builds ?? 0, patched: 0, rebuilding: false };
  }
  const c = caches.get(await connectionOf(db));
  return { builds: c?.builds ?? 0, patched: c?.patched ?? 0, rebuilding: !!c?.rebuild };
}

/** Starts at once any full build waiting for its turn, and resolves when none is under way or waiting (tests and benches). */
export async function peerIndexSettled(db: Db = defaultDb): Promise<void> {
  if (isPostgres(db)) return;
  const c = caches.get(await connectionOf(db));
  while (c?.rebuild) {
    c.rebuild.now();
    await c.rebuild.done;
  }
}

async function connectionOf(db: Db): Promise<Database.Database> {
  let sql = rawConnectionOf(db);
  if (!sql) {
    await db.$queryRaw`SELECT 1`; // opens the adapter's connection, which registers itself
    sql = rawConnectionOf(db);
  }
  if (!sql) throw new Error("peer matching needs a client made by createDb()");
  return sql;
}

const postgresCaches = new WeakMap<object, { stamp: string; index: PeerIndex; builds: number }>();

/**
 * On PostgreSQL the TEMP triggers' counterpart: a change stamp bumped by triggers on the watched
 * columns (app/utils/change-stamp.server.ts), which also moves for other servers' writes.
 */
async function peerIndexPostgres(db: Db): Promise<PeerIndex> {
  await watchTables(db, "peers", WATCHED);
  const stamp = await changeStamp(db, "peers"); // read before the rows: see change-stamp.server.ts
  const k = (db as { _originalClient?: object })._originalClient ?? db;
  const cached = postgresCaches.get(k);
  if (cached && cached.stamp === stamp) return cached.index;
  const index = runToEnd(build(await postgresSource(db)));
  postgresCaches.set(k, { stamp, index, builds: (cached?.builds ?? 0) + 1 });
  return index;
}

const runToEnd = <T>(steps: Generator<void, T>): T => {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
};

/**
 * The index for this database. Built once (the first call waits for it); after a write to what it
 * reads, the studios the write changed are read again at once and patched in, and a full build
 * runs in the background while the patched index answers (docs/decisions/0006-peer-matching.md).
 */
async function peerIndex(db: Db): Promise<PeerIndex> {
  if (isPostgres(db)) return peerIndexPostgres(db);
  const sql = await connectionOf(db);
  // from here on everything is synchronous: no write can slip in between the checks and the reads
  let c = caches.get(sql);
  if (!c) {
    watchContent(sql);
    const reader = readerFor(sql);
    // (inside a transaction the reader does not see its writes yet: the next call outside it patches them in)
    const inside = sql.inTransaction;
    const stamp = {
      dataVersion: sql.pragma("data_version", { simple: true }) as number,
      local: inside ? -1 : (sql.prepare("SELECT n FROM temp.peers_changes").get() as { n: number }).n,
    };
    if (!inside) sql.exec("DELETE FROM temp.peers_changed_studios");
    const { stamp: content, since } = contentOf(sql);
    c = { index: runToEnd(build(reader)), reader, ...stamp, content, since, rebuild: null, built: Date.now(), background: reader !== sql && walMode(sql), builds: 1, patched: 0 };
    caches.set(sql, c);
    return c.index;
  }
  // inside a transaction this connection sees writes that may yet be rolled back: answer from what was read
  if (sql.inTransaction) return c.index;
  const dataVersion = sql.pragma("data_version", { simple: true }) as number;
  const local = (sql.prepare("SELECT n FROM temp.peers_changes").get() as { n: number }).n;
  if (c.local === local && c.dataVersion === dataVersion) return c.index;
  let ids: Set<string>;
  if (c.dataVersion === dataVersion) {
    // only this connection wrote: its triggers name the studios (the content stamp is read again when another connection writes)
    ids = changedStudios(sql, null);
    Object.assign(c, { local, content: null });
  } else {
    const content = contentOf(sql);
    if (c.local === local && content.stamp === c.content) {
      c.dataVersion = dataVersion;
      return c.index;
    }
    // another connection wrote: the studios it updated later than the index read them, and any this connection's triggers name
    ids = changedStudios(sql, c.since);
    Object.assign(c, { dataVersion, local, content: content.stamp, since: content.since });
  }
  // an enterprise's or industry's change ('*') waits for the full build, as does a deletion by another connection
  ids.delete("*");
  if (ids.size) {
    patch(c.index, c.reader, [...ids]);
    c.patched += ids.size;
    for (const id of ids) c.rebuild?.patched.add(id);
  }
  rebuildLater(c);
  return c.index;
}

// —— ranking ——

const round = (x: number) => Math.round(x * 1000) / 1000;
/** The similarity reads this many of a studio's heaviest pairs: enough for its profile, and fast among 10,000 studios. */
const QUERY_TERMS = 160;

const idfOf = (index: PeerIndex) => {
  const N = index.builtN;
  return (g: string) => Math.log(1 + N / ((index.df.get(g) ?? 0) + 1));
};

/** Studios of other enterprises, best first, each with the reasons a coordinator can check. */
export async function findPeers(slug: string, limit = 8, db: Db = defaultDb): Promise<PeersOf | null> {
  const index = await peerIndex(db);
  const meIdx = index.bySlug.get(slug);
  if (meIdx === undefined) return null;
  const me = index.profiles[meIdx];
  const N = index.profiles.length;
  const idf = idfOf(index);
  // per studio of the index: what this studio's evidence adds up to (typed arrays, no allocations per candidate)
  const sim = new Float64Array(N);
  const needHits = new Float64Array(N);
  const skillHits = new Float64Array(N);
  const weMeetHits = new Float64Array(N);
  const proofHits = new Float64Array(N);

  // similarity: cosine over the postings of this studio's heaviest pairs
  const v = index.vectors[meIdx];
  let order = Array.from(v.terms.keys());
  if (order.length > QUERY_TERMS) order = order.sort((a, b) => v.weights[b] - v.weights[a]).slice(0, QUERY_TERMS);
  for (const k of order) {
    const list = index.postings[v.terms[k]];
    if (!list) continue; // a pair first read after the build (patch): no other studio had it then
    const w = v.weights[k];
    for (let j = 0; j < list.length; j += 2) sim[list[j]] += w * list[j + 1];
  }
  // studios read since the build: their postings are out of date, their vectors are not
  if (index.changed.size) {
    const query = new Map<number, number>();
    for (const k of order) query.set(v.terms[k], v.weights[k]);
    for (const i of index.changed) {
      let s = 0;
      const u = index.vectors[i];
      if (!index.gone[i]) for (let k = 0; k < u.terms.length; k++) s += (query.get(u.terms[k]) ?? 0) * u.weights[k];
      sim[i] = s;
    }
  }
  // they meet this studio's needs; they show its specialties; proven results behind either
  const myNeeds = me.needs.map((n) => offerersOf(index, phraseOf(n, idf)));
  const mySkills = me.specialties.map((s) => offerersOf(index, phraseOf(s, idf)));
  const proofs = new Map<number, Set<number>>();
  const tally = (offers: Map<number, Match>[], hits: Float64Array) => {
    for (const m of offers) {
      for (const [i, shown] of m) {
        hits[i] += shown.value;
        const r = index.profiles[i].units[shown.unit].result;
        if (r >= 0 && index.profiles[i].results[r].proven) {
          const set = proofs.get(i) ?? new Set<number>();
          set.add(r);
          proofs.set(i, set);
          proofHits[i] = set.size;
        }
      }
    }
  };
  tally(myNeeds, needHits);
  tally(mySkills, skillHits);
  // this studio meets their needs
  const weMeet = new Map<string, Match>();
  for (const { phrase, who } of index.needers.values()) {
    const shown = bestPlace(me, phrase);
    if (!shown) continue;
    weMeet.set(phrase.norm, shown);
    for (const i of who) weMeetHits[i] += shown.value;
  }
  const related = index.related.get(me.industry);
  // every studio is a candidate; one without any evidence scores 0 and is left out
  const mine = index.enterpriseOf[meIdx];
  const enterpriseOf = index.enterpriseOf;
  // similarity counts relative to the most similar studio elsewhere: only the order of cosines matters
  let top = 0;
  const gone = index.gone;
  for (let i = 0; i < N; i++) if (sim[i] > top && enterpriseOf[i] !== mine && !gone[i]) top = sim[i];
  // the industry term by industry number (same 1, related 0.5), and the studios whose results this enterprise adopted
  const industryTerm = new Float64Array(index.industryIds.size);
  for (const [key, id] of index.industryIds) industryTerm[id] = key === me.industry ? 1 : related?.has(key) ? 0.5 : 0;
  const adopted = new Uint8Array(N);
  for (const i of index.adoptedBy.get(me.enterprise) ?? []) adopted[i] = 1;

  const e = WEIGHTS.evidence;
  const b = WEIGHTS.boost;
  const skillBase = Math.min(3, Math.max(1, me.specialties.length));
  const partsOf = (i: number) => {
    const other = index.profiles[i];
    const industry = industryTerm[index.industryOf[i]];
    return {
      needsMet: me.needs.length ? needHits[i] / me.needs.length : 0,
      needsWeMeet: other.needs.length ? Math.min(1, weMeetHits[i] / other.needs.length) : 0,
      sharedSkills: Math.min(1, skillHits[i] / skillBase),
      similarity: top ? sim[i] / top : 0,
      industry,
      // proof: results in use that show a need met or a shared skill, or that this enterprise adopted
      proof: Math.min(1, (proofHits[i] + (other.adoptedBy.has(me.enterprise) ? 2 : 0)) / 2),
    };
  };
  // the same sums as partsOf, over typed arrays: this loop reads every studio of the index
  const scores = new Float64Array(N);
  const ranked: number[] = [];
  const myNeedCount = me.needs.length;
  const { needCount, industryOf, record } = index;
  for (let i = 0; i < N; i++) {
    if (enterpriseOf[i] === mine || gone[i]) continue; // cross-enterprise only, always
    const theirNeeds = needCount[i];
    const needsMet = myNeedCount ? needHits[i] / myNeedCount : 0;
    const needsWeMeet = theirNeeds ? Math.min(1, weMeetHits[i] / theirNeeds) : 0;
    const sharedSkills = Math.min(1, skillHits[i] / skillBase);
    const similarity = top ? sim[i] / top : 0;
    const evidenceScore = e.needsMet * needsMet + e.needsWeMeet * needsWeMeet + e.sharedSkills * sharedSkills + e.similarity * similarity;
    if (evidenceScore <= 0) continue;
    const industry = industryTerm[industryOf[i]];
    const proof = Math.min(1, (proofHits[i] + (adopted[i] ? 2 : 0)) / 2);
    scores[i] =
      (evidenceScore * (1 + b.industry * industry + b.proof * proof) +
        WEIGHTS.extra.industry * industry +
        WEIGHTS.extra.record * record[i] +
        (adopted[i] ? WEIGHTS.extra.adopted : 0)) /
      MAX_SCORE;
    ranked.push(i);
  }
  // only the best few need a full order (among 10,000 studios nearly all share some pair)
  const keep = Math.max(limit * 4, 40);
  if (ranked.length > keep * 4) {
    const cut = Float64Array.from(ranked, (i) => scores[i]).sort();
    const floor = cut[cut.length - keep];
    let n = 0;
    for (const i of ranked) if (scores[i] >= floor) ranked[n++] = i;
    ranked.length = n;
  }
  ranked.sort((x, y) => scores[y] - scores[x] || (index.profiles[x].slug < index.profiles[y].slug ? -1 : 1));

  const peers: Peer[] = [];
  for (const i of ranked) {
    if (peers.length >= limit) break;
    const other = index.profiles[i];
    const reasons = reasonsFor(index, me, meIdx, other, i, myNeeds, mySkills, weMeet);
    if (!reasons.length) continue; // a suggestion nobody can check is not made
    const p = partsOf(i);
    peers.push({
      slug: other.slug,
      name: other.name,
      enterprise: other.enterprise,
      enterpriseSlug: other.enterpriseSlug,
      industry: other.industry,
      score: round(scores[i]),
      parts: {
        needsMet: round(p.needsMet),
        needsWeMeet: round(p.needsWeMeet),
        sharedSkills: round(p.sharedSkills),
        similarity: round(p.similarity),
        industry: p.industry,
        proof: round(p.proof),
      },
      reasons,
    });
  }
  return { studio: { slug: me.slug, name: me.name, enterprise: me.enterprise }, peers };
}

/** The pieces of the phrase a unit holds: the phrase when it is there whole, else the longest parts of its words found there. */
function piecesIn(u: Unit, phrase: Phrase): string[] {
  if (phrase.norm.length >= 2 && u.text.includes(phrase.norm)) return [phrase.raw];
  const hay = u.text + "\u0001" + u.body;
  const out: string[] = [];
  for (const { w } of phrase.words) {
    if (hay.includes(w)) {
      out.push(w);
      continue;
    }
    // the longest parts of the word (two characters or more) found on the page, left to right
    for (let from = 0; from < w.length - 1;) {
      let len = w.length - from;
      while (len >= 2 && !hay.includes(w.slice(from, from + len))) len--;
      if (len >= 2) {
        out.push(w.slice(from, from + len));
        from += len;
      } else from++;
    }
  }
  return [...new Set(out)];
}

function evidenceOf(p: Profile, item: string, phrase: Phrase, m: Match): Evidence {
  const u = p.units[m.unit];
  const result = u.result >= 0 ? { slug: p.results[u.result].slug, title: p.results[u.result].title } : undefined;
  return { item, place: u.place, label: u.label, ...(result ? { result } : {}), pieces: piecesIn(u, phrase) };
}

/** The evidence in Chinese: where to look, and which pieces of a phrase that is not there whole. */

/** The distinct words of a page, in order (its text as `all` holds it), kept while the profile is in use. */
const wordsOfPage = new WeakMap<Profile, string[]>();
function pageWords(p: Profile): string[] {
  let words = wordsOfPage.get(p);
  if (!words) wordsOfPage.set(p, (words = [...new Set(cut(p.all))]));
  return words;
}

/** The words two pages share that weigh most in their similarity (jieba's words of this page, found on the other). */
function sharedWords(index: PeerIndex, a: number, b: number, max = 4): string[] {
  const weightOf = (v: PeerIndex["vectors"][number]) => {
    const m = new Map<string, number>();
    for (let k = 0; k < v.terms.length; k++) m.set(index.termOf[v.terms[k]], v.weights[k]);
    return m;
  };
  const wa = weightOf(index.vectors[a]);
  const wb = weightOf(index.vectors[b]);
  const tb = index.profiles[b].all;
  const scored: { w: string; s: number }[] = [];
  for (const w of pageWords(index.profiles[a])) {
    if (w.length < 2 || /^[\d.%]+$/.test(w) || !/[\u3400-\u9fff]|[a-z]{2}/.test(w) || !tb.includes(w)) continue;
    let s = 0;
    pairsOf(w, (g) => (s += (wa.get(g) ?? 0) * (wb.get(g) ?? 0)));
    if (s > 0) scored.push({ w, s });
  }
  scored.sort((x, y) => y.s - x.s || y.w.length - x.w.length);
  const out: string[] = [];
  for (const { w } of scored) {
    if (out.length >= max) break;
    if (!out.some((x) => x.includes(w) || w.includes(x))) out.push(w);
  }
  return out;
}

/** Reasons in a coordinator's words, each naming what to look for on the two pages. */
function reasonsFor(
  index: PeerIndex,
  me: Profile,
  meIdx: number,
  other: Profile,
  i: number,
  myNeeds: Map<number, Match>[],
  mySkills: Map<number, Match>[],
  weMeet: Map<string, Match>,
): PeerReason[] {
  const idf = idfOf(index);
  const reasons: PeerReason[] = [];
  const met = me.needs.flatMap((n, k) => {
    const shown = myNeeds[k].get(i);
    return shown && shown.value >= MATCH.CLAIMED ? [evidenceOf(other, n, phraseOf(n, idf), shown)] : [];
  });
  if (met.length) reasons.push({ type: "meets-needs", needs: met.map((x) => x.item), evidence: met });
  const shared = me.specialties
    .flatMap((s, k) => {
      const shown = mySkills[k].get(i);
      return shown && shown.value >= MATCH.CLAIMED ? [evidenceOf(other, s, phraseOf(s, idf), shown)] : [];
    })
    .slice(0, 5);
  if (shared.length) reasons.push({ type: "shared-skills", skills: shared.map((x) => x.item), evidence: shared });
  const theirs = other.needs.flatMap((n) => {
    const phrase = phraseOf(n, idf);
    const shown = weMeet.get(phrase.norm);
    return shown && shown.value >= MATCH.CLAIMED ? [evidenceOf(me, n, phrase, shown)] : [];
  });
  if (theirs.length) reasons.push({ type: "needs-met-by-us", needs: theirs.map((x) => x.item), evidence: theirs });
  if (!reasons.some((r) => r.type === "meets-needs" || r.type === "needs-met-by-us")) {
    // no need met outright: name the words both pages use most, so the similarity can be checked
    const words = sharedWords(index, meIdx, i);
    if (words.length) reasons.push({ type: "similar-work", words });
  }
  if (!reasons.length) return [];
  if (other.industry === me.industry) reasons.push({ type: "same-industry", industry: other.industry });
  else if (index.related.get(me.industry)?.has(other.industry)) reasons.push({ type: "related-industry", industry: other.industry });
  const adopted = other.results.filter((r) => r.adopters.has(me.enterprise)).slice(0, 3);
  if (adopted.length) reasons.push({ type: "adopted-by-us", enterprise: me.enterprise, results: adopted.map(({ slug, title }) => ({ slug, title })) });
  const proven = other.results.filter((r) => r.proven && !adopted.includes(r)).slice(0, 3);
  if (proven.length) reasons.push({ type: "track-record", results: proven.map(({ slug, title }) => ({ slug, title })) });
  return reasons;
}

/** Reasons with their text in the reader's language, made from their data and message keys. */
export function localizeReasons(reasons: PeerReason[], locale: Locale, industries: { key: string; nameZh: string; nameEn: string }[]): RenderedPeerReason[] {
  const t = translatorFor(locale);
  const sep = t("peers.sep");
  const quoted = (title: string) => t("peers.resultTitle", { title });
  return reasons.map((r) => {
    let items: string;
    const where = (e: Evidence) => {
      const pieces = e.pieces.length && e.pieces[0] !== e.item ? t("peers.where.pieces", { pieces: e.pieces.join(t("peers.piecesSep")) }) : "";
      if (e.place === "specialty" && e.label === e.item) return "";
      return t(`peers.where.${e.place}`, { label: e.label, pieces });
    };
    if ("evidence" in r && r.evidence) items = r.evidence.map((e) => e.item + where(e)).join(sep);
    else if ("skills" in r) items = r.skills.join(sep);
    else if ("needs" in r) items = r.needs.join(sep);
    else if ("words" in r) items = r.words.join(sep);
    else if ("results" in r) items = r.results.map((x) => quoted(x.title)).join(sep);
    else {
      const ind = industries.find((i) => i.key === r.industry);
      items = (locale === "en" ? ind?.nameEn : ind?.nameZh) ?? r.industry;
    }
    const vars: Record<string, string> = r.type === "adopted-by-us" ? { items, enterprise: r.enterprise } : { items };
    return { ...r, text: t(`peers.reason.${r.type}`, vars) };
  });
}
