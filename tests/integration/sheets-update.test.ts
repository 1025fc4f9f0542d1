// Spreadsheets (台账) that change people who are already in the talent base: an exported workbook,
// edited and imported again. Such a sheet goes in bulk (updatePeople in person.server.ts) with what
// a single save writes — the changed fields only, honours matched onto the list, an Activity row
// per changed person, their search documents — and a row that changes nothing writes nothing.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { setHonourRetired } from "~/models/honour.server";
import { buildDocument } from "~/models/search/documents.server";
import * as apiSearch from "~/routes/api.search";
import * as importRoute from "~/routes/admin.import";
import * as exportRoute from "~/routes/export.$file";
import { db } from "~/utils/db.server";
import { needsWorkbook, peopleWorkbook, studiosWorkbook } from "../fixtures/sheets";
import { createUser, getRequest, postRequest, sessionCookie, settle, type Outcome } from "../setup/auth";

let coordinator: string;
let coordinatorId: string;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  coordinatorId = (await createUser({ role: "coordinator", name: "台账更新协调人" })).id;
  coordinator = await sessionCookie(coordinatorId);
});

/** A list's export as a coordinator downloads it: header and rows of cell text. */
async function exported(list: "people" | "studios" | "needs"): Promise<string[][]> {
  const file = `${list}.xlsx`;
  const res = (await exportRoute.loader({ request: getRequest(`/export/${file}`, coordinator), params: { file }, context: {} })) as Response;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const out: string[][] = [];
  const ws = wb.worksheets[0];
  // (every cell, the empty ones too: row.values leaves holes for them)
  ws.eachRow((row) => out.push(Array.from({ length: ws.columnCount }, (_, i) => row.getCell(i + 1).text)));
  return out;
}

/** The export with some cells changed: `edits[slug][header] = value`. */
function edited(rows: string[][], edits: Record<string, Record<string, string>>): string[][] {
  const [head, ...body] = rows;
  return [
    head,
    ...body.map((r) => {
      const e = edits[r[0]];
      return e ? r.map((cell, i) => e[head[i]] ?? cell) : r;
    }),
  ];
}

