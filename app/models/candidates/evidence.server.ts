import { isPostgres } from "~/utils/db-provider.server";
import { db as defaultDb, type Db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { CONFIRMED_ADOPTION } from "../adoption.server";
import { indexTerms, normalize } from "../../../search/segment";

// What each studio can show a coordinator, cut into units a reason can point at: a specialty, a
// result, a patent, a person, the profile. Each unit holds the search analyzer's terms (jieba words
// plus the character pairs inside longer words, search/segment.ts), split into strong fields
// (specialty, titles, tags) and weak ones (bodies, benefits). Term statistics are taken over
// studios, the unit being ranked: a word every studio uses says little about which one fits.

export type UnitKind = "specialty" | "result" | "patent" | "person" | "profile";

export interface ResultRef {
  slug: string;
  title: string;
  status: string;
  adopters: number;
}

export interface Unit {
  kind: UnitKind;
  /** the specialty, result or patent title, or the person's name */
  label: string;
  /** how much a match here counts: in-use and transferred results above piloting ones */
  strength: number;
  strong: Set<string>;
  weak: Set<string>;
  /** normalised strong text, for whole-phrase matches */
  text: string;
  /** character-pair counts of everything the unit says, for the lexical similarity (score.server.ts) */
  grams: Map<string, number>;
  result?: ResultRef & { studioId: string; visibility: string; published: boolean; review: string | null };
  patent?: { slug: string; number: string; title: string };
  person?: { name: string; role: string; title: string | null; honours: string[] };
}

export interface StudioEvidence {
  id: string;
  /** what the units were built from, in short (updatedAt stamps, people, adopters): an unchanged studio is kept on rebuild */
  sig: string;
  slug: string;
  name: string;
  enterpriseId: string;
  enterprise: string;
  industry: string;
  units: Unit[];
}

export interface EvidenceIndex {
  studios: StudioEvidence[];
  /** term → number of studios whose evidence holds it */
  df: Map<string, number>;
  /** character pair → number of studios whose evidence holds it */
  gramDf: Map<string, number>;
  related: Map<string, Set<string>>;
  industries: Map<string, { nameZh: string; nameEn: string }>;
  /** inverted lists over `studios` (score.server.ts reads them) */
  lookup: Lookup;
}

/**
 * Inverted lists over an index's studios: which studios hold a term (in any unit), and each
 * character pair's weight in every studio's vector over all its units. With them a need touches
 * only the studios that share something with it: at 10,000 studios, matching every skill against
 * every unit of every studio, and a map lookup per query pair per studio, were most of a need's
 * scoring.
 */
export interface Lookup {
  terms: Map<string, Int32Array>;
  grams: Map<string, { studios: Int32Array; weights: Float64Array }>;
}

/** A unit-length TF-IDF vector of character-pair counts ((1 + ln tf) × idf). */
export function tfidf(tf: Map<string, number>, idf: (g: string) => number): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [g, n] of tf) {
    const w = (1 + Math.log(n)) * idf(g);
    if (w > 0) {
      v.set(g, w);
      norm += w * w;
    }
  }
  norm = Math.sqrt(norm) || 1;
  for (const [g, w] of v) v.set(g, w / norm);
  return v;
}

/** The vector of a studio's units together. */
export function vectorOf(units: Unit[], idf: (g: string) => number): Map<string, number> {
  const tf = new Map<string, number>();
  for (const u of units) for (const [g, n] of u.grams) tf.set(g, (tf.get(g) ?? 0) + n);
  return tfidf(tf, idf);
}

/** A character pair's idf over the index's studios. */
export function gramIdfOf(index: Pick<EvidenceIndex, "studios" | "gramDf">): (g: string) => number {
  const N = index.studios.length;
  return (g) => {
    const n = index.gramDf.get(g);
    return n ? Math.log(N / n) + 1 : 0;
  };
}

/** Weight of a match by where it is found (the weak fields of a unit count half). */
export const STRENGTH = {
  specialty: 1,
  result: { transferred: 1, "in-use": 1, piloting: 0.7 } as Record<string, number>,
  patent: 0.8,
  person: 0.8,
  profile: 0.5,
  weakField: 0.5,
} as const;

