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

async function load(db: Db): Promise<EvidenceIndex> {
  const [studios, industries] = await Promise.all([
    db.studio.findMany({
      orderBy: { slug: "asc" },
      include: {
        enterprise: { select: { name: true } },
        people: { orderBy: { sortOrder: "asc" } },
        // every published result: which of them a visitor may see is decided per request (visibility.server.ts)
        results: { where: { published: true }, orderBy: [{ year: "desc" }, { slug: "asc" }], include: { _count: { select: { adoptions: { where: CONFIRMED_ADOPTION } } } } },
        patents: { where: { review: null }, orderBy: { number: "asc" } },
      },
    }),
    db.industry.findMany(),
  ]);
  const df = new Map<string, number>();
  const gramDf = new Map<string, number>();
  const index: StudioEvidence[] = studios.map((s) => {
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
    const all = new Set<string>();
    for (const u of units) {
      for (const t of u.strong) all.add(t);
      for (const t of u.weak) all.add(t);
    }
    for (const t of all) df.set(t, (df.get(t) ?? 0) + 1);
    const grams = new Set(units.flatMap((u) => [...u.grams.keys()]));
    for (const g of grams) gramDf.set(g, (gramDf.get(g) ?? 0) + 1);
    return { id: s.id, slug: s.slug, name: s.name, enterpriseId: s.enterpriseId, enterprise: s.enterprise.name, industry: s.industryKey, units };
  });
  return {
    studios: index,
    df,
    gramDf,
    related: new Map(industries.map((i) => [i.key, new Set(parseList(i.related))])),
    industries: new Map(industries.map((i) => [i.key, { nameZh: i.nameZh, nameEn: i.nameEn }])),
  };
}

// —— kept between requests, rebuilt when what it is built from changes ——

const cache = new WeakMap<object, { stamp: string; index: Promise<EvidenceIndex> }>();

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

/** The evidence of every studio, built once and rebuilt when studios, results, patents or people change. */
export async function evidenceIndex(db: Db = defaultDb): Promise<EvidenceIndex> {
  const stamp = await stampOf(db);
  const hit = cache.get(db);
  if (hit && hit.stamp === stamp) return hit.index;
  const index = load(db);
  cache.set(db, { stamp, index });
  index.catch(() => cache.delete(db));
  return index;
}
