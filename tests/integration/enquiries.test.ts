import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { translator } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import { decideAdoption, listPendingAdoptions, recordAdoption } from "~/models/adoption.server";
import { importContent } from "~/models/content-import.server";
import { ENQUIRY_LIMITS, getEnquiry, sendEnquiry } from "~/models/enquiry.server";
import { acceptDispatch, dispatchNeed, needPage, postNeed, recordDelivery, type NeedActor } from "~/models/need-loop.server";
import { resultViewer } from "~/models/result.server";
import * as contactPage from "~/routes/studios.$slug.contact";
import * as enquiryPage from "~/routes/enquiries.$id";
import * as enquiriesPage from "~/routes/enquiries._index";
import * as dashboardPage from "~/routes/dashboard";
import * as inboxPage from "~/routes/inbox";
import * as attachmentRoute from "~/routes/needs.$slug.attachments.$file";
import * as resultPage from "~/routes/results.$slug";
import * as studioPage from "~/routes/studios.$slug";
import * as serve from "~/routes/uploads.$file";
import * as uploads from "~/routes/uploads";
import { db } from "~/utils/db.server";
import { getUser, type SessionUser } from "~/utils/session.server";
import { uploadsDir } from "~/utils/uploads.server";
import { body } from "../fixtures/editing";
import { png } from "../fixtures/images";
import { actionArgs, createUser, getRequest, loginRedirect, mailsTo, postRequest, sessionCookie, settle, unique, type TestUser } from "../setup/auth";

// 需求对接 (issue 12): a signed-in user writes to a studio from its page or a result's page; its admins
// hear of it in their own language; only they and coordinators see the sender's contact details; a
// coordinator turns it into a need in one step. Then the delivery's attachments (images or PDF, by
// their bytes) and adoption records that name a new enterprise.

const STUDIO = "metro-signal";
const RESULT = "cbtc-signal-fault-replay-platform";
const BEARING = "郑州博远轴承有限公司";

let adminZh: TestUser, adminEn: TestUser, member: TestUser, coordinator: TestUser, sender: TestUser, outsider: TestUser;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  adminZh = await createUser({ studio: STUDIO, studioRole: "admin", name: "信号管理员" });
  adminEn = await createUser({ studio: STUDIO, studioRole: "admin", name: "Signal Admin" });
  await db.user.update({ where: { id: adminEn.id }, data: { locale: "en" } });
  member = await createUser({ studio: STUDIO, studioRole: "member" });
  coordinator = await createUser({ role: "coordinator" });
  outsider = await createUser({ studio: "xu-xin", studioRole: "admin" });
  sender = await createUser({ name: "何部长" });
});

const session = async (u: TestUser) => (await getUser(getRequest("/", await sessionCookie(u.id))))!;
const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};
const enquiryFields = (o: Record<string, string> = {}) => ({
  message: `轴承厂的设备故障日志想做回放分析，能否借鉴你们的平台？${unique()}`,
  contactName: "何部长",
  contact: "0371-6688 1234",
  organisation: BEARING,
  ...o,
});
async function send(u: TestUser, o: Record<string, string> = {}, now?: Date) {
  const s = await session(u);
  return sendEnquiry(s, STUDIO, form(enquiryFields(o)), { viewer: await resultViewer(s), now });
}
const ok = <T extends { ok: boolean }>(o: T) => {
  if (!o.ok) throw new Error(`refused: ${JSON.stringify(o)}`);
  return o as Extract<T, { ok: true }>;
};