/** Content terms of a text: words and in-word pairs of two characters or more, no bare numbers. */
export function termsOf(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [t, w] of indexTerms(text)) {
    if (t.length < 2 || /^\d+(\.\d+)?$/.test(t)) continue;
    out.set(t, w);
  }
  return out;
}

const CJK_OR_LATIN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;

/** Character-pair counts of a text: each overlapping pair of a CJK run (a lone character for itself), Latin words whole. */
export function gramsOf(...texts: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (g: string) => out.set(g, (out.get(g) ?? 0) + 1);
  for (const text of texts) {
    for (const m of normalize(text).matchAll(CJK_OR_LATIN)) {
      const run = m[0];
      if (/^[a-z0-9]/.test(run) || run.length === 1) add(run);
      else for (let i = 0; i + 2 <= run.length; i++) add(run.slice(i, i + 2));
    }
  }
  return out;
}

const termSet = (...texts: string[]) => {
  const s = new Set<string>();
  for (const text of texts) for (const t of termsOf(text).keys()) s.add(t);
  return s;
};

/** Lets other requests run during a long build: every this many studios, the build yields. */
const SLICE = 250;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

type StudioRow = Awaited<ReturnType<typeof readStudios>>[number];

function readStudios(db: Db) {
  return db.studio.findMany({
    orderBy: { slug: "asc" },
    include: {
      enterprise: { select: { name: true } },
      people: { orderBy: { sortOrder: "asc" } },
      // every published result: which of them a visitor may see is decided per request (visibility.server.ts)
      results: { where: { published: true }, orderBy: [{ year: "desc" }, { slug: "asc" }], include: { _count: { select: { adoptions: { where: CONFIRMED_ADOPTION } } } } },
      patents: { where: { review: null }, orderBy: { number: "asc" } },
    },
  });
}

/** What a studio's units are built from, in short: texts change only with an updatedAt. */
function signature(s: StudioRow): string {
  const time = (d: Date) => d.getTime();
  return JSON.stringify([
    time(s.updatedAt),
    s.name,
    s.enterpriseId,
    s.enterprise.name,
    s.industryKey,
    s.results.map((r) => [r.id, time(r.updatedAt), r._count.adoptions]),
    s.patents.map((p) => [p.id, time(p.updatedAt)]),
    s.people.filter((p) => p.title || parseList(p.honours).length).map((p) => [p.name, p.role, p.title, p.honours]),
  ]);
}

function studioEvidence(s: StudioRow, sig: string): StudioEvidence {
  const units: Unit[] = [];
  // results first: where a result and a specialty show a skill equally, the result is the better proof
  for (const r of s.results) {
    const tags = parseList(r.tags);
    const adopters = new Set(parseList(r.adopters)).size + r._count.adoptions;
    units.push({
      kind: "result",
      label: r.title,
      strength: STRENGTH.result[r.status] ?? STRENGTH.result.piloting,
      strong: termSet(r.title, ...tags),
      weak: termSet(r.bodyText, ...parseList(r.benefits)),
      text: [r.title, ...tags].map(normalize).join("\u0001"),
      grams: gramsOf(r.title, ...tags, ...parseList(r.benefits), r.bodyText),
      result: { slug: r.slug, title: r.title, status: r.status, adopters, studioId: s.id, visibility: r.visibility, published: r.published, review: r.review },
    });
  }
  for (const sp of parseList(s.specialties)) {
    units.push({ kind: "specialty", label: sp, strength: STRENGTH.specialty, strong: termSet(sp), weak: new Set(), text: normalize(sp), grams: gramsOf(sp) });
  }
  for (const p of s.patents) {
    units.push({
      kind: "patent",
      label: p.title,
      strength: STRENGTH.patent,
      strong: termSet(p.title),
      weak: termSet(p.bodyText),
      text: normalize(p.title),
      grams: gramsOf(p.title, p.bodyText),
      patent: { slug: p.slug, number: p.number, title: p.title },
    });
  }
  for (const p of s.people) {
    const honours = parseList(p.honours);
    if (!p.title && !honours.length) continue;
    units.push({
      kind: "person",
      label: p.name,
      strength: STRENGTH.person,
      strong: termSet(p.title ?? ""),
      weak: new Set(),
      text: normalize(p.title ?? ""),
      grams: gramsOf(p.title ?? ""),
      person: { name: p.name, role: p.role, title: p.title, honours },
    });
  }
  if (s.bodyText) units.push({ kind: "profile", label: s.name, strength: STRENGTH.profile, strong: new Set(), weak: termSet(s.bodyText), text: "", grams: gramsOf(s.bodyText) });
  return { id: s.id, sig, slug: s.slug, name: s.name, enterpriseId: s.enterpriseId, enterprise: s.enterprise.name, industry: s.industryKey, units };
}

