// Text that is not text: a lone UTF-16 surrogate in a body's text node (JSON.parse accepts "\ud800"),
// and NUL, bidi overrides and other control characters in titles and names. Each is refused with a
// 400 naming the field, everything typed comes back, and nothing is written.
import { beforeAll, describe, expect, test } from "vitest";
import { StudioSchema, ResultSchema } from "~/content/schema";
import { importContent } from "~/models/content-import.server";
import { PatentFormSchema, ResultFormSchema, StudioFormSchema } from "~/models/editing.server";
import { AdoptionSchema, AllianceSchema, NewResultSchema, ProjectSchema, RegisterSchema } from "~/models/form-schemas.server";
import * as resultEdit from "~/routes/results.$slug.edit";
import * as newResult from "~/routes/studios.$slug.results.new";
import { db } from "~/utils/db.server";
import { resultForm } from "../fixtures/editing";
import { actionArgs, createUser, postRequest, sessionCookie, settle, type Fields } from "../setup/auth";

const STUDIO = "xu-xin";
let cookie: string;
beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  cookie = await sessionCookie((await createUser({ studio: STUDIO })).id);
}, 120_000);

type Route = { action: (a: ReturnType<typeof actionArgs>) => unknown };
async function post(route: Route, url: string, params: Record<string, string>, fields: Fields) {
  return settle(async () => route.action(actionArgs(await postRequest(url, fields, { session: cookie }), params)));
}

const snapshot = async (slug: string) => {
  const r = await db.result.findUniqueOrThrow({ where: { slug } });
  return { r, revisions: await db.revision.count({ where: { subjectId: r.id } }), doc: await db.searchDoc.findUnique({ where: { id: `result:${slug}` } }) };
};

const HOSTILE = [
  ["NUL", "成果\u0000标题"],
  ["a right-to-left override", "报告\u202Egpj.exe"],
  ["a left-to-right isolate", "\u2066仿真平台\u2069"],
  ["a bell character", "成果\u0007"],
  ["a C1 control", "成果\u0085标题"],
  ["a lone surrogate", "成果\uD800"],
] as const;

describe("a lone surrogate in a body's text node", () => {
  test("publishing answers 400 at the body field, keeps what was typed, and writes nothing", async () => {
    const slug = "hmi-simulation-software";
    const before = await snapshot(slug);
    const body = JSON.stringify({
      root: {
        type: "root",
        version: 1,
        direction: "ltr",
        format: "",
        indent: 0,
        children: [
          {
            type: "paragraph",
            version: 1,
            direction: "ltr",
            format: "",
            indent: 0,
            children: [{ type: "text", version: 1, text: "仿真\uD83D平台", format: 0, detail: 0, mode: "normal", style: "" }],
          },
        ],
      },
    });
    const out = await post(resultEdit, `/results/${slug}/edit`, { slug }, await resultForm(slug, { title: "新标题：列车驾驶仿真", body }));
    expect(out.status).toBe(400);
    expect(out.data).toMatchObject({ errors: { body: "form.body.loneSurrogate" }, values: { title: "新标题：列车驾驶仿真" } });
    expect(await snapshot(slug)).toEqual(before);
  });
});

describe("control and bidi characters in titles", () => {
  // a form post is UTF-8: a lone surrogate arrives as U+FFFD, so it is only tested on the schemas
  test.each(HOSTILE.slice(0, -1))("a result title with %s is refused at the title field", async (_, title) => {
    const slug = "timetable-typesetting-system";
    const before = await snapshot(slug);
    const out = await post(resultEdit, `/results/${slug}/edit`, { slug }, await resultForm(slug, { title }));
    expect(out.status).toBe(400);
    expect(out.data).toMatchObject({ errors: { title: "form.controlChars" }, values: { title } });
    expect(await snapshot(slug)).toEqual(before);
  });

  test("a new result's title with a bidi override creates nothing", async () => {
    const count = await db.result.count();
    const out = await post(newResult, `/studios/${STUDIO}/results/new`, { slug: STUDIO }, { title: "报告\u202Egpj.exe" });
    expect(out.status).toBe(400);
    expect(await db.result.count()).toBe(count);
  });

  test("ordinary Chinese and English text, line breaks in long fields included, passes", () => {
    expect(NewResultSchema.safeParse({ title: "列车驾驶仿真平台 HMI v2（第二版）" }).success).toBe(true);
    expect(ProjectSchema.safeParse({ title: "联合攻关", goals: "第一行\n第二行\r\n\t缩进", lead: "xu-xin" }).success).toBe(true);
  });

  // every text field of every form schema, and the content front matter
  const fields: [string, { safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, Record<string, unknown>, string][] = [
    ["AdoptionSchema.newName", AdoptionSchema, { adoptedOn: "2024-01-01", benefit: "节省工时" }, "newName"],
    ["AdoptionSchema.benefit", AdoptionSchema, { newName: "郑州地铁", adoptedOn: "2024-01-01" }, "benefit"],
    ["ProjectSchema.title", ProjectSchema, { goals: "目标", lead: "xu-xin" }, "title"],
    ["ProjectSchema.goals", ProjectSchema, { title: "项目", lead: "xu-xin" }, "goals"],
    ["AllianceSchema.name", AllianceSchema, { theme: "轨道交通" }, "name"],
    ["AllianceSchema.theme", AllianceSchema, { name: "联盟" }, "theme"],
    ["RegisterSchema.name", RegisterSchema, { email: "a@example.cn", password: "correct-horse-battery" }, "name"],
    ["NewResultSchema.title", NewResultSchema, {}, "title"],
    ["ResultFormSchema.tags", ResultFormSchema, {}, "tags"],
    ["ResultFormSchema.benefits", ResultFormSchema, {}, "benefits"],
    ["StudioFormSchema.name", StudioFormSchema, {}, "name"],
    ["StudioFormSchema.honours", StudioFormSchema, {}, "honours"],
    ["PatentFormSchema.title", PatentFormSchema, {}, "title"],
  ];
  test.each(fields)("%s refuses each of them with form.controlChars", (_, schema, rest, field) => {
    for (const [, value] of HOSTILE) {
      const r = schema.safeParse({ ...rest, [field]: value });
      expect(r.success).toBe(false);
      expect(r.error!.issues.find((i) => i.path[0] === field)?.message).toBe("form.controlChars");
    }
  });

  test.each([
    ["studios", StudioSchema, "name"],
    ["results", ResultSchema, "title"],
  ] as const)("content front matter (%s) refuses them with a message for the import report", (_, schema, field) => {
    for (const [, value] of HOSTILE) {
      const r = schema.safeParse({ [field]: value });
      expect(r.error!.issues.find((i) => i.path[0] === field)?.message).toBe("must not contain control characters or text-direction overrides (such as U+202E)");
    }
  });
});
