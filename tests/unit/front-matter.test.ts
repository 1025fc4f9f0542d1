import { afterAll, describe, expect, test } from "vitest";
import type { z } from "zod";
import { loadContentDir, MAX_FILE_BYTES, parseContentFile, type Problem } from "~/content/load.server";
import { NeedSchema, PatentSchema, ResultSchema, StudioSchema } from "~/content/schema";
import { industry, md, need, needBody, patent, patentBody, removeTempDirs, result, resultBody, studio, studioBody, taxonomy, tempDir, writeFiles } from "../fixtures/content";

afterAll(removeTempDirs);

/** Problems found in one file's source, parsed with the given schema. */
function problemsOf<S extends z.ZodType>(source: string, schema: S, file = "studios/hengtian-cnc.md") {
  const problems: Problem[] = [];
  const parsed = parseContentFile(source, file, schema, problems);
  return { parsed, problems };
}

describe("parseContentFile: a good file", () => {
  test("gives the front matter with defaults, the body as Lexical JSON and its plain text", () => {
    const { parsed, problems } = problemsOf(md(studio(), studioBody), StudioSchema);
    expect(problems).toEqual([]);
    expect(parsed?.data).toMatchObject({
      name: "精密磨削技能大师工作室",
      enterprise: "洛河精密机床有限公司",
      level: "municipal",
      specialties: ["数控磨削", "工装夹具设计", "误差补偿"],
      founded: 2016,
      members: [],
      illustrative: false,
    });
    expect(JSON.parse(parsed!.body).root.type).toBe("root");
    expect(parsed?.bodyText).toContain("工作室由王建国领衔");
    expect(parsed?.bodyText).toContain("误差补偿：建立主轴热变形模型；");
  });

  test("accepts a byte-order mark and Windows line endings", () => {
    const source = "\uFEFF" + md(need(), needBody).replace(/\n/g, "\r\n");
    const { parsed, problems } = problemsOf(source, NeedSchema, "needs/casting-defect-vision.md");
    expect(problems).toEqual([]);
    expect(parsed?.data.title).toBe("铸件表面缺陷自动识别");
  });
});

describe("parseContentFile: the front matter itself", () => {
  test("a file without front matter is refused, saying how it must start", () => {
    const { parsed, problems } = problemsOf("# 精密磨削技能大师工作室\n\n工作室由王建国领衔。", StudioSchema);
    expect(parsed).toBeNull();
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "front matter", message: expect.stringMatching(/must start with YAML between two --- lines/) }]);
  });

  test("broken YAML is reported as a YAML error with its line", () => {
    const source = "---\nname: 精密磨削技能大师工作室\nspecialties: [数控磨削, 误差补偿\nfounded: 2016\n---\n工作室简介。";
    const { parsed, problems } = problemsOf(source, StudioSchema);
    expect(parsed).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "studios/hengtian-cnc.md", field: "front matter" });
    expect(problems[0].message).toMatch(/^YAML error: .*line \d+/);
  });

  test("a field given twice is a YAML error", () => {
    const source = "---\nname: 精密磨削技能大师工作室\nname: 数控磨削工作室\n---\n工作室简介。";
    const { problems } = problemsOf(source, StudioSchema);
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "front matter", message: expect.stringMatching(/^YAML error: .*unique/i) }]);
  });

  test("front matter that is a list or a plain string, not a mapping, is refused", () => {
    for (const yaml of ["- 精密磨削\n- 误差补偿", "只是一句话"]) {
      const { parsed, problems } = problemsOf(`---\n${yaml}\n---\n工作室简介。`, StudioSchema);
      expect(parsed).toBeNull();
      expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "front matter", message: "must be a YAML mapping of fields" }]);
    }
  });
});

