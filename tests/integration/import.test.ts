import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { formatReport, importContent, type ImportReport } from "~/models/content-import.server";
import type { Db } from "~/utils/db.server";
import { freshDb } from "../setup/db";
import {
  copyOfSeedContent,
  industry,
  md,
  need,
  needBody,
  patent,
  patentBody,
  removeTempDirs,
  result,
  resultBody,
  seedFiles,
  seedIndustries,
  studio,
  studioBody,
  taxonomy,
  tempDir,
  writeFiles,
} from "../fixtures/content";

const open: Db[] = [];
function database(): Db {
  const { db } = freshDb();
  open.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.$disconnect()));
});
afterAll(removeTempDirs);

/** Row counts of every table the import writes. */
async function tableCounts(db: Db) {
  const [industries, enterprises, studios, people, results, patents, links, needs, activities] = await Promise.all([
    db.industry.count(),
    db.enterprise.count(),
    db.studio.count(),
    db.person.count(),
    db.result.count(),
    db.patent.count(),
    db.resultPatent.count(),
    db.need.count(),
    db.activity.count(),
  ]);
  return { industries, enterprises, studios, people, results, patents, links, needs, activities };
}

/** Every imported row with its change markers, to prove a re-import rewrote nothing. */
async function snapshot(db: Db) {
  const pick = { slug: true, updatedAt: true, version: true } as const;
  return {
    studios: await db.studio.findMany({ select: pick, orderBy: { slug: "asc" } }),
    results: await db.result.findMany({ select: pick, orderBy: { slug: "asc" } }),
    patents: await db.patent.findMany({ select: pick, orderBy: { slug: "asc" } }),
    needs: await db.need.findMany({ select: pick, orderBy: { slug: "asc" } }),
    enterprises: await db.enterprise.findMany({ select: { slug: true, updatedAt: true }, orderBy: { slug: "asc" } }),
    industries: await db.industry.findMany({ orderBy: { key: "asc" } }),
    people: await db.person.findMany({ select: { id: true, name: true }, orderBy: { id: "asc" } }),
  };
}

const seed = {
  industries: seedIndustries(),
  studios: seedFiles("studios"),
  results: seedFiles("results"),
  patents: seedFiles("patents"),
  needs: seedFiles("needs"),
};
const seedEnterprises = new Set([...seed.studios, ...seed.needs].map((f) => f.front.enterprise as string));

function expectOk(report: ImportReport) {
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
}

