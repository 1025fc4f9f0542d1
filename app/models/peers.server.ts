import { translator as translatorFor } from "~/i18n/locale.server";
import type Database from "better-sqlite3";
import { db as defaultDb, type Db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { cut, indexTerms, normalize } from "../../search/segment";

// Peer matching (DESIGN.md "Peer matching", docs/decisions/0006-peer-matching.md): for one studio,
// studios of *other* enterprises ranked by what a coordinator looks for — they meet this studio's
// listed needs, it meets theirs, they share its skills, their work reads alike — made stronger by a
// related industry and by results in use that prove the match. Every reason names evidence that
// is on the two studios' pages (a specialty, a need, a result title or tag, the industry).

/** Weights of the evidence (they sum to 1) and of what strengthens it. */
export const WEIGHTS = {
  evidence: { needsMet: 0.4, needsWeMeet: 0.15, sharedSkills: 0.25, similarity: 0.2 },
  /** multipliers on the evidence: same industry (related counts half), proven results behind it */
  boost: { industry: 0.3, proof: 0.3 },
  /** small additive terms, so that ties break towards related industries and proven studios */
  extra: { industry: 0.04, record: 0.03 },
} as const;
const MAX_SCORE = (1 + WEIGHTS.boost.industry + WEIGHTS.boost.proof) + WEIGHTS.extra.industry + WEIGHTS.extra.record;

export type PeerReason =
  | { type: "meets-needs"; needs: string[]; text: string }
  | { type: "shared-skills"; skills: string[]; text: string }
  | { type: "needs-met-by-us"; needs: string[]; text: string }
  | { type: "same-industry"; industry: string; text: string }
  | { type: "related-industry"; industry: string; text: string }
  | { type: "adopted-by-us"; results: { slug: string; title: string }[]; text: string }
  | { type: "track-record"; results: { slug: string; title: string }[]; text: string };

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

/** A place on a studio's page where a skill shows: a specialty, or a result's title or tag. */
interface Source {
  text: string; // normalised
  raw: string;
  result: number; // index into results, -1 for a specialty
}

interface Profile {
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
  sources: Source[];
  /** normalised specialty and tag → its source, for exact matches */
  exact: Map<string, number>;
  /** all source texts joined, to rule a phrase out with one substring test */
  blob: string;
  /** enterprise names that adopted any of its results, its own left out */
  adoptedBy: Set<string>;
  proven: number;
}

interface Phrase {
  raw: string;
  norm: string;
  /** content words (two characters or more) when the phrase has several; else empty */
  words: string[];
}

interface PeerIndex {
  profiles: Profile[];
  bySlug: Map<string, number>;
  related: Map<string, Set<string>>;
  /** term id → [profile, weight, profile, weight, …] (weights of unit-length vectors) */
  postings: Float64Array[];
  vectors: { terms: Int32Array; weights: Float64Array }[];
  /** normalised need → the profiles that list it */
  needers: Map<string, { phrase: Phrase; who: number[] }>;
  /** phrase → profile → source that shows it; filled as phrases are asked about */
  offers: Map<string, Map<number, Shown>>;
}

const STOP = new Set(["技术", "工作", "工作室", "创新", "管理", "系统", "研究", "应用", "开展", "进行", "提升", "企业", "公司", "方法", "工艺", "设备"]);
const SKILL_PREFIX = "§"; // vector feature of a whole specialty or tag, beside its words

function phraseOf(raw: string): Phrase {
  const norm = normalize(raw).trim();
  const words = [...new Set(cut(norm).map((w) => w.trim()).filter((w) => w.length >= 2 && !STOP.has(w)))];
  return { raw, norm, words: words.length >= 2 ? words : [] };
}

/** Whether a source shows the phrase: the phrase inside it, or all of the phrase's words in it. */
const shows = (text: string, phrase: Phrase, whole: boolean) => (whole ? text.includes(phrase.norm) : phrase.words.every((w) => text.includes(w)));

interface Shown {
  /** the first source on the page that shows it (a specialty before a result) */
  src: number;
  /** a result in use or transferred that shows it, or -1 */
  proof: number;
}

/** Where `p`'s page shows the phrase — the same specialty or tag, the phrase inside one, or all its words in one — or null. */
function evidence(p: Profile, phrase: Phrase): Shown | null {
  if (!phrase.norm) return null;
  const exact = p.exact.get(phrase.norm);
  const whole = p.blob.includes(phrase.norm);
  if (exact === undefined && !whole && !(phrase.words.length && phrase.words.every((w) => p.blob.includes(w)))) return null;
  let src = exact ?? -1;
  let proof = -1;
  for (let i = 0; i < p.sources.length && (src < 0 || proof < 0); i++) {
    const s = p.sources[i];
    if (!shows(s.text, phrase, whole)) continue;
    if (src < 0) src = i;
    if (proof < 0 && s.result >= 0 && p.results[s.result].proven) proof = s.result;
  }
  return src < 0 ? null : { src, proof };
}

/** Profiles whose pages show the phrase (memoised in the index: phrases repeat across studios). */
function offerersOf(index: PeerIndex, phrase: Phrase): Map<number, Shown> {
  let found = index.offers.get(phrase.norm);
  if (!found) {
    found = new Map();
    for (let i = 0; i < index.profiles.length; i++) {
      const shown = evidence(index.profiles[i], phrase);
      if (shown) found.set(i, shown);
    }
    index.offers.set(phrase.norm, found);
  }
  return found;
}

interface Rows {
  studios: { id: string; slug: string; name: string; enterpriseId: string; enterprise: string; enterpriseSlug: string; industry: string; industryName: string; specialties: string; needs: string }[];
  results: { id: string; studioId: string; slug: string; title: string; tags: string; status: string; adopters: string }[];
  adoptions: { resultId: string; enterprise: string }[];
  patents: { studioId: string; title: string }[];
  industries: { key: string; related: string }[];
}

function readRows(sql: Database.Database): Rows {
  return {
    studios: sql.prepare(
      `SELECT s.id, s.slug, s.name, s.enterpriseId, e.name AS enterprise, e.slug AS enterpriseSlug, s.industryKey AS industry, i.nameZh AS industryName,
              s.specialties, s.skillNeeds AS needs
         FROM Studio s JOIN Enterprise e ON e.id = s.enterpriseId JOIN Industry i ON i.key = s.industryKey ORDER BY s.slug`,
    ).all() as Rows["studios"],
    // only what anyone can check on the pages: published, public results
    results: sql.prepare(`SELECT id, studioId, slug, title, tags, status, adopters FROM Result WHERE published = 1 AND visibility = 'public' ORDER BY year DESC, slug`).all() as Rows["results"],
    adoptions: sql.prepare(`SELECT a.resultId, e.name AS enterprise FROM Adoption a JOIN Enterprise e ON e.id = a.enterpriseId`).all() as Rows["adoptions"],
    patents: sql.prepare(`SELECT studioId, title FROM Patent`).all() as Rows["patents"],
    industries: sql.prepare(`SELECT key, related FROM Industry`).all() as Rows["industries"],
  };
}

function build(rows: Rows): PeerIndex {
  const termsOf = new Map<string, Map<string, number>>(); // the same specialties and tags recur: segment each once
  const terms = (text: string) => {
    let t = termsOf.get(text);
    if (!t) {
      t = new Map();
      for (const [w, f] of indexTerms(text)) if (w.length >= 2 && !STOP.has(w) && !/^\d+$/.test(w)) t.set(w, f);
      termsOf.set(text, t);
    }
    return t;
  };
  const adoptionsOf = new Map<string, string[]>();
  for (const a of rows.adoptions) adoptionsOf.set(a.resultId, [...(adoptionsOf.get(a.resultId) ?? []), a.enterprise]);
  const resultsOf = new Map<string, Rows["results"]>();
  for (const r of rows.results) resultsOf.set(r.studioId, [...(resultsOf.get(r.studioId) ?? []), r]);
  const patentsOf = new Map<string, string[]>();
  for (const p of rows.patents) patentsOf.set(p.studioId, [...(patentsOf.get(p.studioId) ?? []), p.title]);

  const termIds = new Map<string, number>();
  const raw: Map<number, number>[] = [];
  const profiles: Profile[] = rows.studios.map((s) => {
    const specialties = parseList(s.specialties);
    const results: ResultRef[] = [];
    const sources: Source[] = specialties.map((x) => ({ text: normalize(x), raw: x, result: -1 }));
    const vector = new Map<number, number>();
    const add = (term: string, w: number) => {
      let id = termIds.get(term);
      if (id === undefined) termIds.set(term, (id = termIds.size));
      vector.set(id, (vector.get(id) ?? 0) + w);
    };
    const addText = (text: string, w: number) => {
      for (const [t, f] of terms(text)) add(t, f * w);
    };
    for (const x of specialties) {
      add(SKILL_PREFIX + normalize(x), 3);
      addText(x, 2);
    }
    for (const r of resultsOf.get(s.id) ?? []) {
      const tags = parseList(r.tags);
      const i = results.length;
      results.push({ slug: r.slug, title: r.title, proven: r.status !== "piloting", adopters: new Set([...parseList(r.adopters), ...(adoptionsOf.get(r.id) ?? [])]) });
      sources.push({ text: normalize(r.title), raw: r.title, result: i });
      for (const tag of tags) {
        sources.push({ text: normalize(tag), raw: tag, result: i });
        add(SKILL_PREFIX + normalize(tag), 1.5);
        addText(tag, 1);
      }
      addText(r.title, 1);
    }
    for (const title of patentsOf.get(s.id) ?? []) addText(title, 0.5);
    raw.push(vector);
    const exact = new Map<string, number>();
    // a specialty comes first in `sources`, so it wins over a tag of the same words
    sources.forEach((src, i) => exact.has(src.text) || exact.set(src.text, i));
    const adoptedBy = new Set(results.flatMap((r) => [...r.adopters]));
    adoptedBy.delete(s.enterprise);
    return {
      slug: s.slug, name: s.name, enterpriseId: s.enterpriseId, enterprise: s.enterprise, enterpriseSlug: s.enterpriseSlug,
      industry: s.industry, industryName: s.industryName, specialties, needs: parseList(s.needs), results, sources, exact,
      blob: sources.map((x) => x.text).join("\u0001"), adoptedBy, proven: results.filter((r) => r.proven).length,
    };
  });

  // tf-idf over studios, so that words every studio uses count for little; vectors of unit length
  const df = new Float64Array(termIds.size);
  for (const v of raw) for (const t of v.keys()) df[t]++;
  const N = profiles.length;
  const lists: number[][] = Array.from({ length: termIds.size }, () => []);
  const vectors = raw.map((v, i) => {
    const ts: number[] = [];
    const ws: number[] = [];
    let norm = 0;
    for (const [t, tf] of v) {
      const w = (1 + Math.log(tf)) * Math.log(1 + N / df[t]);
      ts.push(t);
      ws.push(w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < ws.length; k++) {
      ws[k] /= norm;
      lists[ts[k]].push(i, ws[k]);
    }
    return { terms: Int32Array.from(ts), weights: Float64Array.from(ws) };
  });

  const needers = new Map<string, { phrase: Phrase; who: number[] }>();
  profiles.forEach((p, i) => {
    for (const n of p.needs) {
      const phrase = phraseOf(n);
      const entry = needers.get(phrase.norm) ?? { phrase, who: [] };
      entry.who.push(i);
      needers.set(phrase.norm, entry);
    }
  });
  return {
    profiles,
    bySlug: new Map(profiles.map((p, i) => [p.slug, i])),
    related: new Map(rows.industries.map((i) => [i.key, new Set(parseList(i.related))])),
    postings: lists.map((l) => Float64Array.from(l)),
    vectors,
    needers,
    offers: new Map(),
  };
}

// —— keeping the index current ——

interface Cached {
  index: PeerIndex;
  /** cheap: changes on any write to the database (PRAGMA data_version + this connection's changes) */
  writes: string;
  /** exact: counts and latest updates of what the index is built from */
  content: string;
}
const caches = new WeakMap<Database.Database, Cached>();

const writesOf = (sql: Database.Database) => `${sql.pragma("data_version", { simple: true })}:${(sql.prepare("SELECT total_changes() AS n").get() as { n: number }).n}`;

function contentOf(sql: Database.Database): string {
  const row = sql.prepare(
    `SELECT (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Studio) AS s,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Result) AS r,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Patent) AS p,
            (SELECT count(*) || '/' || ifnull(max(createdAt), '') FROM Adoption) AS a,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Enterprise) AS e,
            (SELECT ifnull(group_concat(key || related), '') FROM Industry) AS i`,
  ).get() as Record<string, string>;
  return Object.values(row).join("|");
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

/** The index for this database, rebuilt only when studios, results, patents or adoptions changed. */
async function peerIndex(db: Db): Promise<PeerIndex> {
  const sql = await connectionOf(db);
  const cached = caches.get(sql);
  const writes = writesOf(sql);
  if (cached && cached.writes === writes) return cached.index;
  const content = contentOf(sql);
  if (cached && cached.content === content) {
    cached.writes = writes;
    return cached.index;
  }
  const index = build(readRows(sql));
  caches.set(sql, { index, writes: writesOf(sql), content });
  return index;
}

// —— ranking ——

const round = (x: number) => Math.round(x * 1000) / 1000;
const quote = (title: string) => `《${title}》`;

/** Studios of other enterprises, best first, each with the reasons a coordinator can check. */
export async function findPeers(slug: string, limit = 8, db: Db = defaultDb): Promise<PeersOf | null> {
  const index = await peerIndex(db);
  const meIdx = index.bySlug.get(slug);
  if (meIdx === undefined) return null;
  const me = index.profiles[meIdx];
  const N = index.profiles.length;

  // skill similarity: cosine over the postings of this studio's terms
  const sim = new Float64Array(N);
  const touched: number[] = [];
  const v = index.vectors[meIdx];
  for (let k = 0; k < v.terms.length; k++) {
    const list = index.postings[v.terms[k]];
    const w = v.weights[k];
    for (let j = 0; j < list.length; j += 2) {
      const i = list[j];
      if (sim[i] === 0) touched.push(i);
      sim[i] += w * list[j + 1];
    }
  }
  // complementarity both ways, and this studio's specialties shown on other pages
  const myNeeds = me.needs.map((n) => offerersOf(index, phraseOf(n)));
  const mySkills = me.specialties.map((s) => offerersOf(index, phraseOf(s)));
  const weMeet = new Map<number, string[]>();
  for (const { phrase, who } of index.needers.values()) {
    if (!evidence(me, phrase)) continue;
    for (const i of who) weMeet.set(i, [...(weMeet.get(i) ?? []), phrase.raw]);
  }
  const candidates = new Set<number>(touched);
  for (const m of [...myNeeds, ...mySkills]) for (const i of m.keys()) candidates.add(i);
  for (const i of weMeet.keys()) candidates.add(i);
  const related = index.related.get(me.industry);
  // similarity counts relative to the most similar studio elsewhere: cosines of short profiles are small
  let top = 0;
  for (const i of touched) if (sim[i] > top && index.profiles[i].enterpriseId !== me.enterpriseId) top = sim[i];

  const scored: { i: number; score: number; parts: Peer["parts"] }[] = [];
  for (const i of candidates) {
    const other = index.profiles[i];
    if (other.enterpriseId === me.enterpriseId) continue; // cross-enterprise only, always
    const needsMet = me.needs.length ? myNeeds.filter((m) => m.has(i)).length / me.needs.length : 0;
    const needsWeMeet = other.needs.length ? (weMeet.get(i)?.length ?? 0) / other.needs.length : 0;
    let shared = 0;
    for (const m of mySkills) {
      const shown = m.get(i);
      if (shown) shared += other.sources[shown.src].result === -1 ? 1 : 0.7;
    }
    const sharedSkills = Math.min(1, shared / Math.min(3, Math.max(1, me.specialties.length)));
    const similarity = top ? sim[i] / top : 0;
    const e = WEIGHTS.evidence;
    const evidenceScore = e.needsMet * needsMet + e.needsWeMeet * needsWeMeet + e.sharedSkills * sharedSkills + e.similarity * similarity;
    if (evidenceScore <= 0) continue;
    const industry = other.industry === me.industry ? 1 : related?.has(other.industry) ? 0.5 : 0;
    // proof: results in use that show a need met or a shared skill, or that this enterprise adopted
    const provenEvidence = new Set<number>();
    for (const m of [...myNeeds, ...mySkills]) {
      const shown = m.get(i);
      if (shown && shown.proof >= 0) provenEvidence.add(shown.proof);
    }
    const proof = Math.min(1, (provenEvidence.size + (other.adoptedBy.has(me.enterprise) ? 2 : 0)) / 2);
    const record = Math.min(1, Math.log1p(other.proven) / Math.log1p(4));
    const score = evidenceScore * (1 + WEIGHTS.boost.industry * industry + WEIGHTS.boost.proof * proof) + WEIGHTS.extra.industry * industry + WEIGHTS.extra.record * record;
    scored.push({ i, score: score / MAX_SCORE, parts: { needsMet: round(needsMet), needsWeMeet: round(needsWeMeet), sharedSkills: round(sharedSkills), similarity: round(similarity), industry, proof: round(proof) } });
  }
  scored.sort((a, b) => b.score - a.score || (index.profiles[a.i].slug < index.profiles[b.i].slug ? -1 : 1));

  const peers: Peer[] = [];
  for (const { i, score, parts } of scored) {
    if (peers.length >= limit) break;
    const other = index.profiles[i];
    const reasons = reasonsFor(index, me, other, i, myNeeds, mySkills, weMeet.get(i) ?? []);
    if (!reasons.length) continue; // a suggestion nobody can check is not made
    peers.push({ slug: other.slug, name: other.name, enterprise: other.enterprise, enterpriseSlug: other.enterpriseSlug, industry: other.industry, score: round(score), parts, reasons });
  }
  return { studio: { slug: me.slug, name: me.name, enterprise: me.enterprise }, peers };
}

/** Reasons in a coordinator's words, each naming what to look for on the two pages. */
function reasonsFor(index: PeerIndex, me: Profile, other: Profile, i: number, myNeeds: Map<number, Shown>[], mySkills: Map<number, Shown>[], weMeet: string[]): PeerReason[] {
  const where = (shown: Shown) => {
    const s = other.sources[shown.src];
    return s.result === -1 ? "" : `（见成果${quote(other.results[s.result].title)}）`;
  };
  const reasons: PeerReason[] = [];
  const met = me.needs.flatMap((n, k) => {
    const shown = myNeeds[k].get(i);
    return shown ? [{ n, shown }] : [];
  });
  if (met.length) reasons.push({ type: "meets-needs", needs: met.map((x) => x.n), text: `能满足本工作室的需求：${met.map((x) => x.n + where(x.shown)).join("、")}` });
  const shared = me.specialties.flatMap((s, k) => {
    const shown = mySkills[k].get(i);
    return shown ? [{ s, shown }] : [];
  }).slice(0, 5);
  if (shared.length) reasons.push({ type: "shared-skills", skills: shared.map((x) => x.s), text: `共同专长：${shared.map((x) => x.s + where(x.shown)).join("、")}` });
  if (weMeet.length) reasons.push({ type: "needs-met-by-us", needs: weMeet, text: `本工作室可支持对方的需求：${weMeet.join("、")}` });
  if (other.industry === me.industry) reasons.push({ type: "same-industry", industry: other.industry, text: `同属${other.industryName}行业` });
  else if (index.related.get(me.industry)?.has(other.industry)) reasons.push({ type: "related-industry", industry: other.industry, text: `相关行业：${other.industryName}` });
  const adopted = other.results.filter((r) => r.adopters.has(me.enterprise)).slice(0, 3);
  if (adopted.length) reasons.push({ type: "adopted-by-us", results: adopted.map(({ slug, title }) => ({ slug, title })), text: `${me.enterprise}已采用其成果：${adopted.map((r) => quote(r.title)).join("、")}` });
  const proven = other.results.filter((r) => r.proven && !adopted.includes(r)).slice(0, 3);
  if (proven.length) reasons.push({ type: "track-record", results: proven.map(({ slug, title }) => ({ slug, title })), text: `已应用的成果：${proven.map((r) => quote(r.title)).join("、")}` });
  if (!reasons.length) {
    // similar wording only: name the words both pages use, so the reason can still be checked
    const words = [...new Set(other.sources.flatMap((s) => cut(s.text)))].filter((w) => w.length >= 2 && !STOP.has(w) && me.blob.includes(w)).slice(0, 4);
    if (words.length) reasons.push({ type: "shared-skills", skills: words, text: `相近的工作内容：${words.join("、")}` });
  }
  return reasons;
}

/** Reasons in the visitor's language, from their structured data (the `text` is Chinese). */
export function localizeReasons(reasons: PeerReason[], locale: "zh-CN" | "en", industries: { key: string; nameZh: string; nameEn: string }[]): { type: string; text: string }[] {
  if (locale === "zh-CN") return reasons.map((r) => ({ type: r.type, text: r.text }));
  const t = translatorFor(locale);
  const sep = locale === "en" ? ", " : "、";
  return reasons.map((r) => {
    let items: string;
    if ("skills" in r) items = r.skills.join(sep);
    else if ("needs" in r) items = r.needs.join(sep);
    else if ("results" in r) items = r.results.map((x) => `“${x.title}”`).join(sep);
    else {
      const ind = industries.find((i) => i.key === r.industry);
      items = (locale === "en" ? ind?.nameEn : ind?.nameZh) ?? r.industry;
    }
    const key = `peers.reason.${r.type}` as const;
    return { type: r.type, text: t(key as never, { items }) };
  });
}