describe("parseContentFile: fields", () => {
  test("an unknown field (a typo such as `specialities`) is named, and the real field is then missing", () => {
    const { specialties, ...rest } = studio();
    const { parsed, problems } = problemsOf(md({ ...rest, specialities: specialties }, studioBody), StudioSchema);
    expect(parsed).toBeNull();
    expect(problems).toEqual([
      { file: "studios/hengtian-cnc.md", field: "specialties", message: "is required" },
      { file: "studios/hengtian-cnc.md", field: "specialities", message: "is not a known field" },
    ]);
  });

  test("a missing required text field says it is required", () => {
    const { leader: _, ...rest } = studio();
    const { problems } = problemsOf(md(rest, studioBody), StudioSchema);
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "leader", message: "is required" }]);
  });

  test("a missing required choice field says it is required too, not that the option is invalid", () => {
    const { level: _, ...rest } = studio();
    const { problems } = problemsOf(md(rest, studioBody), StudioSchema);
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "level", message: "is required" }]);
  });

  test("a level outside the list (level: city) names the allowed values", () => {
    const { problems } = problemsOf(md(studio({ level: "city" }), studioBody), StudioSchema);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "studios/hengtian-cnc.md", field: "level" });
    for (const level of ["national", "provincial", "municipal", "enterprise"]) expect(problems[0].message).toContain(level);
  });

  test("a year written in words (founded: 两千年) says a number is expected", () => {
    const { problems } = problemsOf(md(studio({ founded: "两千年" }), studioBody), StudioSchema);
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "founded", message: expect.stringMatching(/number/) }]);
  });

  test("a year out of range gives the bound", () => {
    expect(problemsOf(md(studio({ founded: 1890 }), studioBody), StudioSchema).problems).toEqual([
      { file: "studios/hengtian-cnc.md", field: "founded", message: "must be 1949 or later" },
    ]);
    expect(problemsOf(md(result({ year: 2201 }), resultBody), ResultSchema, "results/spindle-thermal.md").problems).toEqual([
      { file: "results/spindle-thermal.md", field: "year", message: "must be 2100 or earlier" },
    ]);
    expect(problemsOf(md(studio({ founded: 2015.5 }), studioBody), StudioSchema).problems).toEqual([
      { file: "studios/hengtian-cnc.md", field: "founded", message: "must be a whole year" },
    ]);
  });

  test("an empty list where one entry is required (specialties: [])", () => {
    const { problems } = problemsOf(md(studio({ specialties: [] }), studioBody), StudioSchema);
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "specialties", message: "must list at least one specialty" }]);
  });

  test("an empty entry inside a list is named by its index", () => {
    const { problems } = problemsOf(md(result({ benefits: ["加工精度提高30%", "  "] }), resultBody), ResultSchema, "results/spindle-thermal.md");
    expect(problems).toEqual([{ file: "results/spindle-thermal.md", field: "benefits[1]", message: "must not be empty" }]);
  });

  test("a studio reference that is not a slug is refused", () => {
    const { problems } = problemsOf(md(result({ studio: "恒天数控工作室" }), resultBody), ResultSchema, "results/spindle-thermal.md");
    expect(problems).toEqual([{ file: "results/spindle-thermal.md", field: "studio", message: "must be a lowercase key such as rail-transit" }]);
  });
});

describe("parseContentFile: patent dates", () => {
  const file = "patents/spindle-temperature-compensation.md";

  test("a date in the wrong format", () => {
    const { problems } = problemsOf(md(patent({ filed: "2021/03/15" }), patentBody), PatentSchema, file);
    expect(problems).toEqual([{ file, field: "filed", message: "must be a date YYYY-MM-DD" }]);
  });

  test("a date that does not exist (month 13, 30 February)", () => {
    expect(problemsOf(md(patent({ filed: "2021-13-01", status: "filed", granted: undefined }), patentBody), PatentSchema, file).problems).toEqual([
      { file, field: "filed", message: "is not a real date" },
    ]);
    expect(problemsOf(md(patent({ granted: "2021-02-30" }), patentBody), PatentSchema, file).problems).toEqual([{ file, field: "granted", message: "is not a real date" }]);
  });

  test("an unquoted YAML date is read as the same day", () => {
    const source = [
      "---",
      "number: ZL202120456789.1",
      "title: 一种数控磨床主轴温度补偿装置",
      "kind: utility-model",
      "status: filed",
      "studio: hengtian-cnc",
      "filed: 2021-03-15",
      "---",
      patentBody,
    ].join("\n");
    const { parsed, problems } = problemsOf(source, PatentSchema, file);
    expect(problems).toEqual([]);
    expect(parsed?.data.filed).toBe("2021-03-15");
  });

  test("granted before filed", () => {
    const { problems } = problemsOf(md(patent({ filed: "2021-03-15", granted: "2020-12-01" }), patentBody), PatentSchema, file);
    expect(problems).toEqual([{ file, field: "granted", message: "must not be before the filing date" }]);
  });

  test("status granted without a granted date", () => {
    const { granted: _, ...rest } = patent();
    const { problems } = problemsOf(md(rest, patentBody), PatentSchema, file);
    expect(problems).toEqual([{ file, field: "granted", message: "is required when status is granted" }]);
  });

  test("a filed patent needs no granted date", () => {
    const { granted: _, ...rest } = patent({ status: "filed" });
    const { parsed, problems } = problemsOf(md(rest, patentBody), PatentSchema, file);
    expect(problems).toEqual([]);
    expect(parsed?.data).toMatchObject({ status: "filed", filed: "2021-03-15" });
    expect(parsed?.data.granted).toBeUndefined();
  });

  test("a patent number with spaces or Chinese characters is refused", () => {
    const { problems } = problemsOf(md(patent({ number: "专利 2021 2045" }), patentBody), PatentSchema, file);
    expect(problems).toEqual([{ file, field: "number", message: expect.stringMatching(/patent or registration number/) }]);
  });
});

