// Spreadsheets (台账): the list exports and the coordinators' .xlsx import, through the routes as
// Remix calls them. An exported workbook imports back as unchanged; one bad row names its sheet,
// row and column and nothing is written; a good workbook is previewed, then confirmed in one
// transaction with an Activity row; exports hold only what the reader may see.
import ExcelJS from "exceljs";
import { existsSync, readdirSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { stagingDir } from "~/models/sheets/import.server";
import * as importRoute from "~/routes/admin.import";
import * as templateRoute from "~/routes/admin.import_.template";
import * as exportRoute from "~/routes/export.$file";
import * as peopleRoute from "~/routes/people._index";
import { createHonour, setHonourRetired } from "~/models/honour.server";
import { setPersonHonours } from "~/models/person.server";
import { RESULTS_PER_PAGE } from "~/models/result.server";
import { STUDIOS_PER_PAGE } from "~/models/studio.server";
import { listNeedsPage } from "~/models/need-loop.server";
import { db } from "~/utils/db.server";
import { needsWorkbook, peopleWorkbook, studiosWorkbook } from "../fixtures/sheets";
import { buildDocument } from "~/models/search/documents.server";
import { createUser, getRequest, postRequest, sessionCookie, settle, type Outcome } from "../setup/auth";

let coordinator: string;
let outsider: string;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  coordinator = await sessionCookie((await createUser({ role: "coordinator", name: "表格协调人" })).id);
  outsider = await sessionCookie((await createUser({ studio: "metro-signal", studioRole: "admin" })).id);
});

/** A GET of an export as Remix calls the loader; the answer's bytes. */
async function download(file: string, session: string | null, query = "") {
  const res = (await exportRoute.loader({ request: getRequest(`/export/${file}${query}`, session), params: { file }, context: {} })) as Response;
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function workbook(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

/** Every row of a sheet as arrays of cell text, the header first. */
function rowsOf(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? "" : String(v)))));
  return out;
}

/** A multipart upload of a workbook to /admin/import, as the page's form sends it. */
async function upload(
  bytes: Uint8Array | Buffer,
  session: string,
  name = "台账.xlsx",
  type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
): Promise<Outcome> {
  const form = new FormData();
  form.set("intent", "upload");
  form.set("file", new File([new Uint8Array(bytes)], name, { type }));
  const request = await postRequest("/admin/import", form, { session });
  return settle(() => importRoute.action({ request, params: {}, context: {} }));
}

async function confirm(token: string, session: string): Promise<Outcome> {
  const request = await postRequest("/admin/import", { intent: "confirm", token }, { session });
  return settle(() => importRoute.action({ request, params: {}, context: {} }));
}

async function counts() {
  return { studios: await db.studio.count(), people: await db.person.count(), needs: await db.need.count(), activities: await db.activity.count() };
}

describe("an exported workbook imports back to the same records", () => {
  test("studios, people and needs exported by a coordinator preview as all unchanged", async () => {
    const book = new ExcelJS.Workbook();
    for (const list of ["studios", "people", "needs"]) {
      const { res, bytes } = await download(`${list}.xlsx`, coordinator);
      expect(res.headers.get("Content-Type")).toContain("spreadsheetml");
      const ws = (await workbook(bytes)).worksheets[0];
      const copy = book.addWorksheet(ws.name);
      ws.eachRow((row) => copy.addRow((row.values as ExcelJS.CellValue[]).slice(1)));
    }
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const before = await counts();
    const out = await upload(bytes, coordinator);
    expect(out.status, JSON.stringify(out.data)).toBe(200);
    const data = out.data as { stage: { preview: Record<string, { created: number; updated: number; unchanged: number }> } };
    const [studios, people, needs] = [await db.studio.count(), await db.person.count(), await db.need.count()];
    expect(data.stage.preview).toMatchObject({
      studios: { created: 0, updated: 0, unchanged: studios },
      people: { created: 0, updated: 0, unchanged: people },
      needs: { created: 0, updated: 0, unchanged: needs },
    });
    expect(await counts()).toEqual(before);
  });
});

