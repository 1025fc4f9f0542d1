import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { findPeers, peerIndexSettled, peerIndexState, type Evidence, type PeerReason } from "~/models/peers.server";
import { loader as peersApi } from "~/routes/api.studios.$slug.peers";
import { loader as studioPage } from "~/routes/studios.$slug";
import { createDb, db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { parseList } from "~/utils/json";
import { normalize } from "../../search/segment";
import { seedFiles, seedIndustries } from "../fixtures/content";
import { getRequest, settle } from "../setup/auth";

// Peer matching over the seed content, through GET /api/studios/:slug/peers as integrations call it:
// every studio gets peers from other enterprises only, each with reasons that are true of the two
// studio pages, in the documented shape; and the judged pairs a coordinator would pick come first.

interface ApiPeer {
  slug: string;
  name: string;
  enterprise: string;
  score: number;
  reasons: (PeerReason & { type: string; text: string })[];
}
interface ApiBody {
  studio: { slug: string; name: string; enterprise: string };
  peers: ApiPeer[];
}

const STUDIOS = seedFiles("studios");
const RELATED = new Map(seedIndustries().map((i) => [i.key, new Set(i.related ?? [])]));

async function api(slug: string, query = "") {
  const response = await peersApi({ request: getRequest(`/api/studios/${slug}/peers${query}`), params: { slug }, context: {} });
  return { status: response.status, type: response.headers.get("Content-Type") ?? "", body: (await response.json()) as unknown };
}

/** What a studio's page shows, read from the database independently of the peers model. */
async function page(slug: string) {
  const s = await db.studio.findUniqueOrThrow({
    where: { slug },
    include: { enterprise: true, patents: true, results: { where: { published: true, visibility: "public" }, include: { adoptions: { include: { enterprise: true } } } } },
  });
  const results = s.results.map((r) => ({
    slug: r.slug,
    title: r.title,
    tags: parseList(r.tags),
    status: r.status,
    adopters: [...parseList(r.adopters), ...r.adoptions.flatMap((a) => (a.enterprise ? [a.enterprise.name] : []))],
    /** everything the result's page says: title, tags, benefits, body */
    text: normalize([r.title, ...parseList(r.tags), ...parseList(r.benefits), r.bodyText].join("\n")),
  }));
  return {
    slug,
    enterpriseId: s.enterpriseId,
    enterprise: s.enterprise.name,
    industry: s.industryKey,
    specialties: parseList(s.specialties),
    needs: parseList(s.skillNeeds),
    results,
    /** each place a skill can be read on the page: a specialty, a result title, a result tag */
    texts: [...parseList(s.specialties), ...results.flatMap((r) => [r.title, ...r.tags])].map(normalize),
    patents: s.patents.map((p) => ({ title: p.title, text: normalize([p.title, p.bodyText].join("\n")) })),
    /** the studio's own introduction */
    body: normalize(s.bodyText),
    /** all of it together */
    all: normalize([...parseList(s.specialties), s.bodyText, ...results.map((r) => r.text), ...s.patents.map((p) => [p.title, p.bodyText].join("\n"))].join("\n")),
  };
}
type Page = Awaited<ReturnType<typeof page>>;

/**
 * A need or skill is read on a page in the place the reason names: the phrase there whole, or the
 * pieces of it the reason lists, each of them in that place's text (a specialty, a result's title,
 * tags, benefits or body, a patent, the studio's introduction), covering most of the phrase.
 */
function evidenceHolds(e: Evidence, items: string[], p: Page): string | null {
  if (!items.includes(e.item)) return `${e.item} is not among the reason's items`;
  const place =
    e.place === "specialty"
      ? p.specialties.includes(e.label)
        ? normalize(e.label)
        : null
      : e.place === "result"
        ? (p.results.find((r) => r.slug === e.result?.slug && r.title === e.label)?.text ?? null)
        : e.place === "patent"
          ? (p.patents.find((x) => x.title === e.label)?.text ?? null)
          : p.body;
  if (place === null) return `${e.place} “${e.label}” is not on ${p.slug}'s page`;
  if (!e.pieces.length) return `${e.item}: no piece of it named`;
  const missing = e.pieces.find((x) => !place.includes(normalize(x)));
  if (missing) return `${e.item}: “${missing}” is not in ${e.place} “${e.label}”`;
  // the pieces are parts of the phrase and hold at least a third of its characters
  const norm = normalize(e.item).replace(/\s+/g, "");
  if (e.pieces.some((x) => !norm.includes(normalize(x).replace(/\s+/g, "")))) return `${e.item}: a piece is not part of it`;
  if (e.pieces.join("").replace(/\s+/g, "").length * 3 < norm.length) return `${e.item}: too little of it is shown`;
  return null;
}

/** Checks one reason against the two pages; returns what is wrong with it, or null. */
function falsehood(reason: ApiPeer["reasons"][number], me: Page, other: Page): string | null {
  const cited = [...reason.text.matchAll(/见成果《([^》]+)》/g)].map((m) => m[1]);
  for (const title of cited)
    if (!other.results.some((r) => r.title === title) && !me.results.some((r) => r.title === title)) return `cites 《${title}》, not a public result of either`;
  const check = (evidence: Evidence[] | undefined, items: string[], on: Page) => {
    if (!evidence || evidence.length !== items.length) return "every item needs its evidence";
    for (const e of evidence) {
      const wrong = evidenceHolds(e, items, on);
      if (wrong) return wrong;
    }
    return null;
  };
  switch (reason.type) {
    case "meets-needs":
      return reason.needs.find((n) => !me.needs.includes(n)) ?? check(reason.evidence, reason.needs, other);
    case "needs-met-by-us":
      return reason.needs.find((n) => !other.needs.includes(n)) ?? check(reason.evidence, reason.needs, me);
    case "shared-skills":
      // a specialty of this studio, read on the other page
      return reason.skills.find((s) => !me.specialties.includes(s)) ?? check(reason.evidence, reason.skills, other);
    case "similar-work":
      // words both pages use
      return reason.words.find((w) => !me.all.includes(normalize(w)) || !other.all.includes(normalize(w))) ?? null;
    case "same-industry":
      return reason.industry === me.industry && other.industry === me.industry ? null : "not the same industry";
    case "related-industry":
      return other.industry === reason.industry && RELATED.get(me.industry)?.has(other.industry) ? null : "not a related industry";
    case "adopted-by-us":
      return reason.results.find((x) => !other.results.some((r) => r.slug === x.slug && r.adopters.includes(me.enterprise)))?.slug ?? null;
    case "track-record":
      return reason.results.find((x) => !other.results.some((r) => r.slug === x.slug && r.status !== "piloting"))?.slug ?? null;
    default:
      return `unknown reason type ${(reason as { type: string }).type}`;
  }
}

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
});

