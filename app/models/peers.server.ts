import { db as defaultDb, type Db } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { indexTerms } from "../../search/segment";

// Peer matching (DESIGN.md "Peer matching"): for one studio, studios of *other* enterprises ranked
// by skill similarity, industry relatedness, complementarity and track record, each with reasons.

export const WEIGHTS = { skills: 0.45, industry: 0.2, complement: 0.25, record: 0.1 } as const;

export type PeerReason =
  | { type: "shared-skills"; skills: string[]; text: string }
  | { type: "meets-needs"; needs: string[]; text: string }
  | { type: "needs-met-by-us"; needs: string[]; text: string }
  | { type: "same-industry"; industry: string; text: string }
  | { type: "related-industry"; industry: string; text: string }
  | { type: "track-record"; results: { slug: string; title: string }[]; text: string };

export interface Peer {
  slug: string;
  name: string;
  enterprise: string;
  enterpriseSlug: string;
  industry: string;
  score: number;
  parts: { skills: number; industry: number; complement: number; record: number };
  reasons: PeerReason[];
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
  vector: Map<string, number>;
  norm: number;
  /** terms of specialties and result tags: what the studio can offer */
  offers: Map<string, string>; // term → the specialty or tag it came from
  proven: { slug: string; title: string }[];
}

interface PeerIndex {
  stamp: string;
  profiles: Profile[];
  bySlug: Map<string, Profile>;
  postings: Map<string, { i: number; w: number }[]>;
  related: Map<string, Set<string>>;
  industryNames: Map<string, string>;
}

const caches = new WeakMap<Db, PeerIndex>();

/** Something that changes whenever a studio, result or patent changes. */
async function stamp(db: Db): Promise<string> {
  const [s, r, p] = await Promise.all([
    db.studio.aggregate({ _max: { updatedAt: true }, _count: true }),
    db.result.aggregate({ _max: { updatedAt: true }, _count: true }),
    db.patent.aggregate({ _max: { updatedAt: true }, _count: true }),
  ]);
  return [s, r, p].map((a) => `${a._count}:${a._max.updatedAt?.getTime() ?? 0}`).join("|");
}

const STOP = new Set(["技术", "工作", "工作室", "创新", "管理", "系统", "研究", "应用", "开展", "进行", "提升", "企业", "公司"]);

function weigh(into: Map<string, number>, text: string, weight: number) {
  for (const [t, w] of indexTerms(text)) {
    if (t.length < 2 || STOP.has(t) || /^\d+$/.test(t)) continue;
    into.set(t, (into.get(t) ?? 0) + w * weight);
  }
}