describe("sending an enquiry", () => {
  test("the studio's admins get it in the inbox and by mail, each in their own language; the sender's details reach only them", async () => {
    const u = await createUser({ name: "王工" });
    const out = ok(await send(u, { result: RESULT, contactName: "王工" }));
    const notes = await db.notification.findMany({ where: { url: `/enquiries/${out.id}`, NOT: { kind: "enquiry.forCoordinators" } }, select: { userId: true, kind: true } });
    expect(notes.map((n) => n.userId).sort()).toEqual([adminZh.id, adminEn.id].sort());
    expect(new Set(notes.map((n) => n.kind))).toEqual(new Set(["enquiry.aboutResult"]));
    const zhMail = mailsTo(adminZh.email).at(-1)!;
    const enMail = mailsTo(adminEn.email).at(-1)!;
    expect(zhMail.subject).toBe(`王工（${BEARING}）就成果“CBTC信号系统故障回放分析平台”给郑州地铁信号系统工匠创新工作室发来对接消息`);
    expect(enMail.subject).toBe(`王工（${BEARING}） sent 郑州地铁信号系统工匠创新工作室 an enquiry about “CBTC信号系统故障回放分析平台”`);
    expect(enMail.text).toContain(`/enquiries/${out.id}`);
    // nobody else is told, and the message is stored as sent, linked to the result
    expect(mailsTo(member.email)).toEqual([]);
    const row = await db.enquiry.findUniqueOrThrow({ where: { id: out.id }, include: { result: true } });
    expect(row).toMatchObject({ senderId: u.id, contact: "0371-6688 1234", status: "new", result: { slug: RESULT } });

    // who may read it, with the contact: the studio's admins and coordinators; not a plain member, not another studio
    for (const reader of [adminZh, adminEn, coordinator]) expect(await getEnquiry(await session(reader), out.id)).toMatchObject({ contact: "0371-6688 1234" });
    for (const other of [member, outsider, u]) expect(await getEnquiry(await session(other), out.id)).toBe("forbidden");
    const anonymous = await settle(() => enquiryPage.loader(actionArgs(getRequest(`/enquiries/${out.id}`), { id: out.id })));
    expect(anonymous.location).toBe(loginRedirect(`/enquiries/${out.id}`));
    const asMember = await settle(async () => enquiryPage.loader(actionArgs(getRequest(`/enquiries/${out.id}`, await sessionCookie(member.id)), { id: out.id })));
    expect(asMember.status).toBe(403);
    const asAdmin = await settle(async () => enquiryPage.loader(actionArgs(getRequest(`/enquiries/${out.id}`, await sessionCookie(adminEn.id)), { id: out.id })));
    expect(asAdmin.data).toMatchObject({ enquiry: { contact: "0371-6688 1234", contactName: "王工" }, convert: null });

    // the studio page lists it for its admins only
    const studioAs = async (u2: TestUser | null) =>
      (await settle(async () => studioPage.loader(actionArgs(getRequest(`/studios/${STUDIO}`, u2 ? await sessionCookie(u2.id) : null), { slug: STUDIO })))).data as {
        enquiries: { id: string; contact: string }[] | null;
      };
    expect((await studioAs(adminZh)).enquiries?.map((e) => e.id)).toContain(out.id);
    expect((await studioAs(member)).enquiries).toBeNull();
    expect((await studioAs(null)).enquiries).toBeNull();
    expect(JSON.stringify(await studioAs(null))).not.toContain("0371-6688 1234");
  });

  test("coordinators find a new enquiry in their inbox, in their own language, without mail; /enquiries and the dashboard count the new ones", async () => {
    const coordEn = await createUser({ role: "coordinator", name: "Union Coordinator" });
    await db.user.update({ where: { id: coordEn.id }, data: { locale: "en" } });
    const gone = await createUser({ role: "coordinator", name: "离职协调员" });
    await db.user.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    const counted = async (u: TestUser) => {
      const cookie = await sessionCookie(u.id);
      const list = await settle(() => enquiriesPage.loader(actionArgs(getRequest("/enquiries", cookie), {})));
      const dash = await settle(() => dashboardPage.loader(actionArgs(getRequest("/dashboard", cookie), {})));
      return { list: (list.data as { newCount: number }).newCount, dashboard: (dash.data as { newEnquiries: number }).newEnquiries };
    };
    const before = await counted(coordinator);
    expect(before.list).toBe(before.dashboard);
    const adminBefore = (await settle(async () => enquiriesPage.loader(actionArgs(getRequest("/enquiries", await sessionCookie(adminZh.id)), {})))).data as { newCount: number };

    const u = await createUser({ name: "孙科长" });
    const out = ok(await send(u, { contactName: "孙科长" }));
    const url = `/enquiries/${out.id}`;
    const told = (await db.notification.findMany({ where: { url, kind: "enquiry.forCoordinators" }, select: { userId: true, params: true } })).map((n) => n.userId);
    expect(told).toEqual(expect.arrayContaining([coordinator.id, coordEn.id]));
    // not the disabled account, not the studio's admins (they have their own notice), not the sender
    for (const other of [gone, adminZh, adminEn, member, u]) expect(told).not.toContain(other.id);
    expect(await db.notification.count({ where: { url, userId: adminZh.id } })).toBe(1);

    // stored as kind and params, the inbox says it in the language its reader reads the site in
    const inboxOf = async (who: TestUser, language: string) => {
      const request = new Request(getRequest("/inbox", await sessionCookie(who.id)), { headers: { Cookie: await sessionCookie(who.id), "Accept-Language": language } });
      const items = ((await settle(() => inboxPage.loader(actionArgs(request, {})))).data as { items: { title: string; url: string }[] }).items;
      return items.find((i) => i.url === url)?.title;
    };
    expect(await inboxOf(coordinator, "zh-CN,zh;q=0.9")).toBe(`新的对接消息：孙科长（${BEARING}）写给郑州地铁信号系统工匠创新工作室，可转为需求`);
    expect(await inboxOf(coordEn, "en-GB,en;q=0.9")).toBe(`New enquiry: 孙科长（${BEARING}） wrote to 郑州地铁信号系统工匠创新工作室; it can be posted as a need`);
    // inbox only: no mail to coordinators about it
    for (const who of [coordinator, coordEn]) expect(mailsTo(who.email).filter((m) => m.text.includes(url))).toEqual([]);

    // counted as new on /enquiries and on the dashboard, for coordinators; the studio's admin counts it too
    expect(await counted(coordinator)).toEqual({ list: before.list + 1, dashboard: before.dashboard + 1 });
    const adminAfter = (await settle(async () => enquiriesPage.loader(actionArgs(getRequest("/enquiries", await sessionCookie(adminZh.id)), {})))).data as { newCount: number };
    expect(adminAfter.newCount).toBe(adminBefore.newCount + 1);
    // an enquiry of another studio is not the admin's to count
    const elsewhere = await createUser({ name: "周主任" });
    const s2 = await session(elsewhere);
    ok(await sendEnquiry(s2, "xu-xin", form(enquiryFields({ contactName: "周主任" })), { viewer: await resultViewer(s2) }));
    expect((await counted(coordinator)).list).toBe(before.list + 2);
    expect(
      ((await settle(async () => enquiriesPage.loader(actionArgs(getRequest("/enquiries", await sessionCookie(adminZh.id)), {})))).data as { newCount: number }).newCount,
    ).toBe(adminAfter.newCount);

    // a coordinator who writes to a studio is not told of their own enquiry
    const own = ok(await send(coordEn, { contactName: "Union Coordinator" }));
    expect(await db.notification.count({ where: { url: `/enquiries/${own.id}`, userId: coordEn.id } })).toBe(0);
    expect(await db.notification.count({ where: { url: `/enquiries/${own.id}`, userId: coordinator.id } })).toBe(1);
  });

  test("the 6th enquiry within an hour is refused with a message saying when to try again; the 21st in a day too", async () => {
    const u = await createUser();
    const t0 = new Date(Date.now() - 20 * 60_000);
    for (let i = 0; i < ENQUIRY_LIMITS.perHour; i++) ok(await send(u, {}, new Date(t0.getTime() + i * 60_000)));
    const before = await db.enquiry.count({ where: { senderId: u.id } });
    const sixth = await send(u, {}, new Date(t0.getTime() + 10 * 60_000));
    expect(sixth).toMatchObject({ ok: false, status: 429, errors: { _form: "enquiry.rate.hour" }, vars: { n: 5, minutes: 50 } });
    if (sixth.ok) throw new Error("unreachable");
    expect(translator("zh-CN")(sixth.errors._form as MessageKey, sixth.vars)).toBe("发送太频繁：每小时最多发送 5 条对接消息，请 50 分钟后再试。");
    expect(translator("en")(sixth.errors._form as MessageKey, sixth.vars)).toBe("Too many messages: at most 5 an hour; try again in 50 minutes.");
    expect(await db.enquiry.count({ where: { senderId: u.id } })).toBe(before);
    // an hour after the first, there is room again
    ok(await send(u, {}, new Date(t0.getTime() + 61 * 60_000)));

    // the day: 20 spread over 22 hours, then the 21st is refused
    const v = await createUser();
    const start = new Date("2026-12-08T00:00:00Z").getTime();
    for (let i = 0; i < ENQUIRY_LIMITS.perDay; i++) ok(await send(v, {}, new Date(start + i * 66 * 60_000)));
    const late = await send(v, {}, new Date(start + 22 * 3_600_000));
    expect(late).toMatchObject({ ok: false, status: 429, errors: { _form: "enquiry.rate.day" }, vars: { n: 20, hours: 2 } });

    // through the page: the typed message comes back with the refusal
    const page = await settle(async () =>
      contactPage.action(
        actionArgs(await postRequest(`/studios/${STUDIO}/contact`, enquiryFields({ message: "再发一条试试看，应该被拒绝" }), { session: await sessionCookie(u.id) }), {
          slug: STUDIO,
        }),
      ),
    );
    expect(page.status).toBe(429);
    expect(page.data).toMatchObject({ errors: { _form: "enquiry.rate.hour" }, values: { message: "再发一条试试看，应该被拒绝" } });
  });

  test("anonymous visitors are asked to sign in and come back; the model refuses them; bad input names the field", async () => {
    expect(await sendEnquiry(null, STUDIO, form(enquiryFields()))).toMatchObject({ ok: false, status: 401, errors: { _form: "enquiry.signIn" } });
    const page = await settle(() => contactPage.loader(actionArgs(getRequest(`/studios/${STUDIO}/contact?result=${RESULT}`), { slug: STUDIO })));
    expect(page.data).toMatchObject({ signIn: loginRedirect(`/studios/${STUDIO}/contact?result=${RESULT}`), result: { slug: RESULT } });
    const post = await settle(async () => contactPage.action(actionArgs(await postRequest(`/studios/${STUDIO}/contact`, enquiryFields()), { slug: STUDIO })));
    expect(post).toMatchObject({ status: 302, location: loginRedirect(`/studios/${STUDIO}/contact`) });

    const u = await createUser();
    const short = await send(u, { message: "太短", contact: "" });
    expect(short).toMatchObject({ ok: false, status: 400, errors: { message: "enquiry.form.tooShort", contact: "form.required" }, values: { message: "太短" } });
    // a result of another studio is not this studio's
    expect(await send(u, { result: "hmi-simulation-software" })).toMatchObject({ ok: false, status: 400, errors: { result: "form.invalid" } });
    // the result page's 联系工作室 leads to the form
    const r = await settle(() => resultPage.loader(actionArgs(getRequest(`/results/${RESULT}`), { slug: RESULT })));
    expect(r.data).toMatchObject({ studio: { slug: STUDIO } });
  });
});