describe("parseContentFile: the body", () => {
  test("raw HTML in the Markdown body is refused", () => {
    const { parsed, problems } = problemsOf(md(studio(), `工作室简介。\n\n<script>alert("工作室")</script>`), StudioSchema);
    expect(parsed).toBeNull();
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "body", message: "raw HTML is not allowed in Markdown bodies" }]);
  });

  test("HTML shown as code is not raw HTML", () => {
    const { problems } = problemsOf(md(studio(), '配置页面使用 `<div class="hmi">` 容器。'), StudioSchema);
    expect(problems).toEqual([]);
  });

  test("a javascript: link in the body is refused", () => {
    const { problems } = problemsOf(md(studio(), "详见[工作室介绍](javascript:alert(document.cookie))。"), StudioSchema);
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "body", message: expect.stringMatching(/link address must start with http/) }]);
  });

  test("an empty body is refused", () => {
    const { problems } = problemsOf(md(studio(), "   \n\n"), StudioSchema);
    expect(problems).toEqual([{ file: "studios/hengtian-cnc.md", field: "body", message: "is empty" }]);
  });

  test("front matter problems and body problems are all reported together", () => {
    const { problems } = problemsOf(md(studio({ level: "city" }), "<iframe src=x></iframe>"), StudioSchema);
    expect(problems.map((p) => p.field)).toEqual(["level", "body"]);
  });
});