async function xlsx(sheet: string, rows: string[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function upload(bytes: Uint8Array, name = "人员台账.xlsx"): Promise<Outcome> {
  const form = new FormData();
  form.set("intent", "upload");
  form.set("file", new File([new Uint8Array(bytes)], name, { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
  const request = await postRequest("/admin/import", form, { session: coordinator });
  return settle(() => importRoute.action({ request, params: {}, context: {} }));
}

async function confirm(token: string): Promise<Outcome> {
  const request = await postRequest("/admin/import", { intent: "confirm", token }, { session: coordinator });
  return settle(() => importRoute.action({ request, params: {}, context: {} }));
}

type Counts = { created: number; updated: number; unchanged: number; updatedNames: string[] };
/** Upload, expect a preview, confirm; the preview's and the confirmation's counts of people (or studios). */
async function importSheet(bytes: Uint8Array, noun: "people" | "studios" | "needs" = "people") {
  const staged = await upload(bytes);
  expect(staged.status, JSON.stringify(staged.data).slice(0, 800)).toBe(200);
  const stage = (staged.data as { stage: { token: string; preview: Record<string, Counts> } }).stage;
  const done = await confirm(stage.token);
  expect(done.status, JSON.stringify(done.data).slice(0, 800)).toBe(200);
  return { preview: stage.preview[noun], counts: (done.data as { counts: Record<string, Counts> }).counts[noun] };
}

/** Everything an import of people may write. */
async function snapshot() {
  return {
    people: await db.person.findMany({ orderBy: { id: "asc" } }),
    honours: await db.personHonour.findMany({ orderBy: { id: "asc" } }),
    results: await db.personResult.findMany({ orderBy: [{ personId: "asc" }, { resultId: "asc" }] }),
    docs: await db.searchDoc.findMany({ where: { type: { in: ["person", "studio"] } }, orderBy: { id: "asc" }, select: { id: true, keywords: true, body: true, level: true } }),
    changes: await db.searchChange.count(),
    activities: await db.activity.count({ where: { verb: { not: "sheet.imported" } } }),
  };
}

async function search(query: string, type = "person") {
  const res = (await apiSearch.loader({ request: new Request(`http://localhost/api/search?q=${encodeURIComponent(query)}&type=${type}`), params: {}, context: {} })) as Response;
  expect(res.status).toBe(200);
  return ((await res.json()) as { hits: { slug: string }[] }).hits.map((h) => h.slug);
}

describe("an exported people workbook, imported again", () => {
  test("previews every row as unchanged, and its confirmation writes nothing but the import's own Activity row", async () => {
    const rows = await exported("people");
    expect(rows.length - 1).toBe(await db.person.count());
    const before = await snapshot();
    const { preview, counts } = await importSheet(await xlsx("人员", rows));
    expect(preview).toMatchObject({ created: 0, updated: 0, unchanged: rows.length - 1 });
    expect(counts).toMatchObject({ created: 0, updated: 0, unchanged: rows.length - 1 });
    // no person, honour, link or search document rewritten (the search change log did not move)
    expect(await snapshot()).toEqual(before);
  });
});

describe("an edited export", () => {
  test("changes exactly the edited fields, with an Activity row and fresh search documents for each changed person", async () => {
    const rows = await exported("people");
    const [a, b] = await db.person.findMany({ where: { studio: { slug: "yuzhong-hydraulic-support" } }, orderBy: { slug: "asc" }, take: 2, include: { studio: true } });
    const before = await snapshot();
    const { preview, counts } = await importSheet(
      await xlsx(
        "人员",
        edited(rows, {
          [a.slug]: { 职称: "集团首席技师" },
          [b.slug]: { 专长技能: "液压试验、激光熔覆再制造", 荣誉: "全国技术能手、郑州市优秀青年" },
        }),
      ),
    );
    expect(preview).toMatchObject({ created: 0, updated: 2, unchanged: rows.length - 3 });
    expect(counts).toMatchObject({ created: 0, updated: 2, unchanged: rows.length - 3 });
    expect(counts.updatedNames.sort()).toEqual([a.name, b.name].sort());

    const after = await snapshot();
    const same = (id: string) => [before.people.find((p) => p.id === id), after.people.find((p) => p.id === id)];
    const [a0, a1] = same(a.id);
    // (a person a people sheet describes belongs to the sheet from then on, as with a people/ file)
    expect(a1).toEqual({ ...a0, title: "集团首席技师", origin: "file" });
    const [b0, b1] = same(b.id);
    expect(b1).toEqual({ ...b0, skills: JSON.stringify(["液压试验", "激光熔覆再制造"]), honours: JSON.stringify(["全国技术能手", "郑州市优秀青年"]), origin: "file" });
    // everyone else as they were
    expect(after.people.filter((p) => p.id !== a.id && p.id !== b.id)).toEqual(before.people.filter((p) => p.id !== a.id && p.id !== b.id));
    // the honours matched onto the controlled list, the rest kept as free text
    expect(await db.personHonour.findMany({ where: { personId: b.id }, orderBy: { sortOrder: "asc" }, select: { text: true, honourKey: true } })).toEqual([
      { text: "全国技术能手", honourKey: "national-technical-expert" },
      { text: "郑州市优秀青年", honourKey: null },
    ]);
    expect(after.honours.filter((h) => h.personId !== b.id)).toEqual(before.honours.filter((h) => h.personId !== b.id));
    expect(after.results).toEqual(before.results);

    // one person.updated each, by the coordinator, and none for the unchanged rows
    const updates = await db.activity.findMany({ where: { verb: "person.updated", actorId: coordinatorId } });
    expect(updates.map((u) => u.subjectId).sort()).toEqual([a.id, b.id].sort());
    expect(updates.every((u) => u.studioId === a.studioId)).toBe(true);
    expect(after.activities).toBe(before.activities + 2);

    // the documents are the ones a single save writes: the person's, and their studio's
    for (const id of [`person:${a.slug}`, `person:${b.slug}`, `studio:${a.studio.slug}`]) {
      const [type, slug] = id.split(":") as ["person" | "studio", string];
      const doc = await db.searchDoc.findUniqueOrThrow({ where: { id } });
      const rebuilt = (await buildDocument(db, type, slug))!;
      expect({ keywords: doc.keywords, body: doc.body, level: doc.level }, id).toEqual({ keywords: rebuilt.keywords, body: rebuilt.body, level: rebuilt.level });
    }
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `person:${b.slug}` } })).level).toBe("national");
    const untouched = before.docs.filter((d) => ![`person:${a.slug}`, `person:${b.slug}`, `studio:${a.studio.slug}`].includes(d.id));
    expect(after.docs.filter((d) => untouched.some((u) => u.id === d.id))).toEqual(untouched);
  });

  test("with one bad row among the changes: nothing is written, and the problem names the sheet, row and column", async () => {
    const rows = await exported("people");
    const people = rows.slice(1, 6).map((r) => r[0]);
    const before = await snapshot();
    const out = await upload(
      await xlsx(
        "人员",
        edited(rows, {
          [people[0]]: { 职称: "特级技师" },
          [people[1]]: { 专长技能: "数控编程" },
          [people[2]]: { 角色: "组长" },
          [people[3]]: { 职称: "高级技师" },
        }),
      ),
    );
    expect(out.status).toBe(400);
    const row = rows.findIndex((r) => r[0] === people[2]) + 1; // the sheet's row number, the header being row 1
    expect((out.data as { problems: unknown[] }).problems).toEqual([{ sheet: "人员", row, column: "角色", message: "应为以下之一：领衔人、成员" }]);
    expect(await snapshot()).toEqual(before);
  });

  test("a row gone bad between the preview and the confirmation: the confirmation writes none of the updates and names the row", async () => {
    const [head, ...rows] = await exported("people");
    const studioCol = head.indexOf("所属工作室");
    const studios = [...new Set(rows.map((r) => r[studioCol]))];
    const first = studios.find((s) => rows.filter((r) => r[studioCol] === s).length >= 2)!;
    const second = studios.find((s) => s !== first)!;
    const picked = [...rows.filter((r) => r[studioCol] === first).slice(0, 2), rows.find((r) => r[studioCol] === second)!];
    const sheet = [head, ...picked.map((r) => r.map((c, i) => (head[i] === "职称" ? "预览后的职称" : c)))];
    const staged = await upload(await xlsx("人员", sheet));
    expect(staged.status, JSON.stringify(staged.data).slice(0, 800)).toBe(200);
    const stage = (staged.data as { stage: { token: string; preview: Record<string, Counts> } }).stage;
    expect(stage.preview.people).toMatchObject({ updated: 3 });
    // someone renames the third row's studio before the coordinator confirms
    const studio = await db.studio.findFirstOrThrow({ where: { name: second } });
    await db.studio.update({ where: { id: studio.id }, data: { name: `${second}（改名）` } });
    try {
      const before = await snapshot();
      const done = await confirm(stage.token);
      expect(done.status).toBe(400);
      expect((done.data as { problems: unknown[] }).problems).toEqual([{ sheet: "人员", row: 4, column: "所属工作室", message: `未知的工作室“${second}”` }]);
      expect(await snapshot()).toEqual(before);
      expect(await db.person.count({ where: { title: "预览后的职称" } })).toBe(0);
    } finally {
      await db.studio.update({ where: { id: studio.id }, data: { name: second } });
    }
  });

  test("honours are matched onto the list as today: a text already held keeps its retired honour, a new text is not matched onto a retired one", async () => {
    const admin = await createUser({ role: "admin" });
    const craftsman = await db.honour.findFirstOrThrow({ where: { nameZh: "中原大工匠" } });
    const holder = await db.person.findFirstOrThrow({
      where: { honourLinks: { some: { honourKey: craftsman.key } } },
      include: { honourLinks: { orderBy: { sortOrder: "asc" } } },
    });
    const other = await db.person.findFirstOrThrow({ where: { honourLinks: { none: {} }, studio: { slug: "xu-xin" } }, orderBy: { slug: "asc" } });
    await setHonourRetired(admin, craftsman.key, true);
    try {
      const texts = holder.honourLinks.map((l) => l.text);
      const { counts } = await importSheet(
        await xlsx(
          "人员",
          edited(await exported("people"), {
            [holder.slug]: { 荣誉: [...texts, "郑州市劳动模范"].join("、") },
            [other.slug]: { 荣誉: "中原大工匠" },
          }),
        ),
      );
      expect(counts).toMatchObject({ updated: 2 });
      const links = async (personId: string) => (await db.personHonour.findMany({ where: { personId }, orderBy: { sortOrder: "asc" } })).map((l) => [l.text, l.honourKey]);
      expect(await links(holder.id)).toEqual([...holder.honourLinks.map((l) => [l.text, l.honourKey]), ["郑州市劳动模范", "municipal-model-worker"]]);
      expect(await links(other.id)).toEqual([["中原大工匠", null]]);
    } finally {
      await setHonourRetired(admin, craftsman.key, false);
    }
  });

  test("search finds a person by a skill an update sheet added", async () => {
    const rows = await exported("people");
    const person = await db.person.findFirstOrThrow({ where: { studio: { slug: "metro-signal" } }, orderBy: { slug: "asc" } });
    expect(await search("水下机器人焊接")).not.toContain(person.slug);
    const head = rows[0];
    const skills = rows.find((r) => r[0] === person.slug)![head.indexOf("专长技能")];
    const { counts } = await importSheet(await xlsx("人员", edited(rows, { [person.slug]: { 专长技能: [skills, "水下机器人焊接"].filter(Boolean).join("、") } })));
    expect(counts).toMatchObject({ updated: 1 });
    // (other welders match 焊接; the one with the whole skill comes first)
    expect((await search("水下机器人焊接"))[0]).toBe(person.slug);
  });
});

