import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { loader as candidatesApi } from "~/routes/api.needs.$slug.candidates";
import { loader as needPage } from "~/routes/needs.$slug";
import { evidenceIndex } from "~/models/candidates/evidence.server";
import { createDb, db } from "~/utils/db.server";
import { writeCandidatesFixture } from "../fixtures/candidates";
import { md, removeTempDirs, tempDir, writeFiles } from "../fixtures/content";
import { createUser, getRequest, sessionCookie } from "../setup/auth";

// Need → studio candidates (issue 12, 配送) through GET /api/needs/:slug/candidates, on an invented
// content folder (tests/fixtures/candidates.ts): the documented shape, other enterprises only,
// best first, reasons as data rendered in the reader's language, the skills nobody covers, no
// padding when nothing fits, and only results the visitor may see cited.

interface ApiReason {
  type: string;
  text: string;
  skills?: string[];
  result?: { slug: string; title: string; status: string; adopters: number };
  specialty?: string;
  person?: { name: string; role: string };
  honours?: string[];
  relation?: string;
  industry?: string;
}
interface ApiCandidate {
  slug: string;
  name: string;
  enterprise: string;
  score: number;
  reasons: ApiReason[];
  results: { slug: string; title: string }[];
}
interface ApiBody {
  need: { slug: string; title: string; enterprise: string };
  candidates: ApiCandidate[];
  uncovered: string[];
}

const NEEDS = ["dairy-coldstore-monitoring", "chem-tank-leak", "dairy-package-vision", "cold-livestream", "dairy-mixed", "dairy-thermal-camera"];

async function api(slug: string, o: { session?: string; language?: string } = {}) {
  const request = getRequest(`/api/needs/${slug}/candidates`, o.session);
  if (o.language) request.headers.set("Accept-Language", o.language);
  const response = await candidatesApi({ request, params: { slug }, context: {} });
  return { status: response.status, type: response.headers.get("Content-Type") ?? "", body: (await response.json()) as ApiBody & { error?: { code: string; field?: string } } };
}

beforeAll(async () => {
  const report = await importContent(db, writeCandidatesFixture(tempDir("candidates-")));
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
});
afterAll(removeTempDirs);