describe("turning an enquiry into a need", () => {
  test("only a coordinator, in one step: an open need of the sender's enterprise, the sender its requester, linked both ways, with its activity rows", async () => {
    const s = ok(await send(sender, { message: "设备故障日志多，想做回放分析。\n希望一个月内有人来看看。" }));
    const convert = (u: TestUser, fields: Record<string, string> = {}) =>
      settle(async () =>
        enquiryPage.action(
          actionArgs(
            await postRequest(
              `/enquiries/${s.id}`,
              {
                intent: "convert",
                title: "设备故障日志回放分析",
                industry: "equipment-manufacturing",
                tags: "故障回放，日志分析",
                visibility: "union",
                enterprise: "",
                newName: BEARING,
                ...fields,
              },
              { session: await sessionCookie(u.id) },
            ),
            { id: s.id },
          ),
        ),
      );
    const needsBefore = await db.need.count();
    for (const u of [adminZh, member]) {
      const out = await convert(u);
      expect(out.status).toBe(403);
    }
    expect(await db.need.count()).toBe(needsBefore);
    // the coordinator's form starts from the enquiry
    const form0 = await settle(async () => enquiryPage.loader(actionArgs(getRequest(`/enquiries/${s.id}`, await sessionCookie(coordinator.id)), { id: s.id })));
    expect(form0.data).toMatchObject({
      convert: { title: "设备故障日志多，想做回放分析。", industry: "rail-transit", visibility: "union", newName: "", enterprise: expect.any(String) },
    });

    const activitiesBefore = await db.activity.count();
    const done = await convert(coordinator);
    expect(done.status).toBe(302);
    const slug = done.location!.replace(/^\/needs\//, "").replace(/\?done=submit$/, "");
    const need = await db.need.findUniqueOrThrow({ where: { slug }, include: { enterprise: true, events: true } });
    expect(need).toMatchObject({
      status: "open",
      title: "设备故障日志回放分析",
      createdById: sender.id,
      visibility: "union",
      contactName: "何部长",
      contactPhone: "0371-6688 1234",
    });
    expect(need.enterprise.name).toBe(BEARING);
    expect(need.bodyText).toContain("希望一个月内有人来看看。");
    expect(need.events.map((e) => [e.step, e.toStatus, e.actorId, JSON.parse(e.detail)])).toEqual([
      ["submit", "open", coordinator.id, { enquiry: "郑州地铁信号系统工匠创新工作室" }],
    ]);
    expect(await db.enquiry.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ status: "converted", needId: need.id, convertedById: coordinator.id });
    const verbs = (await db.activity.findMany({ orderBy: { createdAt: "asc" }, skip: activitiesBefore })).map((a) => a.verb);
    expect(verbs).toEqual(["need.submit", "enquiry.converted"]);
    // the sender follows it as its requester; the enquiry page links to it
    const asSender = await needPage(await session(sender), slug);
    expect(asSender).toMatchObject({ requester: true, contact: { name: "何部长", phone: "0371-6688 1234" } });
    const after = await settle(async () => enquiryPage.loader(actionArgs(getRequest(`/enquiries/${s.id}`, await sessionCookie(adminZh.id)), { id: s.id })));
    expect(after.data).toMatchObject({ enquiry: { status: "converted", need: { slug } } });
    // coordinators hear of a need to dispatch
    expect(await db.notification.count({ where: { userId: coordinator.id, url: `/needs/${slug}`, kind: "need.submit" } })).toBe(1);
    // once only
    expect((await convert(coordinator)).status).toBe(409);
    expect(await db.need.count()).toBe(needsBefore + 1);
  });

  test("a new enterprise name in the conversion is confirmed by that coordinator's step; nothing is half-written when the form is bad", async () => {
    const s = ok(await send(sender, { organisation: "" }));
    const name = `郑州新材料科技有限公司${unique()}`;
    const post = async (fields: Record<string, string>) =>
      settle(async () =>
        enquiryPage.action(
          actionArgs(
            await postRequest(
              `/enquiries/${s.id}`,
              { intent: "convert", title: "新材料检测", industry: "equipment-manufacturing", visibility: "public", enterprise: "", ...fields },
              { session: await sessionCookie(coordinator.id) },
            ),
            { id: s.id },
          ),
        ),
      );
    const bad = await post({ tags: "", newName: name });
    expect(bad).toMatchObject({ status: 400, data: { errors: { tags: "need.form.tagsRequired" }, values: { newName: name, title: "新材料检测" } } });
    expect(await db.enterprise.findUnique({ where: { name } })).toBeNull();
    expect((await db.enquiry.findUniqueOrThrow({ where: { id: s.id } })).status).toBe("new");
    const good = await post({ tags: "材料检测", newName: name });
    expect(good.status).toBe(302);
    expect(await db.enterprise.findUnique({ where: { name } })).not.toBeNull();
  });
});

