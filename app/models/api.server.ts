import { db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { isPatentVisibleTo, isResultVisibleTo, PUBLIC_VIEWER } from "./result-visibility";

// The read-side JSON API gives each record with its front-matter fields by the same names as the
// content files (DESIGN.md "JSON API"), plus slug, url and the Lexical body.

export async function studioJson(slug: string) {
  const s = await db.studio.findUnique({ where: { slug }, include: { enterprise: true, people: { orderBy: { sortOrder: "asc" } } } });
  if (!s) return null;
  const leader = s.people.find((p) => p.role === "leader");
  return {
    slug: s.slug,
    url: `/studios/${s.slug}`,
    name: s.name,
    enterprise: s.enterprise.name,
    enterpriseSlug: s.enterprise.slug,
    leader: leader?.name ?? null,
    leader_honours: parseList(leader?.honours),
    members: s.people.filter((p) => p.role === "member").map((p) => p.name),
    level: s.level,
    industry: s.industryKey,
    sector: s.sector,
    specialties: parseList(s.specialties),
    founded: s.founded,
    honours: parseList(s.honours),
    needs: parseList(s.skillNeeds),
    illustrative: s.illustrative,
    bodyText: s.bodyText,
    body: JSON.parse(s.body),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export async function resultJson(slug: string) {
  const r = await db.result.findUnique({ where: { slug }, include: { studio: { include: { enterprise: true } }, patents: { include: { patent: true } } } });
  // the read API is public: what a visitor who is not signed in sees
  if (!r || !isResultVisibleTo(PUBLIC_VIEWER, r)) return null;
  return {
    slug: r.slug,
    url: `/results/${r.slug}`,
    title: r.title,
    studio: r.studio.slug,
    studioName: r.studio.name,
    enterprise: r.studio.enterprise.name,
    kind: r.kind,
    industry: r.industryKey,
    tags: parseList(r.tags),
    benefits: parseList(r.benefits),
    status: r.status,
    adopters: parseList(r.adopters),
    year: r.year,
    patents: r.patents.map((p) => p.patent.number),
    awards: parseList(r.awards),
    illustrative: r.illustrative,
    bodyText: r.bodyText,
    body: JSON.parse(r.body),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function patentJson(slug: string) {
  const p = await db.patent.findUnique({ where: { slug }, include: { studio: { include: { enterprise: true } } } });
  if (!p || !isPatentVisibleTo(PUBLIC_VIEWER, p)) return null;
  return {
    slug: p.slug,
    url: `/patents/${p.slug}`,
    number: p.number,
    title: p.title,
    kind: p.kind,
    status: p.status,
    studio: p.studio.slug,
    studioName: p.studio.name,
    enterprise: p.studio.enterprise.name,
    filed: p.filedOn,
    granted: p.grantedOn,
    illustrative: p.illustrative,
    bodyText: p.bodyText,
    body: JSON.parse(p.body),
  };
}

export async function needJson(slug: string) {
  const n = await db.need.findUnique({ where: { slug }, include: { enterprise: true } });
  // a new need waiting for review is not public yet (review.server.ts)
  if (!n || n.review !== null) return null;
  return {
    slug: n.slug,
    url: `/needs/${n.slug}`,
    title: n.title,
    enterprise: n.enterprise.name,
    enterpriseSlug: n.enterprise.slug,
    industry: n.industryKey,
    tags: parseList(n.tags),
    status: n.status,
    illustrative: n.illustrative,
    bodyText: n.bodyText,
    body: JSON.parse(n.body),
    createdAt: n.createdAt.toISOString(),
  };
}