describe("an edited studios export", () => {
  test("changes the edited studios only: their rows and a revision, their people as the studio file rule says, documents and an Activity each", async () => {
    const rows = await exported("studios");
    const used = ["yuzhong-hydraulic-support", "metro-signal", "xu-xin"];
    const [a, b] = await db.studio.findMany({
      where: { slug: { notIn: used }, results: { some: {} }, people: { some: { role: "member", origin: "studio" } } },
      orderBy: { slug: "asc" },
      take: 2,
      include: { people: { orderBy: { sortOrder: "asc" } } },
    });
    const head = rows[0];
    const cell = (slug: string, header: string) => rows.find((r) => r[0] === slug)![head.indexOf(header)];
    const level = a.level === "provincial" ? "municipal" : "provincial";
    const dropped = b.people.find((p) => p.role === "member" && p.origin === "studio")!;
    const before = await db.studio.findMany({ orderBy: { id: "asc" } });
    const { preview, counts } = await importSheet(
      await xlsx(
        "工作室",
        edited(rows, {
          [a.slug]: { 级别: level === "provincial" ? "省级" : "市级", 成员: [cell(a.slug, "成员"), "表格新成员"].filter(Boolean).join("、") },
          [b.slug]: {
            成立年份: String(b.founded - 1),
            成员: cell(b.slug, "成员")
              .split("、")
              .filter((n) => n !== dropped.name)
              .join("、"),
          },
        }),
      ),
      "studios",
    );
    expect(preview).toMatchObject({ created: 0, updated: 2, unchanged: rows.length - 3 });
    expect(counts).toMatchObject({ created: 0, updated: 2, unchanged: rows.length - 3 });

    const after = await db.studio.findMany({ orderBy: { id: "asc" } });
    const was = (id: string) => before.find((s) => s.id === id)!;
    const now = (id: string) => after.find((s) => s.id === id)!;
    expect(now(a.id)).toEqual({ ...was(a.id), level, version: a.version + 1, updatedAt: expect.any(Date) });
    expect(now(b.id)).toEqual({ ...was(b.id), founded: b.founded - 1, version: b.version + 1, updatedAt: expect.any(Date) });
    expect(after.filter((s) => s.id !== a.id && s.id !== b.id)).toEqual(before.filter((s) => s.id !== a.id && s.id !== b.id));
    const revision = await db.revision.findUniqueOrThrow({ where: { subjectType_subjectId_version: { subjectType: "studio", subjectId: a.id, version: a.version + 1 } } });
    expect(revision.authorId).toBe(coordinatorId);
    expect(JSON.parse(revision.data)).toMatchObject({ slug: a.slug, level, members: expect.arrayContaining(["表格新成员"]) });
    const updates = await db.activity.findMany({ where: { verb: "studio.updated", actorId: coordinatorId } });
    expect(updates.map((u) => u.subjectId).sort()).toEqual([a.id, b.id].sort());

    // a new name becomes a member of the studio file; a name dropped from it leaves, with its document
    const member = await db.person.findFirstOrThrow({ where: { studioId: a.id, name: "表格新成员" } });
    expect(member).toMatchObject({ role: "member", origin: "studio", sortOrder: a.people.filter((p) => p.role === "member").length + 1 });
    expect(await db.searchDoc.findUnique({ where: { id: `person:${member.slug}` } })).not.toBeNull();
    expect(await db.person.findUnique({ where: { id: dropped.id } })).toBeNull();
    expect(await db.searchDoc.findUnique({ where: { id: `person:${dropped.slug}` } })).toBeNull();
    expect(await db.person.count({ where: { studioId: b.id } })).toBe(b.people.length - 1);

    // the studio's document, and its results' (they carry its level), as a single save writes them
    const studioDoc = await db.searchDoc.findUniqueOrThrow({ where: { id: `studio:${a.slug}` } });
    expect(studioDoc.keywords).toBe((await buildDocument(db, "studio", a.slug))!.keywords);
    expect(studioDoc.keywords).toContain("表格新成员");
    const result = await db.result.findFirstOrThrow({ where: { studioId: a.id, visibility: "public" } });
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `result:${result.slug}` } })).level).toBe(level);
  });

  test("a leader a people sheet or file describes keeps their honours; the studio row still orders its people", async () => {
    const rows = await exported("studios");
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: "yuzhong-hydraulic-support" }, include: { people: { orderBy: { sortOrder: "asc" } } } });
    const leader = studio.people.find((p) => p.role === "leader")!;
    expect(leader.origin).toBe("file");
    const honours = await db.personHonour.findMany({ where: { personId: leader.id }, orderBy: { sortOrder: "asc" } });
    const members = studio.people.filter((p) => p.role === "member").map((p) => p.name);
    const { counts } = await importSheet(
      await xlsx("工作室", edited(rows, { [studio.slug]: { 领衔人荣誉: "郑州市劳动模范", 成员: [...members].reverse().join("、") } })),
      "studios",
    );
    expect(counts).toMatchObject({ updated: 1 });
    expect(await db.personHonour.findMany({ where: { personId: leader.id }, orderBy: { sortOrder: "asc" } })).toEqual(honours);
    const after = await db.person.findMany({ where: { studioId: studio.id, role: "member" }, orderBy: { sortOrder: "asc" } });
    expect(after.map((p) => p.name)).toEqual([...members].reverse());
    expect(after.map((p) => p.sortOrder)).toEqual(members.map((_, i) => i + 1));
  });
});