describe("GET /api/studios/:slug/peers", () => {
  test("reason text is in the request's language, the data the same in both", async () => {
    const asked = async (language: string) => {
      const request = getRequest("/api/studios/distribution-live-line/peers");
      request.headers.set("Accept-Language", language);
      const response = await peersApi({ request, params: { slug: "distribution-live-line" }, context: {} });
      return ((await response.json()) as ApiBody).peers;
    };
    const zh = await asked("zh-CN,zh;q=0.9");
    const en = await asked("en-US,en;q=0.8");
    const strip = (ps: ApiPeer[]) => ps.map((p) => ({ ...p, reasons: p.reasons.map(({ text: _, ...data }) => data) }));
    expect(strip(en)).toEqual(strip(zh));
    const zhTexts = zh.flatMap((p) => p.reasons.map((r) => r.text));
    const enTexts = en.flatMap((p) => p.reasons.map((r) => r.text));
    expect(zhTexts.some((t) => /^(能满足本工作室的需求|共同专长|相近的工作内容)：/.test(t))).toBe(true);
    expect(enTexts.some((t) => /^(Meets this studio's needs|Shared skills|Similar work): /.test(t))).toBe(true);
    // no sentence of the English page is Chinese (the items themselves are the studios' own words)
    for (const t of enTexts) expect(t).not.toMatch(/能满足|共同专长|相近的工作|同属|相关行业|已采用|已应用|（见/);
  });

  test("answers in the documented shape", async () => {
    const out = await api("distribution-live-line");
    expect(out.status).toBe(200);
    expect(out.type).toMatch(/^application\/json/);
    const body = out.body as ApiBody;
    expect(body.studio).toEqual({ slug: "distribution-live-line", name: "配网带电作业劳模创新工作室", enterprise: "国网郑州供电公司" });
    expect(body.peers.length).toBeGreaterThan(0);
    expect(body.peers.length).toBeLessThanOrEqual(8); // the default limit
    for (const p of body.peers) {
      expect(p).toMatchObject({ slug: expect.stringMatching(/^[a-z0-9-]+$/), name: expect.any(String), enterprise: expect.any(String), score: expect.any(Number) });
      expect(p.score).toBeGreaterThan(0);
      expect(p.score).toBeLessThanOrEqual(1);
      expect(p.reasons.length).toBeGreaterThan(0);
      for (const r of p.reasons) expect(r).toMatchObject({ type: expect.any(String), text: expect.stringMatching(/\S/) });
    }
    const scores = body.peers.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  test("a limit is honoured", async () => {
    const out = await api("metro-signal", "?limit=3");
    expect(out.status).toBe(200);
    expect((out.body as ApiBody).peers).toHaveLength(3);
  });

  test("an unknown studio is a 404 with a JSON error", async () => {
    const out = await api("no-such-studio");
    expect(out.status).toBe(404);
    expect(out.type).toMatch(/^application\/json/);
    expect(out.body).toEqual({ error: { code: "not_found", message: expect.stringContaining("no-such-studio"), field: "slug" } });
  });

  test.each(["0", "51", "abc", "2.5", "-1", ""])("limit=%s is a 400 naming the parameter", async (limit) => {
    const out = await api("xu-xin", `?limit=${limit}`);
    expect(out.status).toBe(400);
    expect(out.body).toMatchObject({ error: { code: "invalid_parameter", field: "limit" } });
  });
});

describe("every seed studio", () => {
  test.each(STUDIOS.map((s) => s.slug))("%s: peers from other enterprises only, each with reasons true of both pages", async (slug) => {
    const out = await api(slug, "?limit=50");
    expect(out.status).toBe(200);
    const body = out.body as ApiBody;
    expect(body.studio.slug).toBe(slug);
    expect(body.peers.length).toBeGreaterThan(0);
    const me = await page(slug);
    for (const p of body.peers) {
      const other = await page(p.slug);
      expect(other.enterpriseId, `${p.slug} is of ${slug}'s own enterprise`).not.toBe(me.enterpriseId);
      expect(p.enterprise).toBe(other.enterprise);
      expect(p.reasons.length, `${p.slug} comes without a reason`).toBeGreaterThan(0);
      for (const r of p.reasons) expect(falsehood(r, me, other), `${slug} → ${p.slug}: "${r.text}"`).toBeNull();
    }
    expect(new Set(body.peers.map((p) => p.slug)).size).toBe(body.peers.length);
  });

  test("the studio page lists the same peers under 跨企业同行工作室", async () => {
    const out = await settle(() => studioPage({ request: getRequest("/studios/jinxiu-spinning"), params: { slug: "jinxiu-spinning" }, context: {} }));
    const data = out.data as { peers: { slug: string; enterprise: string; reasons: { text: string }[] }[] };
    const fromApi = ((await api("jinxiu-spinning", "?limit=5")).body as ApiBody).peers.map((p) => p.slug);
    expect(data.peers.map((p) => p.slug)).toEqual(fromApi);
    expect(data.peers.every((p) => p.enterprise !== "郑州锦绣纺织集团有限公司" && p.reasons.length > 0)).toBe(true);
  });
});

describe("the judged pairs (tests/relevance/peers.yaml)", () => {
  test("aircraft-composites needs 三维激光扫描 and 数字孪生: songyue-bim (grade 3) is in its top five, meeting both", async () => {
    const peers = ((await api("aircraft-composites", "?limit=5")).body as ApiBody).peers;
    const bim = peers.find((p) => p.slug === "songyue-bim");
    expect(bim, `top five: ${peers.map((p) => p.slug).join(", ")}`).toBeDefined();
    expect(bim!.reasons).toContainEqual(expect.objectContaining({ type: "meets-needs", needs: ["三维激光扫描", "数字孪生"] }));
  });

  test("distribution-live-line's inspection peer in another enterprise, zhongzhou-gas-pipeline (grade 3), is in its top five", async () => {
    const peers = ((await api("distribution-live-line", "?limit=5")).body as ApiBody).peers;
    const gas = peers.find((p) => p.slug === "zhongzhou-gas-pipeline");
    expect(gas, `top five: ${peers.map((p) => p.slug).join(", ")}`).toBeDefined();
    expect(gas!.reasons).toContainEqual(expect.objectContaining({ type: "shared-skills", skills: expect.arrayContaining(["智能巡检", "无人机巡检"]) }));
  });

  test("metro-signal and metro-vehicle-maintenance (both 郑州地铁) never suggest each other or xu-xin", async () => {
    for (const slug of ["metro-signal", "metro-vehicle-maintenance", "xu-xin"]) {
      const peers = ((await api(slug, "?limit=50")).body as ApiBody).peers.map((p) => p.slug);
      expect(peers.filter((p) => ["metro-signal", "metro-vehicle-maintenance", "xu-xin"].includes(p))).toEqual([]);
    }
  });
});

describe("the peers follow the content", () => {
  test("a need added to a studio brings a studio that meets it, on the next request", async () => {
    const before = (await findPeers("xu-xin", 50))!.peers;
    expect(before.find((p) => p.slug === "qingyuan-leakage")?.reasons.some((r) => r.type === "meets-needs")).toBeFalsy();
    const s = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" } });
    await db.studio.update({ where: { id: s.id }, data: { skillNeeds: JSON.stringify(["漏损检测"]) } });
    try {
      const after = (await findPeers("xu-xin", 5))!.peers;
      const leak = after.find((p) => p.slug === "qingyuan-leakage");
      expect(leak, after.map((p) => p.slug).join(", ")).toBeDefined();
      expect(leak!.reasons[0]).toMatchObject({ type: "meets-needs", needs: ["漏损检测"] });
    } finally {
      await db.studio.update({ where: { id: s.id }, data: { skillNeeds: s.skillNeeds } });
    }
    expect((await findPeers("xu-xin", 50))!.peers.find((p) => p.slug === "qingyuan-leakage")?.reasons.some((r) => r.type === "meets-needs")).toBeFalsy();
  });

  test("a change written by another connection (an import, another process) is seen too", async () => {
    const meets = (peers: { slug: string; reasons: PeerReason[] }[]) => peers.find((p) => p.slug === "xu-xin")?.reasons.find((r) => r.type === "meets-needs");
    expect(meets((await findPeers("huaxin-sensors", 50))!.peers)).toBeUndefined();
    const other = createDb(getEnv().databaseFile);
    try {
      const s = await other.studio.findUniqueOrThrow({ where: { slug: "huaxin-sensors" } });
      await other.studio.update({ where: { id: s.id }, data: { skillNeeds: JSON.stringify(["时刻表打印排版转换"]) } });
      expect(meets((await findPeers("huaxin-sensors", 5))!.peers)).toMatchObject({ needs: ["时刻表打印排版转换"] });
      await other.studio.update({ where: { id: s.id }, data: { skillNeeds: s.skillNeeds } });
    } finally {
      await other.$disconnect();
    }
  });

  test("a tag added to a result shows on the next request, in that studio's peers and in the peers of the studio whose need it meets", async () => {
    // a need no page shows yet, listed by huaxin-sensors; then a result of zhongzhou-gas-pipeline (another enterprise) names it
    const need = "量子隧穿焊缝成像";
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: "huaxin-sensors" } });
    const result = await db.result.findUniqueOrThrow({ where: { slug: "gas-station-inspection-robot" }, include: { studio: true } });
    expect(result.studio.slug).toBe("zhongzhou-gas-pipeline");
    await db.studio.update({ where: { id: studio.id }, data: { skillNeeds: JSON.stringify([need]) } });
    try {
      const metBy = async () => (await findPeers("huaxin-sensors", 50))!.peers.find((p) => p.slug === "zhongzhou-gas-pipeline")?.reasons.find((r) => r.type === "meets-needs");
      const weMeet = async () => (await findPeers("zhongzhou-gas-pipeline", 50))!.peers.find((p) => p.slug === "huaxin-sensors")?.reasons.find((r) => r.type === "needs-met-by-us");
      expect(await metBy()).toBeUndefined();
      expect(await weMeet()).toBeUndefined();
      await db.result.update({ where: { id: result.id }, data: { tags: JSON.stringify([...parseList(result.tags), need]) } });
      const cited = {
        item: need,
        place: "result",
        label: "燃气场站智能巡检机器人",
        result: { slug: "gas-station-inspection-robot", title: "燃气场站智能巡检机器人" },
        pieces: [need],
      };
      expect(await weMeet()).toMatchObject({ needs: [need], evidence: [cited] });
      expect(await metBy()).toMatchObject({ needs: [need], evidence: [cited] });
      // the full build that follows in the background answers the same
      await peerIndexSettled();
      expect(await metBy()).toMatchObject({ needs: [need], evidence: [cited] });
      // and the tag taken away again is gone on the next request
      await db.result.update({ where: { id: result.id }, data: { tags: result.tags } });
      expect(await metBy()).toBeUndefined();
    } finally {
      await db.result.update({ where: { id: result.id }, data: { tags: result.tags } });
      await db.studio.update({ where: { id: studio.id }, data: { skillNeeds: studio.skillNeeds } });
    }
  });

  test("a write to what the index does not read (a login, a draft autosave) neither patches nor rebuilds it", async () => {
    await findPeers("xu-xin", 5);
    await peerIndexSettled();
    const before = await peerIndexState();
    const peers = (await findPeers("xu-xin", 5))!.peers;
    const s = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" } });
    await db.loginAttempt.create({ data: { key: "peers-test:unrelated" } });
    await db.studio.update({ where: { id: s.id }, data: { draft: JSON.stringify({ name: s.name }), draftAt: new Date() } });
    try {
      expect((await findPeers("xu-xin", 5))!.peers).toEqual(peers);
      expect(await peerIndexState()).toEqual({ ...before, rebuilding: false });
      // a write to what it reads is patched in at once and starts one full build
      await db.studio.update({ where: { id: s.id }, data: { specialties: s.specialties.replace("]", ', "管网漏损"]') } });
      await findPeers("xu-xin", 5);
      const after = await peerIndexState();
      expect(after.patched).toBe(before.patched + 1);
      await peerIndexSettled();
      expect((await peerIndexState()).builds).toBe(before.builds + 1);
    } finally {
      await db.studio.update({ where: { id: s.id }, data: { draft: s.draft, draftAt: s.draftAt, specialties: s.specialties } });
      await db.loginAttempt.deleteMany({ where: { key: "peers-test:unrelated" } });
    }
  });

  test("an adoption recorded for a result shows as 已采用 for the adopting enterprise's studios", async () => {
    const result = await db.result.findUniqueOrThrow({ where: { slug: "gas-station-inspection-robot" } });
    const grid = await db.enterprise.findUniqueOrThrow({ where: { name: "国网郑州供电公司" } });
    const before = (await findPeers("distribution-live-line", 50))!.peers.find((p) => p.slug === "zhongzhou-gas-pipeline")!;
    expect(before.reasons.some((r) => r.type === "adopted-by-us")).toBe(false);
    await db.adoption.create({ data: { resultId: result.id, enterpriseId: grid.id, adoptedOn: "2026-05-01", benefit: "配电房巡检人工减少一半" } });
    const after = (await findPeers("distribution-live-line", 50))!.peers.find((p) => p.slug === "zhongzhou-gas-pipeline")!;
    expect(after.reasons).toContainEqual(expect.objectContaining({ type: "adopted-by-us", results: [{ slug: "gas-station-inspection-robot", title: "燃气场站智能巡检机器人" }] }));
    expect(after.score).toBeGreaterThan(before.score);
  });
});
