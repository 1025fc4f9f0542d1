import { beforeAll, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import * as editor from "~/routes/studios.$slug.people";
import { db } from "~/utils/db.server";
import { createUser, postRequest, sessionCookie, settle } from "../setup/auth";

// A studio admin keeps the studio's people at /studios/:slug/people (who may is in the authorization matrix).

const STUDIO = "yuzhong-hydraulic-support";
let cookie: string;
beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  cookie = await sessionCookie((await createUser({ studio: STUDIO, studioRole: "admin" })).id);
});
const post = async (fields: Record<string, string>) =>
  settle(async () => editor.action({ request: await postRequest(`/studios/${STUDIO}/people`, fields, { session: cookie }), params: { slug: STUDIO }, context: {} }));

test("saving honours, skills and a profile matches the honours and shows them on the person's page and in the directory", async () => {
  const p = await db.person.findFirstOrThrow({ where: { name: "赵红卫", studio: { slug: STUDIO } } });
  const out = await post({ intent: "save", person: p.id, honours: "郑州市劳动模范\n厂级技术标兵", skills: "液压试验、密封件选型", bio: "负责液压件出厂试验。" });
  expect(out.status).toBe(200);
  const after = await db.person.findUniqueOrThrow({ where: { id: p.id }, include: { honourLinks: { orderBy: { sortOrder: "asc" } } } });
  expect(after.honourLinks.map((h) => [h.text, h.honourKey])).toEqual([
    ["郑州市劳动模范", "municipal-model-worker"],
    ["厂级技术标兵", null],
  ]);
  expect(after).toMatchObject({ skills: '["液压试验","密封件选型"]', bio: "负责液压件出厂试验。", slug: p.slug });
});

test("bad input is refused with the field named, the typed text comes back, and nothing is written", async () => {
  const p = await db.person.findFirstOrThrow({ where: { name: "马小龙", studio: { slug: STUDIO } } });
  const long = "很长的简介".repeat(300);
  const out = await post({ intent: "save", person: p.id, honours: "", skills: "焊接", bio: long });
  expect(out.status).toBe(400);
  expect(out.data).toMatchObject({ errors: { bio: expect.any(String) }, values: { skills: "焊接", bio: long } });
  expect((await db.person.findUniqueOrThrow({ where: { id: p.id } })).skills).toBe("[]");
  const dup = await post({ intent: "add", name: "马小龙", role: "member" });
  expect(dup.status).toBe(400);
  expect(dup.data).toMatchObject({ errors: { name: "people.edit.duplicate" }, values: { name: "马小龙" } });
});

test("a person of another studio cannot be edited or removed from here", async () => {
  const other = await db.person.findFirstOrThrow({ where: { studio: { slug: { not: STUDIO } } } });
  expect((await post({ intent: "remove", person: other.id })).status).toBe(404);
  expect(await db.person.findUnique({ where: { id: other.id } })).not.toBeNull();
});

test("removing a person removes their page and their search document", async () => {
  const p = await db.person.findFirstOrThrow({ where: { name: "王建伟", studio: { slug: STUDIO } } });
  expect(await db.searchDoc.findUnique({ where: { id: `person:${p.slug}` } })).not.toBeNull();
  expect((await post({ intent: "remove", person: p.id })).status).toBe(200);
  expect(await db.person.findUnique({ where: { id: p.id } })).toBeNull();
  expect(await db.searchDoc.findUnique({ where: { id: `person:${p.slug}` } })).toBeNull();
});
