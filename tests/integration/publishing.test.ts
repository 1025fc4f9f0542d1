import { beforeAll, describe, expect, test } from "vitest";
import { renderBodyHtml } from "~/lexical/render.server";
import { importContent } from "~/models/content-import.server";
import * as apiResult from "~/routes/api.results.$slug";
import * as apiSearch from "~/routes/api.search";
import * as patentEdit from "~/routes/patents.$slug.edit";
import * as resultPage from "~/routes/results.$slug";
import * as resultEdit from "~/routes/results.$slug.edit";
import * as resultHistory from "~/routes/results.$slug.history";
import * as studioPage from "~/routes/studios.$slug";
import * as studioEdit from "~/routes/studios.$slug.edit";
import * as newPatent from "~/routes/studios.$slug.patents.new";
import * as newResult from "~/routes/studios.$slug.results.new";
import { isPostgres } from "~/utils/db-provider.server";
import { db } from "~/utils/db.server";
import { body, heading, link, list, newPatentForm, paragraph, patentForm, resultForm, studioForm, text } from "../fixtures/editing";
import { actionArgs, createUser, getRequest, postRequest, sessionCookie, settle, type Fields, type TestUser } from "../setup/auth";

// A studio member writes a result in the editor and publishes it; bad forms, hostile bodies, forged
// studios and stale edits each get a clear answer and write nothing.

const STUDIO = "xu-xin";
const OUR_PATENT = "ZL202120100011.6"; // xu-xin's
const THEIR_PATENT = "2023SR0100024"; // metro-signal's

let member: TestUser;
let colleague: TestUser;
let memberCookie: string;
let colleagueCookie: string;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  member = await createUser({ studio: STUDIO, name: "张工" });
  colleague = await createUser({ studio: STUDIO, name: "李工" });
  memberCookie = await sessionCookie(member.id);
  colleagueCookie = await sessionCookie(colleague.id);
});

type Route = { action: (a: ReturnType<typeof actionArgs>) => unknown };
async function post(route: Route, url: string, params: Record<string, string>, fields: Fields, cookie = memberCookie) {
  const request = await postRequest(url, fields, { session: cookie });
  return settle(() => route.action(actionArgs(request, params)));
}
const publish = (slug: string, fields: Fields, cookie = memberCookie) => post(resultEdit, `/results/${slug}/edit`, { slug }, fields, cookie);
const page = (slug: string) => settle(() => resultPage.loader(actionArgs(getRequest(`/results/${slug}`), { slug })));
const studio = () => studioPage.loader(actionArgs(getRequest(`/studios/${STUDIO}`), { slug: STUDIO }));
async function search(q: string) {
  const res = await apiSearch.loader(actionArgs(getRequest(`/api/search?q=${encodeURIComponent(q)}`)));
  return (await res.json()) as { hits: { type: string; slug: string; title: string }[] };
}

/** A new unpublished result of the studio, started the way the "new result" page starts one. */
async function startResult(title: string): Promise<string> {
  const out = await post(newResult, `/studios/${STUDIO}/results/new`, { slug: STUDIO }, { title });
  expect(out.status).toBe(302);
  return /^\/results\/(.+)\/edit$/.exec(out.location!)![1];
}

/** A complete, valid result form. */
async function validForm(slug: string, o: Fields = {}): Promise<Fields> {
  return resultForm(slug, {
    kind: "process",
    industry: "rail-transit",
    tags: "车门，故障诊断，地铁",
    benefits: "故障定位时间由40分钟缩短至10分钟\n误报率下降50%",
    status: "in-use",
    adopters: "郑州地铁集团有限公司",
    year: "2024",
    awards: "",
    visibility: "public",
    patents: [OUR_PATENT],
    body: body("车门故障快速诊断方法的正文。"),
    ...o,
  });
}

/** Everything a publish could have touched for one result, to compare before and after a refusal. */
async function stateOf(slug: string) {
  const r = await db.result.findUniqueOrThrow({ where: { slug }, include: { patents: true } });
  return {
    result: r,
    revisions: await db.revision.count({ where: { subjectId: r.id } }),
    activities: await db.activity.count({ where: { subjectId: r.id } }),
    searchDoc: await db.searchDoc.findUnique({ where: { id: `result:${slug}` } }),
    patents: await db.patent.count(),
  };
}

