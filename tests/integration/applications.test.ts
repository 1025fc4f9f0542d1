// 申报: a signed-in user applies for their studio to join with its fields and a document; a
// coordinator returns it with a reason the applicant reads on /apply, where the form comes back
// filled in; resubmitted and approved, the studio exists — with the new enterprise typed, created only
// now — and the applicant is its studio admin.
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { decideApplication, submitApplication } from "~/models/studio-application.server";
import * as applyPage from "~/routes/apply";
import { db } from "~/utils/db.server";
import { formData } from "../fixtures/editing";
import { png } from "../fixtures/images";
import { createUser, getRequest, loginRedirect, postRequest, sessionCookie, settle, type Fields, type TestUser } from "../setup/auth";

let applicant: TestUser;
let coordinator: TestUser;
const NAME = "郑州精工数控刀具工匠创新工作室";
const NEW_ENTERPRISE = "郑州精工刀具制造有限公司";

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  applicant = await createUser({ name: "申报人老周" });
  coordinator = await createUser({ role: "coordinator" });
});

const fields = (o: Fields = {}): Fields => ({
  name: NAME,
  enterprise: "",
  enterpriseName: NEW_ENTERPRISE,
  leader: "周建国",
  level: "municipal",
  industry: "equipment-manufacturing",
  specialties: "数控刀具，刃磨工艺",
  introduction: "工作室专注数控刀具刃磨与涂层工艺改进。",
  ...o,
});
const post = async (f: Fields | FormData, u: TestUser | null = applicant) =>
  settle(async () => applyPage.action({ request: await postRequest("/apply", f, { session: u ? await sessionCookie(u.id) : null }), params: {}, context: {} }));

describe("applying", () => {
  test("anonymous visitors are sent to log in; a form without an enterprise comes back with the field and what was typed", async () => {
    expect(await post(fields(), null)).toMatchObject({ status: 302, location: loginRedirect("/apply") });
    const out = await post(fields({ enterpriseName: "" }));
    expect(out).toMatchObject({ status: 400, data: { errors: { enterprise: "apply.error.enterprise" }, values: { name: NAME, leader: "周建国" } } });
    expect(await db.studioApplication.count()).toBe(0);
  });

  test("sent with a document, returned with a reason, resubmitted from the filled-in form, approved: the studio and its admin", async () => {
    const form = formData(fields());
    form.set("attachment", new File([png(30, 20)], "命名文件.png", { type: "image/png" }));
    expect(await post(form)).toMatchObject({ status: 302, location: "/apply?sent=1" });
    const a = await db.studioApplication.findFirstOrThrow({ where: { applicantId: applicant.id } });
    expect(a).toMatchObject({ status: "pending", enterpriseId: null, enterpriseName: NEW_ENTERPRISE, attachment: expect.stringMatching(/^\/uploads\//) });
    expect(await db.enterprise.findUnique({ where: { name: NEW_ENTERPRISE } })).toBeNull();
    expect(await submitApplication(applicant, formData(fields({ name: "另一个工作室" })))).toMatchObject({ ok: false, status: 409, errors: { _form: "apply.error.pending" } });

    expect(await decideApplication(applicant, a.id, "approve", "")).toEqual({ ok: false, status: 403, reason: "refused.coordinator" });
    expect(await decideApplication(coordinator, a.id, "return", "")).toMatchObject({ ok: false, status: 400, field: "reason" });
    expect(await decideApplication(coordinator, a.id, "return", "请上传市总工会的命名文件")).toEqual({ ok: true });

    const page = await settle(async () => applyPage.loader({ request: getRequest("/apply", await sessionCookie(applicant.id)), params: {}, context: {} }));
    expect((page.data as { applications: unknown[] }).applications).toEqual([
      expect.objectContaining({
        id: a.id,
        status: "returned",
        reason: "请上传市总工会的命名文件",
        values: expect.objectContaining({ name: NAME, enterpriseName: NEW_ENTERPRISE }),
      }),
    ]);

    expect(await post(fields({ id: a.id, leader: "周建国（高级技师）" }))).toMatchObject({ status: 302 });
    expect(await db.studioApplication.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ status: "pending", leader: "周建国（高级技师）", attachment: a.attachment });

    expect(await decideApplication(coordinator, a.id, "approve", "")).toMatchObject({ ok: true });
    const done = await db.studioApplication.findUniqueOrThrow({ where: { id: a.id }, include: { studio: { include: { enterprise: true, people: true, memberships: true } } } });
    expect(done.studio).toMatchObject({ name: NAME, level: "municipal", enterprise: { name: NEW_ENTERPRISE }, memberships: [{ userId: applicant.id, role: "admin" }] });
    expect(done.studio!.people.map((p) => [p.name, p.role])).toEqual([["周建国（高级技师）", "leader"]]);
    expect(await db.searchDoc.findUnique({ where: { id: `studio:${done.studio!.slug}` } })).toMatchObject({ title: NAME });
    expect(await db.notification.findFirst({ where: { userId: applicant.id, kind: "application.approved" } })).toMatchObject({ url: `/studios/${done.studio!.slug}` });
    expect(await decideApplication(coordinator, a.id, "approve", "")).toEqual({ ok: false, status: 409, reason: "apply.error.decided" });
  });
});
