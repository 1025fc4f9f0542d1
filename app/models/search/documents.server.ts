import type { Prisma, Tx } from "~/utils/db.server";
import { MESSAGES } from "~/i18n/messages";
import { parseList } from "~/utils/json";
import { isPatentVisibleTo, isResultVisibleTo, PUBLIC_VIEWER } from "~/models/result-visibility";
import type { DocType, SearchDocument } from "../../../search/engine";
import { encodeFields, termFields, termsWithTitle } from "../../../search/doc-terms";
import { decodeTerms, encodeTerms, forEachTerm } from "../../../search/terms";
import { topLevel } from "~/content/honours";

// Noun → search document. Labels are added in both languages so that 软件 and "software" both
// find software results. Records that are not public (drafts, alliance-only) are not documents.

const label = (key: string) => {
  const zh = (MESSAGES["zh-CN"] as Record<string, string>)[key];
  const en = (MESSAGES.en as Record<string, string>)[key];
  return [zh, en].filter(Boolean).join(" ");
};

export async function buildDocument(tx: Tx, type: DocType, slug: string): Promise<SearchDocument | null> {
  switch (type) {
    case "studio": {
      const s = await tx.studio.findUnique({ where: { slug }, include: STUDIO_DOC_INCLUDE });
      return s ? studioDocument(s) : null;
    }
    case "result": {
      const r = await tx.result.findUnique({ where: { slug }, include: { studio: { include: { enterprise: true } }, industry: true, patents: { include: { patent: true } } } });
      if (!r || !isResultVisibleTo(PUBLIC_VIEWER, r)) return null;
      return {
        id: `result:${r.slug}`,
        type,
        slug: r.slug,
        url: `/results/${r.slug}`,
        title: r.title,
        keywords: [
          ...parseList(r.tags),
          ...parseList(r.benefits),
          ...parseList(r.awards),
          ...parseList(r.adopters),
          label(`kind.${r.kind}`),
          r.industry.nameZh,
          r.industry.nameEn,
          ...r.patents.map((p) => p.patent.number),
        ].join(" "),
        body: r.bodyText,
        studio: r.studio.name,
        studioSlug: r.studio.slug,
        enterprise: r.studio.enterprise.name,
        industry: r.industryKey,
        kind: r.kind,
        level: r.studio.level,
        date: `${r.year}-12-31`,
        illustrative: r.illustrative,
      };
    }
    case "patent": {
      const p = await tx.patent.findUnique({ where: { slug }, include: { studio: { include: { enterprise: true, industry: true } } } });
      if (!p || !isPatentVisibleTo(PUBLIC_VIEWER, p)) return null;
      return {
        id: `patent:${p.slug}`,
        type,
        slug: p.slug,
        url: `/patents/${p.slug}`,
        title: p.title,
        keywords: [p.number, label(`patentKind.${p.kind}`), label("nav.patents"), p.studio.industry.nameZh].join(" "),
        body: p.bodyText,
        studio: p.studio.name,
        studioSlug: p.studio.slug,
        enterprise: p.studio.enterprise.name,
        industry: p.studio.industryKey,
        kind: null,
        level: p.studio.level,
        date: p.grantedOn ?? p.filedOn,
        illustrative: p.illustrative,
      };
    }
    case "need": {
      const n = await tx.need.findUnique({ where: { slug }, include: { enterprise: true, industry: true } });
      return n ? needDocument(n) : null;
    }
    case "person": {
      const p = await tx.person.findUnique({ where: { slug }, include: PERSON_DOC_INCLUDE });
      return p ? personDocument(p) : null;
    }
  }
}

// people in their page order, ties by slug: the same on both databases (PostgreSQL returns ties in
// no set order, SQLite in insertion order)
const STUDIO_DOC_INCLUDE = {
  enterprise: true,
  industry: true,
  people: { orderBy: [{ sortOrder: "asc" as const }, { slug: "asc" as const }] },
} satisfies Prisma.StudioInclude;
type StudioWithNames = Prisma.StudioGetPayload<{ include: typeof STUDIO_DOC_INCLUDE }>;

function studioDocument(s: StudioWithNames): SearchDocument {
  return {
    id: `studio:${s.slug}`,
    type: "studio",
    slug: s.slug,
    url: `/studios/${s.slug}`,
    title: s.name,
    keywords: [...parseList(s.specialties), ...parseList(s.skillNeeds), ...s.people.map((p) => p.name), label(`level.${s.level}`), s.industry.nameZh, s.industry.nameEn].join(" "),
    body: [s.bodyText, ...parseList(s.honours), ...s.people.flatMap((p) => parseList(p.honours))].join("\n"),
    studio: s.name,
    studioSlug: s.slug,
    enterprise: s.enterprise.name,
    industry: s.industryKey,
    kind: null,
    level: s.level,
    date: `${s.founded}-01-01`,
    illustrative: s.illustrative,
  };
}