describe("publishing a new result", () => {
  test("new → draft → publish: the result, its revision, activity and search document appear together", async () => {
    const title = "地铁车门故障快速诊断方法";
    const slug = await startResult(title);
    const draft = await db.result.findUniqueOrThrow({ where: { slug } });
    expect(draft).toMatchObject({ title, published: false, version: 0 });
    expect((await page(slug)).status).toBe(404);
    expect(await db.searchDoc.findUnique({ where: { id: `result:${slug}` } })).toBeNull();

    const editor = await resultEdit.loader(actionArgs(getRequest(`/results/${slug}/edit`, memberCookie), { slug }));
    expect(editor.result).toMatchObject({ slug, published: false, version: 0 });
    expect(editor.form.title).toBe(title);
    expect(editor.studioPatents.map((p) => p.number)).toEqual([OUR_PATENT]);

    const richBody = body(
      heading("h2", text("要解决的问题")),
      paragraph(text("车门故障定位"), text("依赖经验", 1), text("，耗时长。")),
      list("bullet", [text("采集门控器日志")], [text("按故障树自动推理")]),
      paragraph(link("https://example.cn/door", text("详细说明"))),
    );
    const out = await publish(slug, await validForm(slug, { body: richBody }));
    expect(out).toMatchObject({ status: 302, location: `/results/${slug}?published=1` });

    const r = await db.result.findUniqueOrThrow({ where: { slug }, include: { patents: { include: { patent: true } } } });
    expect(r).toMatchObject({ published: true, version: 1, kind: "process", status: "in-use", year: 2024, visibility: "public", draft: null });
    expect(JSON.parse(r.tags)).toEqual(["车门", "故障诊断", "地铁"]);
    expect(JSON.parse(r.benefits)).toEqual(["故障定位时间由40分钟缩短至10分钟", "误报率下降50%"]);
    expect(r.patents.map((p) => p.patent.number)).toEqual([OUR_PATENT]);
    expect(r.bodyText).toContain("按故障树自动推理");

    const revision = await db.revision.findUniqueOrThrow({ where: { subjectType_subjectId_version: { subjectType: "result", subjectId: r.id, version: 1 } } });
    expect(revision.authorId).toBe(member.id);
    expect(JSON.parse(revision.data)).toMatchObject({ title, body: r.body });
    expect(await db.activity.findFirst({ where: { subjectId: r.id } })).toMatchObject({ verb: "result.published", actorId: member.id, summary: title });
    const doc = await db.searchDoc.findUniqueOrThrow({ where: { id: `result:${slug}` } });
    expect(doc).toMatchObject({ title, url: `/results/${slug}`, studioSlug: STUDIO });
    expect(doc.body).toContain("按故障树自动推理");

    // what a visitor sees: the page, rendered from the whitelist; the studio page; search
    const shown = await page(slug);
    expect(shown.status).toBe(200);
    const html = (shown.data as { result: { html: string } }).result.html;
    expect(html).toContain("<h2>要解决的问题</h2>");
    expect(html).toContain("<strong>依赖经验</strong>");
    expect(html).toContain("<ul><li>采集门控器日志</li><li>按故障树自动推理</li></ul>");
    expect(html).toContain('<a href="https://example.cn/door" rel="noopener noreferrer nofollow">详细说明</a>');
    expect((shown.data as { patents: { number: string }[] }).patents.map((p) => p.number)).toEqual([OUR_PATENT]);
    const s = await studio();
    expect(s.results.map((x) => x.slug)).toContain(slug);
    expect(s.activities[0]).toMatchObject({ verb: "result.published", summary: title });
    expect((await search("车门故障快速诊断")).hits.map((h) => h.slug)).toContain(slug);
  });

  test("the search document is written in the same transaction: when indexing fails, nothing is published", async () => {
    const slug = await startResult("索引失败测试成果");
    const before = await stateOf(slug);
    const postgres = isPostgres(db);
    if (postgres) {
      await db.$executeRawUnsafe(
        `CREATE FUNCTION refuse_index() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.title LIKE '%索引失败%' THEN RAISE EXCEPTION 'index is down'; END IF; RETURN NEW; END $$`,
      );
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_index BEFORE INSERT ON "SearchDoc" FOR EACH ROW EXECUTE FUNCTION refuse_index()`);
    } else {
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_index BEFORE INSERT ON SearchDoc WHEN NEW.title LIKE '%索引失败%' BEGIN SELECT RAISE(ABORT, 'index is down'); END`);
    }
    try {
      await expect(publish(slug, await validForm(slug))).rejects.toThrow(/index is down/);
    } finally {
      if (postgres) {
        await db.$executeRawUnsafe(`DROP TRIGGER refuse_index ON "SearchDoc"`);
        await db.$executeRawUnsafe(`DROP FUNCTION refuse_index()`);
      } else await db.$executeRawUnsafe("DROP TRIGGER refuse_index");
    }
    expect(await stateOf(slug)).toEqual(before);
    expect(before.result.published).toBe(false);
  });
});