describe("GET /api/needs/:slug/candidates", () => {
  test("answers in the documented shape, the best fit first", async () => {
    const out = await api("dairy-coldstore-monitoring");
    expect(out.status).toBe(200);
    expect(out.type).toContain("application/json");
    expect(out.body.need).toMatchObject({ slug: "dairy-coldstore-monitoring", title: "成品冷库温度实时监测与超温报警", enterprise: "洛川乳业有限公司" });
    expect(out.body.candidates[0]).toMatchObject({ slug: "coldchain-monitoring", name: "冷链温控技术工作室", enterprise: "北辰冷链物流有限公司" });
    for (const c of out.body.candidates) {
      expect(Object.keys(c).sort()).toEqual(["enterprise", "name", "reasons", "results", "score", "slug"]);
      expect(c.score).toBeGreaterThan(0);
      expect(c.score).toBeLessThanOrEqual(1);
      expect(c.reasons.length).toBeGreaterThan(0);
      for (const r of c.reasons) expect(r.text.length).toBeGreaterThan(0);
    }
    expect(out.body.uncovered).toEqual([]);
  });

  test("never suggests a studio of the requesting enterprise, lists at most 10, best first", async () => {
    for (const slug of NEEDS) {
      const out = await api(slug);
      const need = await db.need.findUniqueOrThrow({ where: { slug } });
      const studios = await db.studio.findMany({ where: { slug: { in: out.body.candidates.map((c) => c.slug) } } });
      expect(studios).toHaveLength(out.body.candidates.length);
      for (const s of studios) expect(s.enterpriseId, `${slug} → ${s.slug}`).not.toBe(need.enterpriseId);
      expect(out.body.candidates.length).toBeLessThanOrEqual(10);
      const scores = out.body.candidates.map((c) => c.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // each one names the specialty, result or patent that shows what the need asks for
      for (const c of out.body.candidates)
        expect(
          c.reasons.some((r) => ["specialty", "result", "patent"].includes(r.type)),
          `${slug} → ${c.slug}`,
        ).toBe(true);
    }
  });

  test("the perfect fit inside the requester's own enterprise is left out, and nothing pads the list", async () => {
    // only 化工装置泄漏检测工作室 does leak testing, and it belongs to the enterprise that asks
    const out = await api("chem-tank-leak");
    expect(out.body.candidates).toEqual([]);
    expect(out.body.uncovered).toEqual(["泄漏检测", "气密性检测"]);
  });

  test("a need about something no studio does gets no candidates, and its skills are flagged", async () => {
    const out = await api("cold-livestream");
    expect(out.status).toBe(200);
    expect(out.body.candidates).toEqual([]);
    expect(out.body.uncovered).toEqual(["直播运营", "跨境电商"]);
  });

  test("flags the wanted skills no candidate covers", async () => {
    const out = await api("dairy-mixed");
    expect(out.body.candidates.map((c) => c.slug)).toEqual(["coldchain-monitoring"]);
    expect(out.body.uncovered).toEqual(["碳足迹核算"]);
  });

  test("a wanted word the studio's pages never use whole is matched through the pieces of it they use", async () => {
    // 热成像仪 is one word to the segmenter, and no page has it; the studio's specialty is 热成像检测
    const out = await api("dairy-thermal-camera");
    expect(out.body.candidates[0]?.slug).toBe("chem-leak");
    expect(out.body.candidates[0].reasons[0]).toMatchObject({ type: "specialty", specialty: "热成像检测", skills: ["热成像仪"] });
    expect(out.body.uncovered).toEqual([]);
  });

  test("reasons are data: which result, with its status and adopters, shows which wanted skill", async () => {
    const top = (await api("dairy-coldstore-monitoring")).body.candidates[0];
    const result = top.reasons.find((r) => r.type === "result");
    expect(result?.result).toEqual({ slug: "coldstore-wireless-alarm", title: "冷库无线测温与超温报警系统", status: "transferred", adopters: 3 });
    expect(result?.skills).toContain("超温报警");
    expect(top.results[0]).toEqual({ slug: "coldstore-wireless-alarm", title: "冷库无线测温与超温报警系统" });
    // every wanted skill is in one reason, and only those the studio shows
    const skills = top.reasons.flatMap((r) => r.skills ?? []);
    expect(skills.sort()).toEqual(["无线传感", "温度监测", "超温报警"].sort());
    expect(top.reasons.find((r) => r.type === "industry")).toMatchObject({ relation: "related", industry: "cold-chain" });
    // the piloting result that shows nothing the need asks for is not cited
    expect(top.results.map((r) => r.slug)).not.toContain("reefer-truck-logger");
  });

  test("a specialty and a person's honour are named when they are the evidence", async () => {
    const top = (await api("dairy-package-vision")).body.candidates[0];
    expect(top.slug).toBe("weaving-vision");
    expect(
      top.reasons.some(
        (r) => (r.type === "specialty" && r.specialty === "机器视觉") || (r.type === "result" && r.result?.slug === "fabric-defect-vision" && r.skills?.includes("机器视觉")),
      ),
    ).toBe(true);
    expect(top.reasons.find((r) => r.type === "honour")).toMatchObject({ person: { name: "温晓梅", role: "leader" }, honours: ["全国五一劳动奖章"] });
  });

  test("reason text is in the request's language, the data the same in both", async () => {
    const zh = (await api("dairy-coldstore-monitoring", { language: "zh-CN,zh;q=0.9" })).body.candidates[0];
    const en = (await api("dairy-coldstore-monitoring", { language: "en-US,en;q=0.8" })).body.candidates[0];
    const strip = (c: ApiCandidate) => c.reasons.map(({ text: _, ...data }) => data);
    expect(strip(en)).toEqual(strip(zh));
    const zhResult = zh.reasons.find((r) => r.type === "result")!.text;
    const enResult = en.reasons.find((r) => r.type === "result")!.text;
    expect(zhResult).toContain("《冷库无线测温与超温报警系统》");
    expect(zhResult).toContain("已转化推广，3家单位采用");
    expect(enResult).toContain("“冷库无线测温与超温报警系统”");
    expect(enResult).toContain("Transferred, adopted by 3 organisations");
    expect(en.reasons.find((r) => r.type === "industry")!.text).toBe("Related industry: Cold-chain logistics");
    expect(zh.reasons.find((r) => r.type === "industry")!.text).toBe("相关行业：冷链物流");
    for (const r of en.reasons) expect(r.text).not.toMatch(/[：，（）]|专长|成果|行业/);
  });

  test("a partner that shows no wanted skill is listed below the fit, naming the place that reads like the need", async () => {
    const zh = (await api("dairy-thermal-camera", { language: "zh-CN" })).body.candidates;
    const en = (await api("dairy-thermal-camera", { language: "en" })).body.candidates;
    expect(zh[0].slug).toBe("chem-leak");
    const partner = en.find((c) => c.slug === "weaving-vision");
    expect(partner, "the partner is listed").toBeDefined();
    expect(partner!.score).toBeLessThan(en[0].score);
    const reason = partner!.reasons[0];
    expect(reason).toMatchObject({ type: "result", similar: true, skills: [], result: { slug: "fabric-defect-vision" } });
    expect(reason.text).toBe("Result “布面瑕疵在线视觉检测系统” (In use, adopted by 1 organisation) reads like the need's description");
    expect(zh.find((c) => c.slug === "weaving-vision")!.reasons[0].text).toContain("与需求的描述相近");
  });

  test("a studio's new specialties count at the next request", async () => {
    expect((await api("cold-livestream")).body.candidates).toEqual([]);
    const before = await db.studio.findUniqueOrThrow({ where: { slug: "sensor-lab" } });
    await db.studio.update({ where: { id: before.id }, data: { specialties: JSON.stringify([...JSON.parse(before.specialties), "直播运营", "跨境电商"]) } });
    try {
      const out = await api("cold-livestream");
      expect(out.body.candidates.map((c) => c.slug)).toEqual(["sensor-lab"]);
      expect(out.body.uncovered).toEqual([]);
    } finally {
      await db.studio.update({ where: { id: before.id }, data: { specialties: before.specialties } });
    }
    expect((await api("cold-livestream")).body.candidates).toEqual([]);
  });

  test("an unknown need is a 404 JSON error", async () => {
    const out = await api("no-such-need");
    expect(out.status).toBe(404);
    expect(out.body.error).toMatchObject({ code: "not_found", field: "slug" });
  });

  test("cites only results the visitor may see", async () => {
    await db.result.update({ where: { slug: "coldstore-wireless-alarm" }, data: { visibility: "alliance" } });
    try {
      const cited = (c: ApiCandidate | undefined) => [...(c?.results ?? []).map((r) => r.slug), ...(c?.reasons ?? []).flatMap((r) => (r.result ? [r.result.slug] : []))];
      const anonymous = (await api("dairy-coldstore-monitoring")).body.candidates;
      expect(anonymous.flatMap(cited)).not.toContain("coldstore-wireless-alarm");
      // the studio's specialties still show the skills, so it stays a candidate without the hidden result
      expect(anonymous[0]?.slug).toBe("coldchain-monitoring");
      const coordinator = await createUser({ role: "coordinator" });
      const asCoordinator = (await api("dairy-coldstore-monitoring", { session: await sessionCookie(coordinator.id) })).body.candidates;
      expect(cited(asCoordinator[0])).toContain("coldstore-wireless-alarm");
    } finally {
      await db.result.update({ where: { slug: "coldstore-wireless-alarm" }, data: { visibility: "public" } });
    }
  });
});

describe("the need page", () => {
  const page = async (session?: string) => {
    const data = (await needPage({ request: getRequest("/needs/dairy-coldstore-monitoring", session), params: { slug: "dairy-coldstore-monitoring" }, context: {} })) as {
      candidates: { list: ApiCandidate[]; uncovered: string[] } | null;
    };
    return data.candidates;
  };

  test("shows coordinators and site admins the candidates, and nobody else", async () => {
    const coordinator = await createUser({ role: "coordinator" });
    const admin = await createUser({ role: "admin" });
    const member = await createUser({ studio: "coldchain-monitoring", studioRole: "admin" });
    expect((await page(await sessionCookie(coordinator.id)))?.list[0].slug).toBe("coldchain-monitoring");
    expect((await page(await sessionCookie(admin.id)))?.list[0].slug).toBe("coldchain-monitoring");
    expect(await page(await sessionCookie(member.id))).toBeNull();
    expect(await page()).toBeNull();
  });
});

describe("proof", () => {
  test("a result in use puts its studio above the same result still piloting", async () => {
    const studio = (slug: string, enterprise: string) =>
      md(
        {
          name: `${enterprise}焊接工作室`,
          enterprise,
          leader: `${slug}负责人`,
          level: "enterprise",
          industry: "chemicals",
          sector: "traditional",
          specialties: ["压力管道"],
          founded: 2019,
        },
        "工作室负责管道安装。",
      );
    const result = (slug: string, status: string) =>
      md(
        {
          title: "不锈钢管道氩弧焊背面保护工艺",
          studio: slug,
          kind: "process",
          industry: "chemicals",
          tags: ["氩弧焊", "背面保护"],
          benefits: [],
          status,
          adopters: [],
          year: 2024,
        },
        "焊缝背面充氩保护，一次合格率提高。",
      );
    const dir = writeFiles(tempDir("candidates-proof-"), {
      "studios/weld-piloting.md": studio("weld-piloting", "甲方管道安装有限公司"),
      "studios/weld-in-use.md": studio("weld-in-use", "乙方管道安装有限公司"),
      "results/weld-piloting-argon.md": result("weld-piloting", "piloting"),
      "results/weld-in-use-argon.md": result("weld-in-use", "in-use"),
      "needs/argon-backing.md": md(
        { title: "不锈钢管道焊缝背面保护", enterprise: "洛川乳业有限公司", industry: "food", tags: ["氩弧焊", "背面保护"], status: "open" },
        "乳品管道焊缝背面氧化。",
      ),
    });
    const report = await importContent(db, dir);
    expect(report.ok).toBe(true);
    const out = await api("argon-backing");
    expect(out.body.candidates.map((c) => c.slug).slice(0, 2)).toEqual(["weld-in-use", "weld-piloting"]);
    expect(out.body.candidates[0].score).toBeGreaterThan(out.body.candidates[1].score);
    expect(out.body.candidates[0].reasons[0]).toMatchObject({ type: "result", result: { slug: "weld-in-use-argon", status: "in-use" } });
  });
});

describe("partners", () => {
  test("once the need has a real fit, a studio that shows one wanted skill in full is listed after it, with the result that shows it", async () => {
    // 传感器应用工作室 scores far below the cold-chain studio, but its piloting terminal shows 无线传感
    const out = await api("dairy-coldstore-monitoring");
    expect(out.body.candidates.map((c) => c.slug)).toEqual(["coldchain-monitoring", "sensor-lab"]);
    const partner = out.body.candidates[1];
    expect(partner.score).toBeLessThan(out.body.candidates[0].score);
    expect(partner.reasons[0]).toMatchObject({ type: "result", result: { slug: "iot-th-terminal", status: "piloting" }, skills: ["无线传感"] });
    expect(partner.results).toEqual([{ slug: "iot-th-terminal", title: "物联网温湿度采集终端" }]);
  });

  test("among studios that show the wanted skills equally, the one whose work describes the problem as the need words it comes first", async () => {
    const studio = (name: string, enterprise: string, body: string) =>
      md(
        { name, enterprise, leader: `${name}负责人`, level: "enterprise", industry: "electronics", sector: "leading", specialties: ["伺服驱动", "运动控制"], founded: 2016 },
        body,
      );
    const dir = writeFiles(tempDir("candidates-words-"), {
      // alphabetically first, so a tie broken by slug would put it first
      "studios/aa-servo.md": studio("甲伺服应用工作室", "甲方自动化有限公司", "工作室长期为注塑机和冲床做电气维修。"),
      "studios/zz-servo.md": studio("乙伺服应用工作室", "乙方自动化有限公司", "工作室调试过多台计量泵，解决滴漏和计量误差，灌装精度稳定在千分之二以内。"),
      "needs/filler-servo.md": md(
        { title: "伺服驱动运动控制改造", enterprise: "洛川乳业有限公司", industry: "food", tags: ["伺服驱动", "运动控制"], status: "open" },
        "灌装机的计量泵经常滴漏，计量误差大，灌装精度达不到要求。",
      ),
    });
    const report = await importContent(db, dir);
    expect(report.ok).toBe(true);
    const out = await api("filler-servo");
    expect(out.body.candidates.map((c) => c.slug).slice(0, 2)).toEqual(["zz-servo", "aa-servo"]);
    expect(out.body.candidates[0].score).toBeGreaterThan(out.body.candidates[1].score);
    // both are still listed with the specialty that shows the skills
    for (const c of out.body.candidates.slice(0, 2)) expect(c.reasons[0]).toMatchObject({ type: "specialty" });
  });
});

describe("a need that lists many skills", () => {
  test("a studio showing two of them in full is a real fit, though the other four nobody covers pull its score down", async () => {
    const dir = writeFiles(tempDir("candidates-many-skills-"), {
      "needs/dairy-energy-bundle.md": md(
        {
          title: "冷库与能源管理综合提升",
          enterprise: "洛川乳业有限公司",
          industry: "food",
          tags: ["温度监测", "超温报警", "碳足迹核算", "能源审计", "光伏运维", "余热回收"],
          status: "open",
        },
        "冷库要实时监测和超温报警，工厂还要做能源审计、碳足迹核算、屋顶光伏运维和余热回收。",
      ),
    });
    expect((await importContent(db, dir)).ok).toBe(true);
    const out = await api("dairy-energy-bundle");
    expect(out.body.candidates[0]?.slug).toBe("coldchain-monitoring");
    expect(out.body.candidates[0].score).toBeLessThan(0.3);
    expect(out.body.candidates[0].reasons[0]).toMatchObject({ type: "result", result: { slug: "coldstore-wireless-alarm" }, skills: ["温度监测", "超温报警"] });
    expect(out.body.uncovered).toEqual(["碳足迹核算", "能源审计", "光伏运维", "余热回收"]);
  });
});

describe("many fitting studios", () => {
  test("the list stops at 10", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      files[`studios/coldstore-${i}.md`] = md(
        {
          name: `冷库温控工作室${i}`,
          enterprise: `第${i}冷藏有限公司`,
          leader: `周${i}`,
          level: "enterprise",
          industry: "cold-chain",
          sector: "emerging",
          specialties: ["温度监测", "超温报警", "无线传感"],
          founded: 2018,
        },
        "工作室负责冷库温度监测。",
      );
    }
    const report = await importContent(db, writeFiles(tempDir("candidates-many-"), files));
    expect(report.ok).toBe(true);
    const out = await api("dairy-coldstore-monitoring");
    expect(out.body.candidates).toHaveLength(10);
  });
});