// —— delivery attachments ——

const pdf = () => new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const exe = () => Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0xb8, 0, 0, 0, 0, 0, 0, 0]);

async function uploadAttachment(u: TestUser, bytes: Uint8Array, name: string, type: string) {
  const f = new FormData();
  f.append("purpose", "attachment");
  f.append("file", new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  return settle(async () => uploads.action(actionArgs(await postRequest("/uploads", f, { session: await sessionCookie(u.id) }))));
}

const actor = async (u: TestUser): Promise<NeedActor> => {
  const full = await db.user.findUniqueOrThrow({ where: { id: u.id }, include: { memberships: true } });
  return { id: full.id, role: full.role, memberships: full.memberships };
};

describe("delivery attachments", () => {
  test("a PDF is accepted, a renamed .exe refused; the delivery lists its files, downloadable only by those who see the whole need", async () => {
    const pdfUp = await uploadAttachment(adminZh, pdf(), "送技报告.pdf", "application/pdf");
    expect(pdfUp).toMatchObject({ status: 201, data: { name: "送技报告.pdf", mime: "application/pdf" } });
    const file = (pdfUp.data as { file: string }).file;
    expect(file).toMatch(/^[A-Za-z0-9_-]{16}\.pdf$/);
    const rowsBefore = await db.upload.count();
    const renamed = await uploadAttachment(adminZh, exe(), "送技报告.pdf", "application/pdf");
    expect(renamed).toMatchObject({ status: 415, data: { error: { code: "unsupported_type", field: "file" } } });
    expect((renamed.data as { error: { message: string } }).error.message).toBe("附件只能是 PDF 或 PNG、JPEG、GIF、WebP 图片（按文件内容判断，不看扩展名）。");
    expect(await db.upload.count()).toBe(rowsBefore);
    // a PDF is no body image: the image upload still refuses it, and /uploads never serves an attachment
    const asImage = new FormData();
    asImage.append("file", new File([pdf() as Uint8Array<ArrayBuffer>], "a.pdf", { type: "application/pdf" }));
    expect((await settle(async () => uploads.action(actionArgs(await postRequest("/uploads", asImage, { session: await sessionCookie(adminZh.id) }))))).status).toBe(415);
    expect(serve.loader(actionArgs(getRequest(`/uploads/${file}`), { file })).status).toBe(404);
    expect(existsSync(path.join(uploadsDir(), "private", file))).toBe(true);
    const photo = (await uploadAttachment(adminZh, png(4, 3), "现场.png", "image/png")).data as { file: string };

    // a need of the bearing company, dispatched to the studio, accepted, delivered with both files
    const requester = await createUser();
    const e = await db.enterprise.findUniqueOrThrow({ where: { name: BEARING } });
    await db.enterpriseContact.create({ data: { userId: requester.id, enterpriseId: e.id, status: "confirmed" } });
    const posted = await postNeed(
      await actor(requester),
      form({
        title: `信号设备送技${unique()}`,
        industry: "rail-transit",
        tags: "故障诊断",
        contactName: "何部长",
        contactPhone: "0371-6688 1234",
        visibility: "public",
        intent: "submit",
        body: body("需要排查设备故障。"),
      }),
    );
    const slug = ok(posted).slug;
    const v = async () => String((await db.need.findUniqueOrThrow({ where: { slug } })).version);
    ok(await dispatchNeed(await actor(coordinator), slug, form({ studios: [STUDIO], version: await v() })));
    const person = (await db.person.findFirstOrThrow({ where: { studio: { slug: STUDIO } } })).id;
    ok(await acceptDispatch(await actor(adminZh), slug, form({ studio: STUDIO, visitDate: "2026-12-20", people: [person], version: await v() })));
    // someone else's upload cannot be attached
    const foreign = (await uploadAttachment(adminEn, pdf(), "别人的.pdf", "application/pdf")).data as { file: string };
    const fullAdmin = await actor(adminZh);
    expect(
      await recordDelivery(
        fullAdmin,
        slug,
        form({ studio: STUDIO, date: "2026-12-21", people: [person], hours: "4", work: "现场排查", outcome: "已解决", attachments: [file, foreign.file], version: await v() }),
      ),
    ).toMatchObject({
      ok: false,
      status: 409,
      errors: { _form: "need.deliver.unknownAttachment" },
    });
    ok(
      await recordDelivery(
        fullAdmin,
        slug,
        form({ studio: STUDIO, date: "2026-12-21", people: [person], hours: "4", work: "现场排查", outcome: "已解决", attachments: [file, photo.file], version: await v() }),
      ),
    );

    const viewAs = async (u: TestUser | null) => needPage(u ? ((await session(u)) as SessionUser) : null, slug);
    const forRequester = await viewAs(requester);
    expect(forRequester!.deliveries[0].attachments.map((a) => [a.name, a.mime, a.url])).toEqual([
      ["送技报告.pdf", "application/pdf", `/needs/${slug}/attachments/${file}`],
      ["现场.png", "image/png", `/needs/${slug}/attachments/${photo.file}`],
    ]);
    expect(forRequester!.timeline.find((t) => t.step === "deliver")!.attachments.map((a) => a.name)).toEqual(["送技报告.pdf", "现场.png"]);
    // the public page of the need shows the delivery but not its files
    for (const u of [null, outsider]) {
      const page = await viewAs(u);
      expect(page!.deliveries[0].attachments).toEqual([]);
      expect(page!.timeline.every((t) => t.attachments.length === 0)).toBe(true);
    }

    const download = async (u: TestUser | null, f = file) =>
      settle(async () => attachmentRoute.loader(actionArgs(getRequest(`/needs/${slug}/attachments/${f}`, u ? await sessionCookie(u.id) : null), { slug, file: f })));
    for (const u of [requester, coordinator, adminEn]) {
      const got = await download(u);
      expect(got.status).toBe(200);
      expect(got.headers.get("Content-Type")).toBe("application/pdf");
      expect(got.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("送技报告.pdf")}`);
      expect(got.data).toContain("%PDF-1.4");
    }
    expect(await download(null)).toMatchObject({ status: 302, location: loginRedirect(`/needs/${slug}/attachments/${file}`) });
    expect((await download(outsider)).status).toBe(403);
    // a file that is not this need's is not found here, whoever asks
    expect((await download(coordinator, foreign.file)).status).toBe(404);
  });
});

// —— adoption records and new enterprises ——

describe("adoption records never create an enterprise by themselves", () => {
  test("a new name waits for a coordinator: no enterprise, not shown, not counted; confirmed, it is both; an existing one counts at once", async () => {
    const result = await db.result.findUniqueOrThrow({ where: { slug: RESULT } });
    const name = `郑州未登记企业${unique()}`;
    const adminSession = (await session(adminZh)) as SessionUser;
    const enterprisesBefore = await db.enterprise.count();
    const page = async () =>
      (await settle(() => resultPage.loader(actionArgs(getRequest(`/results/${RESULT}`), { slug: RESULT })))).data as { reusedBy: number; adoptions: { enterprise: string }[] };
    const reuseBefore = (await page()).reusedBy;

    expect(await recordAdoption(result.id, form({ enterprise: "", newName: name, adoptedOn: "2026-11-01", benefit: "故障定位时间缩短一半" }), adminSession)).toEqual({
      ok: true,
      pending: true,
    });
    expect(await db.enterprise.count()).toBe(enterprisesBefore);
    expect(await db.enterprise.findUnique({ where: { name } })).toBeNull();
    expect((await page()).reusedBy).toBe(reuseBefore);
    expect((await page()).adoptions.map((a) => a.enterprise)).not.toContain(name);
    const pending = (await listPendingAdoptions()).find((a) => a.proposedName === name)!;
    expect(pending).toMatchObject({ status: "pending", enterpriseId: null, result: { slug: RESULT } });
    // the studio's public feed does not name it
    expect(await db.activity.count({ where: { studioId: result.studioId, summary: { contains: name } } })).toBe(0);

    // only a coordinator confirms
    expect(await decideAdoption(adminSession, pending.id, "confirm")).toMatchObject({ ok: false, status: 403 });
    expect(await db.enterprise.findUnique({ where: { name } })).toBeNull();
    expect(await decideAdoption(await session(coordinator), pending.id, "confirm")).toEqual({ ok: true });
    expect(await db.enterprise.findUnique({ where: { name } })).not.toBeNull();
    expect((await page()).reusedBy).toBe(reuseBefore + 1);
    expect((await page()).adoptions.map((a) => a.enterprise)).toContain(name);
    expect(await decideAdoption(await session(coordinator), pending.id, "reject")).toMatchObject({ ok: false, status: 409 });

    // the same rule as contacts: an existing enterprise, picked or typed by its exact name, is used at once
    const existing = await db.enterprise.findUniqueOrThrow({ where: { name: BEARING } });
    expect(await recordAdoption(result.id, form({ enterprise: existing.slug, adoptedOn: "2026-11-02", benefit: "同样适用" }), adminSession)).toEqual({ ok: true, pending: false });
    expect((await page()).reusedBy).toBe(reuseBefore + 2);
    expect(await recordAdoption(result.id, form({ enterprise: existing.slug, newName: name, adoptedOn: "2026-11-02", benefit: "x" }), adminSession)).toMatchObject({
      ok: false,
      errors: { enterprise: "contact.pickOne" },
    });

    // a rejected proposal stays out, and no enterprise is made
    const other = `郑州另一家企业${unique()}`;
    ok(await recordAdoption(result.id, form({ newName: other, adoptedOn: "2026-11-03", benefit: "试用" }), adminSession));
    const p2 = (await listPendingAdoptions()).find((a) => a.proposedName === other)!;
    expect(await decideAdoption(await session(coordinator), p2.id, "reject")).toEqual({ ok: true });
    expect(await db.enterprise.findUnique({ where: { name: other } })).toBeNull();
    expect((await page()).adoptions.map((a) => a.enterprise)).not.toContain(other);
  });
});