/** A workbook written by ExcelJS from header + rows per sheet. */
async function book(sheets: Record<string, (string | number)[][]>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const STUDIO_HEAD = ["标识", "工作室名称", "所属企业", "领衔人", "成员", "级别", "行业", "产业类别", "专长", "成立年份", "简介"];
const studioRow = (slug: string, name: string, o: Partial<Record<"level" | "founded" | "industry", string | number>> = {}) => [
  slug,
  name,
  "郑州表格测试机械有限公司",
  "赵立新",
  "钱小红、孙大伟",
  o.level ?? "市级",
  o.industry ?? "装备制造",
  "传统产业",
  "数控机床维修、液压系统诊断",
  o.founded ?? 2019,
  "工作室围绕数控机床故障诊断开展技术攻关。",
];

describe("an English export imports back too", () => {
  test("headers, levels, industries and yes/no in English are read as the Chinese ones", async () => {
    const book = new ExcelJS.Workbook();
    for (const list of ["studios", "people", "needs"]) {
      const request = new Request(`http://localhost/export/${list}.xlsx`, { headers: { Cookie: coordinator, "Accept-Language": "en" } });
      const res = (await exportRoute.loader({ request, params: { file: `${list}.xlsx` }, context: {} })) as Response;
      const ws = (await workbook(new Uint8Array(await res.arrayBuffer()))).worksheets[0];
      expect(ws.name).toBe({ studios: "Studios", people: "People", needs: "Needs" }[list]);
      const copy = book.addWorksheet(ws.name);
      ws.eachRow((row) => copy.addRow((row.values as ExcelJS.CellValue[]).slice(1)));
    }
    expect(rowsOf(book.getWorksheet("Studios")!)[0].slice(0, 3)).toEqual(["Slug", "Studio name", "Enterprise"]);
    const out = await upload(new Uint8Array(await book.xlsx.writeBuffer()), coordinator, "ledger.xlsx");
    expect(out.status, JSON.stringify(out.data).slice(0, 800)).toBe(200);
    const preview = (out.data as { stage: { preview: Record<string, { created: number; updated: number }> } }).stage.preview;
    for (const noun of ["studios", "people", "needs"]) expect(preview[noun], noun).toMatchObject({ created: 0, updated: 0 });
  });
});

describe("a workbook with a bad row", () => {
  test("lists every problem by sheet, row and column, in the reader's language, and writes nothing", async () => {
    const industry = (await db.industry.findFirstOrThrow({ where: { key: "equipment-manufacturing" } })).nameZh;
    const bytes = await book({
      工作室: [
        STUDIO_HEAD,
        studioRow("sheet-good-one", "表格测试甲工作室", { industry }),
        studioRow("sheet-bad-one", "表格测试乙工作室", { industry, level: "县级" }),
        studioRow("sheet-good-two", "表格测试丙工作室", { industry }),
      ],
      人员: [
        ["姓名", "所属工作室", "角色"],
        ["周表格", "没有这个工作室", "成员"],
      ],
    });
    const before = await counts();
    const out = await upload(bytes, coordinator);
    expect(out.status).toBe(400);
    const problems = (out.data as { problems: { sheet: string; row: number; column: string; message: string }[] }).problems;
    expect(problems).toEqual([
      { sheet: "工作室", row: 3, column: "级别", message: "应为以下之一：全国级、省级、市级、企业级" },
      { sheet: "人员", row: 2, column: "所属工作室", message: "未知的工作室“没有这个工作室”" },
    ]);
    expect(await counts()).toEqual(before);
    expect(await db.studio.findUnique({ where: { slug: "sheet-good-one" } })).toBeNull();
  });

  test("the same problems in English for an English reader", async () => {
    const bytes = await book({
      Studios: [
        ["Slug", "Studio name", "Enterprise", "Leader", "Level", "Industry", "Sector", "Specialties", "Founded (year)", "Profile"],
        ["sheet-en", "表格英文工作室", "郑州表格测试机械有限公司", "赵立新", "Municipal", "equipment-manufacturing", "Traditional", "焊接", "19x", "简介"],
      ],
    });
    const form = new FormData();
    form.set("intent", "upload");
    form.set("file", new File([new Uint8Array(bytes)], "ledger.xlsx"));
    const request = await postRequest("/admin/import", form, { session: coordinator, headers: { "Accept-Language": "en" } });
    const out = await settle(() => importRoute.action({ request, params: {}, context: {} }));
    expect(out.status).toBe(400);
    expect((out.data as { problems: unknown[] }).problems).toEqual([
      { sheet: "Studios", row: 2, column: "Founded (year)", message: "must be a four-digit year from 1949 to 2100" },
    ]);
  });

  test("a file that is not an .xlsx, or too large, is refused with a clear error", async () => {
    const csv = await upload(new TextEncoder().encode("标识,名称\nx,y\n"), coordinator, "台账.csv", "text/csv");
    expect(csv).toMatchObject({ status: 415, data: { error: "请上传 Excel 的 .xlsx 文件（不接受 .csv、.xls 或其他格式）。" } });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await upload(big, coordinator)).toMatchObject({ status: 413, data: { error: "文件太大：最大 10 MB。请拆分后分批导入。" } });
  });
});

