import { translator as translatorFor } from "~/i18n/locale.server";
import type Database from "better-sqlite3";
import { db as defaultDb, type Db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { isResultVisibleTo, PUBLIC_VIEWER } from "./result-visibility";
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
const MAX_SCORE = 1 + WEIGHTS.boost.industry + WEIGHTS.boost.proof + WEIGHTS.extra.industry + WEIGHTS.extra.record;

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
  /** character pair → the profiles whose sources contain it: rules most profiles out of a phrase look-up at once */
  grams: Map<string, Int32Array>;
  /** phrase → profile → source that shows it; filled as phrases are asked about */
  offers: Map<string, Map<number, Shown>>;
}

const STOP = new Set(["技术", "工作", "工作室", "创新", "管理", "系统", "研究", "应用", "开展", "进行", "提升", "企业", "公司", "方法", "工艺", "设备"]);
const SKILL_PREFIX = "§"; // vector feature of a whole specialty or tag, beside its words

function phraseOf(raw: string): Phrase {
  const norm = normalize(raw).trim();
  const words = [
    ...new Set(
      cut(norm)
        .map((w) => w.trim())
        .filter((w) => w.length >= 2 && !STOP.has(w)),
    ),
  ];
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

/**
 * Profiles whose pages show the phrase, memoised in the index (phrases repeat across studios).
 * Only profiles holding the phrase's rarest character pair are looked at: every match contains it.
 */
function offerersOf(index: PeerIndex, phrase: Phrase): Map<number, Shown> {
  let found = index.offers.get(phrase.norm);
  if (found) return found;
  found = new Map();
  let rarest: Int32Array | null = null;
  let scanAll = true;
  for (const w of phrase.words.length ? phrase.words : [phrase.norm]) {
    for (let k = 0; k + 2 <= w.length; k++) {
      const list = index.grams.get(w.slice(k, k + 2)) ?? new Int32Array(0);
      if (!rarest || list.length < rarest.length) rarest = list;
      scanAll = false;
    }
  }
  const look = (i: number) => {
    const shown = evidence(index.profiles[i], phrase);
    if (shown) found.set(i, shown);
  };
  if (scanAll || !rarest) for (let i = 0; i < index.profiles.length; i++) look(i);
  else for (const i of rarest) look(i);
  index.offers.set(phrase.norm, found);
  return found;
}

interface Rows {
  studios: {
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
  }[];
  results: { id: string; studioId: string; slug: string; title: string; tags: string; status: string; adopters: string }[];
  adoptions: { resultId: string; enterprise: string }[];
  patents: { studioId: string; title: string }[];
  industries: { key: string; related: string }[];
}

function readRows(sql: Database.Database): Rows {
  return {
    studios: sql
      .prepare(
        `SELECT s.id, s.slug, s.name, s.enterpriseId, e.name AS enterprise, e.slug AS enterpriseSlug, s.industryKey AS industry, i.nameZh AS industryName,
              s.specialties, s.skillNeeds AS needs
         FROM Studio s JOIN Enterprise e ON e.id = s.enterpriseId JOIN Industry i ON i.key = s.industryKey ORDER BY s.slug`,
      )
      .all() as Rows["studios"],
    // only what anyone can check on the pages: the results a visitor who is not signed in sees
    results: (
      sql
        .prepare(`SELECT id, studioId, slug, title, tags, status, adopters, published, visibility, review FROM Result ORDER BY year DESC, slug`)
        .all() as (Rows["results"][number] & {
        published: number | bigint;
        visibility: string;
        review: string | null;
      })[]
    ).filter((r) => isResultVisibleTo(PUBLIC_VIEWER, { ...r, published: Number(r.published) === 1 })),
    adoptions: sql
      .prepare(`SELECT a.resultId, e.name AS enterprise FROM Adoption a JOIN Enterprise e ON e.id = a.enterpriseId WHERE a.status = 'confirmed'`)
      .all() as Rows["adoptions"],
    // patents waiting for review (审核) are not evidence anyone may check yet
    patents: sql.prepare(`SELECT studioId, title FROM Patent WHERE review IS NULL`).all() as Rows["patents"],
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
      sources,
      exact,
      blob: sources.map((x) => x.text).join("\u0001"),
      adoptedBy,
      proven: results.filter((r) => r.proven).length,
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

  const gramLists = new Map<string, number[]>();
  profiles.forEach((p, i) => {
    const mine = new Set<string>();
    for (let k = 0; k + 2 <= p.blob.length; k++) mine.add(p.blob.slice(k, k + 2));
    for (const g of mine) {
      const l = gramLists.get(g);
      if (l) l.push(i);
      else gramLists.set(g, [i]);
    }
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
    grams: new Map([...gramLists].map(([g, l]) => [g, Int32Array.from(l)])),
    offers: new Map(),
  };
}

// —— keeping the index current ——

/** The columns the index is built from: a write to any of them makes the next call rebuild it. */
const WATCHED: Record<string, string[]> = {
  Studio: ["slug", "name", "enterpriseId", "industryKey", "specialties", "skillNeeds"],
  Result: ["slug", "title", "studioId", "tags", "status", "adopters", "published", "visibility", "year"],
  Patent: ["studioId", "title"],
  Adoption: ["resultId", "enterpriseId", "status"],
  Enterprise: ["name", "slug"],
  Industry: ["nameZh", "related"],
};

/**
 * Counts this connection's writes to the watched columns, with TEMP triggers: they live only on
 * this connection, so the database file and its migrations never see them. Checking is then one
 * read of a one-row table instead of a scan of every studio and result (~60 ms at 10,000 studios).
 */
function watchContent(sql: Database.Database) {
  const ddl = ["CREATE TEMP TABLE IF NOT EXISTS peers_changes (n INTEGER NOT NULL)", "INSERT INTO peers_changes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM peers_changes)"];
  for (const [table, columns] of Object.entries(WATCHED)) {
    const bump = `BEGIN UPDATE peers_changes SET n = n + 1; END`;
    ddl.push(
      `CREATE TEMP TRIGGER IF NOT EXISTS peers_${table}_insert AFTER INSERT ON main."${table}" ${bump}`,
      `CREATE TEMP TRIGGER IF NOT EXISTS peers_${table}_delete AFTER DELETE ON main."${table}" ${bump}`,
      `CREATE TEMP TRIGGER IF NOT EXISTS peers_${table}_update AFTER UPDATE OF ${columns.map((c) => `"${c}"`).join(", ")} ON main."${table}" ${bump}`,
    );
  }
  sql.exec(ddl.map((d) => `${d};`).join("\n"));
}

interface Cached {
  index: PeerIndex;
  /** PRAGMA data_version: changes when another connection (an import, another process) commits */
  dataVersion: number;
  /** this connection's writes to the watched columns */
  local: number;
  /** counts and latest updates of what the index is built from, for writes by other connections */
  content: string;
}
const caches = new WeakMap<Database.Database, Cached>();

function contentOf(sql: Database.Database): string {
  const row = sql
    .prepare(
      `SELECT (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Studio) AS s,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Result) AS r,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Patent) AS p,
            (SELECT count(*) || '/' || ifnull(max(createdAt), '') || '/' || total(status = 'confirmed') FROM Adoption) AS a,
            (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Enterprise) AS e,
            (SELECT ifnull(group_concat(key || nameZh || related), '') FROM Industry) AS i`,
    )
    .get() as Record<string, string>;
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

/** The index for this database, rebuilt only when what it is built from has changed. */
async function peerIndex(db: Db): Promise<PeerIndex> {
  const sql = await connectionOf(db);
  // from here on everything is synchronous: no write can slip in between the checks and the build
  let cached = caches.get(sql);
  if (!cached) watchContent(sql);
  const dataVersion = sql.pragma("data_version", { simple: true }) as number;
  const local = (sql.prepare("SELECT n FROM temp.peers_changes").get() as { n: number }).n;
  if (cached && cached.local === local) {
    if (cached.dataVersion === dataVersion) return cached.index;
    const content = contentOf(sql);
    if (content === cached.content) {
      cached.dataVersion = dataVersion;
      return cached.index;
    }
  }
  cached = { index: build(readRows(sql)), dataVersion, local, content: contentOf(sql) };
  caches.set(sql, cached);
  return cached.index;
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
  // per studio of the index: what this studio's evidence adds up to (typed arrays, no allocations per candidate)
  const sim = new Float64Array(N);
  const needHits = new Float64Array(N);
  const skillHits = new Float64Array(N);
  const weMeetHits = new Float64Array(N);
  const proofHits = new Float64Array(N);
  const seen = new Uint8Array(N);
  const candidates: number[] = [];
  const touch = (i: number) => {
    if (!seen[i]) {
      seen[i] = 1;
      candidates.push(i);
    }
  };

  // skill similarity: cosine over the postings of this studio's terms
  const v = index.vectors[meIdx];
  for (let k = 0; k < v.terms.length; k++) {
    const list = index.postings[v.terms[k]];
    const w = v.weights[k];
    for (let j = 0; j < list.length; j += 2) {
      const i = list[j];
      touch(i);
      sim[i] += w * list[j + 1];
    }
  }
  // they meet this studio's needs; they show its specialties; proven results behind either
  const myNeeds = me.needs.map((n) => offerersOf(index, phraseOf(n)));
  const mySkills = me.specialties.map((s) => offerersOf(index, phraseOf(s)));
  const proofs = new Map<number, Set<number>>();
  const tally = (offers: Map<number, Shown>[], hits: Float64Array, weigh: (i: number, shown: Shown) => number) => {
    for (const m of offers) {
      for (const [i, shown] of m) {
        touch(i);
        hits[i] += weigh(i, shown);
        if (shown.proof >= 0) {
          const set = proofs.get(i) ?? new Set<number>();
          set.add(shown.proof);
          proofs.set(i, set);
          proofHits[i] = set.size;
        }
      }
    }
  };
  tally(myNeeds, needHits, () => 1);
  tally(mySkills, skillHits, (i, shown) => (index.profiles[i].sources[shown.src].result === -1 ? 1 : 0.7));
  // this studio meets their needs
  const weMeet = new Set<string>();
  for (const { phrase, who } of index.needers.values()) {
    if (!evidence(me, phrase)) continue;
    weMeet.add(phrase.norm);
    for (const i of who) {
      touch(i);
      weMeetHits[i]++;
    }
  }
  const related = index.related.get(me.industry);
  // similarity counts relative to the most similar studio elsewhere: cosines of short profiles are small
  let top = 0;
  for (const i of candidates) if (sim[i] > top && index.profiles[i].enterpriseId !== me.enterpriseId) top = sim[i];

  const e = WEIGHTS.evidence;
  const b = WEIGHTS.boost;
  const skillBase = Math.min(3, Math.max(1, me.specialties.length));
  const partsOf = (i: number) => {
    const other = index.profiles[i];
    const industry = other.industry === me.industry ? 1 : related?.has(other.industry) ? 0.5 : 0;
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
  const scores = new Float64Array(N);
  const ranked: number[] = [];
  for (const i of candidates) {
    const other = index.profiles[i];
    if (other.enterpriseId === me.enterpriseId) continue; // cross-enterprise only, always
    const p = partsOf(i);
    const evidenceScore = e.needsMet * p.needsMet + e.needsWeMeet * p.needsWeMeet + e.sharedSkills * p.sharedSkills + e.similarity * p.similarity;
    if (evidenceScore <= 0) continue;
    const record = Math.min(1, Math.log1p(other.proven) / Math.log1p(4));
    scores[i] = (evidenceScore * (1 + b.industry * p.industry + b.proof * p.proof) + WEIGHTS.extra.industry * p.industry + WEIGHTS.extra.record * record) / MAX_SCORE;
    ranked.push(i);
  }
  ranked.sort((x, y) => scores[y] - scores[x] || (index.profiles[x].slug < index.profiles[y].slug ? -1 : 1));

  const peers: Peer[] = [];
  for (const i of ranked) {
    if (peers.length >= limit) break;
    const other = index.profiles[i];
    const theirNeedsWeMeet = other.needs.filter((n) => weMeet.has(phraseOf(n).norm));
    const reasons = reasonsFor(index, me, other, i, myNeeds, mySkills, theirNeedsWeMeet);
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
  const shared = me.specialties
    .flatMap((s, k) => {
      const shown = mySkills[k].get(i);
      return shown ? [{ s, shown }] : [];
    })
    .slice(0, 5);
  if (shared.length) reasons.push({ type: "shared-skills", skills: shared.map((x) => x.s), text: `共同专长：${shared.map((x) => x.s + where(x.shown)).join("、")}` });
  if (weMeet.length) reasons.push({ type: "needs-met-by-us", needs: weMeet, text: `本工作室可支持对方的需求：${weMeet.join("、")}` });
  if (other.industry === me.industry) reasons.push({ type: "same-industry", industry: other.industry, text: `同属${other.industryName}行业` });
  else if (index.related.get(me.industry)?.has(other.industry)) reasons.push({ type: "related-industry", industry: other.industry, text: `相关行业：${other.industryName}` });
  const adopted = other.results.filter((r) => r.adopters.has(me.enterprise)).slice(0, 3);
  if (adopted.length)
    reasons.push({
      type: "adopted-by-us",
      results: adopted.map(({ slug, title }) => ({ slug, title })),
      text: `${me.enterprise}已采用其成果：${adopted.map((r) => quote(r.title)).join("、")}`,
    });
  const proven = other.results.filter((r) => r.proven && !adopted.includes(r)).slice(0, 3);
  if (proven.length)
    reasons.push({ type: "track-record", results: proven.map(({ slug, title }) => ({ slug, title })), text: `已应用的成果：${proven.map((r) => quote(r.title)).join("、")}` });
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