describe("a large update sheet", () => {
  test("600 needs imported, then the same ledger with one more skill each: 600 updates across the slices, an Activity and a document each", { timeout: 120_000 }, async () => {
    await importSheet(await needsWorkbook(600, "装备制造"), "needs");
    const activities = await db.activity.count({ where: { verb: "need.updated" } });
    const { preview, counts } = await importSheet(await needsWorkbook(600, "装备制造", { skill: "数字孪生" }), "needs");
    expect(preview).toMatchObject({ created: 0, updated: 600 });
    expect(counts).toMatchObject({ created: 0, updated: 600, unchanged: 0 });
    expect(await db.activity.count({ where: { verb: "need.updated" } })).toBe(activities + 600);
    const last = await db.need.findFirstOrThrow({ where: { title: { endsWith: "（第 600 号）" } } });
    expect(last).toMatchObject({ version: 2, review: null });
    expect(JSON.parse(last.tags)).toContain("数字孪生");
    expect(last.bodyText).toContain("另需懂数字孪生的师傅");
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `need:${last.slug}` } })).keywords).toBe((await buildDocument(db, "need", last.slug))!.keywords);
    // the same ledger once more changes nothing
    const again = await importSheet(await needsWorkbook(600, "装备制造", { skill: "数字孪生" }), "needs");
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 600 });
    expect(await db.activity.count({ where: { verb: "need.updated" } })).toBe(activities + 600);
  });

  test("700 people imported, then the same ledger with a changed title: 700 updates across the slices, an Activity each", { timeout: 120_000 }, async () => {
    const studios = ["metro-signal", "xu-xin"];
    await importSheet(await peopleWorkbook(700, studios));
    const activities = await db.activity.count({ where: { verb: "person.updated" } });
    const { preview, counts } = await importSheet(await peopleWorkbook(700, studios, { title: "首席技师", skill: "数字孪生" }));
    expect(preview).toMatchObject({ created: 0, updated: 700 });
    expect(counts).toMatchObject({ created: 0, updated: 700, unchanged: 0 });
    expect(await db.activity.count({ where: { verb: "person.updated" } })).toBe(activities + 700);
    const last = await db.person.findFirstOrThrow({ where: { name: "何建军" } });
    expect(last).toMatchObject({ title: "首席技师", skills: JSON.stringify(["数控维修", "液压诊断", "数字孪生"]) });
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `person:${last.slug}` } })).keywords).toContain("数字孪生");
    // the same ledger once more changes nothing
    const again = await importSheet(await peopleWorkbook(700, studios, { title: "首席技师", skill: "数字孪生" }));
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 700 });
    expect(await db.activity.count({ where: { verb: "person.updated" } })).toBe(activities + 700);
  });

  test("600 studios imported, then the same ledger with one more specialty and member each: 600 updates, 600 new members", { timeout: 120_000 }, async () => {
    await importSheet(await studiosWorkbook(600, "装备制造"), "studios");
    const people = await db.person.count();
    const { counts } = await importSheet(await studiosWorkbook(600, "装备制造", { specialty: "数字孪生" }), "studios");
    expect(counts).toMatchObject({ created: 0, updated: 600, unchanged: 0 });
    expect(await db.person.count()).toBe(people + 600);
    const studio = await db.studio.findFirstOrThrow({ where: { name: "郑州第 301 号电气调试创新工作室" }, include: { people: { orderBy: { sortOrder: "asc" } } } });
    expect(studio).toMatchObject({ version: 2, specialties: JSON.stringify(["电气调试", "工艺优化", "数字孪生"]) });
    expect(studio.people.map((p) => [p.role, p.sortOrder])).toEqual([
      ["leader", 0],
      ["member", 1],
      ["member", 2],
      ["member", 3],
    ]);
    expect(await db.activity.count({ where: { verb: "studio.updated", subjectId: studio.id } })).toBe(1);
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `studio:${studio.slug}` } })).keywords).toBe((await buildDocument(db, "studio", studio.slug))!.keywords);
    for (const p of studio.people) expect(await db.searchDoc.findUnique({ where: { id: `person:${p.slug}` } })).not.toBeNull();
    const slugs = await db.person.findMany({ select: { slug: true } });
    expect(new Set(slugs.map((p) => p.slug)).size).toBe(slugs.length);
  });
});