describe("a form with errors", () => {
  test("comes back 400 with a message at each bad field and everything typed, and writes nothing", async () => {
    const slug = await startResult("待修改的成果");
    const before = await stateOf(slug);
    const tooManyTags = Array.from({ length: 21 }, (_, i) => `标签${i}`).join("，");
    const typed = {
      title: "   ",
      kind: "spaceship",
      industry: "rail-transit",
      tags: tooManyTags,
      benefits: "节省人工\n" + "很长".repeat(200),
      status: "in-use",
      adopters: "郑州地铁集团有限公司\n洛阳轴承厂",
      year: "二〇二四",
      awards: "河南省职工技术创新成果一等奖",
      visibility: "everyone",
      body: "",
    };
    const out = await publish(slug, await validForm(slug, typed));
    expect(out.status).toBe(400);
    const { errors, values } = out.data as { errors: Record<string, string>; values: Record<string, string> };
    expect(errors).toEqual({
      title: "form.required",
      kind: "form.invalid",
      tags: "form.tooMany",
      benefits: "form.tooLong",
      year: "form.invalid",
      visibility: "form.invalid",
      body: "form.bodyRequired",
    });
    expect(values).toMatchObject({ ...typed, patents: OUR_PATENT, studio: STUDIO });
    expect(values).not.toHaveProperty("csrf");
    expect(await stateOf(slug)).toEqual(before);
  });

  test("a year out of range and an unknown industry are named at their fields", async () => {
    const slug = await startResult("年份错误的成果");
    const before = await stateOf(slug);
    const out = await publish(slug, await validForm(slug, { year: "1900" }));
    expect(out).toMatchObject({ status: 400, data: { errors: { year: "form.yearRange" }, values: { year: "1900" } } });
    const unknown = await publish(slug, await validForm(slug, { industry: "no-such-industry" }));
    expect(unknown).toMatchObject({ status: 400, data: { errors: { industry: "form.invalid" }, values: { industry: "no-such-industry" } } });
    expect(await stateOf(slug)).toEqual(before);
  });

  test("the studio and patent forms answer the same way", async () => {
    const s = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
    const studioOut = await post(studioEdit, `/studios/${STUDIO}/edit`, { slug: STUDIO }, await studioForm(STUDIO, { name: "", founded: "明年", specialties: "" }));
    expect(studioOut).toMatchObject({
      status: 400,
      data: { errors: { name: "form.required", founded: "form.invalid", specialties: "form.required" }, values: { name: "", founded: "明年" } },
    });
    expect((await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).version).toBe(s.version);

    const patents = await db.patent.count();
    const patentOut = await post(
      newPatent,
      `/studios/${STUDIO}/patents/new`,
      { slug: STUDIO },
      newPatentForm(STUDIO, 1, { number: "专利号", status: "granted", filed: "2024/3/18" }),
    );
    expect(patentOut).toMatchObject({
      status: 400,
      data: { errors: { number: "form.patentNumber", filed: "form.date" }, values: { number: "专利号", filed: "2024/3/18", status: "granted" } },
    });
    const granted = await post(newPatent, `/studios/${STUDIO}/patents/new`, { slug: STUDIO }, newPatentForm(STUDIO, 2, { status: "granted", granted: "" }));
    expect(granted).toMatchObject({ status: 400, data: { errors: { granted: "form.grantedRequired" } } });
    const taken = await post(newPatent, `/studios/${STUDIO}/patents/new`, { slug: STUDIO }, newPatentForm(STUDIO, 3, { number: OUR_PATENT }));
    expect(taken).toMatchObject({ status: 400, data: { errors: { number: "form.patentNumberTaken" } } });
    expect(await db.patent.count()).toBe(patents);
  });
});