async function build(db: Db): Promise<PeerIndex> {
  const [studios, industries] = await Promise.all([
    db.studio.findMany({
      include: {
        enterprise: true,
        industry: true,
        results: { where: { published: true, visibility: "public" }, select: { slug: true, title: true, tags: true, status: true } },
        patents: { select: { title: true } },
      },
      orderBy: { slug: "asc" },
    }),
    db.industry.findMany(),
  ]);
  const related = new Map(industries.map((i) => [i.key, new Set(parseList(i.related))]));
  const industryNames = new Map(industries.map((i) => [i.key, i.nameZh]));
  const profiles: Profile[] = studios.map((s) => {
    const specialties = parseList(s.specialties);
    const raw = new Map<string, number>();
    specialties.forEach((x) => weigh(raw, x, 3));
    s.results.forEach((r) => {
      weigh(raw, r.title, 1.5);
      parseList(r.tags).forEach((tag) => weigh(raw, tag, 1.5));
    });
    s.patents.forEach((p) => weigh(raw, p.title, 1));
    weigh(raw, s.bodyText, 0.3);
    const offers = new Map<string, string>();
    for (const source of [...specialties, ...s.results.flatMap((r) => parseList(r.tags))]) {
      for (const [t] of indexTerms(source)) if (t.length >= 2 && !STOP.has(t) && !offers.has(t)) offers.set(t, source);
    }
    return {
      id: s.id, slug: s.slug, name: s.name, enterpriseId: s.enterpriseId, enterprise: s.enterprise.name, enterpriseSlug: s.enterprise.slug,
      industry: s.industryKey, industryName: s.industry.nameZh, specialties, needs: parseList(s.skillNeeds), vector: raw, norm: 0, offers,
      proven: s.results.filter((r) => r.status !== "piloting").map((r) => ({ slug: r.slug, title: r.title })),
    };
  });
  // tf-idf over studios, so that words every studio uses count for little
  const df = new Map<string, number>();
  for (const p of profiles) for (const t of p.vector.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const N = profiles.length;
  const postings = new Map<string, { i: number; w: number }[]>();
  profiles.forEach((p, i) => {
    let norm = 0;
    for (const [t, tf] of p.vector) {
      const w = (1 + Math.log(tf)) * Math.log(1 + N / (df.get(t) ?? 1));
      p.vector.set(t, w);
      norm += w * w;
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push({ i, w });
    }
    p.norm = Math.sqrt(norm) || 1;
  });
  return { stamp: "", profiles, bySlug: new Map(profiles.map((p) => [p.slug, p])), postings, related, industryNames };
}

async function peerIndex(db: Db): Promise<PeerIndex> {
  const s = await stamp(db);
  let cache = caches.get(db);
  if (!cache || cache.stamp !== s) {
    cache = await build(db);
    cache.stamp = s;
    caches.set(db, cache);
  }
  return cache;
}

/** Needs of `needer` that `offerer` can meet, by shared words of at least two characters. */
function needsMet(needer: Profile, offerer: Profile): string[] {
  return needer.needs.filter((need) => {
    const terms = [...indexTerms(need).keys()].filter((t) => t.length >= 2 && !STOP.has(t));
    return terms.length > 0 && (offerer.offers.has(need.toLowerCase()) || terms.every((t) => offerer.offers.has(t)) || terms.some((t) => t.length >= 3 && offerer.offers.has(t)));
  });
}

function sharedSkills(a: Profile, b: Profile): string[] {
  const out = new Set<string>();
  for (const s of a.specialties) {
    const terms = [...indexTerms(s).keys()].filter((t) => t.length >= 2 && !STOP.has(t));
    // the same specialty, or every word of it among what the other studio offers
    if (b.specialties.includes(s) || (terms.length && terms.every((t) => b.offers.has(t)))) out.add(s);
  }
  return [...out].slice(0, 5);
}

/** Studios of other enterprises, best first, each with the reasons a coordinator can check. */
export async function findPeers(slug: string, limit = 8, db: Db = defaultDb): Promise<{ studio: { slug: string; name: string; enterprise: string }; peers: Peer[] } | null> {
  const index = await peerIndex(db);
  const me = index.bySlug.get(slug);
  if (!me) return null;
  const sim = new Map<number, number>();
  for (const [t, w] of me.vector) {
    for (const { i, w: v } of index.postings.get(t) ?? []) sim.set(i, (sim.get(i) ?? 0) + w * v);
  }
  const candidates = new Set<number>(sim.keys());
  // studios that meet a need or share the industry count even without shared words
  index.profiles.forEach((p, i) => {
    if (p.industry === me.industry || index.related.get(me.industry)?.has(p.industry)) candidates.add(i);
  });
  const peers: Peer[] = [];
  for (const i of candidates) {
    const other = index.profiles[i];
    if (other.enterpriseId === me.enterpriseId) continue; // cross-enterprise only
    const skills = (sim.get(i) ?? 0) / (me.norm * other.norm);
    const sameIndustry = other.industry === me.industry;
    const relatedIndustry = !sameIndustry && Boolean(index.related.get(me.industry)?.has(other.industry));
    const industry = sameIndustry ? 1 : relatedIndustry ? 0.6 : 0;
    const theyMeet = needsMet(me, other);
    const weMeet = needsMet(other, me);
    const complement = Math.min(1, (me.needs.length ? theyMeet.length / me.needs.length : 0) * 0.75 + (other.needs.length ? weMeet.length / other.needs.length : 0) * 0.25);
    const record = Math.min(1, Math.log1p(other.proven.length) / Math.log1p(4));
    const score = WEIGHTS.skills * Math.min(1, skills * 1.5) + WEIGHTS.industry * industry + WEIGHTS.complement * complement + WEIGHTS.record * record;
    if (score < 0.08) continue;
    const reasons: PeerReason[] = [];
    if (theyMeet.length) reasons.push({ type: "meets-needs", needs: theyMeet, text: `能满足本工作室的需求：${theyMeet.join("、")}` });
    const shared = sharedSkills(me, other);
    if (shared.length) reasons.push({ type: "shared-skills", skills: shared, text: `相近专长：${shared.join("、")}` });
    if (weMeet.length) reasons.push({ type: "needs-met-by-us", needs: weMeet, text: `本工作室可支持对方的需求：${weMeet.join("、")}` });
    if (sameIndustry) reasons.push({ type: "same-industry", industry: other.industry, text: `同属${other.industryName}行业` });
    else if (relatedIndustry) reasons.push({ type: "related-industry", industry: other.industry, text: `相关行业：${other.industryName}` });
    if (other.proven.length) {
      const results = other.proven.slice(0, 3);
      reasons.push({ type: "track-record", results, text: `已应用的成果：${results.map((r) => r.title).join("、")}` });
    }
    if (!reasons.length) continue;
    peers.push({
      slug: other.slug, name: other.name, enterprise: other.enterprise, enterpriseSlug: other.enterpriseSlug, industry: other.industry,
      score: Math.round(score * 1000) / 1000,
      parts: { skills: round(Math.min(1, skills * 1.5)), industry, complement: round(complement), record: round(record) },
      reasons,
    });
  }
  peers.sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
  return { studio: { slug: me.slug, name: me.name, enterprise: me.enterprise }, peers: peers.slice(0, limit) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