/** The distinct terms and character pairs of a studio's units (what it adds to df and gramDf). */
function heldBy(studio: StudioEvidence): { terms: Set<string>; grams: Set<string> } {
  const terms = new Set<string>();
  const grams = new Set<string>();
  for (const u of studio.units) {
    for (const t of u.strong) terms.add(t);
    for (const t of u.weak) terms.add(t);
    for (const g of u.grams.keys()) grams.add(g);
  }
  return { terms, grams };
}

function count(df: Map<string, number>, keys: Set<string>, by: 1 | -1) {
  for (const k of keys) {
    const n = (df.get(k) ?? 0) + by;
    if (n > 0) df.set(k, n);
    else df.delete(k);
  }
}

async function buildLookup(studios: StudioEvidence[], gramIdf: (g: string) => number): Promise<Lookup> {
  const terms = new Map<string, number[]>();
  const grams = new Map<string, { studios: number[]; weights: number[] }>();
  for (let i = 0; i < studios.length; i++) {
    if (i % SLICE === SLICE - 1) await yieldNow();
    const { terms: held } = heldBy(studios[i]);
    for (const t of held) {
      const list = terms.get(t);
      if (list) list.push(i);
      else terms.set(t, [i]);
    }
    for (const [g, w] of vectorOf(studios[i].units, gramIdf)) {
      const list = grams.get(g);
      if (list) {
        list.studios.push(i);
        list.weights.push(w);
      } else grams.set(g, { studios: [i], weights: [w] });
    }
  }
  return {
    terms: new Map([...terms].map(([t, l]) => [t, Int32Array.from(l)])),
    grams: new Map([...grams].map(([g, l]) => [g, { studios: Int32Array.from(l.studios), weights: Float64Array.from(l.weights) }])),
  };
}

/**
 * Builds the index; a studio whose signature is what it was in `previous` keeps its units (the
 * segmentation of its texts is most of a build), and df and gramDf are carried over and corrected
 * for the studios that changed, came or went.
 */
async function load(db: Db, previous?: EvidenceIndex): Promise<EvidenceIndex> {
  const [rows, industries] = await Promise.all([readStudios(db), db.industry.findMany()]);
  const before = new Map(previous?.studios.map((s) => [s.id, s]));
  const df = new Map(previous?.df);
  const gramDf = new Map(previous?.gramDf);
  const studios: StudioEvidence[] = [];
  let built = 0;
  for (const row of rows) {
    const sig = signature(row);
    const old = before.get(row.id);
    before.delete(row.id);
    if (old && old.sig === sig) {
      studios.push(old);
      continue;
    }
    if (++built % SLICE === 0) await yieldNow();
    if (old) {
      const held = heldBy(old);
      count(df, held.terms, -1);
      count(gramDf, held.grams, -1);
    }
    const fresh = studioEvidence(row, sig);
    const held = heldBy(fresh);
    count(df, held.terms, 1);
    count(gramDf, held.grams, 1);
    studios.push(fresh);
  }
  for (const gone of before.values()) {
    const held = heldBy(gone);
    count(df, held.terms, -1);
    count(gramDf, held.grams, -1);
  }
  return {
    studios,
    df,
    gramDf,
    related: new Map(industries.map((i) => [i.key, new Set(parseList(i.related))])),
    industries: new Map(industries.map((i) => [i.key, { nameZh: i.nameZh, nameEn: i.nameEn }])),
    lookup: await buildLookup(studios, gramIdfOf({ studios, gramDf })),
  };
}