describe("bad bodies are refused at the body field, and nothing is written", () => {
  const nested = (depth: number): Record<string, unknown> =>
    depth === 0 ? text("最深处") : { type: "quote", version: 1, direction: "ltr", format: "", indent: 0, children: [nested(depth - 1)] };
  const root = (...children: unknown[]) => JSON.stringify({ root: { type: "root", version: 1, direction: "ltr", format: "", indent: 0, children } });

  test.each([
    ["malformed JSON", '{"root": {"type": "root", "children": [', "body is not well-formed JSON"],
    ["an oversize body (> 512 KB)", body("很长的正文".repeat(40_000)), "body is larger than 512 KB"],
    ["not an editor state", JSON.stringify({ html: "<p>hi</p>" }), "body must be a Lexical editor state with a root node"],
    ["an unknown node type", root({ type: "html", version: 1, html: "<script>alert(1)</script>" }), 'node type "html" is not allowed'],
    ["a javascript: link", body(paragraph(link("javascript:alert(1)", text("点我")))), "link address must start with http://, https://, mailto: or /"],
    ["a javascript: link hidden by a tab", body(paragraph(link("java\tscript:alert(1)", text("点我")))), "link address must start with http://, https://, mailto: or /"],
    ["a data: link", body(paragraph(link("data:text/html,<script>alert(1)</script>", text("点我")))), "link address must start with http://, https://, mailto: or /"],
    ["an image from another site", root(paragraph({ type: "image", version: 1, src: "https://evil.example/x.png", altText: "" })), "image source must be an uploaded file"],
    ["a heading that is not h1–h6", root(heading("script", text("标题"))), "heading tag must be h1–h6"],
    ["a body nested 30 levels deep", root(nested(30)), "body is nested deeper than 24 levels"],
    ["a body of nothing but spaces", body("   "), "form.bodyRequired"],
  ])("%s", async (_, bad, message) => {
    const slug = await startResult("坏正文测试");
    const before = await stateOf(slug);
    const out = await publish(slug, await validForm(slug, { title: "保留的标题", body: bad }));
    expect(out.status).toBe(400);
    const { errors, values } = out.data as { errors: Record<string, string>; values: Record<string, string> };
    expect(errors).toEqual({ body: message });
    expect(values.title).toBe("保留的标题");
    expect(await stateOf(slug)).toEqual(before);
  });
});