const PERSON_DOC_INCLUDE = { studio: { include: { enterprise: true, industry: true } }, honourLinks: { include: { honour: true } } } as const;
type PersonWithNames = Prisma.PersonGetPayload<{ include: typeof PERSON_DOC_INCLUDE }>;

function personDocument(p: PersonWithNames): SearchDocument {
  const honours = p.honourLinks.flatMap((l) => {
    const h = l.honour;
    return h ? [l.text, h.nameZh, h.nameEn] : [l.text];
  });
  // `level` holds the highest honour's level: the honour-level facet of people (docs/decisions/0014)
  return {
    id: `person:${p.slug}`,
    type: "person",
    slug: p.slug,
    url: `/people/${p.slug}`,
    title: p.name,
    keywords: [...parseList(p.skills), ...honours, label(`people.role.${p.role === "leader" ? "leader" : "member"}`), label("people.nav"), p.studio.industry.nameZh].join(" "),
    body: p.bio,
    studio: p.studio.name,
    studioSlug: p.studio.slug,
    enterprise: p.studio.enterprise.name,
    industry: p.studio.industryKey,
    kind: null,
    level: topLevel(p.honourLinks.map((l) => l.honour)),
    date: `${p.studio.founded}-01-01`,
    illustrative: p.studio.illustrative,
  };
}

/** The documents of many studios, read 500 at a time (a spreadsheet import); the same documents as buildDocument's. */
export async function buildStudioDocuments(tx: Tx, slugs: string[]): Promise<SearchDocument[]> {
  const docs: SearchDocument[] = [];
  for (let i = 0; i < slugs.length; i += 500) {
    for (const s of await tx.studio.findMany({ where: { slug: { in: slugs.slice(i, i + 500) } }, include: STUDIO_DOC_INCLUDE })) docs.push(studioDocument(s));
  }
  return docs;
}

/** The documents of many people, read 500 at a time (a spreadsheet import); the same documents as buildDocument's. */
export async function buildPersonDocuments(tx: Tx, slugs: string[]): Promise<SearchDocument[]> {
  const docs: SearchDocument[] = [];
  for (let i = 0; i < slugs.length; i += 500) {
    for (const p of await tx.person.findMany({ where: { slug: { in: slugs.slice(i, i + 500) } }, include: PERSON_DOC_INCLUDE })) docs.push(personDocument(p));
  }
  return docs;
}

type NeedWithNames = {
  slug: string;
  title: string;
  tags: string;
  status: string;
  visibility: string;
  review: string | null;
  bodyText: string;
  industryKey: string;
  createdAt: Date;
  illustrative: boolean;
} & {
  enterprise: { name: string };
  industry: { nameZh: string; nameEn: string };
};

function needDocument(n: NeedWithNames): SearchDocument | null {
  // drafts, withdrawn, union-only and not yet reviewed needs are not for everyone (need-loop.server.ts needAccess)
  if (n.status === "draft" || n.status === "withdrawn" || n.visibility !== "public" || n.review !== null) return null;
  return {
    id: `need:${n.slug}`,
    type: "need",
    slug: n.slug,
    url: `/needs/${n.slug}`,
    title: n.title,
    keywords: [...parseList(n.tags), label(`needStatus.${n.status}`), n.industry.nameZh, n.industry.nameEn].join(" "),
    body: n.bodyText,
    studio: null,
    studioSlug: null,
    enterprise: n.enterprise.name,
    industry: n.industryKey,
    kind: null,
    level: null,
    date: n.createdAt.toISOString().slice(0, 10),
    illustrative: n.illustrative,
  };
}

/** The documents of many needs, read in a few queries (a spreadsheet import of thousands of rows); the same documents as buildDocument's. */
export async function buildNeedDocuments(tx: Tx, slugs: string[]): Promise<SearchDocument[]> {
  const docs: SearchDocument[] = [];
  for (let i = 0; i < slugs.length; i += 500) {
    const needs = await tx.need.findMany({ where: { slug: { in: slugs.slice(i, i + 500) } }, include: { enterprise: true, industry: true } });
    for (const n of needs) {
      const doc = needDocument(n);
      if (doc) docs.push(doc);
    }
  }
  return docs;
}

export { FIELD_BOOSTS } from "../../../search/doc-terms";

/** The weighted terms of a document, as stored in SearchDoc.terms and loaded by the embedded engine. */
export function documentTerms(doc: SearchDocument): Map<string, number> {
  return termsWithTitle(termFields(doc)).terms;
}

/** SearchDoc.terms of a document: its weighted terms, packed, with the title's terms marked. */
export function encodeDocumentTerms(doc: SearchDocument): string {
  return encodeFields(termFields(doc));
}

export { decodeTerms, encodeTerms, forEachTerm };