describe("a good workbook: preview, then confirm", () => {
  test("nothing is written until the confirmation; then everything, in one go, with an Activity row", async () => {
    const bytes = await book({
      工作室: [STUDIO_HEAD, studioRow("示例", "示例行工作室"), studioRow("", "表格新建工作室"), studioRow("metro-signal", "郑州地铁信号系统工匠创新工作室")],
      人员: [
        ["姓名", "所属工作室", "角色", "专长技能", "简介"],
        ["吴表格", "表格新建工作室", "成员", "焊接、装配", "从事焊接十年。"],
      ],
    });
    const before = await counts();
    const staged = await upload(bytes, coordinator);
    expect(staged.status, JSON.stringify(staged.data)).toBe(200);
    const stage = (
      staged.data as { stage: { token: string; rows: number; preview: Record<string, { created: number; updated: number; unchanged: number; createdNames: string[] }> } }
    ).stage;
    expect(stage.rows).toBe(3); // the example row is skipped
    expect(stage.preview.studios).toMatchObject({ created: 1, updated: 1, unchanged: 0, createdNames: ["表格新建工作室"] });
    expect(stage.preview.people).toMatchObject({ created: 1, createdNames: ["吴表格"] });
    expect(await counts()).toEqual(before);
    expect(readdirSync(stagingDir()).filter((f) => f.startsWith(stage.token))).toHaveLength(2);

    const done = await confirm(stage.token, coordinator);
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data).toMatchObject({
      kind: "done",
      created: [
        { noun: "studios", name: "表格新建工作室" },
        { noun: "people", name: "吴表格" },
      ],
    });
    const created = await db.studio.findFirstOrThrow({ where: { name: "表格新建工作室" }, include: { people: true } });
    expect(created.slug).toMatch(/^[a-z0-9-]+$/);
    expect(created.people.map((p) => p.name).sort()).toEqual(["吴表格", "孙大伟", "赵立新", "钱小红"].sort());
    expect(await db.studio.findFirst({ where: { name: "示例行工作室" } })).toBeNull();
    const signal = await db.studio.findUniqueOrThrow({ where: { slug: "metro-signal" }, include: { people: { where: { role: "leader" } } } });
    expect(signal.people[0].name).toBe("赵立新");
    const activity = await db.activity.findFirstOrThrow({ where: { verb: "sheet.imported" } });
    expect(activity.summary).toContain("台账.xlsx");
    expect(JSON.parse(activity.after!)).toMatchObject({ studios: { created: 1, updated: 1 }, people: { created: 1 } });
    expect(existsSync(`${stagingDir()}/${stage.token}.xlsx`)).toBe(false);

    // a second confirmation of the same upload finds nothing to do
    expect(await confirm(stage.token, coordinator)).toMatchObject({ status: 410, data: { error: "这次上传已过期或已经导入，请重新上传文件。" } });
  });

  test("another coordinator cannot confirm someone else's upload", async () => {
    const bytes = await book({ 工作室: [STUDIO_HEAD, studioRow("sheet-someone-else", "别人的表格工作室")] });
    const staged = await upload(bytes, coordinator);
    const token = (staged.data as { stage: { token: string } }).stage.token;
    const other = await sessionCookie((await createUser({ role: "coordinator" })).id);
    expect((await confirm(token, other)).status).toBe(410);
    expect(await db.studio.findUnique({ where: { slug: "sheet-someone-else" } })).toBeNull();
  });

  test("the template has a sheet per noun with Chinese headers, an example row and the notes", async () => {
    const res = (await templateRoute.loader({ request: getRequest("/admin/import/template", coordinator), params: {}, context: {} })) as Response;
    const wb = await workbook(new Uint8Array(await res.arrayBuffer()));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["工作室", "人员", "需求", "填写说明"]);
    const studios = rowsOf(wb.getWorksheet("工作室")!);
    expect(studios[0].slice(0, 3)).toEqual(["标识", "工作室名称", "所属企业"]);
    expect(studios[1][0]).toBe("示例");
    const notes = rowsOf(wb.getWorksheet("填写说明")!).map((r) => r.join(" | "));
    expect(notes.find((l) => l.startsWith("工作室 | 级别"))).toBe("工作室 | 级别 | 是 | 以下之一：全国级、省级、市级、企业级");
    // the untouched template imports nothing
    const out = await upload(
      new Uint8Array(await ((await templateRoute.loader({ request: getRequest("/admin/import/template", coordinator), params: {}, context: {} })) as Response).arrayBuffer()),
      coordinator,
    );
    expect(out.status, JSON.stringify(out.data)).toBe(200);
    expect((out.data as { stage: { rows: number } }).stage.rows).toBe(0);
  });
});