// —— kept between requests, rebuilt when what it is built from changes ——

async function stampOf(db: Db): Promise<string> {
  // people have no updatedAt: their count and total length stand in for it
  if (isPostgres(db)) {
    // the same stamp in PostgreSQL's SQL
    const pg = await db.$queryRawUnsafe<{ s: string }[]>(`
      SELECT (SELECT count(*) || '/' || coalesce(max("updatedAt")::text, '') FROM "Studio") || '|' ||
             (SELECT count(*) || '/' || coalesce(max("updatedAt")::text, '') FROM "Result") || '|' ||
             (SELECT count(*) || '/' || coalesce(max("updatedAt")::text, '') FROM "Patent") || '|' ||
             (SELECT count(*) || '/' || coalesce(max("createdAt")::text, '') || '/' || count(*) FILTER (WHERE status = 'confirmed') FROM "Adoption") || '|' ||
             (SELECT count(*) || '/' || coalesce(max("updatedAt")::text, '') FROM "Enterprise") || '|' ||
             (SELECT count(*) || '/' || coalesce(sum(length(name) + coalesce(length(title), 0) + length(honours)), 0) FROM "Person") || '|' ||
             (SELECT coalesce(string_agg(key || "nameZh" || "nameEn" || related, ',' ORDER BY key), '') FROM "Industry") AS s`);
    return pg[0]?.s ?? "";
  }
  const rows = await db.$queryRaw<{ s: string }[]>`
    SELECT (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Studio) || '|' ||
           (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Result) || '|' ||
           (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Patent) || '|' ||
           (SELECT count(*) || '/' || ifnull(max(createdAt), '') || '/' || total(status = 'confirmed') FROM Adoption) || '|' ||
           (SELECT count(*) || '/' || ifnull(max(updatedAt), '') FROM Enterprise) || '|' ||
           (SELECT count(*) || '/' || ifnull(sum(length(name) + ifnull(length(title), 0) + length(honours)), 0) FROM Person) || '|' ||
           (SELECT ifnull(group_concat(key || nameZh || nameEn || related), '') FROM Industry) AS s`;
  return rows[0]?.s ?? "";
}

/**
 * A build that took longer than this is redone in the background: the previous index answers until
 * the new one is ready (at 10,000 studios a build reads every studio, result and patent and takes
 * seconds even when few studios changed). Below it — every hub of a few hundred studios, and the
 * tests — the next request waits for the new index and never sees the old one.
 */
export const SLOW_BUILD_MS = 1_000;

interface Kept {
  stamp: string;
  index: Promise<EvidenceIndex>;
  ready?: EvidenceIndex;
  buildMs?: number;
  rebuilding?: boolean;
}
const cache = new WeakMap<object, Kept>();

function build(db: Db, stamp: string, previous: EvidenceIndex | undefined): Kept {
  const started = performance.now();
  const kept: Kept = { stamp, index: load(db, previous) };
  kept.index.then(
    (ready) => {
      kept.ready = ready;
      kept.buildMs = performance.now() - started;
    },
    () => {},
  );
  return kept;
}

/**
 * The evidence of every studio, built once and rebuilt when studios, results, patents or people
 * change. `slowBuildMs`: SLOW_BUILD_MS (tests set it to see the background rebuild on a small hub).
 */
export async function evidenceIndex(db: Db = defaultDb, o: { slowBuildMs?: number } = {}): Promise<EvidenceIndex> {
  const stamp = await stampOf(db);
  const hit = cache.get(db);
  if (hit && hit.stamp === stamp) return hit.index;
  if (hit?.ready && (hit.buildMs ?? 0) > (o.slowBuildMs ?? SLOW_BUILD_MS)) {
    if (!hit.rebuilding) {
      hit.rebuilding = true;
      const next = build(db, stamp, hit.ready);
      next.index.then(
        () => cache.get(db) === hit && cache.set(db, next),
        () => (hit.rebuilding = false),
      );
    }
    return hit.ready;
  }
  const next = build(db, stamp, hit?.ready);
  cache.set(db, next);
  next.index.catch(() => cache.get(db) === next && cache.delete(db));
  return next.index;
}