/** Everything an import of needs may write. */
async function needSnapshot() {
  return {
    needs: await db.need.findMany({ orderBy: { id: "asc" } }),
    enterprises: await db.enterprise.count(),
    docs: await db.searchDoc.findMany({ where: { type: "need" }, orderBy: { id: "asc" }, select: { id: true, keywords: true, body: true, level: true } }),
    changes: await db.searchChange.count(),
    activities: await db.activity.count({ where: { verb: { not: "sheet.imported" } } }),
  };
}

describe("an exported needs ledger, imported again", () => {
  test("previews every row as unchanged, and its confirmation writes nothing but the import's own Activity row", async () => {
    const rows = await exported("needs");
    expect(rows.length - 1).toBe(await db.need.count());
    const before = await needSnapshot();
    const imports = await db.activity.count({ where: { verb: "sheet.imported" } });
    const { preview, counts } = await importSheet(await xlsx("需求", rows), "needs");
    expect(preview).toMatchObject({ created: 0, updated: 0, unchanged: rows.length - 1 });
    expect(counts).toMatchObject({ created: 0, updated: 0, unchanged: rows.length - 1 });
    expect(await needSnapshot()).toEqual(before);
    expect(await db.activity.count({ where: { verb: "sheet.imported" } })).toBe(imports + 1);
  });

  test("edited: changes exactly the edited fields, with a version, an Activity row and a fresh search document for each changed need", async () => {
    const rows = await exported("needs");
    const [a, b] = await db.need.findMany({ orderBy: { slug: "asc" }, take: 2 });
    expect(await search("磁悬浮轴承", "need")).not.toContain(a.slug);
    const before = await needSnapshot();
    const earlier = (await db.activity.findMany({ where: { verb: "need.updated" }, select: { id: true } })).map((u) => u.id);
    const { preview, counts } = await importSheet(
      await xlsx(
        "需求",
        edited(rows, {
          [a.slug]: { 需求标题: `${a.title}（磁悬浮轴承）` },
          [b.slug]: { 所需技能: "激光熔覆、振动分析" },
        }),
      ),
      "needs",
    );
    expect(preview).toMatchObject({ created: 0, updated: 2, unchanged: rows.length - 3 });
    expect(counts).toMatchObject({ created: 0, updated: 2, unchanged: rows.length - 3 });
    expect(counts.updatedNames.sort()).toEqual([`${a.title}（磁悬浮轴承）`, b.title].sort());

    const after = await needSnapshot();
    const was = (id: string) => before.needs.find((n) => n.id === id)!;
    const now = (id: string) => after.needs.find((n) => n.id === id)!;
    // the edited field, the next version; the review state and everything else as it was
    expect(now(a.id)).toEqual({ ...was(a.id), title: `${a.title}（磁悬浮轴承）`, version: a.version + 1, updatedAt: expect.any(Date) });
    expect(now(b.id)).toEqual({ ...was(b.id), tags: JSON.stringify(["激光熔覆", "振动分析"]), version: b.version + 1, updatedAt: expect.any(Date) });
    expect(after.needs.filter((n) => n.id !== a.id && n.id !== b.id)).toEqual(before.needs.filter((n) => n.id !== a.id && n.id !== b.id));
    expect(after.enterprises).toBe(before.enterprises);

    // one need.updated each, by the coordinator, and none for the unchanged rows
    const updates = await db.activity.findMany({ where: { verb: "need.updated", id: { notIn: earlier } } });
    expect(updates.every((u) => u.actorId === coordinatorId)).toBe(true);
    expect(updates.map((u) => u.subjectId).sort()).toEqual([a.id, b.id].sort());
    expect(after.activities).toBe(before.activities + 2);

    // the documents a single save writes, the others untouched; search finds the new word
    for (const n of [a, b]) {
      const doc = await db.searchDoc.findUniqueOrThrow({ where: { id: `need:${n.slug}` } });
      const rebuilt = (await buildDocument(db, "need", n.slug))!;
      expect({ keywords: doc.keywords, body: doc.body, level: doc.level }).toEqual({ keywords: rebuilt.keywords, body: rebuilt.body, level: rebuilt.level });
    }
    const untouched = before.docs.filter((d) => d.id !== `need:${a.slug}` && d.id !== `need:${b.slug}`);
    expect(after.docs.filter((d) => untouched.some((u) => u.id === d.id))).toEqual(untouched);
    expect(await search("磁悬浮轴承", "need")).toContain(a.slug);
  });

  test("a need moved to an enterprise not yet in the hub: the enterprise is added as a single save adds it, in the import's transaction", async () => {
    const rows = await exported("needs");
    const need = await db.need.findFirstOrThrow({ orderBy: { slug: "desc" } });
    expect(await db.enterprise.findUnique({ where: { name: "郑州台账新建装备有限公司" } })).toBeNull();
    const { counts } = await importSheet(await xlsx("需求", edited(rows, { [need.slug]: { 发布企业: "郑州台账新建装备有限公司" } })), "needs");
    expect(counts).toMatchObject({ created: 0, updated: 1 });
    const enterprise = await db.enterprise.findUniqueOrThrow({ where: { name: "郑州台账新建装备有限公司" } });
    expect(await db.need.findUniqueOrThrow({ where: { id: need.id } })).toMatchObject({ enterpriseId: enterprise.id, version: need.version + 1, review: need.review });
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `need:${need.slug}` } })).keywords).toBe((await buildDocument(db, "need", need.slug))!.keywords);
  });

  test("with one bad row among the changes: nothing is written, and the problem names the row", async () => {
    const rows = await exported("needs");
    const needs = rows.slice(1, 5).map((r) => r[0]);
    const before = await needSnapshot();
    const out = await upload(
      await xlsx(
        "需求",
        edited(rows, {
          [needs[0]]: { 需求标题: "改过的需求标题一" },
          [needs[1]]: { 状态: "进行到一半" },
          [needs[2]]: { 所需技能: "数控编程" },
        }),
      ),
    );
    expect(out.status).toBe(400);
    const row = rows.findIndex((r) => r[0] === needs[1]) + 1; // the sheet's row number, the header being row 1
    const problems = (out.data as { problems: { sheet: string; row: number; column: string }[] }).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ sheet: "需求", row, column: "状态" });
    expect(await needSnapshot()).toEqual(before);
    expect(await db.need.count({ where: { title: "改过的需求标题一" } })).toBe(0);
  });
});
