import type { Locale } from "~/i18n/messages";
import { db as defaultDb, type Db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import type { SessionUser } from "~/utils/session.server";
import { evidenceIndex } from "./candidates/evidence.server";
import { reasonsFor, renderReasons, resultsFor, type RenderedReason } from "./candidates/reasons.server";
import { COVERED, scoreNeed, shortlist } from "./candidates/score.server";
import { resultVisibilityFor } from "./candidates/visibility.server";

// Candidates for a need (配送 support, issue 12): studios of other enterprises that can meet it,
// best first, each with reasons a coordinator can check and the results that bear on it, and the
// wanted skills nobody covers. Only results the visitor may see are used or cited.

export interface Candidate {
  slug: string;
  name: string;
  enterprise: string;
  score: number;
  reasons: RenderedReason[];
  results: { slug: string; title: string }[];
}

export interface CandidatesOf {
  need: { slug: string; title: string; enterprise: string; industry: string; tags: string[] };
  candidates: Candidate[];
  uncovered: string[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Null for an unknown need. The need itself is as visible as its page (`/needs/:slug`). */
export async function findCandidates(slug: string, o: { user?: SessionUser | null; locale?: Locale; db?: Db } = {}): Promise<CandidatesOf | null> {
  const db = o.db ?? defaultDb;
  const need = await db.need.findUnique({ where: { slug }, include: { enterprise: { select: { name: true } } } });
  if (!need) return null;
  const tags = parseList(need.tags);
  const [index, canSee] = await Promise.all([evidenceIndex(db), resultVisibilityFor(o.user ?? null)]);
  const query = { enterpriseId: need.enterpriseId, industry: need.industryKey, title: need.title, tags, text: [need.title, ...tags, need.bodyText].join("\n") };
  const picked = shortlist(scoreNeed(index, query, canSee), tags.length > 0);

  const candidates: Candidate[] = [];
  for (const c of picked) {
    const reasons = reasonsFor(c, canSee);
    if (!reasons.length) continue; // a suggestion nobody can check is not made
    candidates.push({
      slug: c.studio.slug,
      name: c.studio.name,
      enterprise: c.studio.enterprise,
      score: round(c.score),
      reasons: renderReasons(reasons, o.locale ?? "zh-CN", index),
      results: resultsFor(c, reasons),
    });
  }
  const shown = new Set(candidates.map((c) => c.slug));
  const covered = new Set(picked.filter((c) => shown.has(c.studio.slug)).flatMap((c) => c.skills.filter((m) => m.coverage >= COVERED).map((m) => m.skill)));
  const uncovered = [...new Set(tags.map((t) => t.trim()).filter(Boolean))].filter((t) => !covered.has(t));
  return {
    need: { slug: need.slug, title: need.title, enterprise: need.enterprise.name, industry: need.industryKey, tags },
    candidates,
    uncovered,
  };
}