describe("loadContentDir: files and folders", () => {
  test("a good folder loads every file with its slug and no problems", () => {
    const dir = writeFiles(tempDir(), {
      "taxonomy.yaml": taxonomy([industry({ key: "equipment-manufacturing", zh: "装备制造", en: "Equipment manufacturing" })]),
      "studios/hengtian-cnc.md": md(studio(), studioBody),
      "results/spindle-thermal.md": md(result(), resultBody),
      "patents/spindle-temperature-compensation.md": md(patent(), patentBody),
      "needs/casting-defect-vision.md": md(need(), needBody),
    });
    const set = loadContentDir(dir);
    expect(set.problems).toEqual([]);
    expect(set.industries?.map((i) => i.key)).toEqual(["equipment-manufacturing"]);
    expect(set.studios.map((s) => [s.file, s.slug])).toEqual([["studios/hengtian-cnc.md", "hengtian-cnc"]]);
    expect(set.results.map((s) => s.slug)).toEqual(["spindle-thermal"]);
    expect(set.patents.map((s) => s.data.number)).toEqual(["ZL202120456789.1"]);
    expect(set.needs.map((s) => s.data.enterprise)).toEqual(["郑州中铸机械有限公司"]);
  });

  test("bad files of every kind are each named with file and field; good files still load", () => {
    const dir = writeFiles(tempDir(), {
      "studios/hengtian-cnc.md": md(studio(), studioBody),
      "studios/Upper_Case.md": md(studio(), studioBody),
      "studios/notes.txt": "工作室会议纪要",
      "studios/.DS_Store": "ignored",
      "studios/huge-profile.md": md(studio(), "工作室简介。".repeat(Math.ceil(MAX_FILE_BYTES / 18) + 100)),
      "results/no-front-matter.md": "# 主轴热变形误差补偿方法\n\n没有前言。",
      "patents/granted-early.md": md(patent({ granted: "2020-01-01" }), patentBody),
      "needs/city-level.md": md(need({ status: "pending" }), needBody),
    });
    const set = loadContentDir(dir);
    expect(set.studios.map((s) => s.slug)).toEqual(["hengtian-cnc"]);
    expect(set.results).toEqual([]);
    expect(set.problems).toEqual([
      { file: "studios/Upper_Case.md", field: "slug", message: "file name must be a slug of lowercase letters, digits and dashes" },
      { file: "studios/huge-profile.md", field: "-", message: expect.stringMatching(/^is \d+ KB; the limit is 256 KB$/) },
      { file: "studios/notes.txt", field: "-", message: "is not a Markdown (.md) file" },
      { file: "results/no-front-matter.md", field: "front matter", message: expect.stringMatching(/^missing/) },
      { file: "patents/granted-early.md", field: "granted", message: "must not be before the filing date" },
      { file: "needs/city-level.md", field: "status", message: expect.stringContaining('"open"') },
    ]);
  });

  test("a file just under the size limit is read", () => {
    const front = md(studio(), "");
    const filler = "精".repeat(Math.floor((MAX_FILE_BYTES - Buffer.byteLength(front) - 10) / 3));
    const dir = writeFiles(tempDir(), { "studios/big-but-fine.md": front + filler });
    const set = loadContentDir(dir);
    expect(set.problems).toEqual([]);
    expect(set.studios[0].bodyText.length).toBe(filler.length);
  });

  test("a folder that does not exist, or holds no content, says so", () => {
    expect(loadContentDir("/no/such/folder").problems).toEqual([{ file: "/no/such/folder", field: "-", message: "is not a folder" }]);
    const empty = tempDir();
    expect(loadContentDir(empty).problems).toEqual([{ file: empty, field: "-", message: "has no taxonomy.yaml and none of studios/, results/, patents/, needs/" }]);
  });
});

describe("loadContentDir: taxonomy.yaml", () => {
  const load = (yaml: string) => loadContentDir(writeFiles(tempDir(), { "taxonomy.yaml": yaml }));

  test("a duplicate industry key is named by its position", () => {
    const set = load(
      taxonomy([
        industry({ key: "rail-transit", zh: "城市轨道交通", en: "Urban rail transit" }),
        industry(),
        industry({ key: "rail-transit", zh: "轨道交通", en: "Rail transit" }),
      ]),
    );
    expect(set.problems).toEqual([{ file: "taxonomy.yaml", field: "industries[2].key", message: '"rail-transit" is listed twice' }]);
  });

  test("a related key that is not an industry is named by its position", () => {
    const set = load(taxonomy([industry({ related: ["rail-transit"] }), industry({ key: "rail-transit", zh: "城市轨道交通", en: "Urban rail transit", related: ["power-grid"] })]));
    expect(set.problems).toEqual([{ file: "taxonomy.yaml", field: "industries[1].related[0]", message: 'unknown industry "power-grid"' }]);
  });

  test("a bad sector, a missing name and an unknown field inside an industry", () => {
    const set = load(taxonomy([industry({ sector: "sunrise" }), { key: "power-grid", en: "Power grid", sector: "traditional", colour: "blue" }]));
    expect(set.industries).toBeNull();
    expect(set.problems).toEqual(
      expect.arrayContaining([
        { file: "taxonomy.yaml", field: "industries[0].sector", message: expect.stringContaining("traditional") },
        { file: "taxonomy.yaml", field: "industries[1].zh", message: "is required" },
        { file: "taxonomy.yaml", field: "industries[1].colour", message: "is not a known field" },
      ]),
    );
    expect(set.problems).toHaveLength(3);
  });

  test("broken YAML and an empty industry list", () => {
    expect(load("industries:\n  - key: rail-transit\n   zh: 城市轨道交通").problems).toEqual([
      { file: "taxonomy.yaml", field: "-", message: expect.stringMatching(/^YAML error: /) },
    ]);
    expect(load("industries: []\n").problems).toEqual([{ file: "taxonomy.yaml", field: "industries", message: "must list at least one industry" }]);
  });
});
