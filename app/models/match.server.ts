import { db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { indexTerms } from "../../search/segment";
import { PUBLIC_NEEDS } from "./need-loop.server";
import { resultVisibleTo, type ResultViewer } from "./result-visibility";
import { getSearchEngine } from "./search.server";

/**
 * The coordinator's match board: candidate studios for a theme or a need, one per row, with the
 * skills the theme needs as columns — so a complementary team across enterprises is easy to see.
 */
export async function matchBoard(viewer: ResultViewer, theme: string, needSlug: string) {
  // the needs anyone may see (not drafts, union-only ones or ones waiting for review); coordinators see all submitted
  const needs = await db.need.findMany({
    where: viewer.everyStudio ? { status: { not: "draft" } } : PUBLIC_NEEDS,
    orderBy: { createdAt: "desc" },
    select: { slug: true, title: true, tags: true },
  });
  const need = needs.find((n) => n.slug === needSlug) ?? null;
  const skills = need ? parseList(need.tags) : theme ? theme.split(/[\s,，、]+/).filter(Boolean) : [];
  let rows: { slug: string; name: string; enterprise: string; covers: boolean[]; specialties: string[] }[] = [];
  if (skills.length) {
    const engine = getSearchEngine();
    const found = new Map<string, number>();
    // every skill on its own, so a studio strong in one column still shows up
    for (const [i, skill] of [need?.title ?? theme, ...skills].entries()) {
      const r = await engine.search({ q: skill, filters: { type: "studio" }, perPage: 12 });
      r.hits.forEach((h, rank) => found.set(h.slug, (found.get(h.slug) ?? 0) + (i === 0 ? 2 : 1) * (12 - rank)));
    }
    const studios = await db.studio.findMany({
      where: { slug: { in: [...found.keys()] } },
      include: { enterprise: true, results: { where: resultVisibleTo(viewer), select: { tags: true, title: true } } },
    });
    rows = studios
      .map((s) => {
        const offered = [...parseList(s.specialties), ...s.results.flatMap((r) => [...parseList(r.tags), r.title])].join(" ").toLowerCase();
        const covers = skills.map((skill) => {
          const terms = [...indexTerms(skill).entries()].filter(([, w]) => w >= 1).map(([t]) => t);
          return offered.includes(skill.toLowerCase()) || (terms.length > 0 && terms.every((t) => offered.includes(t)));
        });
        return { slug: s.slug, name: s.name, enterprise: s.enterprise.name, covers, specialties: parseList(s.specialties).slice(0, 4), rank: found.get(s.slug) ?? 0 };
      })
      .sort((a, b) => b.covers.filter(Boolean).length - a.covers.filter(Boolean).length || b.rank - a.rank)
      .slice(0, 15);
  }
  return { theme, need: need ? { slug: need.slug, title: need.title } : null, needs: needs.map((n) => ({ slug: n.slug, title: n.title })), skills, rows };
}