describe("the evidence index at scale", () => {
  const databaseFile = () => process.env.DATABASE_URL!.replace(/^file:/, "");

  test("a rebuild keeps every unchanged studio's evidence and ends where a build from scratch does", async () => {
    const before = await evidenceIndex(db);
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: "sensor-lab" } });
    await db.studio.update({ where: { id: studio.id }, data: { specialties: JSON.stringify([...JSON.parse(studio.specialties), "变频调速"]) } });
    try {
      const after = await evidenceIndex(db);
      expect(after).not.toBe(before);
      for (const s of after.studios) {
        const old = before.studios.find((x) => x.id === s.id);
        // the changed studio is built again, every other one kept as it was
        if (s.slug === "sensor-lab") expect(s).not.toBe(old);
        else expect(s, s.slug).toBe(old);
      }
      expect(after.studios.find((s) => s.slug === "sensor-lab")!.units.some((u) => u.kind === "specialty" && u.label === "变频调速")).toBe(true);
      // the term statistics and inverted lists agree with a fresh client's build from scratch
      const other = createDb(databaseFile());
      try {
        const fresh = await evidenceIndex(other);
        expect(fresh).not.toBe(after);
        expect(new Map([...after.df].sort())).toEqual(new Map([...fresh.df].sort()));
        expect(new Map([...after.gramDf].sort())).toEqual(new Map([...fresh.gramDf].sort()));
        expect(after.lookup.terms.get("变频")).toEqual(fresh.lookup.terms.get("变频"));
        expect(after.studios.map((s) => s.slug)).toEqual(fresh.studios.map((s) => s.slug));
      } finally {
        await other.$disconnect();
      }
    } finally {
      await db.studio.update({ where: { id: studio.id }, data: { specialties: studio.specialties } });
    }
  });

  test("when builds are slow, the previous index answers while the new one builds, then the new one", async () => {
    const other = createDb(databaseFile());
    try {
      const first = await evidenceIndex(other, { slowBuildMs: 0 });
      const studio = await db.studio.findUniqueOrThrow({ where: { slug: "weaving-vision" } });
      await db.studio.update({ where: { id: studio.id }, data: { name: "纺织视觉检测工作室（新名）" } });
      try {
        // the change is not waited for: the index that was built answers at once
        const during = await evidenceIndex(other, { slowBuildMs: 0 });
        expect(during).toBe(first);
        let now = during;
        for (let i = 0; i < 100 && now === first; i++) {
          await new Promise((r) => setTimeout(r, 20));
          now = await evidenceIndex(other, { slowBuildMs: 0 });
        }
        expect(now).not.toBe(first);
        expect(now.studios.find((s) => s.slug === "weaving-vision")!.name).toBe("纺织视觉检测工作室（新名）");
      } finally {
        await db.studio.update({ where: { id: studio.id }, data: { name: studio.name } });
      }
    } finally {
      await other.$disconnect();
    }
  });
});