describe("importing the seed content", () => {
  test("creates exactly the records the folder holds", async () => {
    const db = database();
    const report = await importContent(db, "content");
    expectOk(report);
    expect(seed.studios).toHaveLength(28);
    expect(report.counts).toEqual({
      industries: { created: seed.industries.length, updated: 0, unchanged: 0 },
      studios: { created: seed.studios.length, updated: 0, unchanged: 0 },
      patents: { created: seed.patents.length, updated: 0, unchanged: 0 },
      results: { created: seed.results.length, updated: 0, unchanged: 0 },
      needs: { created: seed.needs.length, updated: 0, unchanged: 0 },
      // the people/ files describe people their studio files name: created with the studio, then updated
      people: { created: 0, updated: seedFiles("people").length, unchanged: 0 },
    });
    const members = (f: (typeof seed.studios)[number]) => ((f.front.members ?? []) as string[]).filter((m) => m !== f.front.leader).length;
    expect(await tableCounts(db)).toMatchObject({
      industries: seed.industries.length,
      enterprises: seedEnterprises.size,
      studios: seed.studios.length,
      people: seed.studios.reduce((n, f) => n + 1 + members(f), 0),
      results: seed.results.length,
      patents: seed.patents.length,
      links: seed.results.reduce((n, f) => n + ((f.front.patents ?? []) as string[]).length, 0),
      needs: seed.needs.length,
      activities: seed.studios.length + seed.patents.length + seed.results.length + seed.needs.length + seedFiles("people").length,
    });
  });

  test("stores each studio as its file says", async () => {
    const db = database();
    expectOk(await importContent(db, "content"));
    const file = seed.studios.find((f) => f.slug === "xu-xin")!;
    const s = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" }, include: { enterprise: true, people: true } });
    expect(s).toMatchObject({
      name: file.front.name,
      level: file.front.level,
      industryKey: file.front.industry,
      sector: file.front.sector,
      founded: file.front.founded,
    });
    expect(s.enterprise.name).toBe(file.front.enterprise);
    expect(s.enterprise.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(JSON.parse(s.specialties)).toEqual(file.front.specialties);
    expect(s.people.find((p) => p.role === "leader")?.name).toBe(file.front.leader);
    expect(s.bodyText).toContain("已成功实施并完成创新项目13项");
  });

  test("a second import reports everything unchanged and rewrites no row", async () => {
    const db = database();
    expectOk(await importContent(db, "content"));
    const before = await snapshot(db);
    const activities = await db.activity.count();
    const again = await importContent(db, "content");
    expectOk(again);
    expect(again.counts).toEqual({
      industries: { created: 0, updated: 0, unchanged: seed.industries.length },
      studios: { created: 0, updated: 0, unchanged: seed.studios.length },
      patents: { created: 0, updated: 0, unchanged: seed.patents.length },
      results: { created: 0, updated: 0, unchanged: seed.results.length },
      needs: { created: 0, updated: 0, unchanged: seed.needs.length },
      people: { created: 0, updated: 0, unchanged: seedFiles("people").length },
    });
    expect(await snapshot(db)).toEqual(before);
    expect(await db.activity.count()).toBe(activities);
  });

  test("editing one result's title updates exactly that result", async () => {
    const dir = copyOfSeedContent();
    const db = database();
    expectOk(await importContent(db, dir));
    const before = await snapshot(db);

    const file = path.join(dir, "results", "bms-active-balancing-algorithm.md");
    writeFileSync(file, readFileSync(file, "utf8").replace("title: 储能电池簇主动均衡BMS控制算法", "title: 储能电池簇主动均衡控制算法（第二版）"));
    const report = await importContent(db, dir);
    expectOk(report);
    expect(report.counts.results).toEqual({ created: 0, updated: 1, unchanged: seed.results.length - 1 });
    for (const kind of ["industries", "studios", "patents", "needs"] as const) {
      expect(report.counts[kind].updated + report.counts[kind].created).toBe(0);
    }

    const edited = await db.result.findUniqueOrThrow({ where: { slug: "bms-active-balancing-algorithm" } });
    expect(edited.title).toBe("储能电池簇主动均衡控制算法（第二版）");
    expect(edited.version).toBe(2);
    const after = await snapshot(db);
    expect(after.results.filter((r) => r.slug !== edited.slug)).toEqual(before.results.filter((r) => r.slug !== edited.slug));
    expect(after.studios).toEqual(before.studios);
    // its patent link survives the update
    expect(await db.resultPatent.count({ where: { resultId: edited.id } })).toBe(1);
  });
});

/** A small folder in the contract format that the app has never seen. */
function unseenFolder(extra: Record<string, string> = {}) {
  return writeFiles(tempDir(), {
    "taxonomy.yaml": taxonomy([
      industry({ key: "precision-machining", zh: "精密加工", en: "Precision machining", sector: "leading", related: ["new-energy-vehicles"] }),
      industry({ key: "new-energy-vehicles", zh: "新能源汽车", en: "New energy vehicles", sector: "emerging", related: ["precision-machining"] }),
    ]),
    "studios/luohe-grinding.md": md(studio({ enterprise: "洛河精密机床有限公司", industry: "precision-machining", members: ["李娜", "王建国", "赵磊"] }), studioBody),
    "studios/songshan-battery.md": md(
      studio({
        name: "电池包装配工艺创新工作室",
        enterprise: "嵩山新能源汽车股份有限公司",
        leader: "刘芳",
        level: "enterprise",
        industry: "new-energy-vehicles",
        sector: "emerging",
        specialties: ["电池包装配", "气密检测"],
        founded: 2020,
        honours: [],
        needs: [],
      }),
      "刘芳工作室负责电池包装配线的工艺改进。",
    ),
    "patents/spindle-temperature-compensation.md": md(patent({ studio: "luohe-grinding" }), patentBody),
    "results/spindle-thermal.md": md(result({ studio: "luohe-grinding", industry: "precision-machining", patents: ["ZL202120456789.1"] }), resultBody),
    "results/pack-airtight-test.md": md(
      result({
        title: "电池包气密检测快速判定方法",
        studio: "songshan-battery",
        industry: "new-energy-vehicles",
        kind: "process",
        tags: ["气密检测"],
        benefits: ["单包检测时间由6分钟缩短到2分钟"],
        status: "piloting",
        adopters: [],
        year: 2024,
      }),
      "用压降曲线斜率提前判定泄漏，缩短保压时间。",
    ),
    "needs/motor-housing-deburring.md": md(need({ title: "电机壳体去毛刺自动化", enterprise: "郑州中铸机械有限公司", industry: "precision-machining" }), needBody),
    ...extra,
  });
}

describe("importing a folder the app has never seen", () => {
  test("brings every record in, creating enterprises by name with ASCII slugs", async () => {
    const db = database();
    const report = await importContent(db, unseenFolder());
    expectOk(report);
    expect(report.counts).toEqual({
      industries: { created: 2, updated: 0, unchanged: 0 },
      studios: { created: 2, updated: 0, unchanged: 0 },
      patents: { created: 1, updated: 0, unchanged: 0 },
      results: { created: 2, updated: 0, unchanged: 0 },
      needs: { created: 1, updated: 0, unchanged: 0 },
      people: { created: 0, updated: 0, unchanged: 0 },
    });
    expect(await tableCounts(db)).toEqual({
      industries: 2,
      enterprises: 3,
      studios: 2,
      people: 1 + 2 + 1,
      results: 2,
      patents: 1,
      links: 1,
      needs: 1,
      activities: 6,
    });

    const enterprises = await db.enterprise.findMany({ orderBy: { name: "asc" } });
    expect(enterprises.map((e) => e.name).sort()).toEqual(["嵩山新能源汽车股份有限公司", "洛河精密机床有限公司", "郑州中铸机械有限公司"].sort());
    for (const e of enterprises) expect(e.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(enterprises.map((e) => e.slug)).size).toBe(3);

    const grinding = await db.studio.findUniqueOrThrow({ where: { slug: "luohe-grinding" }, include: { enterprise: true, people: { orderBy: { sortOrder: "asc" } } } });
    expect(grinding.enterprise.name).toBe("洛河精密机床有限公司");
    // the leader is not repeated as a member
    expect(grinding.people.map((p) => [p.name, p.role])).toEqual([
      ["王建国", "leader"],
      ["李娜", "member"],
      ["赵磊", "member"],
    ]);

    const linked = await db.result.findUniqueOrThrow({ where: { slug: "spindle-thermal" }, include: { patents: { include: { patent: true } }, studio: true } });
    expect(linked.studio.slug).toBe("luohe-grinding");
    expect(linked.patents.map((l) => l.patent.number)).toEqual(["ZL202120456789.1"]);
    const other = await db.result.findUniqueOrThrow({ where: { slug: "pack-airtight-test" }, include: { patents: true } });
    expect(other.patents).toEqual([]);

    const p = await db.patent.findUniqueOrThrow({ where: { slug: "spindle-temperature-compensation" } });
    expect(p).toMatchObject({ number: "ZL202120456789.1", filedOn: "2021-03-15", grantedOn: "2021-11-02", status: "granted" });
    const n = await db.need.findUniqueOrThrow({ where: { slug: "motor-housing-deburring" }, include: { enterprise: true } });
    expect(n.enterprise.name).toBe("郑州中铸机械有限公司");
    const ind = await db.industry.findUniqueOrThrow({ where: { key: "new-energy-vehicles" } });
    expect(ind).toMatchObject({ nameZh: "新能源汽车", sector: "emerging", related: '["precision-machining"]' });
  });

  test("an enterprise named in both a studio and a need is one enterprise", async () => {
    const db = database();
    const dir = unseenFolder({
      "needs/motor-housing-deburring.md": md(need({ title: "电机壳体去毛刺自动化", enterprise: "洛河精密机床有限公司", industry: "precision-machining" }), needBody),
    });
    expectOk(await importContent(db, dir));
    expect(await db.enterprise.count()).toBe(2);
    const e = await db.enterprise.findUniqueOrThrow({ where: { name: "洛河精密机床有限公司" }, include: { studios: true, needs: true } });
    expect([e.studios.length, e.needs.length]).toEqual([1, 1]);
  });

  test("one broken file among good ones writes nothing and names the file and field", async () => {
    const db = database();
    const dir = unseenFolder({ "results/broken-status.md": md(result({ studio: "luohe-grinding", industry: "precision-machining", status: "finished" }), resultBody) });
    const report = await importContent(db, dir);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ file: "results/broken-status.md", field: "status", message: expect.stringContaining('"in-use"') }]);
    expect(report.counts.studios).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(await tableCounts(db)).toEqual({ industries: 0, enterprises: 0, studios: 0, people: 0, results: 0, patents: 0, links: 0, needs: 0, activities: 0 });
  });

  test("a broken file does not half-update a database that already has content", async () => {
    const db = database();
    expectOk(await importContent(db, unseenFolder()));
    const before = await snapshot(db);
    const dir = unseenFolder({
      "studios/luohe-grinding.md": md(studio({ name: "精密磨削技能大师工作室（更名）", enterprise: "洛河精密机床有限公司", industry: "precision-machining" }), studioBody),
      "needs/bad-body.md": md(need(), "<b>加急</b>"),
    });
    const report = await importContent(db, dir);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ file: "needs/bad-body.md", field: "body", message: "raw HTML is not allowed in Markdown bodies" }]);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("references", () => {
  test("each unknown reference is named with file and field, and nothing is written", async () => {
    const db = database();
    const dir = unseenFolder({
      "results/unknown-studio.md": md(result({ studio: "no-such-studio", industry: "precision-machining" }), resultBody),
      "results/unknown-industry.md": md(result({ studio: "luohe-grinding", industry: "space-mining" }), resultBody),
      "results/unknown-patent.md": md(result({ studio: "luohe-grinding", industry: "precision-machining", patents: ["ZL202120456789.1", "ZL209999999999.9"] }), resultBody),
      "patents/orphan-patent.md": md(patent({ number: "ZL202230001111.5", studio: "ghost-studio" }), patentBody),
      "patents/zz-duplicate-number.md": md(patent({ studio: "songshan-battery", title: "一种电池包气密检测工装" }), patentBody),
      "studios/unknown-industry-studio.md": md(studio({ industry: "quantum-computing" }), studioBody),
      "needs/unknown-industry-need.md": md(need({ industry: "deep-sea" }), needBody),
    });
    const report = await importContent(db, dir);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { file: "results/unknown-studio.md", field: "studio", message: 'unknown studio "no-such-studio" (no studios/no-such-studio.md)' },
        { file: "results/unknown-industry.md", field: "industry", message: 'unknown industry "space-mining" (not in taxonomy.yaml)' },
        { file: "results/unknown-patent.md", field: "patents[1]", message: 'unknown patent "ZL209999999999.9" (neither a patent number nor a patents/ file)' },
        { file: "patents/orphan-patent.md", field: "studio", message: 'unknown studio "ghost-studio" (no studios/ghost-studio.md)' },
        { file: "patents/zz-duplicate-number.md", field: "number", message: "ZL202120456789.1 already belongs to patents/spindle-temperature-compensation.md" },
        { file: "studios/unknown-industry-studio.md", field: "industry", message: 'unknown industry "quantum-computing" (not in taxonomy.yaml)' },
        { file: "needs/unknown-industry-need.md", field: "industry", message: 'unknown industry "deep-sea" (not in taxonomy.yaml)' },
      ]),
    );
    expect(report.problems).toHaveLength(7);
    expect((await tableCounts(db)).studios).toBe(0);
  });

  test("a result may name its patent by the patent file's slug, and a taxonomy may be marked illustrative", async () => {
    const db = database();
    const dir = unseenFolder({
      "results/by-slug.md": md(result({ studio: "luohe-grinding", industry: "precision-machining", patents: ["spindle-temperature-compensation"] }), resultBody),
    });
    writeFileSync(path.join(dir, "taxonomy.yaml"), readFileSync(path.join(dir, "taxonomy.yaml"), "utf8") + "illustrative: true\n");
    expectOk(await importContent(db, dir));
    const r = await db.result.findUniqueOrThrow({ where: { slug: "by-slug" }, include: { patents: { include: { patent: true } } } });
    expect(r.patents.map((p) => p.patent.slug)).toEqual(["spindle-temperature-compensation"]);
  });

  test("a patent number already stored under another file is refused", async () => {
    const db = database();
    expectOk(await importContent(db, "content"));
    const dir = writeFiles(tempDir(), {
      "patents/copied-bms-patent.md": md(patent({ number: "ZL202010100079.2", studio: "lvneng-bms" }), patentBody),
    });
    const report = await importContent(db, dir);
    expect(report.problems).toEqual([
      { file: "patents/copied-bms-patent.md", field: "number", message: "ZL202010100079.2 already belongs to patents/bms-active-balancing-method-patent.md" },
    ]);
  });

  test("a folder of results only resolves studios, industries and patents against the database", async () => {
    const db = database();
    expectOk(await importContent(db, "content"));
    const dir = writeFiles(tempDir(), {
      "results/metro-door-fault-handbook.md": md(
        result({ title: "地铁车门故障处置口袋书", studio: "xu-xin", industry: "rail-transit", kind: "training", patents: ["ZL202010100079.2"] }),
        "把车门常见故障的现象、原因和处置步骤整理成口袋书，司机随身携带。",
      ),
    });
    const report = await importContent(db, dir);
    expectOk(report);
    expect(report.counts.results).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.counts.studios).toEqual({ created: 0, updated: 0, unchanged: 0 });
    const r = await db.result.findUniqueOrThrow({ where: { slug: "metro-door-fault-handbook" }, include: { studio: true, patents: { include: { patent: true } } } });
    expect(r.studio.slug).toBe("xu-xin");
    expect(r.patents.map((l) => l.patent.number)).toEqual(["ZL202010100079.2"]);
    expect(await db.result.count()).toBe(seed.results.length + 1);
  });

  test("without a taxonomy, an industry unknown to the database is still refused", async () => {
    const db = database();
    expectOk(await importContent(db, "content"));
    const dir = writeFiles(tempDir(), {
      "needs/moon-base.md": md(need({ industry: "lunar-construction" }), needBody),
    });
    const report = await importContent(db, dir);
    expect(report.problems).toEqual([{ file: "needs/moon-base.md", field: "industry", message: 'unknown industry "lunar-construction" (not in taxonomy.yaml)' }]);
  });
});