describe("hostile bodies", () => {
  test("script and img tags typed as text are stored as text and rendered escaped", async () => {
    const slug = await startResult("含有尖括号的成果");
    const hostile = "<script>alert(1)</script> 和 <img src=x onerror=alert(1)>";
    const out = await publish(slug, await validForm(slug, { body: body(hostile, heading("h3", text('"><svg onload=alert(1)>'))) }));
    expect(out.status).toBe(302);
    const stored = await db.result.findUniqueOrThrow({ where: { slug } });
    expect(stored.bodyText).toContain(hostile);

    for (const html of [renderBodyHtml(stored.body), ((await page(slug)).data as { result: { html: string } }).result.html]) {
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; 和 &lt;img src=x onerror=alert(1)&gt;");
      expect(html).toContain("&quot;&gt;&lt;svg onload=alert(1)&gt;");
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<img/i);
      expect(html).not.toMatch(/<svg/i);
      expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i); // no event-handler attribute on any tag
    }
  });

  test("event handlers, styles and unknown attributes on allowed nodes are dropped, not stored", async () => {
    const slug = await startResult("带多余属性的成果");
    const sneaky = JSON.stringify({
      root: {
        type: "root",
        version: 1,
        direction: "ltr",
        format: "",
        indent: 0,
        children: [
          { ...paragraph(text("正文", 0)), onclick: "alert(1)", style: "background:url(javascript:alert(1))", className: "x" },
          { ...paragraph({ ...link("https://example.cn/", text("链接")), target: "_self", onmouseover: "alert(1)", rel: "opener" }) },
          { ...paragraph({ ...text("样式"), style: "position:fixed;top:0", onerror: "alert(1)", format: 99999 }) },
        ],
      },
    });
    expect((await publish(slug, await validForm(slug, { body: sneaky }))).status).toBe(302);
    const stored = (await db.result.findUniqueOrThrow({ where: { slug } })).body;
    for (const word of ["onclick", "onmouseover", "onerror", "javascript", "position:fixed", "className", "_self", "opener"]) expect(stored).not.toContain(word);
    const html = ((await page(slug)).data as { result: { html: string } }).result.html;
    expect(html).toBe('<p>正文</p><p><a href="https://example.cn/" rel="noopener noreferrer nofollow">链接</a></p><p>样式</p>');
  });
});

describe("forged and stale edits", () => {
  test("a forged studio field is refused with 403 and writes nothing", async () => {
    const slug = await startResult("伪造工作室的成果");
    const before = await stateOf(slug);
    const out = await publish(slug, await validForm(slug, { studio: "metro-signal" }));
    expect(out).toMatchObject({ status: 403, data: { errors: { _form: "form.forgedStudio" } } });
    expect(await stateOf(slug)).toEqual(before);

    const patents = await db.patent.count();
    const forgedPatent = await post(newPatent, `/studios/${STUDIO}/patents/new`, { slug: STUDIO }, newPatentForm("metro-signal", 10));
    expect(forgedPatent).toMatchObject({ status: 403, data: { errors: { _form: "form.forgedStudio" } } });
    const s = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
    const forgedStudio = await post(studioEdit, `/studios/${STUDIO}/edit`, { slug: STUDIO }, await studioForm(STUDIO, { studio: "metro-signal", name: "改名" }));
    expect(forgedStudio.status).toBe(403);
    expect(await db.patent.count()).toBe(patents);
    expect(await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).toMatchObject({ name: s.name, version: s.version });
  });

  test("a stale version is refused with 409; the typed values come back and the saved record stays", async () => {
    const slug = await startResult("两人同时编辑的成果");
    expect((await publish(slug, await validForm(slug))).status).toBe(302);
    const mine = await validForm(slug, { title: "张工的修改" }); // both open the editor at version 1
    const theirs = await validForm(slug, { title: "李工的修改" });
    expect((await publish(slug, theirs, colleagueCookie)).status).toBe(302);
    const saved = await stateOf(slug);
    expect(saved.result).toMatchObject({ title: "李工的修改", version: 2 });

    const out = await publish(slug, mine);
    expect(out.status).toBe(409);
    const d = out.data as { errors: Record<string, string>; values: Record<string, string>; stale: { by: string; at: string } };
    expect(d.errors).toEqual({ _form: "form.stale" });
    expect(d.values).toMatchObject({ title: "张工的修改", tags: "车门，故障诊断，地铁", version: "1" });
    expect(d.stale.by).toBe("李工");
    expect(new Date(d.stale.at).getTime()).toBe(saved.result.updatedAt.getTime());
    expect(await stateOf(slug)).toEqual(saved);
  });

  test("a stale studio profile or patent is refused the same way", async () => {
    const s = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
    const stale = await post(studioEdit, `/studios/${STUDIO}/edit`, { slug: STUDIO }, await studioForm(STUDIO, { version: String(s.version - 1), name: "旧版本上的修改" }));
    expect(stale).toMatchObject({ status: 409, data: { values: { name: "旧版本上的修改" } } });
    expect((await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).version).toBe(s.version);
    const p = await db.patent.findFirstOrThrow({ where: { number: OUR_PATENT } });
    const stalePatent = await post(patentEdit, `/patents/${p.slug}/edit`, { slug: p.slug }, await patentForm(p.slug, { version: String(p.version + 5) }));
    expect(stalePatent.status).toBe(409);
    expect((await db.patent.findUniqueOrThrow({ where: { id: p.id } })).version).toBe(p.version);
  });

  test("linking another studio's patent (or one that does not exist) is refused at the patents field", async () => {
    const slug = await startResult("关联他人专利的成果");
    const before = await stateOf(slug);
    for (const patents of [[THEIR_PATENT], [OUR_PATENT, THEIR_PATENT], ["ZL209999999999.9"]]) {
      const out = await publish(slug, await validForm(slug, { patents }));
      expect(out).toMatchObject({ status: 400, data: { errors: { patents: "form.patentNotOurs" }, values: { patents: patents.join("\n") } } });
    }
    expect(await stateOf(slug)).toEqual(before);
  });
});