describe("exports hold what the reader may see", () => {
  test("an alliance-only result is in a coordinator's export and not in an outsider's or a visitor's", async () => {
    const result = await db.result.findFirstOrThrow({ where: { studio: { slug: "xu-xin" } } });
    await db.result.update({ where: { id: result.id }, data: { visibility: "alliance" } });
    try {
      const titles = async (session: string | null, format: "xlsx" | "csv") => {
        const { bytes } = await download(`results.${format}`, session);
        return format === "csv"
          ? new TextDecoder().decode(bytes)
          : rowsOf((await workbook(bytes)).worksheets[0])
              .map((r) => r[1])
              .join("\n");
      };
      expect(await titles(coordinator, "xlsx")).toContain(result.title);
      expect(await titles(coordinator, "csv")).toContain(result.title);
      for (const who of [outsider, null]) {
        expect(await titles(who, "xlsx")).not.toContain(result.title);
        expect(await titles(who, "csv")).not.toContain(result.title);
      }
      // nor counted in the studios export's results column
      const studiosRow = async (session: string | null) =>
        rowsOf((await workbook((await download("studios.xlsx", session, "?industry=rail-transit")).bytes)).worksheets[0]).find((r) => r[0] === "xu-xin")!;
      const head = rowsOf((await workbook((await download("studios.xlsx", coordinator)).bytes)).worksheets[0])[0];
      const col = head.indexOf("成果数");
      expect(Number((await studiosRow(coordinator))[col])).toBe(Number((await studiosRow(outsider))[col]) + 1);
    } finally {
      await db.result.update({ where: { id: result.id }, data: { visibility: "public" } });
    }
  });

  test("the people export lists exactly the people the directory lists for the same query: an added honour, a retired one, every other filter", async () => {
    const admin = await createUser({ role: "admin", name: "荣誉管理员" });
    const added = await createHonour(admin, { nameZh: "郑州市金牌工人", nameEn: "Zhengzhou Gold Worker", level: "municipal" });
    if (!added.ok) throw new Error(JSON.stringify(added));
    const holders = await db.person.findMany({ orderBy: { slug: "asc" }, take: 2, select: { id: true, slug: true } });
    for (const p of holders) await db.$transaction((tx) => setPersonHonours(tx, p.id, ["郑州市金牌工人"]));
    const craftsman = await db.honour.findFirstOrThrow({ where: { nameZh: "郑州大工匠" } });
    expect(await db.personHonour.count({ where: { honourKey: craftsman.key } })).toBeGreaterThan(0);
    await setHonourRetired(admin, craftsman.key, true);
    try {
      /** every page of the directory, in order */
      const pageSlugs = async (query: string) => {
        const slugs: string[] = [];
        for (let page = 1; ; page++) {
          const out = await settle(() => peopleRoute.loader({ request: getRequest(`/people?${query}&page=${page}`, null), params: {}, context: {} }));
          const data = out.data as { people: { slug: string }[]; pages: number };
          slugs.push(...data.people.map((p) => p.slug));
          if (page >= data.pages) return slugs;
        }
      };
      const exportSlugs = async (query: string, session: string | null, format: "xlsx" | "csv") => {
        const { bytes } = await download(`people.${format}`, session, `?${query}`);
        const rows =
          format === "xlsx"
            ? rowsOf((await workbook(bytes)).worksheets[0])
            : new TextDecoder()
                .decode(bytes)
                .replace("\uFEFF", "")
                .trim()
                .split("\r\n")
                .map((l) => l.split(","));
        expect(rows[0][0]).toBe("标识");
        return rows.slice(1).map((r) => r[0]);
      };
      const everyone = await pageSlugs("");
      const enterprise = await db.enterprise.findFirstOrThrow({ where: { studios: { some: { slug: "xu-xin" } } } });
      const cases: [string, (slugs: string[]) => void][] = [
        [`honour=${added.key}`, (slugs) => expect(slugs).toEqual(holders.map((p) => p.slug))],
        // a retired honour is no longer offered: the filter is not applied, on the page or in the export
        [`honour=${craftsman.key}`, (slugs) => expect(slugs).toEqual(everyone)],
        ["level=national", (slugs) => expect(slugs.length).toBeGreaterThan(0)],
        [`level=municipal&honour=${added.key}`, (slugs) => expect(slugs).toHaveLength(2)],
        ["industry=rail-transit", (slugs) => expect(slugs.length).toBeGreaterThan(0)],
        [`enterprise=${enterprise.slug}`, (slugs) => expect(slugs.length).toBeGreaterThan(0)],
        [`skill=${encodeURIComponent("激光熔覆")}`, (slugs) => expect(slugs.length).toBeGreaterThan(1)],
        ["level=provincial&industry=equipment-manufacturing&page=2", (slugs) => expect(slugs.length).toBeGreaterThan(0)],
      ];
      for (const [query, check] of cases) {
        const listed = await pageSlugs(query);
        check(listed);
        for (const session of [null, coordinator]) {
          expect(await exportSlugs(query, session, "xlsx"), `${query} (.xlsx)`).toEqual(listed);
          expect(await exportSlugs(query, session, "csv"), `${query} (.csv)`).toEqual(listed);
        }
      }
    } finally {
      await setHonourRetired(admin, craftsman.key, false);
    }
  });

  test("an export lists every row its filters select, more than a page of the list, whatever page the list was on", async () => {
    const slugs = async (file: string, query: string) =>
      rowsOf((await workbook((await download(file, coordinator, query)).bytes)).worksheets[0])
        .slice(1)
        .map((r) => r[0]);
    const studios = await slugs("studios.xlsx", "?page=2");
    expect(studios).toHaveLength(await db.studio.count());
    expect(studios.length).toBeGreaterThan(STUDIOS_PER_PAGE);
    expect(await slugs("studios.xlsx", "?sort=results&page=9")).toHaveLength(studios.length);
    const inUse = await slugs("results.xlsx", "?status=in-use&page=2");
    expect(inUse.length).toBeGreaterThan(RESULTS_PER_PAGE);
    expect(inUse).toHaveLength(await db.result.count({ where: { status: "in-use" } }));
    expect(await slugs("results.xlsx", "?status=in-use")).toEqual(inUse);
    expect(await slugs("patents.xlsx", "?page=3")).toHaveLength(await db.patent.count());
    expect(await slugs("needs.xlsx", "?page=2")).toEqual(await slugs("needs.xlsx", ""));
  });

  test("the filters of the query string apply, the CSV opens in Excel (BOM), headers follow the reader's language", async () => {
    const { res, bytes } = await download("patents.csv", null, "?kind=invention");
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(lines[0].replace("\uFEFF", "")).toBe("专利号,专利名称,专利类型,专利状态,所属工作室,所属企业,申请日,授权日");
    const inventions = await db.patent.count({ where: { kind: "invention" } });
    expect(lines.length - 1).toBe(inventions);
    expect(lines.slice(1).every((l) => l.split(",")[2] === "发明专利")).toBe(true);
  });

  test("the needs export has the timeline as a second sheet; the dashboard export is for coordinators", async () => {
    const wb = await workbook((await download("needs.xlsx", coordinator)).bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["需求", "需求进展"]);
    const dash = await settle(() => exportRoute.loader({ request: getRequest("/export/dashboard.xlsx", outsider), params: { file: "dashboard.xlsx" }, context: {} }));
    expect(dash.status).toBe(403);
    const anon = await settle(() => exportRoute.loader({ request: getRequest("/export/dashboard.xlsx", null), params: { file: "dashboard.xlsx" }, context: {} }));
    expect(anon.status).toBe(302);
    const figures = await workbook((await download("dashboard.xlsx", coordinator)).bytes);
    expect(figures.worksheets).toHaveLength(12);
  });
});