describe("formatReport", () => {
  test("a refused import lists one `file: field: message` line per problem", async () => {
    const db = database();
    const dir = unseenFolder({
      "studios/Bad_Name.md": md(studio(), studioBody),
      "results/no-studio.md": md(result({ studio: "nobody", industry: "precision-machining" }), resultBody),
    });
    const text = formatReport(await importContent(db, dir));
    expect(text.split("\n")).toEqual([
      "Import refused: 2 problem(s); nothing was written.",
      "studios/Bad_Name.md: slug: file name must be a slug of lowercase letters, digits and dashes",
      'results/no-studio.md: studio: unknown studio "nobody" (no studios/nobody.md)',
    ]);
  });

  test("a done import gives created / updated / unchanged per kind", async () => {
    const db = database();
    const text = formatReport(await importContent(db, unseenFolder()));
    const lines = text.split("\n");
    expect(lines[0]).toBe("Import done.");
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/))).toEqual([
      ["industries", "2", "created", "0", "updated", "0", "unchanged"],
      ["studios", "2", "created", "0", "updated", "0", "unchanged"],
      ["patents", "1", "created", "0", "updated", "0", "unchanged"],
      ["results", "2", "created", "0", "updated", "0", "unchanged"],
      ["needs", "1", "created", "0", "updated", "0", "unchanged"],
      ["people", "0", "created", "0", "updated", "0", "unchanged"],
    ]);
  });

  test("a folder that does not exist is refused with its name", async () => {
    const db = database();
    const text = formatReport(await importContent(db, "/no/such/content"));
    expect(text).toBe("Import refused: 1 problem(s); nothing was written.\n/no/such/content: -: is not a folder");
  });
});