describe("autosave and drafts", () => {
  test("autosave keeps the form as a draft without publishing; publishing clears it", async () => {
    const slug = await startResult("自动保存的成果");
    expect((await publish(slug, await validForm(slug, { title: "已发布的标题" }))).status).toBe(302);
    const published = await stateOf(slug);

    const out = await publish(slug, await validForm(slug, { intent: "autosave", title: "还在写的标题", tags: "草稿标签", body: body("写到一半的正文") }));
    expect(out.status).toBe(200);
    expect(out.data).toMatchObject({ ok: true });
    const after = await stateOf(slug);
    const draft = JSON.parse(after.result.draft!);
    expect(draft).toMatchObject({ title: "还在写的标题", tags: "草稿标签", patents: [OUR_PATENT] });
    expect(draft.body).toContain("写到一半的正文");
    expect(draft).not.toHaveProperty("csrf");
    expect(after.result.draftAt!.toISOString()).toBe((out.data as { savedAt: string }).savedAt);
    // nothing published: same version, same search document, same public page
    expect(after.result).toMatchObject({ version: published.result.version, title: "已发布的标题", body: published.result.body });
    expect(after.searchDoc).toEqual(published.searchDoc);
    expect(after.revisions).toBe(published.revisions);
    expect(((await page(slug)).data as { result: { title: string } }).result.title).toBe("已发布的标题");

    // reopening the editor restores the draft
    const editor = await resultEdit.loader(actionArgs(getRequest(`/results/${slug}/edit`, memberCookie), { slug }));
    expect(editor.form).toMatchObject({ title: "还在写的标题", tags: "草稿标签" });
    expect(editor.draftAt).toBe(after.result.draftAt!.toISOString());

    expect((await publish(slug, await validForm(slug, { title: "还在写的标题", version: String(published.result.version) }))).status).toBe(302);
    const done = await db.result.findUniqueOrThrow({ where: { slug } });
    expect(done).toMatchObject({ title: "还在写的标题", draft: null, draftAt: null, version: published.result.version + 1 });
  });

  test("an autosave larger than the draft limit is refused (413) and stores nothing", async () => {
    const slug = await startResult("过大的草稿");
    const out = await publish(slug, await validForm(slug, { intent: "autosave", body: "长".repeat(700 * 1024) }));
    expect(out.status).toBe(413);
    expect(out.data).toMatchObject({ ok: false });
    expect(await db.result.findUniqueOrThrow({ where: { slug } })).toMatchObject({ draft: null, draftAt: null });
  });
});