describe("a large ledger", () => {
  test("10,000 generated need rows import through the page's two steps (the time is printed; scripts/bench/sheets.ts measures it)", { timeout: 300_000 }, async () => {
    const bytes = await needsWorkbook(10_000, "装备制造");
    const before = await db.need.count();
    const t0 = performance.now();
    const staged = await upload(bytes, coordinator, "需求台账.xlsx");
    expect(staged.status, JSON.stringify(staged.data).slice(0, 500)).toBe(200);
    const stage = (staged.data as { stage: { token: string; rows: number; preview: { needs: { created: number } } } }).stage;
    expect(stage).toMatchObject({ rows: 10_000, preview: { needs: { created: 10_000 } } });
    const t1 = performance.now();
    const done = await confirm(stage.token, coordinator);
    const t2 = performance.now();
    expect(done.status, JSON.stringify(done.data).slice(0, 500)).toBe(200);
    console.log(`10,000 rows: check and preview ${((t1 - t0) / 1000).toFixed(1)} s, confirmation ${((t2 - t1) / 1000).toFixed(1)} s`);
    expect(await db.need.count()).toBe(before + 10_000);
    // written on the transaction's own connection, read back through Prisma as any other need
    const one = await db.need.findFirstOrThrow({ where: { title: "焊缝缺陷检测（第 9994 号）" }, include: { enterprise: true } });
    expect(one).toMatchObject({ status: "open", visibility: "public", enterprise: { name: expect.stringMatching(/^郑州.氏机械有限公司$/) } });
    expect(one.createdAt.getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(await db.activity.count({ where: { verb: "need.posted", subjectId: one.id } })).toBe(1);
    expect(await db.searchDoc.findUnique({ where: { id: `need:${one.slug}` } })).toMatchObject({ title: one.title });
    const { rows } = await listNeedsPage(null, { status: "open", perPage: Infinity });
    expect(rows.some((n) => n.slug === one.slug)).toBe(true);
  });
});

describe("people and studio ledgers go in bulk", () => {
  test("1,200 people rows: what a row-by-row save writes (honours, search documents, an Activity each), in one transaction", { timeout: 120_000 }, async () => {
    const studios = (await db.studio.findMany({ where: { slug: { in: ["metro-signal", "xu-xin"] } }, select: { slug: true } })).map((s) => s.slug);
    const bytes = await peopleWorkbook(1_200, studios);
    const before = await counts();
    const staged = await upload(bytes, coordinator, "人员台账.xlsx");
    expect(staged.status, JSON.stringify(staged.data).slice(0, 500)).toBe(200);
    const token = (staged.data as { stage: { token: string } }).stage.token;
    const t0 = performance.now();
    const done = await confirm(token, coordinator);
    console.log(`1,200 people rows: confirmation ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(done.status, JSON.stringify(done.data).slice(0, 500)).toBe(200);
    expect(await db.person.count()).toBe(before.people + 1_200);
    // one person.created per person, and the import's own row
    expect(await db.activity.count()).toBe(before.activities + 1_200 + 1);

    const one = await db.person.findFirstOrThrow({ where: { name: "何建军" }, include: { honourLinks: true, studio: { select: { slug: true } } } });
    expect(one).toMatchObject({ role: "member", title: "高级技师", origin: "file", skills: JSON.stringify(["数控维修", "液压诊断"]) });
    expect(one.honourLinks.map((l) => l.text)).toEqual(["郑州市技术能手"]);
    expect(await db.activity.count({ where: { verb: "person.created", subjectId: one.id, studio: { slug: one.studio.slug } } })).toBe(1);
    // the document written in bulk is the one a single save builds
    const doc = await db.searchDoc.findUniqueOrThrow({ where: { id: `person:${one.slug}` } });
    const rebuilt = await buildDocument(db, "person", one.slug);
    expect({ title: doc.title, keywords: doc.keywords, body: doc.body, studio: doc.studio, level: doc.level }).toEqual({
      title: rebuilt!.title,
      keywords: rebuilt!.keywords,
      body: rebuilt!.body,
      studio: rebuilt!.studio,
      level: rebuilt!.level,
    });
    // the studio's document lists its new people, and search finds them
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `studio:${one.studio.slug}` } })).keywords).toContain("何建军");
  });

  test("600 new studios: their people, honours matched onto the list, first revisions and documents", { timeout: 120_000 }, async () => {
    const bytes = await studiosWorkbook(600, "装备制造");
    const before = await counts();
    const staged = await upload(bytes, coordinator, "工作室台账.xlsx");
    expect(staged.status, JSON.stringify(staged.data).slice(0, 500)).toBe(200);
    const done = await confirm((staged.data as { stage: { token: string } }).stage.token, coordinator);
    expect(done.status, JSON.stringify(done.data).slice(0, 500)).toBe(200);
    expect(await db.studio.count()).toBe(before.studios + 600);
    expect(await db.person.count()).toBe(before.people + 1_800);

    const studio = await db.studio.findFirstOrThrow({
      where: { name: "郑州第 301 号电气调试创新工作室" },
      include: { enterprise: true, people: { orderBy: { sortOrder: "asc" }, include: { honourLinks: true } } },
    });
    expect(studio.enterprise.name).toBe("郑州王氏机械有限公司");
    expect(studio.people.map((p) => [p.role, p.sortOrder])).toEqual([
      ["leader", 0],
      ["member", 1],
      ["member", 2],
    ]);
    // row 301 (i = 300) is a multiple of three: its leader is a 全国劳动模范, on the controlled list
    expect(studio.people[0].honourLinks).toMatchObject([{ text: "全国劳动模范", honourKey: expect.any(String) }]);
    expect(await db.revision.count({ where: { subjectType: "studio", subjectId: studio.id, version: 1 } })).toBe(1);
    expect(await db.activity.count({ where: { verb: "studio.created", subjectId: studio.id } })).toBe(1);
    const doc = await db.searchDoc.findUniqueOrThrow({ where: { id: `studio:${studio.slug}` } });
    expect(doc.keywords).toBe((await buildDocument(db, "studio", studio.slug))!.keywords);
    for (const p of studio.people) expect(await db.searchDoc.findUnique({ where: { id: `person:${p.slug}` } })).not.toBeNull();
    // people slugs stay unique across the slices of 500
    const slugs = await db.person.findMany({ select: { slug: true } });
    expect(new Set(slugs.map((p) => p.slug)).size).toBe(slugs.length);
  });

  test("a new person's results are linked; a row naming someone the studio already has updates that person", async () => {
    const bytes = await book({
      人员: [
        ["标识", "姓名", "所属工作室", "角色", "荣誉", "参与成果", "简介"],
        ["", "表格新人", "yuzhong-hydraulic-support", "成员", "全国五一劳动奖章", "hydraulic-column-laser-cladding", "新来的焊工。"],
        ["li-zhigang-sheet", "李志刚", "yuzhong-hydraulic-support", "成员", "", "", "改了标识的李志刚。"],
      ],
    });
    const before = await counts();
    const staged = await upload(bytes, coordinator);
    expect(staged.status, JSON.stringify(staged.data).slice(0, 500)).toBe(200);
    const done = await confirm((staged.data as { stage: { token: string } }).stage.token, coordinator);
    expect(done.status, JSON.stringify(done.data).slice(0, 500)).toBe(200);
    expect((done.data as { counts: { people: { created: number; updated: number } } }).counts.people).toMatchObject({ created: 1, updated: 1 });
    expect(await db.person.count()).toBe(before.people + 1);
    const fresh = await db.person.findFirstOrThrow({
      where: { name: "表格新人" },
      include: { resultLinks: { include: { result: true } }, honourLinks: { include: { honour: true } } },
    });
    expect(fresh.resultLinks.map((l) => l.result.slug)).toEqual(["hydraulic-column-laser-cladding"]);
    expect(fresh.honourLinks.map((l) => l.honour?.level)).toEqual(["national"]);
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `person:${fresh.slug}` } })).level).toBe("national");
    // the same person, now at the sheet's slug, with the sheet's profile
    expect(await db.person.findUnique({ where: { slug: "li-zhigang" } })).toBeNull();
    expect(await db.person.findUniqueOrThrow({ where: { slug: "li-zhigang-sheet" } })).toMatchObject({ name: "李志刚", bio: "改了标识的李志刚。" });
  });

  test("a people ledger with bad rows writes nothing and names each of them", { timeout: 120_000 }, async () => {
    const bytes = await peopleWorkbook(900, ["metro-signal", "xu-xin", "没有这个工作室"]);
    const before = await counts();
    const out = await upload(bytes, coordinator, "人员台账.xlsx");
    expect(out.status).toBe(400);
    const problems = (out.data as { problems: { sheet: string; row: number; column: string; message: string }[] }).problems;
    expect(problems).toHaveLength(300);
    expect(problems[0]).toEqual({ sheet: "人员", row: 4, column: "所属工作室", message: expect.stringContaining("没有这个工作室") });
    expect(await counts()).toEqual(before);
  });
});

describe("who may use the import", () => {
  test("the page, its template and its progress answer coordinators and site admins; others get 403, visitors log in", async () => {
    const roles = {
      member: await sessionCookie((await createUser({ studio: "xu-xin", studioRole: "member" })).id),
      "studio admin": outsider,
      "site admin": await sessionCookie((await createUser({ role: "admin" })).id),
      coordinator,
    };
    for (const [url, loader] of [
      ["/admin/import", importRoute.loader],
      ["/admin/import/template", templateRoute.loader],
      ["/admin/import?progress=abcdefghijklmnopqrstuvwxyz", importRoute.loader],
    ] as const) {
      const anon = await settle(() => loader({ request: getRequest(url, null), params: {}, context: {} }));
      expect(anon, url).toMatchObject({ status: 302, location: `/login?redirectTo=${encodeURIComponent(url)}` });
      for (const [role, session] of Object.entries(roles)) {
        const out = await settle(() => loader({ request: getRequest(url, session), params: {}, context: {} }));
        expect(out.status, `${url} as ${role}`).toBe(role === "coordinator" || role === "site admin" ? 200 : 403);
      }
    }
  });
});

test("a CSV cell that starts like a formula is kept as text", async () => {
  const patent = await db.patent.findFirstOrThrow({ where: { kind: "invention" } });
  await db.patent.update({ where: { id: patent.id }, data: { title: '=HYPERLINK("http://evil.example","点击")' } });
  try {
    const csv = new TextDecoder().decode((await download("patents.csv", null)).bytes);
    expect(csv).toContain(`${patent.number},"'=HYPERLINK(""http://evil.example"",""点击"")",`);
  } finally {
    await db.patent.update({ where: { id: patent.id }, data: { title: patent.title } });
  }
});

describe("enterprises a ledger names", () => {
  test("the preview names every enterprise the hub does not have yet, which the confirmation creates", async () => {
    const known = (await db.enterprise.findFirstOrThrow({ orderBy: { name: "asc" } })).name;
    const fresh = "郑州预览新建测试有限公司";
    const bytes = await book({
      需求: [
        ["需求标题", "发布企业", "行业", "所需技能", "状态", "需求说明"],
        ["预览测试需求一", known, "装备制造", "焊接", "待配送", "说明一。"],
        ["预览测试需求二", fresh, "装备制造", "焊接", "待配送", "说明二。"],
      ],
    });
    const staged = await upload(bytes, coordinator);
    expect(staged.status, JSON.stringify(staged.data)).toBe(200);
    const stage = (staged.data as { stage: { token: string; newEnterprises: string[] } }).stage;
    expect(stage.newEnterprises).toEqual([fresh]);
    expect(await db.enterprise.findUnique({ where: { name: fresh } })).toBeNull();
    expect((await confirm(stage.token, coordinator)).status).toBe(200);
    expect(await db.enterprise.findUnique({ where: { name: fresh } })).not.toBeNull();
  });
});