describe("history", () => {
  test("lists every version with its author, shows an earlier body, and restores it as a new version", async () => {
    const slug = await startResult("有历史的成果");
    expect((await publish(slug, await validForm(slug, { body: body("第一版正文：人工排查") }))).status).toBe(302);
    expect((await publish(slug, await validForm(slug, { body: body("第二版正文：自动诊断") }), colleagueCookie)).status).toBe(302);

    const history = await resultHistory.loader(actionArgs(getRequest(`/results/${slug}/history?v=1`, memberCookie), { slug }));
    expect(history.current).toBe(2);
    expect(history.revisions.map((r) => [r.version, r.by])).toEqual([
      [2, "李工"],
      [1, "张工"],
    ]);
    expect(history.revisions[0].changed).toEqual(["body"]);
    expect(history.viewing).toEqual({ version: 1, html: "<p>第一版正文：人工排查</p>" });

    const out = await post(resultHistory, `/results/${slug}/history`, { slug }, { intent: "restore", version: "1" });
    expect(out).toMatchObject({ status: 302, location: "?restored=1" });
    const r = await db.result.findUniqueOrThrow({ where: { slug } });
    expect(r.version).toBe(3);
    expect(r.bodyText).toBe("第一版正文：人工排查");
    expect(await db.revision.findUnique({ where: { subjectType_subjectId_version: { subjectType: "result", subjectId: r.id, version: 3 } } })).toMatchObject({
      authorId: member.id,
    });
    expect(((await page(slug)).data as { result: { html: string } }).result.html).toBe("<p>第一版正文：人工排查</p>");
    expect((await db.searchDoc.findUniqueOrThrow({ where: { id: `result:${slug}` } })).body).toBe("第一版正文：人工排查");
    const again = await resultHistory.loader(actionArgs(getRequest(`/results/${slug}/history`, memberCookie), { slug }));
    expect(again.revisions.map((x) => [x.version, x.by])).toEqual([
      [3, "张工"],
      [2, "李工"],
      [1, "张工"],
    ]);
  });

  test("restoring a version that does not exist is a 400 and writes nothing", async () => {
    const slug = await startResult("无法恢复的成果");
    expect((await publish(slug, await validForm(slug))).status).toBe(302);
    const before = await stateOf(slug);
    for (const version of ["99", "0", "abc"]) {
      const out = await post(resultHistory, `/results/${slug}/history`, { slug }, { intent: "restore", version });
      expect(out).toMatchObject({ status: 400, data: { error: { code: "bad_request", field: "version" } } });
    }
    expect(await stateOf(slug)).toEqual(before);
  });
});

describe("visibility", () => {
  test("an alliance-only result is not on the public page, the API, search, or the studio page", async () => {
    const title = "仅联盟可见的信号联锁调试经验";
    const slug = await startResult(title);
    expect((await publish(slug, await validForm(slug, { title, visibility: "alliance", body: body("联锁调试的内部经验，暂不公开。") }))).status).toBe(302);
    expect(await db.result.findUniqueOrThrow({ where: { slug } })).toMatchObject({ published: true, visibility: "alliance" });

    expect((await page(slug)).status).toBe(404);
    const api = await apiResult.loader(actionArgs(getRequest(`/api/results/${slug}`), { slug }));
    expect(api.status).toBe(404);
    expect(await db.searchDoc.findUnique({ where: { id: `result:${slug}` } })).toBeNull();
    expect((await search("联锁调试")).hits.map((h) => h.slug)).not.toContain(slug);
    const s = await studio();
    expect(s.results.map((r) => r.slug)).not.toContain(slug);
    expect(JSON.stringify(s)).not.toContain(title);

    // made public, it appears; made alliance-only again, it leaves the index
    expect((await publish(slug, await validForm(slug, { title, visibility: "public", body: body("联锁调试的经验，现已公开。") }))).status).toBe(302);
    expect((await page(slug)).status).toBe(200);
    expect((await search("联锁调试")).hits.map((h) => h.slug)).toContain(slug);
    expect((await publish(slug, await validForm(slug, { title, visibility: "alliance", version: "2" }))).status).toBe(302);
    expect(await db.searchDoc.findUnique({ where: { id: `result:${slug}` } })).toBeNull();
    expect((await search("联锁调试")).hits.map((h) => h.slug)).not.toContain(slug);
    expect((await page(slug)).status).toBe(404);
  });
});
